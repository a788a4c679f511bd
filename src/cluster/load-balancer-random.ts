import type { ProviderInfo } from '../common/provider-info';
import type { Invocation } from '../rpc/invocation';
import type { CallStats } from './call-stats';
import {
  DEFAULT_LOAD_BALANCER_OPTIONS,
  type BalanceOptions,
  type LoadBalancer,
  type LoadBalancerOptions,
} from './load-balancer';
import { pickWeightedIndex, weightTable } from './weight-table';

/** `random` (the default): picks proportionally to the (warmed-up) weights; O(log n) on a cached prefix-sum table. */
export class RandomLoadBalancer implements LoadBalancer {
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(options: LoadBalancerOptions = {}) {
    const opts = { ...DEFAULT_LOAD_BALANCER_OPTIONS, ...options };
    this.random = opts.random;
    this.now = opts.now;
  }

  select(
    providers: readonly ProviderInfo[],
    _invocation: Invocation,
    _stats: CallStats,
    _options: BalanceOptions,
  ): ProviderInfo {
    if (providers.length === 1) return providers[0] as ProviderInfo;
    return providers[pickWeightedIndex(weightTable(providers, this.now), this.random)] as ProviderInfo;
  }
}
