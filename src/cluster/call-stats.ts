import { SlidingWindowAverage } from './sliding-window';

/** How CallStats measures; defaulted in {@link DEFAULT_CALL_STATS_OPTIONS}. */
export interface CallStatsOptions {
  /** Response times older than this fall out of the average. */
  windowMs: number;
  /** Time slices of the window (more = smoother, a little more memory). */
  buckets: number;
  /** Monotonic clock in ms. */
  now: () => number;
}

export const DEFAULT_CALL_STATS_OPTIONS: CallStatsOptions = {
  windowMs: 10_000,
  buckets: 10,
  now: () => performance.now(),
};

/** One counter set: calls in flight and the recent average response time of successful calls. */
class Counters {
  active = 0;
  failures = 0;
  readonly elapsed: SlidingWindowAverage;

  constructor(options: CallStatsOptions) {
    this.elapsed = new SlidingWindowAverage(options.windowMs, options.buckets);
  }
}

class AddressCounters extends Counters {
  readonly methods = new Map<string, Counters>();
}

/** Returned by {@link CallStats.begin}; hand it back to {@link CallStats.end} exactly once. */
export interface CallToken {
  readonly address: string;
  readonly method: string;
  readonly startedAt: number;
  /** @internal */
  readonly counters: AddressCounters;
  /** @internal */
  readonly methodCounters: Counters;
}

/**
 * What this consumer observed of each provider: in-flight calls and the sliding-window average response time of
 * successful calls, per address and per address + method. Shared by every reference of a client; balancers read it
 * (leastactive, shortestresponse), the cluster invoker writes it around every attempt.
 *
 * `method` is any key the caller chooses; the cluster uses `methodKey(invocation)` ('service#method').
 *
 * @example
 * const token = stats.begin('10.0.0.5:20880', 'com.acme.UserService#getUser');
 * try { ...; stats.end(token, true); } catch (e) { stats.end(token, false); throw e; }
 */
export class CallStats {
  private readonly options: CallStatsOptions;
  private readonly addresses = new Map<string, AddressCounters>();

  constructor(options: Partial<CallStatsOptions> = {}) {
    this.options = { ...DEFAULT_CALL_STATS_OPTIONS, ...options };
  }

  /** The clock the averages are kept on; read once per pick and pass it to {@link averageResponseTime}. */
  now(): number {
    return this.options.now();
  }

  /** A call to `address` starts. */
  begin(address: string, method: string): CallToken {
    const counters = this.countersOf(address);
    let methodCounters = counters.methods.get(method);
    if (methodCounters === undefined) {
      methodCounters = new Counters(this.options);
      counters.methods.set(method, methodCounters);
    }
    counters.active++;
    methodCounters.active++;
    return { address, method, startedAt: this.options.now(), counters, methodCounters };
  }

  /** The call of `token` finished; only successes feed the response-time average (a fast failure is no merit). */
  end(token: CallToken, ok: boolean): void {
    token.counters.active--;
    token.methodCounters.active--;
    if (ok) {
      const now = this.options.now();
      const elapsed = now - token.startedAt;
      token.counters.elapsed.add(elapsed, now);
      token.methodCounters.elapsed.add(elapsed, now);
    } else {
      token.counters.failures++;
      token.methodCounters.failures++;
    }
  }

  /** Calls in flight to `address` (for `method` only, when given). */
  active(address: string, method?: string): number {
    return this.find(address, method)?.active ?? 0;
  }

  /** Average response time (ms) of recent successful calls, or 0 when there are none in the window. */
  averageResponseTime(address: string, method?: string, now: number = this.options.now()): number {
    return this.find(address, method)?.elapsed.average(now) ?? 0;
  }

  /** Failed calls to `address` (for `method` only, when given) since it was first seen. */
  failures(address: string, method?: string): number {
    return this.find(address, method)?.failures ?? 0;
  }

  /** Drops what is known of `address` (a provider gone for good). Tokens already handed out still end safely. */
  forget(address: string): void {
    this.addresses.delete(address);
  }

  private countersOf(address: string): AddressCounters {
    let counters = this.addresses.get(address);
    if (counters === undefined) {
      counters = new AddressCounters(this.options);
      this.addresses.set(address, counters);
    }
    return counters;
  }

  private find(address: string, method: string | undefined): Counters | undefined {
    const counters = this.addresses.get(address);
    return method === undefined ? counters : counters?.methods.get(method);
  }
}

const methodKeys = new Map<string, Map<string, string>>();

/** The per-method stats key the cluster uses: 'service#method', interned so the hot path allocates no string. */
export function methodKey(invocation: { readonly service: string; readonly method: string }): string {
  let byMethod = methodKeys.get(invocation.service);
  if (byMethod === undefined) {
    byMethod = new Map();
    methodKeys.set(invocation.service, byMethod);
  }
  let key = byMethod.get(invocation.method);
  if (key === undefined) {
    key = `${invocation.service}#${invocation.method}`;
    byMethod.set(invocation.method, key);
  }
  return key;
}
