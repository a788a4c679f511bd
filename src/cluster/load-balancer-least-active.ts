import type { Invocation } from '../rpc/invocation';
import type { CallStats } from './call-stats';
import { ScoredLoadBalancer } from './load-balancer-scored';

/**
 * `leastactive`: the provider with the fewest calls in flight from this consumer (all its methods: the load a
 * provider carries is their sum), ties broken by weighted random. A slow provider accumulates in-flight calls and
 * so gets fewer new ones.
 */
export class LeastActiveLoadBalancer extends ScoredLoadBalancer {
  protected prepare(_invocation: Invocation, _stats: CallStats): void {}

  protected score(address: string, stats: CallStats): number {
    return stats.active(address);
  }
}
