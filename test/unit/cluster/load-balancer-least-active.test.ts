import { CallStats } from '../../../src/cluster/call-stats';
import { LeastActiveLoadBalancer } from '../../../src/cluster/load-balancer-least-active';
import { invocation, provider, seededRandom, tally } from './fixtures';

function inFlight(stats: CallStats, address: string, calls: number): void {
  for (let i = 0; i < calls; i++) stats.begin(address, 'com.acme.UserService#getUser');
}

describe('LeastActiveLoadBalancer', () => {
  const list = [provider('10.0.0.1:20880'), provider('10.0.0.2:20880'), provider('10.0.0.3:20880')];

  it('picks the provider with the fewest calls in flight', () => {
    const stats = new CallStats();
    inFlight(stats, '10.0.0.1:20880', 5);
    inFlight(stats, '10.0.0.2:20880', 1);
    inFlight(stats, '10.0.0.3:20880', 3);
    const lb = new LeastActiveLoadBalancer({ random: seededRandom(1) });
    for (let i = 0; i < 100; i++) expect(lb.select(list, invocation(), stats, {}).address).toBe('10.0.0.2:20880');
  });

  it('counts every method of a provider: its load is their sum', () => {
    const stats = new CallStats();
    inFlight(stats, '10.0.0.1:20880', 2);
    stats.begin('10.0.0.2:20880', 'com.acme.UserService#rename');
    stats.begin('10.0.0.2:20880', 'com.acme.UserService#rename');
    stats.begin('10.0.0.2:20880', 'com.acme.UserService#rename');
    inFlight(stats, '10.0.0.3:20880', 2);
    const picks = tally(
      Array.from({ length: 1000 }, () => new LeastActiveLoadBalancer().select(list, invocation(), stats, {})),
    );
    expect(picks.get('10.0.0.2:20880')).toBeUndefined();
  });

  it('breaks ties by weight', () => {
    const stats = new CallStats();
    const weighted = [
      provider('10.0.0.1:20880', { weight: 100 }),
      provider('10.0.0.2:20880', { weight: 300 }),
      provider('10.0.0.3:20880', { weight: 900 }),
    ];
    inFlight(stats, '10.0.0.3:20880', 1);
    const lb = new LeastActiveLoadBalancer({ random: seededRandom(2) });
    const picks = tally(Array.from({ length: 40_000 }, () => lb.select(weighted, invocation(), stats, {})));
    expect(picks.get('10.0.0.3:20880')).toBeUndefined();
    expect(Math.abs((picks.get('10.0.0.2:20880') ?? 0) / 30_000 - 1)).toBeLessThan(0.03);
  });

  it('follows the counts as calls end', () => {
    const stats = new CallStats();
    const token = stats.begin('10.0.0.1:20880', 'm');
    inFlight(stats, '10.0.0.2:20880', 1);
    inFlight(stats, '10.0.0.3:20880', 1);
    stats.begin('10.0.0.1:20880', 'm');
    const lb = new LeastActiveLoadBalancer({ random: seededRandom(3) });
    expect(lb.select(list, invocation(), stats, {}).address).not.toBe('10.0.0.1:20880');
    stats.end(token, true);
    inFlight(stats, '10.0.0.2:20880', 1);
    inFlight(stats, '10.0.0.3:20880', 1);
    expect(lb.select(list, invocation(), stats, {}).address).toBe('10.0.0.1:20880');
  });
});
