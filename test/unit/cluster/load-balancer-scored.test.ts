import { CallStats } from '../../../src/cluster/call-stats';
import { ScoredLoadBalancer } from '../../../src/cluster/load-balancer-scored';
import type { LoadBalancerOptions } from '../../../src/cluster/load-balancer';
import type { Invocation } from '../../../src/rpc/invocation';
import { invocation, provider, seededRandom, tally } from './fixtures';

/** Scores each address from a map (missing = 0) and records what the base class asked. */
class MapScored extends ScoredLoadBalancer {
  readonly prepared: string[] = [];
  readonly scored: string[] = [];

  constructor(
    readonly byAddress: Map<string, number>,
    options?: LoadBalancerOptions,
  ) {
    super(options);
  }

  protected override prepare(call: Invocation): void {
    this.prepared.push(call.method);
  }

  protected override score(address: string): number {
    this.scored.push(address);
    return this.byAddress.get(address) ?? 0;
  }
}

const stats = new CallStats();
const call = invocation();
const list = Array.from({ length: 4 }, (_, i) => provider(`10.0.0.${i + 1}:20880`));

describe('ScoredLoadBalancer', () => {
  it('picks the provider with the lowest score', () => {
    const lb = new MapScored(
      new Map([
        ['10.0.0.1:20880', 3],
        ['10.0.0.2:20880', 1],
        ['10.0.0.3:20880', 2],
        ['10.0.0.4:20880', 5],
      ]),
    );
    for (let i = 0; i < 20; i++) expect(lb.select(list, call, stats, {}).address).toBe('10.0.0.2:20880');
  });

  it('prepares once per pick, then scores every provider in order', () => {
    const lb = new MapScored(new Map());
    lb.select(list, invocation({ method: 'findUsers' }), stats, {});
    expect(lb.prepared).toEqual(['findUsers']);
    expect(lb.scored).toEqual(list.map((p) => p.address));
  });

  it('returns a lone provider without scoring it', () => {
    const lb = new MapScored(new Map());
    const only = provider('10.0.0.9:20880');
    expect(lb.select([only], call, stats, {})).toBe(only);
    expect(lb.prepared).toEqual([]);
    expect(lb.scored).toEqual([]);
  });

  it('breaks ties by weight, never picking a worse score', () => {
    const weighted = [
      provider('10.0.0.1:20880', { weight: 100 }),
      provider('10.0.0.2:20880', { weight: 300 }),
      provider('10.0.0.3:20880', { weight: 900 }),
    ];
    const lb = new MapScored(new Map([['10.0.0.3:20880', 1]]), { random: seededRandom(7) });
    const counts = tally(Array.from({ length: 40_000 }, () => lb.select(weighted, call, stats, {})));
    expect(counts.get('10.0.0.3:20880')).toBeUndefined();
    expect(Math.abs((counts.get('10.0.0.2:20880') ?? 0) / 30_000 - 1)).toBeLessThan(0.03);
  });

  it('uses the warmed-up weight for ties, read from its clock', () => {
    const now = 1_700_000_000_000;
    const warming = [
      provider('10.0.0.1:20880', { timestamp: now - 60_000, warmup: 600_000 }), // weight 10
      provider('10.0.0.2:20880', { timestamp: now - 3_600_000, warmup: 600_000 }), // weight 100
    ];
    const lb = new MapScored(new Map(), { random: () => 10 / 110 - 0.001, now: () => now });
    expect(lb.select(warming, call, stats, {}).address).toBe('10.0.0.1:20880');
    const lb2 = new MapScored(new Map(), { random: () => 10 / 110 + 0.001, now: () => now });
    expect(lb2.select(warming, call, stats, {}).address).toBe('10.0.0.2:20880');
  });

  it('handles more providers than its initial score buffer', () => {
    const many = Array.from({ length: 40 }, (_, i) => provider(`10.0.1.${i + 1}:20880`));
    const lb = new MapScored(new Map(many.map((p, i) => [p.address, i === 37 ? -1 : i])));
    expect(lb.select(many, call, stats, {}).address).toBe('10.0.1.38:20880');
    const small = new MapScored(new Map([['10.0.0.4:20880', -1]]));
    small.select(many, call, stats, {});
    expect(small.select(list, call, stats, {}).address).toBe('10.0.0.4:20880');
  });
});
