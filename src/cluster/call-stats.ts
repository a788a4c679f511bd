import { SlidingWindowAverage } from './sliding-window';

/** How CallStats measures; defaulted in {@link DEFAULT_CALL_STATS_OPTIONS}. */
export interface CallStatsOptions {
  /** Response times older than this fall out of the average. */
  windowMs: number;
  /** Time slices of the window (more = smoother, a little more memory). */
  buckets: number;
  /** Monotonic clock in ms. */
  now: () => number;
  /** Measure response times from the start (else from the first {@link CallStats.measureResponseTimes} call). */
  measureResponseTimes: boolean;
}

export const DEFAULT_CALL_STATS_OPTIONS: CallStatsOptions = {
  windowMs: 10_000,
  buckets: 10,
  now: () => performance.now(),
  measureResponseTimes: false,
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
  readonly methods = new Map<string, MethodCountersImpl>();
}

/** A method's counters at one address; it is its own MethodCounters handle. */
class MethodCountersImpl extends Counters implements MethodCounters {
  readonly methodCounters: Counters = this;

  constructor(
    readonly address: string,
    readonly method: string,
    readonly counters: AddressCounters,
    options: CallStatsOptions,
  ) {
    super(options);
  }
}

/**
 * The counters of one method at one address, kept by CallStats; {@link CallStats.enter} and {@link CallStats.leave}
 * bracket a call with them without allocating anything per call.
 */
export interface MethodCounters {
  readonly address: string;
  readonly method: string;
  /** @internal */
  readonly counters: AddressCounters;
  /** @internal */
  readonly methodCounters: Counters;
}

/** Returned by {@link CallStats.begin}; hand it back to {@link CallStats.end} exactly once. */
export interface CallToken extends MethodCounters {
  readonly startedAt: number;
}

/**
 * What this consumer observed of each provider: in-flight calls and the sliding-window average response time of
 * successful calls, per address and per address + method. Shared by every reference of a client; balancers read it
 * (leastactive, shortestresponse), the cluster invoker writes it around every attempt.
 *
 * `method` is any key the caller chooses; the cluster uses the call's label ('service#method').
 *
 * @example
 * const token = stats.begin('10.0.0.5:20880', 'com.acme.UserService#getUser');
 * try { ...; stats.end(token, true); } catch (e) { stats.end(token, false); throw e; }
 */
export class CallStats {
  private readonly options: CallStatsOptions;
  private readonly addresses = new Map<string, AddressCounters>();
  /** Off until a balancer reads response times: two clock reads per call saved otherwise. */
  private timing: boolean;

  constructor(options: Partial<CallStatsOptions> = {}) {
    this.options = { ...DEFAULT_CALL_STATS_OPTIONS, ...options };
    this.timing = this.options.measureResponseTimes;
  }

  /** From now on, successful calls feed the response-time averages (a balancer that reads them asks for this). */
  measureResponseTimes(): void {
    this.timing = true;
  }

  /** The clock the averages are kept on; read once per pick and pass it to {@link averageResponseTime}. */
  now(): number {
    return this.options.now();
  }

  /** A call to `address` starts. */
  begin(address: string, method: string): CallToken {
    const handle = this.countersOf(address, method);
    const { counters, methodCounters } = handle;
    return { address, method, counters, methodCounters, startedAt: this.enter(handle) };
  }

  /**
   * The call of `token` finished; only successes feed the response-time average (a fast failure is no merit), and
   * only while response times are measured.
   */
  end(token: CallToken, ok: boolean): void {
    this.leave(token, token.startedAt, ok);
  }

  /** The counters of `method` at `address` (made on first use), for {@link enter} and {@link leave}. */
  countersOf(address: string, method: string): MethodCounters {
    const counters = this.addressCounters(address);
    let methodCounters = counters.methods.get(method);
    if (methodCounters === undefined) {
      methodCounters = new MethodCountersImpl(address, method, counters, this.options);
      counters.methods.set(method, methodCounters);
    }
    return methodCounters;
  }

  /** A call starts; returns its start time, to hand to {@link leave} (-1 while response times are not measured). */
  enter(counters: MethodCounters): number {
    counters.counters.active++;
    counters.methodCounters.active++;
    return this.timing ? this.options.now() : -1;
  }

  /** The call that {@link enter} returned `startedAt` for has finished. */
  leave(counters: MethodCounters, startedAt: number, ok: boolean): void {
    counters.counters.active--;
    counters.methodCounters.active--;
    if (ok) {
      if (startedAt < 0) return; // begun before response times were measured
      const now = this.options.now();
      const elapsed = now - startedAt;
      counters.counters.elapsed.add(elapsed, now);
      counters.methodCounters.elapsed.add(elapsed, now);
    } else {
      counters.counters.failures++;
      counters.methodCounters.failures++;
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

  private addressCounters(address: string): AddressCounters {
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
