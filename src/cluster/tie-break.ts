/**
 * Weighted random index among the first `n` indexes whose score equals `best`; uniform when their weights are all
 * 0. Two passes, no allocation: balancers call it on every pick.
 */
export function pickAmongTies(
  scores: Float64Array,
  n: number,
  best: number,
  weights: Float64Array,
  random: () => number,
): number {
  let count = 0;
  let total = 0;
  let first = -1;
  for (let i = 0; i < n; i++) {
    if (scores[i] !== best) continue;
    if (first < 0) first = i;
    count++;
    total += weights[i] as number;
  }
  if (count <= 1) return first;
  const byWeight = total > 0;
  let target = random() * (byWeight ? total : count);
  let last = first;
  for (let i = first; i < n; i++) {
    if (scores[i] !== best) continue;
    last = i;
    target -= byWeight ? (weights[i] as number) : 1;
    if (target < 0) return i;
  }
  return last; // float rounding
}

/** A reusable score buffer of at least `n` entries (balancers are synchronous, so one per instance is safe). */
export function scoreBuffer(current: Float64Array, n: number): Float64Array {
  return current.length >= n ? current : new Float64Array(Math.max(n, current.length * 2));
}
