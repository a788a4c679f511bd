import type { Invocation } from '../rpc/invocation';
import type { CallStats } from './call-stats';
import { ScoredLoadBalancer } from './load-balancer-scored';

/**
 * `shortestresponse`: the provider with the lowest expected wait for this method: its recent average response time
 * (sliding window, successful calls) × (its calls of this method in flight + 1). Ties, including providers with no
 * history yet (they score 0, so they get tried and measured), are broken by weighted random. Per method, because
 * one method's latency says little about another's.
 */
export class ShortestResponseLoadBalancer extends ScoredLoadBalancer {
  readonly readsResponseTimes = true;
  private method = '';
  private clock = 0;

  protected prepare(invocation: Invocation, stats: CallStats): void {
    this.method = invocation.declared.label;
    this.clock = stats.now();
  }

  protected score(address: string, stats: CallStats): number {
    return stats.averageResponseTime(address, this.method, this.clock) * (stats.active(address, this.method) + 1);
  }
}
