import { CallStats } from '../../../src/cluster/call-stats';
import { ConsistentHashLoadBalancer } from '../../../src/cluster/load-balancer-consistent-hash';
import type { ProviderInfo } from '../../../src/common/provider-info';
import { invocation, provider, providers } from './fixtures';

const KEYS = 10_000;
const stats = new CallStats();

/** Where each of the 10k keys 'user-0'... goes. */
function placement(lb: ConsistentHashLoadBalancer, list: readonly ProviderInfo[]): string[] {
  return Array.from(
    { length: KEYS },
    (_, k) => lb.select(list, invocation({ args: [`user-${k}`] }), stats, {}).address,
  );
}

function moved(before: string[], after: string[]): number {
  return before.filter((address, k) => address !== after[k]).length / before.length;
}

describe('ConsistentHashLoadBalancer', () => {
  const ten = providers(10);

  it('sends the same key to the same provider: every time, from any instance, whatever the array order', () => {
    const first = placement(new ConsistentHashLoadBalancer(), ten);
    const again = new ConsistentHashLoadBalancer();
    expect(placement(again, ten)).toEqual(first);
    expect(placement(again, ten)).toEqual(first);
    expect(placement(new ConsistentHashLoadBalancer(), [...ten].reverse())).toEqual(first);
  });

  it('spreads keys evenly: max/min load across 10 providers ≤ 1.3', () => {
    const loads = [...countBy(placement(new ConsistentHashLoadBalancer(), ten)).values()];
    expect(loads).toHaveLength(10);
    expect(Math.max(...loads) / Math.min(...loads)).toBeLessThanOrEqual(1.3);
  });

  it.each([5, 10, 20])('moves ≤ 1.3/N of the keys, only the removed one’s, when one of %i providers leaves', (n) => {
    const list = providers(n);
    const lb = new ConsistentHashLoadBalancer();
    const before = placement(lb, list);
    const gone = (list[3] as ProviderInfo).address;
    const after = placement(
      lb,
      list.filter((p) => p.address !== gone),
    );
    expect(moved(before, after)).toBeLessThanOrEqual(1.3 / n);
    before.forEach((address, k) => {
      if (address !== gone) expect(after[k]).toBe(address);
    });
  });

  it.each([5, 10, 20])('moves ≤ 1.3/(N+1) of the keys, only to the newcomer, when a provider joins %i', (n) => {
    const list = providers(n);
    const lb = new ConsistentHashLoadBalancer();
    const before = placement(lb, list);
    const newcomer = provider('10.0.9.9:20880');
    const after = placement(lb, [...list, newcomer]);
    expect(moved(before, after)).toBeLessThanOrEqual(1.3 / (n + 1));
    after.forEach((address, k) => {
      if (address !== before[k]) expect(address).toBe(newcomer.address);
    });
  });

  it('serves a subset exactly as a ring built for that subset would', () => {
    const lb = new ConsistentHashLoadBalancer();
    placement(lb, ten); // the ring of all ten is cached
    const subset = ten.filter((_, i) => i % 3 !== 0);
    expect(placement(lb, subset)).toEqual(placement(new ConsistentHashLoadBalancer(), subset));
  });

  it('builds one ring per service and rebuilds it only when a provider appears that it lacks', () => {
    const lb = new ConsistentHashLoadBalancer();
    const rings = (lb as unknown as { rings: Map<string, unknown> }).rings;
    lb.select(ten, invocation(), stats, {});
    const ring = [...rings.values()][0];
    lb.select([...ten], invocation({ method: 'rename' }), stats, {}); // new array, same set, other method
    lb.select(ten.slice(1), invocation(), stats, {}); // a subset
    expect(rings.size).toBe(1);
    expect([...rings.values()][0]).toBe(ring);
    lb.select([...ten, provider('10.0.9.9:20880')], invocation(), stats, {});
    expect([...rings.values()][0]).not.toBe(ring);
    lb.select([...ten], invocation({ service: 'com.acme.Other' }), stats, {});
    expect(rings.size).toBe(2);
  });

  it('keys on the chosen arguments’ values (hashArguments), never on identity', () => {
    const lb = new ConsistentHashLoadBalancer();
    const pick = (args: unknown[], hashArguments?: number[]) =>
      lb.select(ten, invocation({ args }), stats, hashArguments === undefined ? {} : { hashArguments }).address;
    const target = pick([{ id: 7, region: 'eu' }]);
    for (let i = 0; i < 20; i++) expect(pick([{ region: 'eu', id: 7 }, Math.random()])).toBe(target);
    // Key on the second argument only: the first can change freely.
    const bySecond = pick(['a', 'tenant-9'], [1]);
    for (let i = 0; i < 20; i++) expect(pick([`noise-${i}`, 'tenant-9'], [1])).toBe(bySecond);
    // ... and different keys do reach different providers.
    expect(new Set(Array.from({ length: 100 }, (_, i) => pick([i]))).size).toBe(10);
  });

  it('honours a virtual-node count per method', () => {
    const lb = new ConsistentHashLoadBalancer();
    const few = Array.from(
      { length: 500 },
      (_, k) => lb.select(ten, invocation({ args: [k] }), stats, { virtualNodes: 1 }).address,
    );
    const many = Array.from({ length: 500 }, (_, k) => lb.select(ten, invocation({ args: [k] }), stats, {}).address);
    expect(few).not.toEqual(many);
  });
});

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}
