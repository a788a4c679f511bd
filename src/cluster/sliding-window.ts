/**
 * Average of the values recorded in the last `windowMs`, in `buckets` time slices: old slices fall out as time
 * moves on. O(1) to record and to read (amortised), no allocation after construction.
 */
export class SlidingWindowAverage {
  private readonly sums: Float64Array;
  private readonly counts: Float64Array;
  private readonly bucketMs: number;
  private latestEpoch = -Infinity;
  private sum = 0;
  private count = 0;

  constructor(windowMs: number, buckets: number) {
    this.sums = new Float64Array(buckets);
    this.counts = new Float64Array(buckets);
    this.bucketMs = windowMs / buckets;
  }

  /** Records one value at `now` (ms, any monotonic clock). */
  add(value: number, now: number): void {
    this.advance(now);
    const slot = this.slot(this.latestEpoch);
    this.sums[slot] = (this.sums[slot] as number) + value;
    this.counts[slot] = (this.counts[slot] as number) + 1;
    this.sum += value;
    this.count++;
  }

  /** Mean of the values in the window at `now`, or 0 when there are none. */
  average(now: number): number {
    this.advance(now);
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  /** Values in the window at `now`. */
  size(now: number): number {
    this.advance(now);
    return this.count;
  }

  private slot(epoch: number): number {
    return epoch % this.sums.length;
  }

  private advance(now: number): void {
    const epoch = Math.floor(now / this.bucketMs);
    // A clock that steps back keeps writing into the newest slice.
    if (epoch <= this.latestEpoch) return;
    if (epoch - this.latestEpoch >= this.sums.length) {
      this.sums.fill(0);
      this.counts.fill(0);
      this.sum = 0;
      this.count = 0;
    } else {
      for (let e = this.latestEpoch + 1; e <= epoch; e++) {
        const slot = this.slot(e);
        this.sum -= this.sums[slot] as number;
        this.count -= this.counts[slot] as number;
        this.sums[slot] = 0;
        this.counts[slot] = 0;
      }
      if (this.count === 0) this.sum = 0; // no drift from float subtraction
    }
    this.latestEpoch = epoch;
  }
}
