import { pickAmongTies, scoreBuffer } from '../../../src/cluster/tie-break';
import { seededRandom } from './fixtures';

const f64 = (values: number[]) => Float64Array.from(values);

describe('pickAmongTies', () => {
  it('returns the only index with the best score without drawing a random number', () => {
    const random = jest.fn(() => 0.5);
    expect(pickAmongTies(f64([3, 1, 2]), 3, 1, f64([1, 1, 1]), random)).toBe(1);
    expect(random).not.toHaveBeenCalled();
  });

  it('picks among the tied indexes by weight', () => {
    const scores = f64([1, 5, 1, 1]);
    const weights = f64([100, 999, 0, 300]);
    expect(pickAmongTies(scores, 4, 1, weights, () => 0)).toBe(0);
    expect(pickAmongTies(scores, 4, 1, weights, () => 0.2499)).toBe(0);
    expect(pickAmongTies(scores, 4, 1, weights, () => 0.25)).toBe(3);
    expect(pickAmongTies(scores, 4, 1, weights, () => 0.9999)).toBe(3);
  });

  it('picks uniformly among the tied indexes when their weights are all 0', () => {
    const scores = f64([0, 0, 7, 0]);
    const weights = f64([0, 0, 50, 0]);
    expect(pickAmongTies(scores, 4, 0, weights, () => 0)).toBe(0);
    expect(pickAmongTies(scores, 4, 0, weights, () => 0.34)).toBe(1);
    expect(pickAmongTies(scores, 4, 0, weights, () => 0.67)).toBe(3);
  });

  it('looks only at the first n entries of a larger buffer', () => {
    const scores = f64([2, 1, 1, 1]);
    expect(pickAmongTies(scores, 2, 1, f64([1, 1, 1, 1]), () => 0.99)).toBe(1);
  });

  it('falls back to the last tie when rounding leaves the target just short', () => {
    expect(pickAmongTies(f64([0, 0]), 2, 0, f64([1, 1]), () => 1)).toBe(1);
  });

  it('spreads picks in proportion to the weights of the ties', () => {
    const random = seededRandom(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[pickAmongTies(f64([0, 0, 0]), 3, 0, f64([1, 2, 0]), random)]! += 1;
    expect(counts[2]).toBe(0);
    expect(Math.abs((counts[1] as number) / 20_000 - 1)).toBeLessThan(0.03);
  });
});

describe('scoreBuffer', () => {
  it('keeps a buffer that is large enough', () => {
    const buffer = new Float64Array(16);
    expect(scoreBuffer(buffer, 16)).toBe(buffer);
    expect(scoreBuffer(buffer, 3)).toBe(buffer);
  });

  it('grows to at least n, doubling at least', () => {
    const buffer = new Float64Array(16);
    expect(scoreBuffer(buffer, 17).length).toBe(32);
    expect(scoreBuffer(buffer, 100).length).toBe(100);
  });
});
