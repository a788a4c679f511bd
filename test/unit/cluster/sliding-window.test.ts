import { SlidingWindowAverage } from '../../../src/cluster/sliding-window';

describe('SlidingWindowAverage', () => {
  // 1 s window in 10 slices of 100 ms.
  const window = () => new SlidingWindowAverage(1000, 10);

  it('is 0 with no values', () => {
    const w = window();
    expect(w.average(0)).toBe(0);
    expect(w.size(0)).toBe(0);
  });

  it('averages the values in the window', () => {
    const w = window();
    w.add(10, 0);
    w.add(20, 150);
    w.add(60, 999);
    expect(w.size(999)).toBe(3);
    expect(w.average(999)).toBe(30);
  });

  it('drops a slice once the window moved past it', () => {
    const w = window();
    w.add(100, 0); // slice 0
    w.add(10, 500); // slice 5
    expect(w.average(999)).toBe(55);
    expect(w.average(1000)).toBe(10); // slice 0 fell out
    expect(w.size(1000)).toBe(1);
    expect(w.average(1499)).toBe(10);
    expect(w.average(1500)).toBe(0);
  });

  it('forgets everything after a gap longer than the window', () => {
    const w = window();
    w.add(5, 0);
    w.add(7, 900);
    expect(w.size(50_000)).toBe(0);
    w.add(3, 50_000);
    expect(w.average(50_000)).toBe(3);
  });

  it('keeps writing into the newest slice when the clock steps back', () => {
    const w = window();
    w.add(10, 500);
    w.add(30, 200);
    expect(w.average(500)).toBe(20);
    expect(w.size(1499)).toBe(2);
    expect(w.size(1500)).toBe(0);
  });

  it('reuses slot memory without carrying old values around the ring', () => {
    const w = window();
    for (let t = 0; t < 5000; t += 50) w.add(t, t);
    // The last second holds t = 4000..4950 (20 values), whatever came before.
    expect(w.size(4999)).toBe(20);
    expect(w.average(4999)).toBe(4475);
  });
});
