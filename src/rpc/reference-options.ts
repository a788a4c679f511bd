/** Options that may differ per method of a reference. */
export interface MethodOptions {
  /** Deadline of each call in ms (default 3000). */
  timeout?: number;
  /** failover: extra attempts on other providers (default 2). */
  retries?: number;
  /** 'random' | 'roundrobin' | 'leastactive' | 'shortestresponse' | 'consistenthash' | a registered name. */
  loadbalance?: string;
  /** consistenthash: which arguments form the key (default [0]). */
  hashArguments?: number[];
  /**
   * Safe to run twice: timeouts and closed connections may then be retried too (failover then gives each attempt an
   * equal share of the time left, so a timed-out attempt leaves room for a retry on another provider).
   */
  idempotent?: boolean;
  /** Send and do not wait for a response. */
  oneWay?: boolean;
}

/**
 * How a consumer calls one service.
 *
 * @example
 * client.reference<UserService>('com.acme.UserService', { version: '1.0.0', loadbalance: 'consistenthash', timeout: 1000 });
 */
export interface ReferenceOptions extends Omit<MethodOptions, 'oneWay' | 'idempotent'> {
  /** Providers named directly, no registry: 'courier://127.0.0.1:20880' or 'courier://h1:20880,h2:20880'. */
  url?: string;
  version?: string;
  group?: string;
  /** 'failover' (default) | 'failfast' | 'failsafe' | 'failback' | 'forking' | 'broadcast' | a registered name. */
  cluster?: string;
  /** 'msgpack' (default) or 'json'. */
  serialization?: string;
  /** forking: how many providers get the call in parallel (default 2). */
  forks?: number;
  /** failback: delay before the first background retry, doubling after each failure (default 5000). */
  failbackIntervalMs?: number;
  /** failback: background retries per failed call before giving up (default 3). */
  failbackMaxAttempts?: number;
  /** failback: time limit of one background retry (default 3000). */
  failbackTimeoutMs?: number;
  /** failback: failed calls waiting for a retry; the oldest is dropped beyond this (default 1000). */
  failbackQueueSize?: number;
  /** Methods that are one-way (fire and forget). */
  oneWay?: string[];
  /** true: every method is idempotent; or the list of idempotent methods. */
  idempotent?: boolean | string[];
  /** Per-method overrides. */
  methods?: Record<string, MethodOptions>;
}

/** Everything a single call needs, resolved once per method and cached. */
export interface ResolvedMethodOptions {
  timeout: number;
  retries: number;
  loadbalance: string;
  hashArguments: number[];
  idempotent: boolean;
  oneWay: boolean;
}

export const DEFAULT_REFERENCE_OPTIONS = {
  version: '',
  group: '',
  timeout: 3000,
  retries: 2,
  loadbalance: 'random',
  cluster: 'failover',
  serialization: 'msgpack',
  forks: 2,
  hashArguments: [0],
} as const;

export function resolveMethodOptions(options: ReferenceOptions, method: string): ResolvedMethodOptions {
  const own = options.methods?.[method] ?? {};
  const idempotent =
    own.idempotent ??
    (Array.isArray(options.idempotent) ? options.idempotent.includes(method) : (options.idempotent ?? false));
  return {
    timeout: own.timeout ?? options.timeout ?? DEFAULT_REFERENCE_OPTIONS.timeout,
    retries: own.retries ?? options.retries ?? DEFAULT_REFERENCE_OPTIONS.retries,
    loadbalance: own.loadbalance ?? options.loadbalance ?? DEFAULT_REFERENCE_OPTIONS.loadbalance,
    hashArguments: own.hashArguments ?? options.hashArguments ?? [...DEFAULT_REFERENCE_OPTIONS.hashArguments],
    idempotent,
    oneWay: own.oneWay ?? options.oneWay?.includes(method) ?? false,
  };
}
