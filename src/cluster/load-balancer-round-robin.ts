import type { ProviderInfo } from '../common/provider-info';
import type { Invocation } from '../rpc/invocation';
import type { CallStats } from './call-stats';
import {
  DEFAULT_LOAD_BALANCER_OPTIONS,
  type BalanceOptions,
  type LoadBalancer,
  type LoadBalancerOptions,
} from './load-balancer';
import { weightTable } from './weight-table';

/** A method's rotation state is dropped after this long unused. */
const STALE_STATE_MS = 60_000;

interface RotationState {
  /** The array the rotation was built for; a subset of it (a retry's) rotates within the same state. */
  providers: readonly ProviderInfo[];
  /** Smooth-RR "current weight" per provider, parallel to `providers`. */
  current: Float64Array;
  index: Map<string, number>;
  lastUsed: number;
}

/**
 * `roundrobin`: smooth weighted round robin (nginx's), per service and method: weights 5,1,1 give a a b a c a a,
 * spreading the heavy provider's turns instead of bunching them. O(n) per pick. A subset of the providers (a retry
 * excluding the failed one, an outlier set aside) rotates within the same state, so the full set's rotation
 * carries on undisturbed afterwards.
 */
export class RoundRobinLoadBalancer implements LoadBalancer {
  private readonly now: () => number;
  // A Map, not an object: method names are user data ('__proto__' must be a plain key).
  private readonly states = new Map<string, RotationState>();
  /** Per subset array: the index in the state of each of its providers. */
  private readonly subsets = new WeakMap<readonly ProviderInfo[], { of: readonly ProviderInfo[]; slots: Int32Array }>();
  private lastSweep = 0;

  constructor(options: LoadBalancerOptions = {}) {
    this.now = { ...DEFAULT_LOAD_BALANCER_OPTIONS, ...options }.now;
  }

  select(
    providers: readonly ProviderInfo[],
    invocation: Invocation,
    _stats: CallStats,
    _options: BalanceOptions,
  ): ProviderInfo {
    const now = this.now();
    // NUL cannot occur in interface, group, version or method names, so the key is unambiguous.
    const key = `${invocation.service}\0${invocation.group}\0${invocation.version}\0${invocation.method}`;
    const state = this.stateFor(key, providers);
    state.lastUsed = now;
    if (now - this.lastSweep > STALE_STATE_MS) this.sweep(now);
    const slots = state.providers === providers ? undefined : this.slotsOf(state, providers);

    const table = weightTable(providers, now);
    const weights = table.weights;
    const allZero = table.total === 0;
    const current = state.current;
    let best = 0;
    let bestCurrent = -Infinity;
    for (let j = 0; j < providers.length; j++) {
      const i = slots === undefined ? j : (slots[j] as number);
      const c = (current[i] as number) + (allZero ? 1 : (weights[j] as number));
      current[i] = c;
      if (c > bestCurrent) {
        bestCurrent = c;
        best = j;
      }
    }
    const bestSlot = slots === undefined ? best : (slots[best] as number);
    current[bestSlot] = bestCurrent - (allZero ? providers.length : table.total);
    return providers[best] as ProviderInfo;
  }

  private stateFor(key: string, providers: readonly ProviderInfo[]): RotationState {
    const state = this.states.get(key);
    if (state === undefined) {
      const fresh = { providers, current: new Float64Array(providers.length), index: indexOf(providers), lastUsed: 0 };
      this.states.set(key, fresh);
      return fresh;
    }
    if (state.providers !== providers && !providers.every((p) => state.index.has(p.address))) {
      // A provider joined: rebuild, keeping the current weights of those that stay so their rotation stays smooth.
      const current = new Float64Array(providers.length);
      providers.forEach((p, i) => {
        const previous = state.index.get(p.address);
        current[i] = previous === undefined ? 0 : (state.current[previous] as number);
      });
      state.providers = providers;
      state.current = current;
      state.index = indexOf(providers);
    }
    return state;
  }

  private slotsOf(state: RotationState, subset: readonly ProviderInfo[]): Int32Array {
    const cached = this.subsets.get(subset);
    if (cached !== undefined && cached.of === state.providers) return cached.slots;
    const slots = Int32Array.from(subset, (p) => state.index.get(p.address) as number);
    this.subsets.set(subset, { of: state.providers, slots });
    return slots;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, state] of this.states) if (now - state.lastUsed > STALE_STATE_MS) this.states.delete(key);
  }
}

function indexOf(providers: readonly ProviderInfo[]): Map<string, number> {
  return new Map(providers.map((p, i) => [p.address, i]));
}
