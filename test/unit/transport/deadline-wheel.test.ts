import { DeadlineWheel, type Deadlined } from '../../../src/transport/deadline-wheel';

interface Entry extends Deadlined {
  name: string;
}

function setup() {
  let clock = 1_000_000;
  const expired: string[] = [];
  const wheel = new DeadlineWheel<Entry>((entry) => expired.push(entry.name), {
    tickMs: 10,
    slots: 8,
    now: () => clock,
  });
  const entry = (name: string, inMs: number): Entry => ({ name, deadline: clock + inMs, wheelSlot: -1 });
  const advance = (ms: number) => {
    clock += ms;
    wheel.sweep();
  };
  return { wheel, expired, entry, advance };
}

describe('DeadlineWheel', () => {
  afterEach(() => jest.useRealTimers());

  it('expires an entry after its deadline, within one tick, never before', () => {
    const { wheel, expired, entry, advance } = setup();
    wheel.add(entry('a', 25));
    advance(20);
    expect(expired).toEqual([]);
    advance(19);
    expect(expired).toEqual(['a']);
    expect(wheel.size).toBe(0);
  });

  it('keeps a deadline more than one turn away until its own turn', () => {
    const { wheel, expired, entry, advance } = setup();
    wheel.add(entry('far', 200)); // the wheel turns every 80 ms
    for (let i = 0; i < 19; i++) advance(10);
    expect(expired).toEqual([]);
    advance(20);
    expect(expired).toEqual(['far']);
  });

  it('never expires a removed entry', () => {
    const { wheel, expired, entry, advance } = setup();
    const settled = entry('settled', 15);
    wheel.add(settled);
    wheel.add(entry('late', 15));
    expect(wheel.remove(settled)).toBe(true);
    expect(wheel.remove(settled)).toBe(false);
    advance(40);
    expect(expired).toEqual(['late']);
  });

  it('expires many entries in deadline order across ticks', () => {
    const { wheel, expired, entry, advance } = setup();
    for (let i = 0; i < 5; i++) wheel.add(entry(`e${i}`, 10 * (i + 1)));
    for (let i = 0; i < 8; i++) advance(10);
    expect(expired).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
  });

  it('runs its timer only while it tracks something', () => {
    jest.useFakeTimers();
    const expired: number[] = [];
    const wheel = new DeadlineWheel<Deadlined & { id: number }>((e) => expired.push(e.id), { tickMs: 10, slots: 64 });
    expect(jest.getTimerCount()).toBe(0);
    wheel.add({ id: 1, deadline: Date.now() + 30, wheelSlot: -1 });
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(60);
    expect(expired).toEqual([1]);
    expect(jest.getTimerCount()).toBe(0);
  });
});
