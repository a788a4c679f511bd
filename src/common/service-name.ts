import { RpcError } from '../errors/rpc-error';

/**
 * How a contract is named on the wire: a string ('com.acme.UserService'), or an abstract class used as a
 * token — its `static serviceName` when it declares one, else its class name.
 *
 * @example
 * abstract class UserService { static readonly serviceName = 'com.acme.UserService'; abstract getUser(id: number): Promise<User>; }
 */
export type ServiceToken = string | (abstract new (...args: never[]) => unknown) | Function;

export function serviceNameOf(token: ServiceToken): string {
  if (typeof token === 'string') {
    if (token.trim() === '') throw new RpcError('CONFIG_ERROR', 'A service name must not be empty');
    return token;
  }
  if (typeof token === 'function') {
    const declared = (token as { serviceName?: unknown }).serviceName;
    if (typeof declared === 'string' && declared !== '') return declared;
    if (token.name !== '') return token.name;
  }
  throw new RpcError('CONFIG_ERROR', `Cannot name a service from ${String(token)}: pass a string or a named class`);
}
