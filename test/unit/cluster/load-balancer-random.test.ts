import { CallStats } from '../../../src/cluster/call-stats';
import { RandomLoadBalancer } from '../../../src/cluster/load-balancer-random';
import { invocation, provider, seededRandom, tally } from './fixtures';

const PICKS = 100_000;
const stats = new CallStats();
const call = invocation();

function pickShares(lb: RandomLoadBalancer, list: ReturnType<typeof provider>[]): Map<string, number> {
  const counts = tally(Array.from({ length: PICKS }, () => lb.select(list, call, stats, {})));
  return new Map([...counts].map(([address, n]) => [address, n / PICKS]));
}

describe('RandomLoadBalancer', () => {
  it.each([1, 2, 3])('picks within ±3%% of the weights over 100k picks (seed %i)', (seed) => {
    const weights = [100, 200, 300, 400];
    const list = weights.map((weight, i) => provider(`10.0.0.${i + 1}:20880`, { weight }));
    const shares = pickShares(new RandomLoadBalancer({ random: seededRandom(seed) }), list);
    weights.forEach((weight, i) => {
      const expected = weight / 1000;
      expect(Math.abs((shares.get(`10.0.0.${i + 1}:20880`) ?? 0) / expected - 1)).toBeLessThan(0.03);
    });
  });

  it('spreads equal weights uniformly, with Math.random too', () => {
    const list = Array.from({ length: 5 }, (_, i) => provider(`10.0.0.${i + 1}:20880`));
    const shares = pickShares(new RandomLoadBalancer(), list);
    for (const share of shares.values()) expect(Math.abs(share / 0.2 - 1)).toBeLessThan(0.03);
  });

  it('never picks a provider of weight 0 while another has weight', () => {
    const list = [provider('10.0.0.1:20880', { weight: 0 }), provider('10.0.0.2:20880')];
    expect(pickShares(new RandomLoadBalancer({ random: seededRandom(9) }), list).get('10.0.0.1:20880')).toBeUndefined();
  });

  it('gives a warming-up provider its reduced weight', () => {
    const now = 1_700_000_000_000;
    const list = [
      provider('10.0.0.1:20880', { timestamp: now - 60_000, warmup: 600_000 }), // weight 10
      provider('10.0.0.2:20880', { timestamp: now - 3_600_000, warmup: 600_000 }), // weight 100
    ];
    const shares = pickShares(new RandomLoadBalancer({ random: seededRandom(4), now: () => now }), list);
    expect(Math.abs((shares.get('10.0.0.1:20880') ?? 0) / (10 / 110) - 1)).toBeLessThan(0.03);
  });

  it('follows the warm-up as time passes on the same provider array', () => {
    let now = 1_700_000_000_000;
    const list = [provider('10.0.0.1:20880', { timestamp: now, warmup: 600_000 }), provider('10.0.0.2:20880')];
    const lb = new RandomLoadBalancer({ random: seededRandom(5), now: () => now });
    const early = pickShares(lb, list).get('10.0.0.1:20880') ?? 0;
    now += 600_000;
    const late = pickShares(lb, list).get('10.0.0.1:20880') ?? 0;
    expect(early).toBeLessThan(0.01);
    expect(Math.abs(late - 0.5)).toBeLessThan(0.015);
  });
});
