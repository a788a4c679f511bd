/**
 * A tiny time-bounded micro-benchmark loop for bench/micro/*.ts (`npx tsx bench/micro/<file>.ts`).
 * Each case is warmed up, then run in batches until `minMs` has passed; the figure is the median ns/op of 5 rounds.
 */
import { performance } from 'node:perf_hooks';

export interface MicroResult {
  name: string;
  nsPerOp: number;
  opsPerSec: number;
  note?: string;
}

/** Keeps results alive so V8 cannot drop the work being measured. */
export let sink: unknown = undefined;
export function consume(value: unknown): void {
  sink = value;
}

export interface MeasureOptions {
  /** Time per round, in ms (default 300). */
  roundMs?: number;
  /** Rounds; the median is reported (default 5). */
  rounds?: number;
  note?: string;
}

/** Measures a synchronous operation. */
export function measure(name: string, fn: () => unknown, options: MeasureOptions = {}): MicroResult {
  const roundMs = options.roundMs ?? 300;
  const rounds = options.rounds ?? 5;
  let batch = 1;
  // Warm up and size the batch so one batch takes ~10 ms (bounded: at most ~1 s of warm-up).
  const warmEnd = performance.now() + 1000;
  while (performance.now() < warmEnd) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) consume(fn());
    if (performance.now() - t0 > 10) break;
    batch *= 2;
  }
  const perRound: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let ops = 0;
    const t0 = performance.now();
    let t1 = t0;
    while (t1 - t0 < roundMs) {
      for (let i = 0; i < batch; i++) consume(fn());
      ops += batch;
      t1 = performance.now();
    }
    perRound.push(((t1 - t0) * 1e6) / ops);
  }
  perRound.sort((a, b) => a - b);
  const nsPerOp = perRound[Math.floor(perRound.length / 2)] ?? NaN;
  return { name, nsPerOp, opsPerSec: 1e9 / nsPerOp, note: options.note };
}

/** Measures an asynchronous operation, `concurrency` at a time (default 1). */
export async function measureAsync(
  name: string,
  fn: () => Promise<unknown>,
  options: MeasureOptions & { concurrency?: number } = {},
): Promise<MicroResult> {
  const roundMs = options.roundMs ?? 300;
  const rounds = options.rounds ?? 5;
  const concurrency = options.concurrency ?? 1;
  const runFor = async (ms: number): Promise<number> => {
    let ops = 0;
    const end = performance.now() + ms;
    const loop = async (): Promise<void> => {
      while (performance.now() < end) {
        for (let i = 0; i < 64; i++) consume(await fn());
        ops += 64;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
    return ops;
  };
  await runFor(500);
  const perRound: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    const ops = await runFor(roundMs);
    perRound.push(((performance.now() - t0) * 1e6) / ops);
  }
  perRound.sort((a, b) => a - b);
  const nsPerOp = perRound[Math.floor(perRound.length / 2)] ?? NaN;
  return { name, nsPerOp, opsPerSec: 1e9 / nsPerOp, note: options.note };
}

/** Prints results as a Markdown table, with each row's ratio to the first. */
export function printTable(title: string, results: MicroResult[]): void {
  const base = results[0]?.nsPerOp ?? NaN;
  const lines = [
    `### ${title}`,
    '',
    '| case | ns/op | ops/s | vs first | note |',
    '|---|---:|---:|---:|---|',
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.nsPerOp.toFixed(0)} | ${Math.round(r.opsPerSec).toLocaleString('en-US')} | ` +
        `${(r.nsPerOp / base).toFixed(2)}× | ${r.note ?? ''} |`,
    ),
    '',
  ];
  console.log(lines.join('\n'));
}
