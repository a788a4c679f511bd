import { RpcError } from '../../../src/errors/rpc-error';
import { invocation } from './fixtures';
import { harness, outcome } from './cluster-harness';

describe('failfast', () => {
  it('makes exactly one attempt, even for a surely-not-executed failure', async () => {
    const h = harness('failfast', 3, {
      '10.0.0.1:20880': () => {
        throw new RpcError('CONNECTION_REFUSED', 'refused');
      },
    });
    expect((await outcome(h.invoker.invoke(invocation({ idempotent: true })))).error.code).toBe('CONNECTION_REFUSED');
    expect(h.calls).toHaveLength(1);
  });

  it('returns the provider’s answer', async () => {
    const h = harness('failfast', 1);
    await expect(h.invoker.invoke(invocation())).resolves.toBe('ok@10.0.0.1:20880');
    expect(h.calls[0]!.callId).toBeGreaterThan(0);
    expect(h.calls[0]!.formattedCallId).toMatch(/^[0-9a-f]{16}-[0-9a-z]+$/);
  });

  it('rejects with NO_PROVIDER when there is none', async () => {
    expect((await outcome(harness('failfast', 0).invoker.invoke(invocation()))).error.code).toBe('NO_PROVIDER');
  });
});
