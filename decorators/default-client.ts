import type { ServiceToken } from '../src/common/service-name';
import type { ReferenceOptions } from '../src/rpc/reference-options';

/** What `@Reference` needs from a client; `RpcClient` is one. */
export interface ReferenceClient {
  reference<T>(service: ServiceToken, options?: ReferenceOptions): T;
}

let defaultClient: ReferenceClient | undefined;

/**
 * Sets the client that `@Reference` properties resolve through when their instance was not given one by
 * `inject(instance, client)`. bootstrap() sets its application's client (when none is set) and clears it on stop.
 * Pass undefined to clear.
 *
 * @example
 * setDefaultClient(new RpcClient({ registry: 'zookeeper://127.0.0.1:2181' }));
 */
export function setDefaultClient(client: ReferenceClient | undefined): void {
  defaultClient = client;
}

/** The client `@Reference` properties currently resolve through by default, if any. */
export function getDefaultClient(): ReferenceClient | undefined {
  return defaultClient;
}
