import { RpcError } from '../../../src/errors/rpc-error';
import type { FailbackClusterInvoker } from '../../../src/cluster/cluster-failback';
import { invocation } from './fixtures';
import { harness } from './cluster-harness';

const A = '10.0.0.1:20880';
const refusedUntil = (attempts: number) => (_: unknown, attempt: number) => {
  if (attempt < attempts) throw new RpcError('CONNECTION_REFUSED', `refused #${attempt}`);
  return 'delivered';
};

describe('failback', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const options = { failbackIntervalMs: 1000, failbackMaxAttempts: 3, failbackQueueSize: 2 };

  it('resolves undefined at once, logs, and retries in the background with the same call id', async () => {
    const h = harness('failback', 1, { [A]: refusedUntil(2) }, { options });
    await expect(h.invoker.invoke(invocation())).resolves.toBeUndefined();
    expect(h.logs.map((l) => l.level)).toEqual(['warn']);
    await jest.advanceTimersByTimeAsync(1000); // retry 1 fails
    await jest.advanceTimersByTimeAsync(2000); // retry 2, after a doubled delay, succeeds
    expect(h.calls).toHaveLength(3);
    expect(new Set(h.calls.map((c) => c.callId)).size).toBe(1);
    expect(h.calls[0]!.callId).toBeGreaterThan(0);
    expect(h.calls[2]!.deadline).toBeGreaterThanOrEqual(Date.now()); // a fresh time limit
    expect(h.logs.at(-1)).toEqual({ level: 'info', message: expect.stringContaining('background retry 2 succeeded') });
    expect((h.invoker as FailbackClusterInvoker).pending).toBe(0);
  });

  it('gives up after failbackMaxAttempts background attempts', async () => {
    const h = harness('failback', 1, { [A]: refusedUntil(100) }, { options });
    await h.invoker.invoke(invocation());
    await jest.advanceTimersByTimeAsync(60_000);
    expect(h.calls).toHaveLength(4);
    expect(h.logs.at(-1)?.level).toBe('error');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('keeps at most failbackQueueSize calls, dropping the oldest', async () => {
    const h = harness('failback', 1, { [A]: refusedUntil(3) }, { options });
    for (let i = 0; i < 3; i++) await h.invoker.invoke(invocation({ method: `m${i}` }));
    expect((h.invoker as FailbackClusterInvoker).pending).toBe(2);
    expect(
      h.logs.some((l) => l.level === 'error' && l.message.includes('#m0') && l.message.includes('queue full')),
    ).toBe(true);
  });

  it('does not retry an application error', async () => {
    const h = harness(
      'failback',
      1,
      { [A]: () => Promise.reject(new RpcError('APPLICATION_ERROR', 'no')) },
      { options },
    );
    await expect(h.invoker.invoke(invocation())).resolves.toBeUndefined();
    expect((h.invoker as FailbackClusterInvoker).pending).toBe(0);
    expect(h.logs.map((l) => l.level)).toEqual(['error']);
  });

  it('owns its timer: unref’d, and cleared with the queue on close', async () => {
    const h = harness('failback', 1, { [A]: refusedUntil(100) }, { options });
    await h.invoker.invoke(invocation());
    expect(jest.getTimerCount()).toBe(1);
    h.invoker.close();
    expect(jest.getTimerCount()).toBe(0);
    expect((h.invoker as FailbackClusterInvoker).pending).toBe(0);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(h.calls).toHaveLength(1);
  });
});
