import { CallStats } from '../../../src/cluster/call-stats';
import { LeastActiveLoadBalancer } from '../../../src/cluster/load-balancer-least-active';
import { ShortestResponseLoadBalancer } from '../../../src/cluster/load-balancer-shortest-response';
import { SlidingWindowAverage } from '../../../src/cluster/sliding-window';
import { delay, harness } from './cluster-harness';
import { invocation } from './fixtures';

describe('SlidingWindowAverage', () => {
  it('averages the values of the last window and forgets older slices', () => {
    const window = new SlidingWindowAverage(10_000, 10);
    window.add(10, 0);
    window.add(30, 500);
    expect(window.average(900)).toBe(20);
    window.add(50, 5_000);
    expect(window.average(5_000)).toBe(30);
    expect(window.average(10_500)).toBe(50); // the slice [0, 1000) fell out
    expect(window.size(15_999)).toBe(0);
    expect(window.average(15_999)).toBe(0);
  });

  it('survives a clock that steps back and long idle gaps', () => {
    const window = new SlidingWindowAverage(1_000, 4);
    window.add(4, 1_000);
    window.add(8, 900);
    expect(window.average(1_000)).toBe(6);
    expect(window.average(1_000_000)).toBe(0);
    window.add(2, 1_000_001);
    expect(window.average(1_000_001)).toBe(2);
  });
});

describe('CallStats', () => {
  it('counts calls in flight per address and per address + method', () => {
    const stats = new CallStats();
    const a = stats.begin('10.0.0.1:1', 'S#get');
    stats.begin('10.0.0.1:1', 'S#put');
    expect(stats.active('10.0.0.1:1')).toBe(2);
    expect(stats.active('10.0.0.1:1', 'S#get')).toBe(1);
    expect(stats.active('10.0.0.2:1')).toBe(0);
    stats.end(a, true);
    expect(stats.active('10.0.0.1:1')).toBe(1);
    expect(stats.active('10.0.0.1:1', 'S#get')).toBe(0);
  });

  it('averages the response times of successful calls only, when measuring them', () => {
    let clock = 0;
    const stats = new CallStats({ now: () => clock, measureResponseTimes: true });
    const slow = stats.begin('a:1', 'S#get');
    clock = 40;
    stats.end(slow, true);
    const fast = stats.begin('a:1', 'S#get');
    clock = 60;
    stats.end(fast, true);
    const failed = stats.begin('a:1', 'S#get');
    clock = 61;
    stats.end(failed, false);
    expect(stats.averageResponseTime('a:1', 'S#get')).toBe(30);
    expect(stats.averageResponseTime('a:1')).toBe(30);
    expect(stats.failures('a:1', 'S#get')).toBe(1);
    expect(stats.averageResponseTime('a:1', 'S#put')).toBe(0);
  });

  it('forgets an address; its outstanding tokens still end without harm', () => {
    const stats = new CallStats();
    const token = stats.begin('a:1', 'S#get');
    stats.forget('a:1');
    expect(stats.active('a:1')).toBe(0);
    expect(() => stats.end(token, true)).not.toThrow();
  });

  it('measures no response time by default: counts only, and the clock is never read', () => {
    let clock = 0;
    const now = jest.fn(() => clock);
    const stats = new CallStats({ now });
    const token = stats.begin('a:1', 'S#get');
    expect(stats.active('a:1', 'S#get')).toBe(1);
    clock = 40;
    stats.end(token, true);
    stats.end(stats.begin('a:1', 'S#get'), false);
    expect(now).not.toHaveBeenCalled();
    expect(stats.active('a:1')).toBe(0);
    expect(stats.failures('a:1', 'S#get')).toBe(1);
    expect(stats.averageResponseTime('a:1', 'S#get', clock)).toBe(0);
  });

  it('measures from measureResponseTimes() on; calls begun before it are not timed', () => {
    let clock = 0;
    const stats = new CallStats({ now: () => clock });
    const before = stats.begin('a:1', 'S#get');
    stats.measureResponseTimes();
    const after = stats.begin('a:1', 'S#get');
    clock = 10;
    stats.end(before, true);
    expect(stats.averageResponseTime('a:1', 'S#get')).toBe(0);
    expect(stats.active('a:1', 'S#get')).toBe(1);
    stats.end(after, true);
    expect(stats.averageResponseTime('a:1', 'S#get')).toBe(10);
    expect(stats.active('a:1')).toBe(0);
  });
});

describe('CallStats in the cluster', () => {
  const A = '10.0.0.1:20880';
  const LABEL = 'com.acme.UserService#getUser';
  /** A cluster whose provider takes 7 ms of a fake clock per call. */
  function timed(context: Parameters<typeof harness>[3]) {
    let clock = 0;
    const stats = new CallStats({ now: () => clock });
    return harness('failfast', 1, { [A]: () => ((clock += 7), 'ok') }, { ...context, stats });
  }

  it('keys a call by its declared label (service#method) around each attempt', async () => {
    const h = harness('failfast', 1, { [A]: () => delay(5, 'late') });
    const pending = h.invoker.invoke(invocation());
    expect(h.stats.active(A, LABEL)).toBe(1);
    expect(h.stats.active(A, 'getUser')).toBe(0);
    await pending;
    expect(h.stats.active(A, LABEL)).toBe(0);
    const failing = harness('failfast', 1, { [A]: () => Promise.reject(new Error('down')) });
    await failing.invoker.invoke(invocation({ method: 'rename' })).catch(() => undefined);
    expect(failing.stats.failures(A, 'com.acme.UserService#rename')).toBe(1);
    expect(failing.stats.failures(A, LABEL)).toBe(0);
  });

  it('is not asked to measure response times when no balancer reads them', async () => {
    const h = timed({ loadBalancer: new LeastActiveLoadBalancer() });
    await h.invoker.invoke(invocation());
    expect(h.stats.averageResponseTime(A, LABEL, 7)).toBe(0);
  });

  it('measures response times once a balancer reads them, the reference’s or a method’s', async () => {
    const byReference = timed({ loadBalancer: new ShortestResponseLoadBalancer() });
    await byReference.invoker.invoke(invocation());
    expect(byReference.stats.averageResponseTime(A, LABEL, 7)).toBe(7);

    const byMethod = timed({ methods: { rename: { loadBalancer: new ShortestResponseLoadBalancer() } } });
    await byMethod.invoker.invoke(invocation());
    expect(byMethod.stats.averageResponseTime(A, LABEL, 7)).toBe(7);
  });
});
