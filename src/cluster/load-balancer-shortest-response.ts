import type { ProviderInfo } from '../common/provider-info';
import type { Invocation } from '../rpc/invocation';
import { methodKey, type CallStats } from './call-stats';
import {
  DEFAULT_LOAD_BALANCER_OPTIONS,
  type BalanceOptions,
  type LoadBalancer,
  type LoadBalancerOptions,
} from './load-balancer';
import { pickAmongTies, scoreBuffer } from './tie-break';
import { weightTable } from './weight-table';

/**
 * `shortestresponse`: the provider with the lowest expected wait for this method: its recent average response time
 * (sliding window, successful calls) × (its calls of this method in flight + 1). Ties, including providers with no
 * history yet (they score 0, so they get tried and measured), are broken by weighted random. Per method, because
 * one method's latency says little about another's.
 */
export class ShortestResponseLoadBalancer implements LoadBalancer {
  private readonly random: () => number;
  private readonly now: () => number;
  private scores: Float64Array = new Float64Array(16);

  constructor(options: LoadBalancerOptions = {}) {
    const opts = { ...DEFAULT_LOAD_BALANCER_OPTIONS, ...options };
    this.random = opts.random;
    this.now = opts.now;
  }

  select(
    providers: readonly ProviderInfo[],
    invocation: Invocation,
    stats: CallStats,
    _options: BalanceOptions,
  ): ProviderInfo {
    const n = providers.length;
    if (n === 1) return providers[0] as ProviderInfo;
    const method = methodKey(invocation);
    const clock = stats.now();
    const scores = (this.scores = scoreBuffer(this.scores, n));
    let best = Infinity;
    for (let i = 0; i < n; i++) {
      const address = (providers[i] as ProviderInfo).address;
      const estimate = stats.averageResponseTime(address, method, clock) * (stats.active(address, method) + 1);
      scores[i] = estimate;
      if (estimate < best) best = estimate;
    }
    const weights = weightTable(providers, this.now()).weights;
    return providers[pickAmongTies(scores, n, best, weights, this.random)] as ProviderInfo;
  }
}
