/** One call as the consumer side carries it through the cluster layer to a connection. */
export interface Invocation {
  readonly service: string;
  readonly group: string;
  readonly version: string;
  readonly method: string;
  readonly args: unknown[];
  readonly parameterTypes: string[];
  /** Mutable: the cluster adds the call id; users add trace ids. */
  readonly attachments: Record<string, string>;
  /** Absolute deadline, in Date.now() milliseconds. */
  readonly deadline: number;
  /** Send and do not wait for a response. */
  readonly oneWay: boolean;
  /** Serializer name for this call. */
  readonly serialization: string;
  /** May run more than once safely: timeouts and closed connections may be retried. */
  readonly idempotent: boolean;
}

/** `group/interface:version`, the key of the provider's service map (group and version may be empty). */
export function serviceKey(service: string, group = '', version = ''): string {
  return `${group}/${service}:${version}`;
}
