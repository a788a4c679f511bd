import 'reflect-metadata';
import { RpcError } from '../src/errors/rpc-error';
import { serviceNameOf, type ServiceToken } from '../src/common/service-name';
import type { ReferenceOptions } from '../src/rpc/reference-options';
import { REFERENCE_METADATA } from './metadata-keys';
import { referenceAccessor } from './reference-injector';
import { readOwnReferences, type ReferenceMetadata } from './reference-metadata';

/**
 * Makes a property a remote service proxy, created by an `RpcClient` the first time it is read.
 *
 * Which client: the one given to the instance by `inject(instance, client)`, else the default client
 * (`setDefaultClient`; `bootstrap()` sets it to its application's client). So a `@Service` class calling
 * another service (bootstrap injects it) and any class instantiated after bootstrap both work; reading the
 * property with no client at all throws CONFIG_ERROR.
 *
 * The rule about class fields: the decorator installs a lazy accessor on the prototype, and a compiled class
 * field without initializer (`users!: UserService` under `useDefineForClassFields`, the default of TypeScript
 * for target ES2022+, of swc and of esbuild) defines an own `undefined` property on each instance that hides
 * it. So declare the property with `declare` (no field is emitted), compile with
 * `useDefineForClassFields: false`, or call `inject(instance)` after construction (bootstrap does this for
 * every `@Service` instance).
 *
 * Methods marked `@Idempotent` on a contract class token reach the client as `ReferenceOptions.idempotent`,
 * merged with the option's own list (`idempotent: true | false` wins).
 *
 * @example
 * class OrderController {
 *   @Reference(UserService, { version: '1.0.0', loadbalance: 'consistenthash', timeout: 1000 })
 *   declare users: UserService;
 * }
 * const app = await bootstrap(ConsumerApp, { registry: 'zookeeper://127.0.0.1:2181' });
 * await new OrderController().users.getUser(42);
 */
export function Reference(service: ServiceToken, options: ReferenceOptions = {}): PropertyDecorator {
  const recordedOptions: Readonly<ReferenceOptions> = Object.freeze({ ...options });
  return (target, property) => {
    const owner = typeof target === 'function' ? target.name : target.constructor.name;
    if (typeof target === 'function') {
      throw new RpcError('CONFIG_ERROR', `@Reference on static ${owner}.${String(property)}: use an instance property`);
    }
    serviceNameOf(service); // an unnamed token fails where it is declared, not at the first call
    const metadata: ReferenceMetadata = Object.freeze({ property, service, options: recordedOptions, owner });
    Reflect.defineMetadata(REFERENCE_METADATA, Object.freeze([...readOwnReferences(target), metadata]), target);
    // The one effect beyond metadata: a lazy accessor, so instances created after bootstrap resolve too.
    Object.defineProperty(target, property, referenceAccessor(metadata));
  };
}
