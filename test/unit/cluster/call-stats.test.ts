import { CallStats, methodKey } from '../../../src/cluster/call-stats';
import { SlidingWindowAverage } from '../../../src/cluster/sliding-window';

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

  it('averages the response times of successful calls only', () => {
    let clock = 0;
    const stats = new CallStats({ now: () => clock });
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

  it('keys methods as service#method', () => {
    expect(methodKey({ service: 'com.acme.S', method: 'get' })).toBe('com.acme.S#get');
  });
});
