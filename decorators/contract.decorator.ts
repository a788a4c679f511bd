import 'reflect-metadata';
import { RpcError } from '../src/errors/rpc-error';
import { serviceNameOf } from '../src/common/service-name';
import { CONTRACT_METADATA } from './metadata-keys';

/** What `@Contract` records on an abstract contract class. */
export interface ContractMetadata {
  /** The wire name of the service, e.g. 'com.acme.UserService'. */
  readonly name: string;
}

/**
 * Marks an abstract class as a service contract: the token both sides name a service by, and the class an
 * implementation `extends` so that `@Service()` needs no `interface` option. Without `name` the wire name is
 * the class's `static serviceName`, else its class name.
 *
 * The name is also published as the class's `static serviceName`, because `serviceNameOf()` (what
 * `RpcClient.reference(UserService)` uses) lives in src/ and may not read decorator metadata.
 *
 * @example
 * @Contract('com.acme.UserService')
 * export abstract class UserService { abstract getUser(id: number): Promise<User>; }
 *
 * @Service({ version: '1.0.0' })                 // interface inferred: com.acme.UserService
 * export class UserServiceImpl extends UserService { async getUser(id: number) { ... } }
 */
export function Contract(name?: string): ClassDecorator {
  return (target) => {
    if (name !== undefined && name.trim() === '') {
      throw new RpcError('CONFIG_ERROR', `@Contract on ${target.name}: the service name must not be empty`);
    }
    const declared = Object.getOwnPropertyDescriptor(target, 'serviceName')?.value as unknown;
    if (name !== undefined && declared !== undefined && declared !== name) {
      throw new RpcError(
        'CONFIG_ERROR',
        `@Contract('${name}') on ${target.name} contradicts its static serviceName '${String(declared)}'`,
      );
    }
    if (name !== undefined && declared === undefined) {
      Object.defineProperty(target, 'serviceName', { value: name, enumerable: false, configurable: false });
    }
    const metadata: ContractMetadata = Object.freeze({ name: name ?? serviceNameOf(target) });
    Reflect.defineMetadata(CONTRACT_METADATA, metadata, target);
  };
}
