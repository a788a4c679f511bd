import { pickWeightedIndex, weightTable } from '../../../src/cluster/weight-table';
import { provider, seededRandom } from './fixtures';

const NOW = 1_700_000_000_000;

describe('weightTable', () => {
  it('holds each weight and their prefix sums', () => {
    const list = [100, 0, 300].map((weight, i) => provider(`10.0.0.${i + 1}:20880`, { weight }));
    const table = weightTable(list, NOW);
    expect([...table.weights]).toEqual([100, 0, 300]);
    expect([...table.prefix]).toEqual([100, 100, 400]);
    expect(table.total).toBe(400);
    expect(table.uniform).toBe(false);
    expect(table.expiresAt).toBe(Infinity);
  });

  it('is uniform when every weight is equal, or all are 0', () => {
    const equal = [provider('10.0.0.1:20880'), provider('10.0.0.2:20880')];
    expect(weightTable(equal, NOW).uniform).toBe(true);
    const zero = [provider('10.0.0.1:20880', { weight: 0 }), provider('10.0.0.2:20880', { weight: 0 })];
    expect(weightTable(zero, NOW)).toMatchObject({ uniform: true, total: 0 });
  });

  it('uses warmed-up weights', () => {
    const list = [provider('10.0.0.1:20880', { timestamp: NOW - 60_000, warmup: 600_000 }), provider('10.0.0.2:20880')];
    expect([...weightTable(list, NOW).weights]).toEqual([10, 100]);
  });

  it('is cached per provider array, without reading the clock, while nobody warms up', () => {
    const list = [provider('10.0.0.1:20880'), provider('10.0.0.2:20880', { weight: 50 })];
    const first = weightTable(list, NOW);
    const clock = jest.fn(() => NOW + 1_000_000);
    expect(weightTable(list, clock)).toBe(first);
    expect(clock).not.toHaveBeenCalled();
    expect(weightTable([...list], NOW)).not.toBe(first);
  });

  it('is recomputed at most once a second while someone warms up', () => {
    const list = [provider('10.0.0.1:20880', { timestamp: NOW, warmup: 600_000 }), provider('10.0.0.2:20880')];
    const first = weightTable(list, NOW);
    expect(first.expiresAt).toBe(NOW + 1000);
    expect(weightTable(list, NOW + 999)).toBe(first);
    const later = weightTable(list, () => NOW + 60_000);
    expect(later).not.toBe(first);
    expect(later.weights[0]).toBe(10);
  });

  it('stops expiring once the last provider finished warming up', () => {
    const list = [provider('10.0.0.1:20880', { timestamp: NOW - 599_500, warmup: 600_000 })];
    expect(weightTable(list, NOW).expiresAt).toBe(NOW + 500);
    expect(weightTable(list, NOW + 500).expiresAt).toBe(Infinity);
  });

  it('recomputes when the clock steps back before the table was computed', () => {
    const list = [provider('10.0.0.1:20880', { timestamp: NOW - 300_000, warmup: 600_000 })];
    const first = weightTable(list, NOW);
    expect(weightTable(list, NOW - 1)).not.toBe(first);
  });
});

describe('pickWeightedIndex', () => {
  const list = [100, 0, 300].map((weight, i) => provider(`10.1.0.${i + 1}:20880`, { weight }));
  const table = weightTable(list, NOW);

  it('maps the random number onto the prefix sums, skipping weight 0', () => {
    expect(pickWeightedIndex(table, () => 0)).toBe(0);
    expect(pickWeightedIndex(table, () => 0.2499)).toBe(0);
    expect(pickWeightedIndex(table, () => 0.25)).toBe(2);
    expect(pickWeightedIndex(table, () => 0.9999)).toBe(2);
  });

  it('picks in proportion to the weights', () => {
    const random = seededRandom(1);
    const counts = [0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[pickWeightedIndex(table, random)]! += 1;
    expect(counts[1]).toBe(0);
    expect(Math.abs((counts[2] as number) / 30_000 - 1)).toBeLessThan(0.03);
  });

  it('picks uniformly from a uniform table, never out of range', () => {
    const uniform = weightTable([provider('10.2.0.1:20880'), provider('10.2.0.2:20880')], NOW);
    expect(pickWeightedIndex(uniform, () => 0.49)).toBe(0);
    expect(pickWeightedIndex(uniform, () => 0.5)).toBe(1);
    expect(pickWeightedIndex(uniform, () => 1)).toBe(1);
  });
});
