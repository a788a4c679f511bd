/**
 * Cost of one LoadBalancer.select() per built-in balancer at 10, 100 and 1,000 providers (goal: consistenthash
 * under 1 µs at 1,000). A figure, not a test:  npx tsx bench/micro/load-balancer-pick.ts
 */
import { CONSUMER_ID } from '../../src/cluster/call-id';
import { CallStats } from '../../src/cluster/call-stats';
import { createLoadBalancer, loadBalancerNames } from '../../src/cluster/load-balancer-registry';
import type { ProviderInfo } from '../../src/common/provider-info';
import { declareCall } from '../../src/protocol/call-declaration';
import type { Invocation } from '../../src/rpc/invocation';
import { getSerializerByName } from '../../src/serialization/serializer-registry';

const SIZES = [10, 100, 1000];
const BUILT_INS = ['random', 'roundrobin', 'leastactive', 'shortestresponse', 'consistenthash'];
const MIN_MS = 300;

function providers(count: number): ProviderInfo[] {
  return Array.from({ length: count }, (_, i) => {
    const host = `10.0.${i >> 8}.${(i & 255) + 1}`;
    return {
      address: `${host}:20880`,
      host,
      port: 20880,
      service: 'com.acme.UserService',
      group: '',
      version: '1.0.0',
      weight: 100 + (i % 3) * 50, // unequal weights: the weighted path, not the uniform shortcut
      timestamp: 0,
      warmup: 600_000,
      enabled: true,
      serialization: 'msgpack',
      parameters: {},
      url: `courier://${host}:20880/com.acme.UserService`,
    };
  });
}

/** Every call below is getUser(number): one declaration, as a reference would make it. */
const DECLARED = declareCall({
  service: 'com.acme.UserService',
  group: '',
  version: '1.0.0',
  method: 'getUser',
  parameterTypes: ['number'],
  consumerId: CONSUMER_ID,
});
const SERIALIZER = getSerializerByName('msgpack');

/**
 * Realistic stats: a few calls in flight and some response history per provider. Response times are measured (the
 * cluster turns that on when a balancer reads them, shortestresponse), so shortestresponse scores real averages.
 */
function stats(list: readonly ProviderInfo[]): CallStats {
  const s = new CallStats({ measureResponseTimes: true });
  list.forEach((p, i) => {
    for (let k = 0; k < 4; k++) s.end(s.begin(p.address, DECLARED.label), true);
    for (let k = 0; k < i % 4; k++) s.begin(p.address, DECLARED.label);
  });
  return s;
}

/** Nanoseconds per select, keys varying (user ids), measured over at least MIN_MS after a warm-up. */
function measure(name: string, list: readonly ProviderInfo[]): number {
  const lb = createLoadBalancer(name);
  const s = stats(list);
  const calls: Invocation[] = Array.from({ length: 1024 }, (_, k) => ({
    service: 'com.acme.UserService',
    group: '',
    version: '1.0.0',
    method: 'getUser',
    args: [k * 7919],
    parameterTypes: DECLARED.parameterTypes,
    declared: DECLARED,
    callId: k + 1,
    deadline: Date.now() + 3000,
    oneWay: false,
    serializer: SERIALIZER,
    idempotent: false,
  }));
  let sink = 0;
  const run = (n: number) => {
    for (let i = 0; i < n; i++) sink += lb.select(list, calls[i & 1023] as Invocation, s, {}).port;
  };
  run(20_000); // warm-up: JIT, ring build, caches
  let iterations = 10_000;
  for (;;) {
    const start = process.hrtime.bigint();
    run(iterations);
    const ns = Number(process.hrtime.bigint() - start);
    if (ns >= MIN_MS * 1e6) {
      if (sink === -1) console.log(sink); // keep the loop's result alive
      return ns / iterations;
    }
    iterations *= 2;
  }
}

const names = [...BUILT_INS, ...loadBalancerNames().filter((n) => !BUILT_INS.includes(n))];
const rows = names.map((name) => [name, ...SIZES.map((n) => measure(name, providers(n)))] as const);

const header = ['balancer', ...SIZES.map((n) => `${n} providers`)];
const cells = rows.map(([name, ...ns]) => [
  name,
  ...ns.map((v) => (v < 1000 ? `${v.toFixed(0)} ns` : `${(v / 1000).toFixed(2)} µs`)),
]);
const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => String(c[i]).length)));
const line = (c: readonly string[]) =>
  c.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
console.log(`LoadBalancer.select() cost, node ${process.version}`);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const c of cells) console.log(line(c));
const hash1000 = rows.find(([name]) => name === 'consistenthash')?.[3] ?? Infinity;
console.log(
  `\nconsistenthash at 1,000 providers: ${hash1000.toFixed(0)} ns (goal < 1000 ns): ${hash1000 < 1000 ? 'met' : 'NOT met'}`,
);
