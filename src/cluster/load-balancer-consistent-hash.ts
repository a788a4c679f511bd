import type { ProviderInfo } from '../common/provider-info';
import type { Invocation } from '../rpc/invocation';
import { hashArguments } from './argument-key';
import type { CallStats } from './call-stats';
import { HashRing } from './hash-ring';
import type { BalanceOptions, LoadBalancer } from './load-balancer';

export const DEFAULT_VIRTUAL_NODES = 160;
export const DEFAULT_HASH_ARGUMENTS: readonly number[] = [0];

/** How one provider array sees a ring: positions[member] = index in the array, or -1 when absent. */
interface RingView {
  readonly ring: HashRing;
  readonly positions: Int32Array;
}

/**
 * `consistenthash`: the same key (the arguments at `hashArguments`, default the first, stably encoded) goes to the
 * same provider while that provider is present; removing one of N providers moves only its ~1/N of the keys.
 * Weights and warm-up do not apply: stickiness is the point.
 *
 * One ring per service (group, version) and virtual-node count, rebuilt only when a provider appears that the ring
 * lacks. A smaller set (a provider gone, one excluded for a retry) is served from the same ring by walking past
 * absent members, which gives exactly what a rebuilt ring would. The per-array view is cached by array identity,
 * so the hot path is: one WeakMap lookup, hashing the key, one binary search.
 */
export class ConsistentHashLoadBalancer implements LoadBalancer {
  private readonly rings = new Map<string, HashRing>();
  private readonly views = new WeakMap<readonly ProviderInfo[], RingView>();

  select(
    providers: readonly ProviderInfo[],
    invocation: Invocation,
    _stats: CallStats,
    options: BalanceOptions,
  ): ProviderInfo {
    const virtualNodes = options.virtualNodes ?? DEFAULT_VIRTUAL_NODES;
    let view = this.views.get(providers);
    if (view === undefined || view.ring.virtualNodes !== virtualNodes)
      view = this.viewOf(providers, invocation, virtualNodes);
    const { ring, positions } = view;
    const owners = ring.owners;
    const size = owners.length;
    let node = ring.locate(hashArguments(invocation.args, options.hashArguments ?? DEFAULT_HASH_ARGUMENTS));
    for (let step = 0; step < size; step++) {
      const position = positions[owners[node] as number] as number;
      if (position >= 0) return providers[position] as ProviderInfo;
      node = node + 1 === size ? 0 : node + 1;
    }
    return providers[0] as ProviderInfo; // unreachable: every provider of the array is on the ring
  }

  private viewOf(providers: readonly ProviderInfo[], invocation: Invocation, virtualNodes: number): RingView {
    const key = `${invocation.service}\0${invocation.group}\0${invocation.version}\0${virtualNodes}`;
    let ring = this.rings.get(key);
    if (ring === undefined || !providers.every((p) => ring?.memberIndex.has(p.address))) {
      ring = new HashRing(
        providers.map((p) => p.address),
        virtualNodes,
      );
      this.rings.set(key, ring);
    }
    const positions = new Int32Array(ring.members.length).fill(-1);
    for (let i = providers.length - 1; i >= 0; i--) {
      positions[ring.memberIndex.get((providers[i] as ProviderInfo).address) as number] = i;
    }
    const view = { ring, positions };
    this.views.set(providers, view);
    return view;
  }
}
