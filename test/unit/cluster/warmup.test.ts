import { warmupEndsAt, warmupWeight } from '../../../src/cluster/warmup';
import { provider } from './fixtures';

const NOW = 1_700_000_000_000;
const WARMUP = 600_000;

describe('warmupWeight', () => {
  it('ramps the weight linearly over the warm-up period from the registration timestamp', () => {
    const p = (uptime: number) => provider('10.0.0.1:20880', { weight: 100, warmup: WARMUP, timestamp: NOW - uptime });
    expect(warmupWeight(p(60_000), NOW)).toBeCloseTo(10);
    expect(warmupWeight(p(300_000), NOW)).toBeCloseTo(50);
    expect(warmupWeight(p(WARMUP), NOW)).toBe(100);
    expect(warmupWeight(p(WARMUP * 5), NOW)).toBe(100);
  });

  it('gives a provider that just started (or whose clock is ahead) at least 1', () => {
    expect(warmupWeight(provider('a:1', { timestamp: NOW - 10, warmup: WARMUP }), NOW)).toBe(1);
    expect(warmupWeight(provider('a:1', { timestamp: NOW + 5000, warmup: WARMUP }), NOW)).toBe(1);
  });

  it('leaves unknown timestamps, no warm-up and zero weights alone', () => {
    expect(warmupWeight(provider('a:1', { timestamp: 0 }), NOW)).toBe(100);
    expect(warmupWeight(provider('a:1', { timestamp: NOW - 1, warmup: 0 }), NOW)).toBe(100);
    expect(warmupWeight(provider('a:1', { timestamp: NOW - 1, weight: 0 }), NOW)).toBe(0);
    expect(warmupWeight(provider('a:1', { weight: -5 }), NOW)).toBe(0);
  });

  it('says when warm-up ends', () => {
    expect(warmupEndsAt(provider('a:1', { timestamp: NOW, warmup: WARMUP }))).toBe(NOW + WARMUP);
    expect(warmupEndsAt(provider('a:1', { timestamp: 0 }))).toBe(0);
  });
});
