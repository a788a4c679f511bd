import { RpcError } from '../src/errors/rpc-error';
import { serviceNameOf } from '../src/common/service-name';
import type { ReferenceOptions } from '../src/rpc/reference-options';
import { getDefaultClient, type ReferenceClient } from './default-client';
import { readIdempotentMethods } from './metadata-reader';
import { readReferences, type ReferenceMetadata } from './reference-metadata';

/** Clients given to specific instances by inject(instance, client). */
const boundClients = new WeakMap<object, ReferenceClient>();
/** One proxy per client and declared property, shared by every instance: a reference is not free to create. */
const proxies = new WeakMap<ReferenceClient, Map<ReferenceMetadata, unknown>>();

/**
 * Binds an instance's `@Reference` properties (its class's and its parents') to `client`, or — with no
 * client — to whatever the default client is when each property is read. The accessors are defined on the
 * instance itself, so compiled class fields that hide the prototype accessors (`users!: UserService` under
 * `useDefineForClassFields`) are replaced; a property already holding a value (a test double) is kept.
 * Returns the instance.
 *
 * @example
 * const controller = inject(new OrderController(), client);
 * await controller.users.getUser(42);
 */
export function inject<T extends object>(instance: T, client?: ReferenceClient): T {
  if (client !== undefined) boundClients.set(instance, client);
  for (const reference of readReferences(instance)) {
    const own = Object.getOwnPropertyDescriptor(instance, reference.property);
    if (own !== undefined && !('value' in own && own.value === undefined)) continue;
    Object.defineProperty(instance, reference.property, referenceAccessor(reference));
  }
  return instance;
}

/** The options handed to the client for one property: its own, plus the contract's `@Idempotent` methods. */
export function referenceOptionsOf(reference: ReferenceMetadata): ReferenceOptions {
  const { options, service } = reference;
  if (typeof options.idempotent === 'boolean' || typeof service !== 'function') return { ...options };
  const merged = [...new Set([...(options.idempotent ?? []), ...readIdempotentMethods(service)])].sort();
  return merged.length === 0 ? { ...options } : { ...options, idempotent: merged };
}

/** A lazy accessor resolving the property through the instance's client; assigning replaces it on that instance. */
export function referenceAccessor(reference: ReferenceMetadata): PropertyDescriptor {
  return {
    configurable: true,
    enumerable: false,
    get(this: object): unknown {
      return resolveReference(this, reference);
    },
    set(this: object, value: unknown) {
      Object.defineProperty(this, reference.property, { value, writable: true, configurable: true, enumerable: true });
    },
  };
}

function resolveReference(instance: object, reference: ReferenceMetadata): unknown {
  const client = boundClients.get(instance) ?? getDefaultClient();
  if (client === undefined) {
    throw new RpcError(
      'CONFIG_ERROR',
      `${reference.owner}.${String(reference.property)} (@Reference ${serviceNameOf(reference.service)}) has no ` +
        'RpcClient: bootstrap() an application, call setDefaultClient(client), or inject(instance, client)',
    );
  }
  let perClient = proxies.get(client);
  if (perClient === undefined) {
    perClient = new Map();
    proxies.set(client, perClient);
  }
  if (!perClient.has(reference)) {
    perClient.set(reference, client.reference<unknown>(reference.service, referenceOptionsOf(reference)));
  }
  return perClient.get(reference);
}
