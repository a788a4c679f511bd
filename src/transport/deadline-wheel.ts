/**
 * What the wheel tracks: an absolute deadline, and the links of the slot's list it is filed in (owned by the wheel;
 * start them as -1, null, null). Intrusive links: filing and unfiling allocate nothing and hash nothing.
 */
export interface Deadlined {
  deadline: number;
  wheelSlot: number;
  wheelPrev: Deadlined | null;
  wheelNext: Deadlined | null;
}

export interface DeadlineWheelOptions {
  /** Resolution: deadlines fire up to one tick (plus timer lateness) after they pass. */
  tickMs: number;
  /** Slots per turn (a power of two); a deadline further than tickMs × slots away waits for later turns. */
  slots: number;
  now: () => number;
}

export const DEFAULT_DEADLINE_WHEEL_OPTIONS: DeadlineWheelOptions = { tickMs: 10, slots: 512, now: () => Date.now() };

/**
 * A hashed timing wheel (Netty's HashedWheelTimer, as Dubbo uses for call timeouts): one interval timer per wheel
 * instead of one setTimeout per call, which dominates the consumer's cost at high call rates. add/remove are O(1);
 * the timer runs only while something is tracked, and is unref'd so it never keeps a process alive.
 */
export class DeadlineWheel<T extends Deadlined> {
  /** Per slot, the head of a doubly linked list of entries. */
  private readonly heads: Array<Deadlined | null>;
  private readonly mask: number;
  private readonly options: DeadlineWheelOptions;
  private count = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The last tick whose slot was swept. */
  private swept = 0;

  constructor(
    private readonly onExpire: (entry: T) => void,
    options: Partial<DeadlineWheelOptions> = {},
  ) {
    this.options = { ...DEFAULT_DEADLINE_WHEEL_OPTIONS, ...options };
    const { slots } = this.options;
    if (slots <= 0 || (slots & (slots - 1)) !== 0) throw new RangeError(`slots must be a power of two, got ${slots}`);
    this.mask = slots - 1;
    this.heads = new Array<Deadlined | null>(slots).fill(null);
  }

  /** Entries being tracked. */
  get size(): number {
    return this.count;
  }

  /** Tracks `entry` until `remove` or until its deadline passes (then `onExpire(entry)`, once). */
  add(entry: T): void {
    if (this.count++ === 0) this.start();
    // A deadline in a tick already swept goes to the next tick swept, not a full turn later.
    const tick = Math.max(Math.floor(entry.deadline / this.options.tickMs), this.swept + 1);
    const slot = tick & this.mask;
    const head = this.heads[slot] as Deadlined | null;
    entry.wheelSlot = slot;
    entry.wheelPrev = null;
    entry.wheelNext = head;
    if (head !== null) head.wheelPrev = entry;
    this.heads[slot] = entry;
  }

  /** Stops tracking `entry`; false when it was not tracked (already expired or removed). */
  remove(entry: T): boolean {
    if (entry.wheelSlot < 0) return false;
    this.unlink(entry);
    if (--this.count === 0) this.stop();
    return true;
  }

  /**
   * Expires the entries of every tick completed by `now` whose deadline has passed (an entry fires up to one tick
   * after its deadline). Called by the timer; public for tests.
   */
  sweep(now = this.options.now()): void {
    const current = Math.floor(now / this.options.tickMs);
    // Never sweep more than one full turn: every slot is visited once per turn.
    let tick = Math.max(this.swept + 1, current - this.heads.length);
    for (; tick < current; tick++) {
      const slot = tick & this.mask;
      let entry = this.heads[slot] as Deadlined | null;
      while (entry !== null) {
        const next: Deadlined | null = entry.wheelNext;
        if (entry.deadline <= now) {
          this.unlink(entry);
          this.count--;
          this.onExpire(entry as T);
          // onExpire may have removed the next entry too: then start the slot's list over.
          if (next !== null && next.wheelSlot !== slot) {
            entry = this.heads[slot] as Deadlined | null;
            continue;
          }
        } // else: a later turn's deadline
        entry = next;
      }
    }
    this.swept = current - 1;
    if (this.count === 0) this.stop();
  }

  /** Forgets every entry without expiring any. */
  clear(): void {
    for (let slot = 0; slot < this.heads.length; slot++) {
      for (let entry = this.heads[slot] as Deadlined | null; entry !== null;) {
        const next = entry.wheelNext;
        entry.wheelSlot = -1;
        entry.wheelPrev = null;
        entry.wheelNext = null;
        entry = next;
      }
      this.heads[slot] = null;
    }
    this.count = 0;
    this.stop();
  }

  private unlink(entry: Deadlined): void {
    const { wheelPrev: prev, wheelNext: next } = entry;
    if (prev === null) this.heads[entry.wheelSlot] = next;
    else prev.wheelNext = next;
    if (next !== null) next.wheelPrev = prev;
    entry.wheelSlot = -1;
    entry.wheelPrev = null;
    entry.wheelNext = null;
  }

  private start(): void {
    if (this.timer !== undefined) return;
    this.swept = Math.floor(this.options.now() / this.options.tickMs) - 1;
    this.timer = setInterval(() => this.sweep(), this.options.tickMs);
    this.timer.unref();
  }

  private stop(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
