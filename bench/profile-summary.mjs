#!/usr/bin/env node
/**
 * Self time by function from V8 .cpuprofile files (as written by `node bench/run.mjs --cpu-prof`):
 *   node bench/profile-summary.mjs bench/results/profiles/courier-server-*.cpuprofile [--top 30]
 * Several files are summed (e.g. every repetition of one point). Idle time is left out of the percentages.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
let top = 30;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--top') top = Number(args[++i]);
  else files.push(args[i]);
}
if (files.length === 0) {
  console.error('usage: node bench/profile-summary.mjs <file.cpuprofile>... [--top N]');
  process.exit(2);
}

const self = new Map();
const byArea = new Map();
let total = 0;
const area = (url, name) => {
  if (name.startsWith('(')) return name; // (garbage collector), (program), (idle)
  if (url.includes('/dist/src/') || url.includes('/src/')) return 'courier';
  const m = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (m) return m[1];
  if (url.startsWith('node:')) return 'node core';
  if (url.includes('/bench/')) return 'bench harness';
  return url ? 'other' : 'native/builtin';
};
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = new Map();
  // Self time per node from samples and their time deltas (µs).
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    dt.set(id, (dt.get(id) || 0) + (profile.timeDeltas[i] || 0));
  }
  for (const [id, us] of dt) {
    const n = byId.get(id);
    const { functionName, url, lineNumber } = n.callFrame;
    const name = functionName || '(anonymous)';
    if (name === '(idle)') continue;
    const where = url ? `${path.basename(url)}:${lineNumber + 1}` : '';
    const key = `${name} ${where}`.trim();
    self.set(key, (self.get(key) || 0) + us);
    const a = area(url, name);
    byArea.set(a, (byArea.get(a) || 0) + us);
    total += us;
  }
}
const pct = (us) => ((100 * us) / total).toFixed(1).padStart(5) + '%';
console.log(`${files.length} profile(s), ${(total / 1000).toFixed(0)} ms of non-idle samples\n`);
console.log('By area:');
for (const [a, us] of [...byArea].sort((x, y) => y[1] - x[1])) console.log(`  ${pct(us)}  ${a}`);
console.log(`\nTop ${top} functions by self time:`);
for (const [k, us] of [...self].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`  ${pct(us)}  ${k}`);
