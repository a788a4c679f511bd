import type { ProviderInfo } from '../common/provider-info';
import type { Invocation } from '../rpc/invocation';
import type { CallStats } from './call-stats';
import {
  DEFAULT_LOAD_BALANCER_OPTIONS,
  type BalanceOptions,
  type LoadBalancer,
  type LoadBalancerOptions,
} from './load-balancer';
import { pickAmongTies, scoreBuffer } from './tie-break';
import { weightTable } from './weight-table';

/**
 * `leastactive`: the provider with the fewest calls in flight from this consumer (all its methods: the load a
 * provider carries is their sum), ties broken by weighted random. A slow provider accumulates in-flight calls and
 * so gets fewer new ones.
 */
export class LeastActiveLoadBalancer implements LoadBalancer {
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
    _invocation: Invocation,
    stats: CallStats,
    _options: BalanceOptions,
  ): ProviderInfo {
    const n = providers.length;
    if (n === 1) return providers[0] as ProviderInfo;
    const scores = (this.scores = scoreBuffer(this.scores, n));
    let least = Infinity;
    for (let i = 0; i < n; i++) {
      const active = stats.active((providers[i] as ProviderInfo).address);
      scores[i] = active;
      if (active < least) least = active;
    }
    const weights = weightTable(providers, this.now()).weights;
    return providers[pickAmongTies(scores, n, least, weights, this.random)] as ProviderInfo;
  }
}
