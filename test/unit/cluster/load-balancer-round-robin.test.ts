import { CallStats } from '../../../src/cluster/call-stats';
import { RoundRobinLoadBalancer } from '../../../src/cluster/load-balancer-round-robin';
import { invocation, provider, tally } from './fixtures';

const stats = new CallStats();

describe('RoundRobinLoadBalancer', () => {
  const a = provider('10.0.0.1:20880', { weight: 5 });
  const b = provider('10.0.0.2:20880', { weight: 1 });
  const c = provider('10.0.0.3:20880', { weight: 1 });
  const name = new Map([
    [a.address, 'a'],
    [b.address, 'b'],
    [c.address, 'c'],
  ]);
  const sequence = (lb: RoundRobinLoadBalancer, list = [a, b, c], method = 'getUser', n = 7) =>
    Array.from({ length: n }, () => name.get(lb.select(list, invocation({ method }), stats, {}).address)).join(' ');

  it('is smooth: weights 5,1,1 give a a b a c a a, again and again', () => {
    const lb = new RoundRobinLoadBalancer();
    expect(sequence(lb)).toBe('a a b a c a a');
    expect(sequence(lb)).toBe('a a b a c a a');
  });

  it('keeps one rotation per method', () => {
    const lb = new RoundRobinLoadBalancer();
    expect(sequence(lb, [a, b, c], 'getUser', 3)).toBe('a a b');
    expect(sequence(lb, [a, b, c], 'rename', 7)).toBe('a a b a c a a');
    expect(sequence(lb, [a, b, c], 'getUser', 4)).toBe('a c a a');
  });

  it('treats "__proto__" and "constructor" as ordinary method names', () => {
    const lb = new RoundRobinLoadBalancer();
    expect(sequence(lb, [a, b, c], '__proto__')).toBe('a a b a c a a');
    expect(sequence(lb, [a, b, c], 'constructor')).toBe('a a b a c a a');
  });

  it('picks in proportion to weights and adapts when the provider set changes', () => {
    const lb = new RoundRobinLoadBalancer();
    sequence(lb, [a, b, c], 'getUser', 3);
    const d = provider('10.0.0.4:20880', { weight: 3 });
    const counts = tally(Array.from({ length: 900 }, () => lb.select([a, b, d], invocation(), stats, {})));
    expect(counts.get(a.address)).toBe(500);
    expect(counts.get(b.address)).toBe(100);
    expect(counts.get(d.address)).toBe(300);
  });

  it('drops the rotation of a method unused for a minute', () => {
    let now = 1_000_000;
    const lb = new RoundRobinLoadBalancer({ now: () => now });
    expect(sequence(lb, [a, b, c], 'old', 2)).toBe('a a');
    now += 61_000;
    sequence(lb, [a, b, c], 'fresh', 1); // triggers the sweep
    expect(sequence(lb, [a, b, c], 'old', 2)).toBe('a a'); // restarted, not continued ('b a')
  });
});

describe('RoundRobinLoadBalancer with subsets', () => {
  it('rotates a subset (a retry, an outlier set aside) within the same state, leaving the others’ turns intact', () => {
    const lb = new RoundRobinLoadBalancer();
    const list = [provider('10.0.0.1:1'), provider('10.0.0.2:1'), provider('10.0.0.3:1')];
    const pick = (l = list) => lb.select(l, invocation(), stats, {}).address;
    expect([pick(), pick()]).toEqual(['10.0.0.1:1', '10.0.0.2:1']);
    const withoutThird = list.slice(0, 2);
    expect([pick(withoutThird), pick(withoutThird)]).toEqual(['10.0.0.1:1', '10.0.0.2:1']);
    expect(pick()).toBe('10.0.0.3:1'); // its turn was kept
    const counts = tally(Array.from({ length: 300 }, () => lb.select(list, invocation(), stats, {})));
    expect([...counts.values()]).toEqual([100, 100, 100]);
  });
});
