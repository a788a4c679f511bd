import { ErrorCode } from '../errors/error-code';
import { RpcError } from '../errors/rpc-error';

/** When a provider is set aside and for how long; defaulted in {@link DEFAULT_OUTLIER_OPTIONS}. */
export interface OutlierDetectorOptions {
  /** Consecutive connection failures that set a provider aside. */
  consecutiveFailures: number;
  /** First back-off; it doubles with each ejection that follows soon after a return. */
  baseEjectionMs: number;
  /** Back-off cap. Also: a provider healthy this long after a return starts again from the base back-off. */
  maxEjectionMs: number;
  /** Wall clock, ms. */
  now: () => number;
}

export const DEFAULT_OUTLIER_OPTIONS: OutlierDetectorOptions = {
  consecutiveFailures: 3,
  baseEjectionMs: 1_000,
  maxEjectionMs: 60_000,
  now: () => Date.now(),
};

/** Failures that say "cannot reach the provider", as opposed to a provider answering with an error. */
const CONNECTION_FAILURES: ReadonlySet<string> = new Set([ErrorCode.CONNECTION_REFUSED, ErrorCode.CONNECTION_CLOSED]);

/** What the detector says about one address at one moment. */
export const OutlierState = {
  /** Usable. */
  HEALTHY: 'healthy',
  /** Set aside: not to be picked. */
  EJECTED: 'ejected',
  /** Back-off over: one call may go through to probe it. */
  PROBE: 'probe',
} as const;
export type OutlierState = (typeof OutlierState)[keyof typeof OutlierState];

interface AddressRecord {
  failures: number;
  ejections: number;
  /** 0 when not ejected. */
  ejectedUntil: number;
  /** When the probe call started, 0 when none is in flight. */
  probeStartedAt: number;
  returnedAt: number;
}

/**
 * Sets aside providers that keep failing to connect: after `consecutiveFailures` connection failures in a row an
 * address is ejected for a back-off (base, doubling, capped), then one probe call is let through; its success
 * returns the provider, its failure ejects it again for longer. Any answer from the provider, even an error,
 * counts as reachable; a timeout counts as neither. It never decides alone that no provider is left: the {@link Directory} falls back to the
 * ejected ones when nothing else remains. Shareable by every reference of a client (it is keyed by address).
 */
export class OutlierDetector {
  private readonly options: OutlierDetectorOptions;
  private readonly records = new Map<string, AddressRecord>();
  private changes = 0;

  constructor(options: Partial<OutlierDetectorOptions> = {}) {
    this.options = { ...DEFAULT_OUTLIER_OPTIONS, ...options };
  }

  /** Bumped on every ejection, probe and return, so directories know when to refilter. */
  get version(): number {
    return this.changes;
  }

  /** The state of `address` at `now`. */
  state(address: string, now: number = this.options.now()): OutlierState {
    const record = this.records.get(address);
    if (record === undefined || record.ejectedUntil === 0) return OutlierState.HEALTHY;
    if (now < record.ejectedUntil) return OutlierState.EJECTED;
    // A probe that never reported (it cannot, normally: every call settles) does not block the address forever.
    if (record.probeStartedAt !== 0 && now - record.probeStartedAt < this.options.maxEjectionMs)
      return OutlierState.EJECTED;
    return OutlierState.PROBE;
  }

  /** When `address`'s back-off ends (0 when it is not ejected). */
  ejectedUntil(address: string): number {
    return this.records.get(address)?.ejectedUntil ?? 0;
  }

  /** A call to `address` starts; when the address is due a probe, this call is the probe. */
  beginAttempt(address: string, at?: number): void {
    const record = this.records.get(address);
    if (record === undefined || record.ejectedUntil === 0) return; // the hot path: no clock read
    const now = at ?? this.options.now();
    if (this.state(address, now) === OutlierState.PROBE) {
      record.probeStartedAt = now;
      this.changes++;
    }
  }

  /** A call to `address` ended: `error` undefined on success. */
  record(address: string, error?: unknown, at?: number): void {
    // A timeout proves nothing either way (slow or unreachable), nor does a local bug (not an RpcError).
    if (error !== undefined && (!(error instanceof RpcError) || error.code === ErrorCode.TIMEOUT)) return;
    const isConnectionFailure = error instanceof RpcError && CONNECTION_FAILURES.has(error.code);
    let record = this.records.get(address);
    if (!isConnectionFailure) {
      if (record === undefined) return;
      record.failures = 0;
      // Any answer proves the provider reachable, a probe's or one sent while everything else was down.
      if (record.ejectedUntil !== 0) {
        record.ejectedUntil = 0;
        record.probeStartedAt = 0;
        record.returnedAt = at ?? this.options.now();
        this.changes++;
      }
      return;
    }
    if (record === undefined) {
      record = { failures: 0, ejections: 0, ejectedUntil: 0, probeStartedAt: 0, returnedAt: 0 };
      this.records.set(address, record);
    }
    record.failures++;
    const probeFailed = record.probeStartedAt !== 0;
    if (probeFailed || (record.ejectedUntil === 0 && record.failures >= this.options.consecutiveFailures)) {
      this.eject(record, at ?? this.options.now());
    }
  }

  /** Forgets `address` (a provider gone for good). */
  forget(address: string): void {
    if (this.records.delete(address)) this.changes++;
  }

  private eject(record: AddressRecord, now: number): void {
    const { baseEjectionMs, maxEjectionMs } = this.options;
    if (record.ejectedUntil === 0 && record.returnedAt !== 0 && now - record.returnedAt > maxEjectionMs) {
      record.ejections = 0; // healthy for a long stretch: start over
    }
    record.ejections++;
    record.ejectedUntil = now + Math.min(maxEjectionMs, baseEjectionMs * 2 ** (record.ejections - 1));
    record.probeStartedAt = 0;
    this.changes++;
  }
}
