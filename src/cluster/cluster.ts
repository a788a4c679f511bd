import type { Logger } from '../common/logger';
import type { ProviderInfo } from '../common/provider-info';
import type { Invocation } from '../rpc/invocation';
import type { CallStats } from './call-stats';
import type { Directory } from './directory';
import type { BalanceOptions, LoadBalancer } from './load-balancer';

/**
 * How the transport reports the end of one attempt: exactly one of the two, exactly once, possibly before
 * `invokeProvider` returns. A failure is an RpcError whose code says what happened (CONNECTION_REFUSED,
 * CONNECTION_CLOSED, TIMEOUT, SHUTTING_DOWN, APPLICATION_ERROR, ...) with `retryable` true only when the call surely
 * did not run; an application's own registered error class arrives as itself.
 */
export interface AttemptCallbacks {
  succeeded(value: unknown): void;
  failed(error: unknown): void;
}

/**
 * Sends one attempt of `invocation` to `provider` and reports its outcome to `callbacks` (no promise of its own:
 * the cluster makes one per attempt, the transport settles it).
 */
export type InvokeProvider = (provider: ProviderInfo, invocation: Invocation, callbacks: AttemptCallbacks) => void;

/** Fault-tolerance settings of a reference; defaulted in {@link DEFAULT_CLUSTER_OPTIONS}. */
export interface ClusterOptions {
  /** failover: extra attempts on other providers after the first. */
  retries: number;
  /** forking: providers called in parallel (0 or more than known: all). */
  forks: number;
  /** failback: failed calls waiting for a background retry; the oldest is dropped beyond this. */
  failbackQueueSize: number;
  /** failback: background attempts per failed call before giving up. */
  failbackMaxAttempts: number;
  /** failback: delay before the first background attempt; doubles after each failure. */
  failbackIntervalMs: number;
  /** failback: time limit of one background attempt (the original deadline has passed by then). */
  failbackTimeoutMs: number;
}

export const DEFAULT_CLUSTER_OPTIONS: ClusterOptions = {
  retries: 2,
  forks: 2,
  failbackQueueSize: 1000,
  failbackMaxAttempts: 3,
  failbackIntervalMs: 5_000,
  failbackTimeoutMs: 3_000,
};

/** Per-method overrides (the reference's `methods: { getUser: { ... } }`). */
export interface MethodClusterOptions {
  retries?: number;
  forks?: number;
  /** This method's balancer, when it differs from the reference's. */
  loadBalancer?: LoadBalancer;
  /** This method's balancing options (hashArguments, virtualNodes). */
  balance?: BalanceOptions;
}

/** Everything a fault-tolerance strategy works with; one per reference. */
export interface ClusterContext {
  /** The reference's providers. Its outlier detector is fed by the invoker. */
  directory: Directory;
  loadBalancer: LoadBalancer;
  /** Shared by a client's references; written around every attempt. */
  stats: CallStats;
  invokeProvider: InvokeProvider;
  options?: Partial<ClusterOptions>;
  /** Balancing options of every method (per-method ones override). */
  balance?: BalanceOptions;
  methods?: Readonly<Record<string, MethodClusterOptions>>;
  logger?: Logger;
  /** Wall clock (Date.now() ms), compared with `invocation.deadline`. */
  now?: () => number;
}

/**
 * Runs one call of a reference against its providers with a fault-tolerance strategy. `invoke` settles exactly
 * once; after `close()` it rejects with CLIENT_CLOSED and background work (failback) is dropped.
 */
export interface ClusterInvoker {
  invoke(invocation: Invocation): Promise<unknown>;
  close(): void;
}

export type ClusterFactory = (context: ClusterContext) => ClusterInvoker;
