import { RpcError } from '../../../src/errors/rpc-error';
import { invocation } from './fixtures';
import { delay, harness, outcome } from './cluster-harness';

const A = '10.0.0.1:20880';
const B = '10.0.0.2:20880';
const C = '10.0.0.3:20880';

describe('forking', () => {
  it('calls `forks` different providers at once with the same call id; the first success wins', async () => {
    const h = harness('forking', 4, { [A]: () => delay(50, 'slow'), [B]: () => delay(5, 'fast') });
    await expect(h.invoker.invoke(invocation())).resolves.toBe('fast');
    expect(h.calls.map((c) => c.address)).toEqual([A, B]);
    expect(h.calls[0]!.callId).toBeGreaterThan(0);
    expect(h.calls[1]!.callId).toBe(h.calls[0]!.callId);
  });

  it('waits for a success even when other forks fail first', async () => {
    const h = harness('forking', 3, {
      [A]: () => Promise.reject(new RpcError('TIMEOUT', 'slow')),
      [B]: () => delay(5, 'late'),
    });
    await expect(h.invoker.invoke(invocation())).resolves.toBe('late');
  });

  it('fails only when all forks fail, naming each address', async () => {
    const h = harness(
      'forking',
      3,
      {
        [A]: () => Promise.reject(new RpcError('TIMEOUT', 'too slow')),
        [B]: () => Promise.reject(new RpcError('CONNECTION_REFUSED', 'refused')),
        [C]: () => Promise.reject(new RpcError('TIMEOUT', 'late')),
      },
      { options: { forks: 0 } },
    );
    const { error } = await outcome(h.invoker.invoke(invocation()));
    expect(h.calls).toHaveLength(3);
    expect(error).toBeInstanceOf(RpcError);
    expect(error.message).toContain('3 of 3 providers failed');
    for (const address of [A, B, C]) expect(error.message).toContain(address);
    expect(error.cause).toBeInstanceOf(AggregateError);
    expect(error.retryable).toBe(false);
  });

  it('forks to every provider when there are fewer than `forks`', async () => {
    const h = harness('forking', 2, {}, { options: { forks: 5 } });
    await h.invoker.invoke(invocation());
    expect(h.calls.map((c) => c.address).sort()).toEqual([A, B]);
  });
});
