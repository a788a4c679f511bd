import type { ProviderInfo } from '../common/provider-info';
import type { Invocation } from '../rpc/invocation';
import type { CallStats } from './call-stats';

/** Per-method balancing options a balancer may read. */
export interface BalanceOptions {
  /** consistenthash: indexes of the arguments that form the key (default [0]). */
  hashArguments?: readonly number[];
  /** consistenthash: virtual nodes per provider (default 160). */
  virtualNodes?: number;
}

/**
 * Picks one provider for one call. `providers` is never empty and is already filtered (group, version,
 * enabled, outliers). The same array instance is passed until the provider set changes, so balancers may
 * cache per-array state (a consistent-hash ring) keyed by it.
 */
export interface LoadBalancer {
  /** True when `select` reads response times: the client then measures them (they cost two clock reads per call). */
  readonly readsResponseTimes?: boolean;
  select(
    providers: readonly ProviderInfo[],
    invocation: Invocation,
    stats: CallStats,
    options: BalanceOptions,
  ): ProviderInfo;
}

/** What a balancer may be built with; injectable for deterministic tests. */
export interface LoadBalancerOptions {
  /** Uniform random in [0, 1). */
  random?: () => number;
  /** Wall clock in ms since epoch, for provider warm-up. */
  now?: () => number;
}

export const DEFAULT_LOAD_BALANCER_OPTIONS: Required<LoadBalancerOptions> = {
  random: () => Math.random(),
  now: () => Date.now(),
};

export type LoadBalancerFactory = (options?: LoadBalancerOptions) => LoadBalancer;
