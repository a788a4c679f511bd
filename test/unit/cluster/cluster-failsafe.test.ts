import { RpcError } from '../../../src/errors/rpc-error';
import { invocation } from './fixtures';
import { harness } from './cluster-harness';

describe('failsafe', () => {
  it('turns a failure into undefined and a warning naming the call', async () => {
    const h = harness('failsafe', 2, {
      '10.0.0.1:20880': () => {
        throw new RpcError('APPLICATION_ERROR', 'disk full');
      },
    });
    await expect(h.invoker.invoke(invocation())).resolves.toBeUndefined();
    expect(h.calls).toHaveLength(1);
    expect(h.logs).toEqual([
      { level: 'warn', message: expect.stringMatching(/com\.acme\.UserService#getUser .*failsafe.*disk full/) },
    ]);
  });

  it('swallows NO_PROVIDER too, and passes successes through', async () => {
    await expect(harness('failsafe', 0).invoker.invoke(invocation())).resolves.toBeUndefined();
    await expect(harness('failsafe', 1).invoker.invoke(invocation())).resolves.toBe('ok@10.0.0.1:20880');
  });
});
