import type { DeclaredCall } from '../protocol/call-declaration';
import type { Serializer } from '../serialization/serializer';

/** One call as the consumer side carries it through the cluster layer to a connection. */
export interface Invocation {
  readonly service: string;
  readonly group: string;
  readonly version: string;
  readonly method: string;
  readonly args: unknown[];
  readonly parameterTypes: readonly string[];
  /** The call's declaration (service key, method, type tags), sent once per connection, then named by a number. */
  readonly declared: DeclaredCall;
  /** Set by the cluster before the first attempt (0 until then) and kept on every retry; see cluster/call-id. */
  callId: number;
  /** Absolute deadline, in Date.now() milliseconds. */
  readonly deadline: number;
  /** Send and do not wait for a response. */
  readonly oneWay: boolean;
  /** The reference's serializer, named in every request frame. */
  readonly serializer: Serializer;
  /** May run more than once safely: timeouts and closed connections may be retried. */
  readonly idempotent: boolean;
}

/** `group/interface:version`, the key of the provider's service map (group and version may be empty). */
export function serviceKey(service: string, group = '', version = ''): string {
  return `${group}/${service}:${version}`;
}
