import { RpcError } from '../../../src/errors/rpc-error';
import { invocation } from './fixtures';
import { harness, outcome } from './cluster-harness';

describe('broadcast', () => {
  it('reaches every provider, down ones included, and returns the last result', async () => {
    const h = harness('broadcast', 3);
    h.directory.markUnavailable('10.0.0.2:20880');
    await expect(h.invoker.invoke(invocation())).resolves.toBe('ok@10.0.0.3:20880');
    expect(h.calls.map((c) => c.address).sort()).toEqual(['10.0.0.1:20880', '10.0.0.2:20880', '10.0.0.3:20880']);
    expect(new Set(h.calls.map((c) => c.callId)).size).toBe(1);
    expect(h.calls[0]!.callId).toBeGreaterThan(0);
  });

  it('fails if any provider fails, naming each failed address with its code', async () => {
    const h = harness('broadcast', 3, {
      '10.0.0.2:20880': () => Promise.reject(new RpcError('APPLICATION_ERROR', 'cache locked')),
      '10.0.0.3:20880': () => Promise.reject(new RpcError('CONNECTION_REFUSED', 'refused')),
    });
    const { error } = await outcome(h.invoker.invoke(invocation()));
    expect(h.calls).toHaveLength(3);
    expect(error.code).toBe('APPLICATION_ERROR');
    expect(error.message).toMatch(
      /\(broadcast\): 2 of 3 providers failed: 10\.0\.0\.2:20880 APPLICATION_ERROR \(cache locked\); 10\.0\.0\.3:20880 CONNECTION_REFUSED \(refused\)/,
    );
    expect(error.message).not.toContain('10.0.0.1');
  });

  it('rejects with NO_PROVIDER when there is none', async () => {
    expect((await outcome(harness('broadcast', 0).invoker.invoke(invocation()))).error.code).toBe('NO_PROVIDER');
  });
});
