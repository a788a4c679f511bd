import { CallStats } from '../../../src/cluster/call-stats';
import { ShortestResponseLoadBalancer } from '../../../src/cluster/load-balancer-shortest-response';
import { invocation, provider, seededRandom, tally } from './fixtures';

const METHOD = 'com.acme.UserService#getUser';

/** Stats measuring response times on a fake clock, with `calls` finished calls of `elapsed` ms recorded for `address`. */
function recorder() {
  let clock = 0;
  const stats = new CallStats({ now: () => clock, measureResponseTimes: true });
  const record = (address: string, elapsed: number, calls = 1, method = METHOD) => {
    for (let i = 0; i < calls; i++) {
      const token = stats.begin(address, method);
      clock += elapsed;
      stats.end(token, true);
    }
  };
  return { stats, record, advance: (ms: number) => (clock += ms) };
}

describe('ShortestResponseLoadBalancer', () => {
  const list = [provider('10.0.0.1:20880'), provider('10.0.0.2:20880'), provider('10.0.0.3:20880')];

  it('says it reads response times, so the cluster has them measured', () => {
    expect(new ShortestResponseLoadBalancer().readsResponseTimes).toBe(true);
  });

  it('picks the provider with the lowest average response time', () => {
    const { stats, record } = recorder();
    record('10.0.0.1:20880', 30, 5);
    record('10.0.0.2:20880', 5, 5);
    record('10.0.0.3:20880', 12, 5);
    const lb = new ShortestResponseLoadBalancer({ random: seededRandom(1) });
    expect(lb.select(list, invocation(), stats, {}).address).toBe('10.0.0.2:20880');
  });

  it('weighs the average by the calls in flight (+1)', () => {
    const { stats, record } = recorder();
    record('10.0.0.1:20880', 10, 5);
    record('10.0.0.2:20880', 4, 5);
    record('10.0.0.3:20880', 12, 5);
    for (let i = 0; i < 2; i++) stats.begin('10.0.0.2:20880', METHOD); // 4 × 3 = 12 > 10 × 1
    const lb = new ShortestResponseLoadBalancer({ random: seededRandom(1) });
    expect(lb.select(list, invocation(), stats, {}).address).toBe('10.0.0.1:20880');
  });

  it('measures per method', () => {
    const { stats, record } = recorder();
    record('10.0.0.1:20880', 50, 3, 'com.acme.UserService#rename');
    record('10.0.0.1:20880', 1, 3);
    record('10.0.0.2:20880', 5, 3);
    record('10.0.0.3:20880', 5, 3);
    const lb = new ShortestResponseLoadBalancer({ random: seededRandom(1) });
    expect(lb.select(list, invocation(), stats, {}).address).toBe('10.0.0.1:20880');
    // keyed by the call's declared label, com.acme.UserService#rename
    expect(lb.select(list, invocation({ method: 'rename' }), stats, {}).address).not.toBe('10.0.0.1:20880');
  });

  it('forgets response times older than the window', () => {
    const { stats, record, advance } = recorder();
    record('10.0.0.1:20880', 100, 3);
    record('10.0.0.2:20880', 10, 3);
    record('10.0.0.3:20880', 10, 3);
    advance(11_000);
    record('10.0.0.2:20880', 10, 1);
    record('10.0.0.3:20880', 10, 1);
    const lb = new ShortestResponseLoadBalancer({ random: seededRandom(1) });
    // 10.0.0.1 has no recent history: it scores 0 and gets tried again.
    expect(lb.select(list, invocation(), stats, {}).address).toBe('10.0.0.1:20880');
  });

  it('breaks ties (no history at all) by weighted random', () => {
    const { stats } = recorder();
    const lb = new ShortestResponseLoadBalancer({ random: seededRandom(7) });
    const picks = tally(Array.from({ length: 30_000 }, () => lb.select(list, invocation(), stats, {})));
    for (const count of picks.values()) expect(Math.abs(count / 10_000 - 1)).toBeLessThan(0.05);
  });
});
