import { Backoff } from '../../../src/transport/backoff';

describe('Backoff', () => {
  it('grows exponentially up to the cap, jitter within its share', () => {
    const noJitter = new Backoff({ initialMs: 100, maxMs: 1000, multiplier: 2, jitter: 0 });
    expect([1, 2, 3, 4, 5].map(() => noJitter.next())).toEqual([100, 200, 400, 800, 1000]);
    const lowest = new Backoff({ initialMs: 100, maxMs: 1000, multiplier: 2, jitter: 0.5 }, () => 0);
    const highest = new Backoff({ initialMs: 100, maxMs: 1000, multiplier: 2, jitter: 0.5 }, () => 0.999999);
    expect(lowest.next()).toBe(50);
    expect(highest.next()).toBe(100);
  });

  it('starts over after reset', () => {
    const backoff = new Backoff({ initialMs: 10, maxMs: 1000, multiplier: 3, jitter: 0 });
    backoff.next();
    backoff.next();
    expect(backoff.attempts).toBe(2);
    backoff.reset();
    expect(backoff.next()).toBe(10);
  });
});
