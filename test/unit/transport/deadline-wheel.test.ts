import { DeadlineWheel, type Deadlined } from '../../../src/transport/deadline-wheel';

interface Entry extends Deadlined {
  name: string;
}

/** An entry as the wheel wants it: links start as -1, null, null. */
function untracked<T extends object>(fields: T & { deadline: number }): T & Deadlined {
  return { ...fields, wheelSlot: -1, wheelPrev: null, wheelNext: null };
}

function setup(onExpire?: (entry: Entry, expired: string[]) => void) {
  let clock = 1_000_000;
  const expired: string[] = [];
  const wheel = new DeadlineWheel<Entry>(
    (entry) => {
      expired.push(entry.name);
      onExpire?.(entry, expired);
    },
    { tickMs: 10, slots: 8, now: () => clock },
  );
  const entry = (name: string, inMs: number): Entry => untracked({ name, deadline: clock + inMs });
  const advance = (ms: number) => {
    clock += ms;
    wheel.sweep();
  };
  return { wheel, expired, entry, advance };
}

/** The links the wheel leaves on an entry it no longer tracks. */
const UNLINKED = { wheelSlot: -1, wheelPrev: null, wheelNext: null };

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

  it('expires at the next sweep an entry whose deadline lies in a tick already swept', () => {
    const { wheel, expired, entry, advance } = setup();
    wheel.add(entry('keeps the wheel running', 1_000));
    advance(30); // ticks up to now are swept
    wheel.add(entry('late', -25)); // its tick was swept 20 ms ago
    advance(10);
    expect(expired).toEqual(['late']);
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
    wheel.add(untracked({ id: 1, deadline: Date.now() + 30 }));
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(60);
    expect(expired).toEqual([1]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('stops its timer when the last entry is removed, and starts it again for a new one', () => {
    jest.useFakeTimers();
    const wheel = new DeadlineWheel<Entry>(() => undefined, { tickMs: 10, slots: 64 });
    const only = untracked({ name: 'only', deadline: Date.now() + 1000 });
    wheel.add(only);
    expect(jest.getTimerCount()).toBe(1);
    wheel.remove(only);
    expect(jest.getTimerCount()).toBe(0);
    wheel.add(only);
    expect(jest.getTimerCount()).toBe(1);
    wheel.clear();
    expect(jest.getTimerCount()).toBe(0);
  });

  describe('intrusive slot lists', () => {
    /** Five entries in one slot (same tick): the list is e4 → e3 → e2 → e1 → e0, newest first. */
    function oneSlot() {
      const harness = setup();
      const entries = Array.from({ length: 5 }, (_, i) => harness.entry(`e${i}`, 15));
      for (const e of entries) harness.wheel.add(e);
      return { ...harness, entries };
    }

    it('links the entries of one slot both ways through wheelPrev and wheelNext', () => {
      const { entries } = oneSlot();
      const slot = entries[0]!.wheelSlot;
      expect(slot).toBeGreaterThanOrEqual(0);
      expect(slot).toBeLessThan(8);
      for (const e of entries) expect(e.wheelSlot).toBe(slot);
      expect(entries[4]!.wheelPrev).toBeNull(); // the head
      expect(entries[0]!.wheelNext).toBeNull(); // the tail
      for (let i = 0; i < 4; i++) {
        expect(entries[i]!.wheelPrev).toBe(entries[i + 1]);
        expect(entries[i + 1]!.wheelNext).toBe(entries[i]);
      }
    });

    it.each([
      ['the head', 4],
      ['a middle entry', 2],
      ['the tail', 0],
    ])('removing %s unlinks it, keeps its neighbours linked, and expires exactly the others', (_what, index) => {
      const { wheel, expired, entries, advance } = oneSlot();
      const removed = entries[index]!;
      expect(wheel.remove(removed)).toBe(true);
      expect(removed).toMatchObject(UNLINKED);
      expect(wheel.size).toBe(4);
      const left = entries.filter((e) => e !== removed);
      // Walk the list from the head both ways: it holds exactly the other four, in order.
      const head = left[left.length - 1]!;
      expect(head.wheelPrev).toBeNull();
      const forward: Deadlined[] = [];
      for (let e: Deadlined | null = head; e !== null; e = e.wheelNext) forward.push(e);
      expect(forward).toEqual([...left].reverse());
      for (let i = 1; i < forward.length; i++) expect(forward[i]!.wheelPrev).toBe(forward[i - 1]);

      advance(30);
      expect(expired.sort()).toEqual(left.map((e) => e.name).sort());
      expect(wheel.size).toBe(0);
      for (const e of entries) expect(e).toMatchObject(UNLINKED);
    });

    it('leaves a later turn’s entry in a swept slot linked and tracked', () => {
      const { wheel, expired, entry, advance } = setup();
      const soon = entry('soon', 15);
      const nextTurn = entry('next-turn', 15 + 80); // same slot, one turn later
      wheel.add(nextTurn);
      wheel.add(soon);
      expect(nextTurn.wheelSlot).toBe(soon.wheelSlot);
      advance(30);
      expect(expired).toEqual(['soon']);
      expect(wheel.size).toBe(1);
      expect(nextTurn.wheelSlot).toBeGreaterThanOrEqual(0);
      expect(nextTurn.wheelPrev).toBeNull(); // now the head of its slot
      expect(wheel.remove(nextTurn)).toBe(true);
      advance(100);
      expect(expired).toEqual(['soon']);
    });

    it('survives onExpire removing the entry that follows in the same slot', () => {
      const entries: Entry[] = [];
      const { wheel, expired, entry, advance } = setup((expiring) => {
        // Settling one call settles another too: e2 follows e3 in the slot's list.
        if (expiring.name === 'e3') expect(wheel.remove(entries[2]!)).toBe(true);
      });
      for (let i = 0; i < 5; i++) entries.push(entry(`e${i}`, 15));
      for (const e of entries) wheel.add(e); // list: e4 e3 e2 e1 e0
      advance(30);
      expect(expired).toEqual(['e4', 'e3', 'e1', 'e0']);
      expect(wheel.size).toBe(0);
      for (const e of entries) expect(e).toMatchObject(UNLINKED);
    });

    it('survives onExpire removing every other entry of the slot', () => {
      const { wheel, expired, entry, advance } = setup((expiring) => {
        if (expiring.name === 'first') for (const e of all) if (e !== expiring) wheel.remove(e);
      });
      const all = [entry('c', 15), entry('b', 15), entry('first', 15)];
      for (const e of all) wheel.add(e);
      advance(30);
      expect(expired).toEqual(['first']);
      expect(wheel.size).toBe(0);
    });

    it('lets onExpire add an entry again (a retry) without losing it', () => {
      let retried = false;
      const { wheel, expired, entry, advance } = setup((expiring) => {
        if (expiring.name !== 'retry' || retried) return;
        retried = true;
        expiring.deadline += 50;
        wheel.add(expiring);
      });
      wheel.add(entry('other', 15));
      wheel.add(entry('retry', 15)); // the head: expires first, re-added while 'other' is still to be swept
      advance(30);
      expect(expired).toEqual(['retry', 'other']);
      expect(wheel.size).toBe(1);
      advance(60);
      expect(expired).toEqual(['retry', 'other', 'retry']);
      expect(wheel.size).toBe(0);
    });

    it('clear() forgets every entry without expiring it and unlinks each, so they can be tracked again', () => {
      const { wheel, expired, entries, entry, advance } = oneSlot();
      const elsewhere = entry('elsewhere', 45);
      wheel.add(elsewhere);
      wheel.clear();
      expect(wheel.size).toBe(0);
      for (const e of [...entries, elsewhere]) expect(e).toMatchObject(UNLINKED);
      expect(wheel.remove(entries[0]!)).toBe(false);
      advance(100);
      expect(expired).toEqual([]);

      const again = entry('again', 15);
      wheel.add(again);
      wheel.add(entries[1]!); // an entry cleared before, whose deadline has passed: expires on the next sweep of its slot
      expect(wheel.size).toBe(2);
      advance(90);
      expect(expired.sort()).toEqual(['again', 'e1']);
    });

    it('tracks thousands of entries across every slot and expires each exactly once', () => {
      const { wheel, expired, entry, advance } = setup();
      const entries = Array.from({ length: 4000 }, (_, i) => entry(`n${i}`, 1 + (i % 300)));
      for (const e of entries) wheel.add(e);
      const removed = new Set(entries.filter((_, i) => i % 3 === 0));
      for (const e of removed) expect(wheel.remove(e)).toBe(true);
      expect(wheel.size).toBe(entries.length - removed.size);
      for (let t = 0; t < 40; t++) advance(10);
      expect(wheel.size).toBe(0);
      expect(new Set(expired).size).toBe(expired.length);
      expect(expired.sort()).toEqual(
        entries
          .filter((e) => !removed.has(e))
          .map((e) => e.name)
          .sort(),
      );
    });
  });
});
