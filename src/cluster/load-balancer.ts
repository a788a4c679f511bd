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
  select(providers: readonly ProviderInfo[], invocation: Invocation, stats: CallStats, options: BalanceOptions): ProviderInfo;
}

export type LoadBalancerFactory = () => LoadBalancer;
