/** How much a deduplicator remembers; defaulted in {@link DEFAULT_DEDUP_OPTIONS}. */
export interface CallDeduplicatorOptions {
  /** Call ids remembered per service; the oldest are forgotten beyond this. */
  maxEntries: number;
  /** How long a settled call's answer is remembered. Retries come within the caller's deadline, seconds later. */
  windowMs: number;
  /** Wall clock, ms. */
  now: () => number;
}

export const DEFAULT_DEDUP_OPTIONS: CallDeduplicatorOptions = {
  maxEntries: 10_000,
  windowMs: 60_000,
  now: () => Date.now(),
};

interface Entry {
  readonly outcome: Promise<unknown>;
  /** Infinity while the call runs: an in-flight call is never forgotten for its age. */
  expiresAt: number;
}

/**
 * Provider-side, opt-in (`@Service({ dedup: true })`): runs a call at most once per call id. A retry of a call that
 * is still running waits for the same promise; a retry of a finished one gets the same value or error, for
 * `windowMs` after it settled. Memory is bounded: at most `maxEntries` ids per service, the oldest dropped first.
 * A periodic sweep (an owned, unref'd timer, running only while something is remembered) frees expired answers;
 * `close()` stops it and forgets everything.
 *
 * @example
 * const dedup = new CallDeduplicator();
 * await dedup.run('/com.acme.Accounts:1.0.0', callId, () => accounts.debit(id, 10)); // a retry with callId: same answer
 */
export class CallDeduplicator {
  private readonly options: CallDeduplicatorOptions;
  // Map keeps insertion order: its first entries are the oldest.
  private readonly services = new Map<string, Map<string, Entry>>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(options: Partial<CallDeduplicatorOptions> = {}) {
    this.options = { ...DEFAULT_DEDUP_OPTIONS, ...options };
  }

  /**
   * The outcome of the call `callId` of `serviceKey`: `execute()`'s, run now if the id is new (or forgotten), else
   * the remembered one. Always a promise; a synchronous throw of `execute` becomes its rejection.
   */
  run(serviceKey: string, callId: string, execute: () => unknown): Promise<unknown> {
    let memory = this.services.get(serviceKey);
    if (memory === undefined) {
      memory = new Map();
      this.services.set(serviceKey, memory);
    }
    const now = this.options.now();
    const seen = memory.get(callId);
    if (seen !== undefined && seen.expiresAt > now) return seen.outcome;

    let outcome: Promise<unknown>;
    try {
      outcome = Promise.resolve(execute());
    } catch (error) {
      outcome = Promise.reject(error);
    }
    const entry: Entry = { outcome, expiresAt: Infinity };
    memory.delete(callId); // re-inserted last: it is now the newest
    memory.set(callId, entry);
    const settled = (): void => {
      entry.expiresAt = this.options.now() + this.options.windowMs;
    };
    outcome.then(settled, settled);
    while (memory.size > this.options.maxEntries) memory.delete(memory.keys().next().value as string);
    this.startSweeper();
    return outcome;
  }

  /** Call ids remembered (for `serviceKey`, or in all). */
  size(serviceKey?: string): number {
    if (serviceKey !== undefined) return this.services.get(serviceKey)?.size ?? 0;
    let total = 0;
    for (const memory of this.services.values()) total += memory.size;
    return total;
  }

  /** Drops expired answers now (the sweeper does this every `windowMs`). */
  sweep(): void {
    const now = this.options.now();
    for (const [key, memory] of this.services) {
      for (const [callId, entry] of memory) if (entry.expiresAt <= now) memory.delete(callId);
      if (memory.size === 0) this.services.delete(key);
    }
    if (this.services.size === 0) this.stopSweeper();
  }

  /** Forgets everything and stops the sweeper. Calls already running finish normally. */
  close(): void {
    this.stopSweeper();
    this.services.clear();
  }

  private startSweeper(): void {
    if (this.sweeper !== undefined) return;
    this.sweeper = setInterval(() => this.sweep(), this.options.windowMs);
    this.sweeper.unref();
  }

  private stopSweeper(): void {
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}
