import type { ProviderInfo } from '../common/provider-info';
import { warmupEndsAt, warmupWeight } from './warmup';

/** While any provider warms up, weights are recomputed at most this often. */
const WARMUP_REFRESH_MS = 1000;

/** Effective (warmed-up) weights of one provider array, with prefix sums for O(log n) weighted picks. */
export interface WeightTable {
  readonly weights: Float64Array;
  /** prefix[i] = weights[0] + ... + weights[i]. */
  readonly prefix: Float64Array;
  readonly total: number;
  /** Every weight equal: a uniform pick is enough. */
  readonly uniform: boolean;
  readonly computedAt: number;
  /** The table is valid until then (Infinity when nobody warms up). */
  readonly expiresAt: number;
}

// Keyed by the directory's provider array, which is replaced (never mutated) when the set changes.
const tables = new WeakMap<readonly ProviderInfo[], WeightTable>();

/**
 * The cached weight table of `providers` at `now` (Date.now() ms, or a clock read only when needed), recomputed
 * only while someone warms up.
 */
export function weightTable(providers: readonly ProviderInfo[], now: number | (() => number)): WeightTable {
  const cached = tables.get(providers);
  if (cached !== undefined && cached.expiresAt === Infinity) return cached; // nobody warms up: no clock read
  if (typeof now === 'function') now = now();
  if (cached !== undefined && now >= cached.computedAt && now < cached.expiresAt) return cached;
  const table = computeWeightTable(providers, now);
  tables.set(providers, table);
  return table;
}

function computeWeightTable(providers: readonly ProviderInfo[], now: number): WeightTable {
  const n = providers.length;
  const weights = new Float64Array(n);
  const prefix = new Float64Array(n);
  let total = 0;
  let uniform = true;
  let expiresAt = Infinity;
  for (let i = 0; i < n; i++) {
    const provider = providers[i] as ProviderInfo;
    const w = warmupWeight(provider, now);
    weights[i] = w;
    total += w;
    prefix[i] = total;
    if (w !== weights[0]) uniform = false;
    const ends = warmupEndsAt(provider);
    if (ends > now) expiresAt = Math.min(expiresAt, ends, now + WARMUP_REFRESH_MS);
  }
  return { weights, prefix, total, uniform: uniform || total === 0, computedAt: now, expiresAt };
}

/** Weighted random index over the table (uniform when every weight is equal or all are 0). O(log n). */
export function pickWeightedIndex(table: WeightTable, random: () => number): number {
  const n = table.weights.length;
  if (table.uniform) return Math.min(n - 1, Math.floor(random() * n));
  const target = random() * table.total;
  const prefix = table.prefix;
  let lo = 0;
  let hi = n - 1;
  // First index whose prefix sum exceeds the target.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((prefix[mid] as number) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
