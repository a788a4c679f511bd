import { CallDeduplicator } from '../../../src/rpc/call-deduplicator';

const SERVICE = '/com.acme.Accounts:1.0.0';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('CallDeduplicator', () => {
  let clock = 0;
  let dedup: CallDeduplicator;
  beforeEach(() => {
    clock = 1_000_000;
    dedup = new CallDeduplicator({ maxEntries: 3, windowMs: 10_000, now: () => clock });
  });
  afterEach(() => dedup.close());

  it('runs a retried call once while it is in flight; both get the same answer', async () => {
    const gate = deferred<string>();
    const execute = jest.fn(() => gate.promise);
    const first = dedup.run(SERVICE, 'call-1', execute);
    const retry = dedup.run(SERVICE, 'call-1', execute);
    gate.resolve('debited');
    await expect(first).resolves.toBe('debited');
    await expect(retry).resolves.toBe('debited');
    expect(execute).toHaveBeenCalledTimes(1);
  });

  it('answers a retry of a finished call from memory, errors included, within the window', async () => {
    let runs = 0;
    const failing = () => {
      runs++;
      throw new Error('insufficient funds');
    };
    await expect(dedup.run(SERVICE, 'call-2', failing)).rejects.toThrow('insufficient funds');
    clock += 9_999;
    await expect(dedup.run(SERVICE, 'call-2', failing)).rejects.toThrow('insufficient funds');
    expect(runs).toBe(1);
  });

  it('runs the call again once the window after it settled has passed', async () => {
    const execute = jest.fn(async () => 'ok');
    await dedup.run(SERVICE, 'call-3', execute);
    clock += 10_000;
    await dedup.run(SERVICE, 'call-3', execute);
    expect(execute).toHaveBeenCalledTimes(2);
  });

  it('keeps call ids apart per service and per id', async () => {
    const execute = jest.fn(async () => 'ok');
    await dedup.run(SERVICE, 'a', execute);
    await dedup.run('/com.acme.Other:1.0.0', 'a', execute);
    await dedup.run(SERVICE, 'b', execute);
    expect(execute).toHaveBeenCalledTimes(3);
  });

  it('remembers at most maxEntries ids per service, forgetting the oldest', async () => {
    const execute = jest.fn(async () => 'ok');
    for (const id of ['1', '2', '3', '4']) await dedup.run(SERVICE, id, execute);
    expect(dedup.size(SERVICE)).toBe(3);
    await dedup.run(SERVICE, '4', execute);
    expect(execute).toHaveBeenCalledTimes(4);
    await dedup.run(SERVICE, '1', execute); // forgotten: runs again
    expect(execute).toHaveBeenCalledTimes(5);
  });

  it('sweeps expired answers but never an in-flight call', async () => {
    const gate = deferred<string>();
    void dedup.run(SERVICE, 'slow', () => gate.promise);
    await dedup.run(SERVICE, 'fast', async () => 'ok');
    clock += 60_000;
    dedup.sweep();
    expect(dedup.size(SERVICE)).toBe(1);
    const again = jest.fn(() => 'second');
    const retry = dedup.run(SERVICE, 'slow', again);
    gate.resolve('first');
    await expect(retry).resolves.toBe('first');
    expect(again).not.toHaveBeenCalled();
  });

  it('owns an unref’d sweep timer, running only while it remembers something, cleared by close', async () => {
    jest.useFakeTimers();
    try {
      const own = new CallDeduplicator({ windowMs: 1000 });
      expect(jest.getTimerCount()).toBe(0);
      await own.run(SERVICE, 'x', async () => 1);
      expect(jest.getTimerCount()).toBe(1);
      await jest.advanceTimersByTimeAsync(2500);
      expect(own.size()).toBe(0);
      expect(jest.getTimerCount()).toBe(0);
      await own.run(SERVICE, 'y', async () => 1);
      own.close();
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('turns a synchronous throw into a rejection', async () => {
    await expect(
      dedup.run(SERVICE, 'sync', () => {
        throw new TypeError('bad');
      }),
    ).rejects.toThrow(TypeError);
  });
});
