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
 * A balancer that scores every provider and picks the lowest score, ties broken by weighted random (warm-up
 * included). Subclasses only say how a provider scores; the buffer is reused so a pick allocates nothing.
 */
export abstract class ScoredLoadBalancer implements LoadBalancer {
  private readonly random: () => number;
  private readonly now: () => number;
  private scores: Float64Array = new Float64Array(16);

  constructor(options: LoadBalancerOptions = {}) {
    const opts = { ...DEFAULT_LOAD_BALANCER_OPTIONS, ...options };
    this.random = opts.random;
    this.now = opts.now;
  }

  /** Called once per pick, before the providers are scored (e.g. to read the method key and the clock once). */
  protected abstract prepare(invocation: Invocation, stats: CallStats): void;

  /** Lower is better. */
  protected abstract score(address: string, stats: CallStats): number;

  select(
    providers: readonly ProviderInfo[],
    invocation: Invocation,
    stats: CallStats,
    _options: BalanceOptions,
  ): ProviderInfo {
    const n = providers.length;
    if (n === 1) return providers[0] as ProviderInfo;
    this.prepare(invocation, stats);
    const scores = (this.scores = scoreBuffer(this.scores, n));
    let best = Infinity;
    for (let i = 0; i < n; i++) {
      const score = this.score((providers[i] as ProviderInfo).address, stats);
      scores[i] = score;
      if (score < best) best = score;
    }
    const weights = weightTable(providers, this.now).weights;
    return providers[pickAmongTies(scores, n, best, weights, this.random)] as ProviderInfo;
  }
}
