#!/usr/bin/env node
/**
 * Courier vs its peers, side by side in one run. See bench/README.md.
 *
 *   node bench/run.mjs                 quick pass (~2 min): add@1/16/128, obj@128, bytes@16, Courier x2/x3 providers
 *   node bench/run.mjs --full          full matrix: 3 workloads x concurrency 1/16/128, x2/x3 providers, 3 repetitions
 *   options: --only courier,raw  --reps N  --warmup MS  --measure MS  --cpu-prof (profiles into bench/results/profiles)
 *            --wait-idle[=S] (before each point, wait up to S s, default 10, for other processes to go quiet)
 *            --points add@128,obj@16 (only these workload@concurrency points)  --no-scaling (no Courier x2/x3 points)
 *
 * Every point starts fresh server process(es) and a fresh client process (each preloading bench/guard.cjs), on
 * 127.0.0.1 only; every child is killed by pid when its point ends, on failure, and on exit.
 */
import { fork, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const require = createRequire(import.meta.url);
const { WORKLOADS, BYTES_SIZE } = require('./lib/workloads.cjs');

// The runner itself neither listens nor connects, but gets the same loopback guard (without the watchdog).
const childEnvBase = { ...process.env };
process.env.BENCH_MAX_LIFETIME_MS = '0';
process.env.BENCH_GUARD_NO_PARENT_WATCH = '1';
require('./guard.cjs');

// ---- options ------------------------------------------------------------------------------------------------------
const ALL_SYSTEMS = ['courier', 'raw', 'grpc', 'moleculer', 'http'];
const SYSTEM_LABEL = {
  courier: 'Courier',
  raw: 'raw net',
  grpc: 'gRPC (grpc-js)',
  moleculer: 'Moleculer TCP',
  http: 'HTTP/1.1 JSON',
};

function parseArgs(argv) {
  const opts = {
    full: false,
    only: null,
    reps: null,
    warmupMs: null,
    measureMs: null,
    cpuProf: false,
    waitIdleS: 0,
    points: null,
    scaling: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (flag === '--full') opts.full = true;
    else if (flag === '--quick') opts.full = false;
    else if (flag === '--only')
      opts.only = value()
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else if (flag === '--reps') opts.reps = Number(value());
    else if (flag === '--warmup') opts.warmupMs = Number(value());
    else if (flag === '--measure') opts.measureMs = Number(value());
    else if (flag === '--cpu-prof') opts.cpuProf = true;
    else if (flag === '--no-scaling') opts.scaling = false;
    else if (flag === '--points')
      opts.points = value()
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
    else if (flag === '--wait-idle') opts.waitIdleS = inline !== undefined ? Number(inline) : 10;
    else if (flag === '--help' || flag === '-h') {
      console.log(
        'usage: node bench/run.mjs [--quick|--full] [--only courier,raw,grpc,moleculer,http] [--reps N] [--warmup MS] [--measure MS] [--points add@128,obj@1] [--no-scaling] [--cpu-prof] [--wait-idle[=S]]',
      );
      process.exit(0);
    } else {
      console.error(`unknown option ${argv[i]} (try --help)`);
      process.exit(2);
    }
  }
  opts.reps ??= opts.full ? 3 : 1;
  opts.warmupMs ??= opts.full ? 1000 : 1000;
  opts.measureMs ??= opts.full ? 5000 : 2000;
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const courierEntry = path.join(root, 'dist', 'src', 'index.js');
const courierBuilt = existsSync(courierEntry);
let systems = opts.only ?? ALL_SYSTEMS;
for (const s of systems) {
  if (!ALL_SYSTEMS.includes(s)) {
    console.error(`unknown system ${s}; known: ${ALL_SYSTEMS.join(', ')}`);
    process.exit(2);
  }
}
const notes = [];
if (systems.includes('courier') && !courierBuilt) {
  notes.push(`Courier skipped: ${path.relative(root, courierEntry)} not found (run \`npm run build\`).`);
  systems = systems.filter((s) => s !== 'courier');
}

/** The matrix: configs (workload@concurrency), each run by every system; Courier also with 2 and 3 providers. */
function matrix() {
  let configs = opts.full
    ? ['add', 'obj', 'bytes'].flatMap((w) => [1, 16, 128].map((c) => ({ workload: w, concurrency: c })))
    : [
        { workload: 'add', concurrency: 1 },
        { workload: 'add', concurrency: 16 },
        { workload: 'add', concurrency: 128 },
        { workload: 'obj', concurrency: 128 },
        { workload: 'bytes', concurrency: 16 },
      ];
  const scaling = opts.full ? ['add@128', 'obj@128', 'bytes@16'] : ['add@128'];
  if (opts.points) {
    // Any workload@concurrency may be asked for, in or out of the pass's matrix.
    configs = opts.points.map((key) => {
      const [workload, c] = key.split('@');
      if (!WORKLOADS[workload] || !(Number(c) > 0)) throw new Error(`bad point ${key} (e.g. add@128, obj@16, bytes@1)`);
      return { workload, concurrency: Number(c) };
    });
  }
  return configs.map((c) => {
    const key = `${c.workload}@${c.concurrency}`;
    const series = systems.map((s) => ({ system: s, providers: 1 }));
    if (opts.scaling && systems.includes('courier') && scaling.includes(key)) {
      series.push({ system: 'courier', providers: 2 }, { system: 'courier', providers: 3 });
    }
    return { ...c, key, series };
  });
}

const seriesName = (s) => (s.providers > 1 ? `${s.system}x${s.providers}` : s.system);
const seriesLabel = (s) =>
  s.providers > 1 ? `${SYSTEM_LABEL[s.system]}, ${s.providers} providers` : SYSTEM_LABEL[s.system];

// ---- child processes ----------------------------------------------------------------------------------------------
const children = new Set();
const guardPath = path.join(here, 'guard.cjs');
const workerPath = path.join(here, 'worker.cjs');
const profileDir = path.join(here, 'results', 'profiles');

function spawnWorker(role, system, config, lifetimeMs) {
  const execArgv = ['-r', guardPath];
  if (opts.cpuProf)
    execArgv.push(
      '--cpu-prof',
      '--cpu-prof-dir',
      profileDir,
      '--cpu-prof-name',
      `${system}-${role}-${config.tag}-${Date.now()}.cpuprofile`,
    );
  const child = fork(workerPath, [role, system, JSON.stringify(config)], {
    cwd: root,
    execArgv,
    env: { ...childEnvBase, BENCH_MAX_LIFETIME_MS: String(lifetimeMs), NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  children.add(child);
  let tail = '';
  const keep = (d) => {
    tail = (tail + d).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.output = () => tail;
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.exited.then(() => children.delete(child));
  return child;
}

function nextMessage(child, type, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`${what}: no '${type}' within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (msg) => {
      if (msg.type === type) finish(null, msg);
      else if (msg.type === 'error') finish(new Error(`${what}: ${msg.message}`));
    };
    const onExit = (code, signal) =>
      finish(new Error(`${what} exited (${code ?? signal}) before '${type}'\n${child.output()}`));
    function finish(err, msg) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(msg);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function stopChild(child, graceful) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (graceful && child.connected) {
    try {
      child.send({ type: 'stop' });
    } catch {
      /* already gone */
    }
    const done = await Promise.race([child.exited, new Promise((r) => setTimeout(() => r(null), 2000))]);
    if (done) return;
  }
  try {
    process.kill(child.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
  await Promise.race([child.exited, new Promise((r) => setTimeout(r, 2000))]);
}

function killAllNow() {
  for (const child of children) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
process.on('exit', killAllNow);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    killAllNow();
    process.exit(130);
  });
}

/** Busy CPU time of the whole machine, in µs (Linux /proc/stat; NaN elsewhere): tells how much others ran meanwhile. */
function machineBusyUs() {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
    const [user, nice, system, , , , , steal] = line.trim().split(/\s+/).slice(1).map(Number);
    // irq/softirq left out: loopback traffic is processed there, on behalf of the point's own processes.
    return ((user + nice + system + steal) * 1e6) / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

let cpuSeq = 0;
async function serverCpu(server) {
  const seq = ++cpuSeq;
  const reply = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not report its CPU')), 5000);
    const onMessage = (msg) => {
      if (msg.type === 'cpu' && msg.seq === seq) {
        clearTimeout(timer);
        server.off('message', onMessage);
        resolve(msg.usage.user + msg.usage.system);
      }
    };
    server.on('message', onMessage);
  });
  server.send({ type: 'cpu', seq });
  return reply;
}

/** Before a point, wait (at most maxS seconds) until others use under 0.2 of a core over 250 ms. */
async function waitForIdle(maxS) {
  const end = Date.now() + maxS * 1000;
  while (Date.now() < end) {
    const b0 = machineBusyUs();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 250));
    const others = (machineBusyUs() - b0) / ((performance.now() - t0) * 1000);
    if (!(others >= 0.2)) return true;
  }
  return false;
}

/** One point: fresh provider process(es), a fresh client process, one measured window. */
async function runPoint(config, series) {
  const tag = `${config.key}-p${series.providers}`;
  const lifetimeMs = Math.max(60000, opts.warmupMs + opts.measureMs + 60000);
  const servers = [];
  let client;
  try {
    for (let i = 0; i < series.providers; i++) {
      servers.push(spawnWorker('server', series.system, { index: i, tag }, lifetimeMs));
    }
    const ready = await Promise.all(servers.map((s) => nextMessage(s, 'ready', 30000, `${series.system} server`)));
    const ports = ready.map((m) => m.port);
    client = spawnWorker(
      'client',
      series.system,
      {
        ports,
        workload: config.workload,
        concurrency: config.concurrency,
        warmupMs: opts.warmupMs,
        measureMs: opts.measureMs,
        tag,
      },
      lifetimeMs,
    );
    const marks = [];
    const busy = [];
    client.on('message', (msg) => {
      if (msg.type === 'mark') {
        busy.push(machineBusyUs());
        marks.push(Promise.all(servers.map(serverCpu)));
      }
    });
    const result = await nextMessage(
      client,
      'result',
      opts.warmupMs + opts.measureMs + 45000,
      `${series.system} client`,
    );
    const [cpuStart, cpuEnd] = await Promise.all(marks);
    if (!cpuStart || !cpuEnd) throw new Error('missing CPU marks');
    const serverCpuUs = cpuEnd.reduce((sum, v, i) => sum + (v - cpuStart[i]), 0);
    const callsPerSec = result.calls / (result.elapsedMs / 1000);
    // Cores' worth of CPU used by processes other than this point's during the window: noise from a shared machine.
    const otherCores = (busy[1] - busy[0] - result.clientCpuUs - serverCpuUs) / (result.elapsedMs * 1000);
    return {
      callsPerSec,
      mibPerSec: config.workload === 'bytes' ? (callsPerSec * BYTES_SIZE) / 1048576 : undefined,
      p50Us: result.latency.p50Us,
      p99Us: result.latency.p99Us,
      meanUs: result.latency.meanUs,
      cpuUsPerCall: result.calls ? (result.clientCpuUs + serverCpuUs) / result.calls : NaN,
      clientCpuUsPerCall: result.calls ? result.clientCpuUs / result.calls : NaN,
      serverCpuUsPerCall: result.calls ? serverCpuUs / result.calls : NaN,
      otherCores: Number.isFinite(otherCores) ? Math.max(0, otherCores) : undefined,
      calls: result.calls,
      errors: result.errors,
      lastError: result.lastError || undefined,
    };
  } finally {
    if (client) {
      // The client exits by itself after its result (writing its profile with --cpu-prof); give it 3 s.
      await Promise.race([client.exited, new Promise((r) => setTimeout(r, 3000))]);
      await stopChild(client, false);
    }
    await Promise.all(servers.map((s) => stopChild(s, true)));
  }
}

// ---- statistics and report ----------------------------------------------------------------------------------------
const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function summarize(runs) {
  const ok = runs.filter((r) => !r.error);
  const pick = (k) => ok.map((r) => r[k]);
  const cps = pick('callsPerSec');
  return {
    ok: ok.length,
    failed: runs.length - ok.length,
    callsPerSec: median(cps),
    callsPerSecMin: cps.length ? Math.min(...cps) : NaN,
    callsPerSecMax: cps.length ? Math.max(...cps) : NaN,
    mibPerSec: median(pick('mibPerSec')),
    p50Us: median(pick('p50Us')),
    p99Us: median(pick('p99Us')),
    cpuUsPerCall: median(pick('cpuUsPerCall')),
    clientCpuUsPerCall: median(pick('clientCpuUsPerCall')),
    serverCpuUsPerCall: median(pick('serverCpuUsPerCall')),
    otherCoresMax: Math.max(0, ...pick('otherCores').filter((x) => Number.isFinite(x))),
    errors: runs.reduce((n, r) => n + (r.errors || 0), 0),
    failures: runs.filter((r) => r.error).map((r) => r.error),
  };
}

const fmtInt = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const fmtK = (x) =>
  Number.isFinite(x) ? (x >= 10000 ? `${(x / 1000).toFixed(1)}k` : Math.round(x).toLocaleString('en-US')) : '–';
const fmt1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const fmtRatio = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '–');
const fmtUs = (x) => (Number.isFinite(x) ? (x >= 1000 ? `${(x / 1000).toFixed(2)} ms` : `${Math.round(x)} µs`) : '–');

function report(meta, configs, table) {
  const lines = [];
  lines.push(`# Courier benchmark — ${meta.mode} pass, ${meta.date}`);
  lines.push('');
  lines.push(
    `Machine: ${meta.machine.cpus}× ${meta.machine.cpuModel}, ${meta.machine.memGiB} GiB, ${meta.machine.platform}; Node ${meta.node}. ` +
      `Commit ${meta.commit}. ${meta.reps} repetition(s) per point, ${meta.warmupMs} ms warm-up + ${meta.measureMs} ms measured, ` +
      `fresh server and client processes per point, points interleaved across systems.`,
  );
  lines.push('');
  lines.push(
    'calls/s: median (min–max over repetitions). Latency: per call, from the client, median over repetitions. ' +
      'CPU: client + server(s) process CPU time (user + system) per call. ×raw / ×Moleculer: ratio of calls/s medians in this run.',
  );
  for (const note of meta.notes) lines.push('', `> ${note}`);
  for (const c of configs) {
    lines.push('', `## ${WORKLOADS[c.workload].label}, ${c.concurrency} in flight (\`${c.key}\`)`, '');
    const bytes = c.workload === 'bytes';
    lines.push(`| system | calls/s | ${bytes ? 'MiB/s each way | ' : ''}p50 | p99 | CPU µs/call | ×raw | ×Moleculer |`);
    lines.push(`|---|---:|${bytes ? '---:|' : ''}---:|---:|---:|---:|---:|`);
    const raw = table[c.key].raw;
    const mol = table[c.key].moleculer;
    for (const s of c.series) {
      const r = table[c.key][seriesName(s)];
      if (!r) continue;
      if (r.ok === 0) {
        lines.push(
          `| ${seriesLabel(s)} | failed: ${String(r.failures[0] || '')
            .split('\n')[0]
            .slice(0, 80)} |${bytes ? ' |' : ''} | | | | |`,
        );
        continue;
      }
      const spread = meta.reps > 1 ? ` (${fmtK(r.callsPerSecMin)}–${fmtK(r.callsPerSecMax)})` : '';
      lines.push(
        `| ${seriesLabel(s)} | ${fmtK(r.callsPerSec)}${spread} | ${bytes ? `${fmt1(r.mibPerSec)} | ` : ''}${fmtUs(r.p50Us)} | ${fmtUs(r.p99Us)} | ` +
          `${fmt1(r.cpuUsPerCall)} | ${raw ? fmtRatio(r.callsPerSec / raw.callsPerSec) : '–'} | ${mol ? fmtRatio(r.callsPerSec / mol.callsPerSec) : '–'} |` +
          (r.errors ? ` ${r.errors} errors` : ''),
      );
    }
  }
  const disturbed = [];
  for (const c of configs) {
    for (const s of c.series) {
      const r = table[c.key][seriesName(s)];
      if (r && r.otherCoresMax > 0.25) disturbed.push(`${c.key} ${seriesName(s)} (${r.otherCoresMax.toFixed(2)})`);
    }
  }
  lines.push(
    '',
    disturbed.length
      ? `CPU used outside the point's own processes (other processes, and kernel threads such as ksoftirqd carrying ` +
          `loopback traffic) exceeded 0.25 of a core during: ${disturbed.join(', ')} — compare those figures with care.`
      : 'No measured window saw more than 0.25 of a core used outside the point’s own processes.',
  );
  // Issue 6 goals, computed from this run.
  const get = (key, name) => table[key] && table[key][name];
  const goals = [];
  const ratio = (key, a, b, field) => {
    const x = get(key, a);
    const y = get(key, b);
    return x && y ? x[field] / y[field] : NaN;
  };
  const goal = (text, key, value, target, better) => {
    const ok = Number.isFinite(value) ? (better === 'higher' ? value >= target : value <= target) : null;
    // CPU per call is far less sensitive to a busy machine than calls/s: shown next to every goal.
    const cpu = ratio(key, 'courier', 'raw', 'cpuUsPerCall');
    goals.push(
      `| ${text} | ${Number.isFinite(value) ? value.toFixed(2) + '×' : 'n/a'} | ${better === 'higher' ? '≥' : '≤'} ${target}× | ${ok === null ? 'not measured' : ok ? 'met' : 'NOT met'} | ${fmtRatio(cpu)} |`,
    );
  };
  goal(
    'add, 128 in flight: Courier calls/s vs raw',
    'add@128',
    ratio('add@128', 'courier', 'raw', 'callsPerSec'),
    0.7,
    'higher',
  );
  goal(
    'add, 128 in flight: Courier vs Moleculer',
    'add@128',
    ratio('add@128', 'courier', 'moleculer', 'callsPerSec'),
    3,
    'higher',
  );
  goal(
    '1 KiB object, 128 in flight: Courier vs raw',
    'obj@128',
    ratio('obj@128', 'courier', 'raw', 'callsPerSec'),
    0.7,
    'higher',
  );
  goal('add, 1 in flight: Courier p50 vs raw p50', 'add@1', ratio('add@1', 'courier', 'raw', 'p50Us'), 1.15, 'lower');
  for (const key of ['obj@1', 'bytes@1']) {
    if (get(key, 'courier'))
      goal(`${key}: Courier p50 vs raw p50`, key, ratio(key, 'courier', 'raw', 'p50Us'), 1.15, 'lower');
  }
  for (const key of ['bytes@16', 'bytes@1', 'bytes@128']) {
    if (get(key, 'courier'))
      goal(`64 KiB (${key}): Courier bytes/s vs raw`, key, ratio(key, 'courier', 'raw', 'callsPerSec'), 0.8, 'higher');
  }
  lines.push(
    '',
    '## Issue 6 goals (ratios from this run)',
    '',
    '| goal | measured | target | status | Courier CPU/call ÷ raw |',
    '|---|---:|---:|---|---:|',
    ...goals,
  );
  return lines.join('\n') + '\n';
}

// ---- main ---------------------------------------------------------------------------------------------------------
async function main() {
  const configs = matrix();
  const total = configs.reduce((n, c) => n + c.series.length, 0) * opts.reps;
  const perPoint = (opts.warmupMs + opts.measureMs) / 1000 + 1.5;
  console.log(
    `Courier bench: ${opts.full ? 'full' : 'quick'} pass, ${total} points (${opts.reps} rep), ~${Math.round((total * perPoint) / 60)} min; ` +
      `systems: ${systems.join(', ')}`,
  );
  for (const note of notes) console.log(`note: ${note}`);
  if (opts.cpuProf) mkdirSync(profileDir, { recursive: true });

  const runs = {};
  let done = 0;
  for (let rep = 0; rep < opts.reps; rep++) {
    for (let ci = 0; ci < configs.length; ci++) {
      const c = configs[ci];
      const n = c.series.length;
      const shift = (rep + ci) % n; // no system is always first
      for (let k = 0; k < n; k++) {
        const s = c.series[(k + shift) % n];
        const name = seriesName(s);
        let r;
        try {
          if (opts.waitIdleS > 0 && !(await waitForIdle(opts.waitIdleS))) {
            console.log(`        (machine still busy after ${opts.waitIdleS} s; measuring anyway)`);
          }
          r = await runPoint(c, s);
        } catch (err) {
          r = { error: String((err && err.message) || err) };
        }
        ((runs[c.key] ??= {})[name] ??= []).push(r);
        done++;
        const line = r.error
          ? `FAILED: ${r.error.split('\n').slice(0, 3).join(' | ')}`
          : `${fmtInt(r.callsPerSec).padStart(9)} calls/s  p50 ${fmtUs(r.p50Us).padStart(8)}  p99 ${fmtUs(r.p99Us).padStart(8)}  cpu ${fmt1(r.cpuUsPerCall).padStart(6)} µs/call` +
            (r.mibPerSec !== undefined ? `  ${fmt1(r.mibPerSec)} MiB/s` : '') +
            (r.otherCores > 0.25 ? `  [others used ${r.otherCores.toFixed(2)} cores]` : '') +
            (r.errors ? `  ${r.errors} errors (${r.lastError})` : '');
        console.log(
          `[${String(done).padStart(3)}/${total}] rep ${rep + 1} ${c.key.padEnd(9)} ${name.padEnd(11)} ${line}`,
        );
      }
    }
  }

  const table = {};
  for (const c of configs) {
    table[c.key] = {};
    for (const s of c.series) {
      const name = seriesName(s);
      if (runs[c.key] && runs[c.key][name]) table[c.key][name] = summarize(runs[c.key][name]);
    }
  }
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'registry', 'decorators'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    if (dirty) commit += ' (+ uncommitted changes)';
  } catch {
    /* not a git checkout */
  }
  const cpus = os.cpus();
  const meta = {
    mode: opts.full ? 'full' : 'quick',
    date: new Date().toISOString(),
    node: process.version,
    commit,
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0] ? cpus[0].model.trim() : 'unknown',
      memGiB: Math.round(os.totalmem() / 2 ** 30),
      platform: `${os.platform()} ${os.release()}`,
    },
    reps: opts.reps,
    warmupMs: opts.warmupMs,
    measureMs: opts.measureMs,
    notes,
  };
  const md = report(meta, configs, table);
  const outDir = path.join(here, 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'latest.md'), md);
  writeFileSync(
    path.join(outDir, 'latest.json'),
    JSON.stringify(
      {
        meta,
        configs: configs.map((c) => ({
          key: c.key,
          workload: c.workload,
          concurrency: c.concurrency,
          series: c.series.map(seriesName),
        })),
        summary: table,
        runs,
      },
      null,
      2,
    ) + '\n',
  );
  console.log('\n' + md);
  console.log(
    `written: ${path.relative(root, path.join(outDir, 'latest.md'))}, ${path.relative(root, path.join(outDir, 'latest.json'))}`,
  );
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => {
    killAllNow();
  });
