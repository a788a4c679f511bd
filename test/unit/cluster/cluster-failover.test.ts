import { CallStats } from '../../../src/cluster/call-stats';
import type { InvokeProvider } from '../../../src/cluster/cluster';
import { RpcError } from '../../../src/errors/rpc-error';
import { invocation } from './fixtures';
import { harness, outcome } from './cluster-harness';

const fail =
  (code: ConstructorParameters<typeof RpcError>[0], options = {}) =>
  () => {
    throw new RpcError(code, `${code} from provider`, options);
  };
const A = '10.0.0.1:20880';
const B = '10.0.0.2:20880';
const C = '10.0.0.3:20880';

describe('failover', () => {
  it('retries a surely-not-executed failure on another provider, with the same call id', async () => {
    const h = harness('failover', 3, { [A]: fail('CONNECTION_REFUSED') });
    const call = invocation();
    expect(call.callId).toBe(0);
    await expect(h.invoker.invoke(call)).resolves.toBe(`ok@${B}`);
    expect(h.calls.map((c) => c.address)).toEqual([A, B]);
    expect(h.calls[0]!.callId).toBeGreaterThan(0);
    expect(h.calls[0]!.formattedCallId).toMatch(/^[0-9a-f]{16}-[0-9a-z]+$/);
    expect(h.calls[1]!.callId).toBe(h.calls[0]!.callId);
    expect(call.callId).toBe(h.calls[0]!.callId);
  });

  it('gives each call its own id, and keeps one a call already carries', async () => {
    const h = harness('failover', 3, { [A]: fail('CONNECTION_REFUSED') });
    await h.invoker.invoke(invocation());
    await h.invoker.invoke(invocation());
    const ids = h.calls.map((c) => c.callId);
    expect(ids[0]).toBe(ids[1]); // A refused, then B: one call
    expect(ids[2]).not.toBe(ids[0]); // C: the next call
    const again = harness('failover', 3, { [A]: fail('CONNECTION_REFUSED') });
    await again.invoker.invoke(invocation({ callId: 77 }));
    expect(again.calls.map((c) => [c.address, c.callId])).toEqual([
      [A, 77],
      [B, 77],
    ]);
  });

  it('keeps the call id when an idempotent call’s attempts get shorter deadlines', async () => {
    const h = harness('failover', 3, { [A]: fail('TIMEOUT'), [B]: fail('TIMEOUT') });
    await expect(h.invoker.invoke(invocation({ idempotent: true }))).resolves.toBe(`ok@${C}`);
    expect(new Set(h.calls.map((c) => c.callId)).size).toBe(1);
    expect(h.calls[0]!.callId).toBeGreaterThan(0);
  });

  it.each(['NO_PROVIDER', 'SHUTTING_DOWN', 'OVERLOADED', 'CONNECTION_REFUSED'] as const)('retries %s', async (code) => {
    const h = harness('failover', 2, { [A]: fail(code) });
    await expect(h.invoker.invoke(invocation())).resolves.toBe(`ok@${B}`);
  });

  it('retries a CONNECTION_CLOSED the transport marks retryable (request never written)', async () => {
    const h = harness('failover', 2, { [A]: fail('CONNECTION_CLOSED', { retryable: true }) });
    await expect(h.invoker.invoke(invocation())).resolves.toBe(`ok@${B}`);
  });

  it.each(['TIMEOUT', 'CONNECTION_CLOSED'] as const)('does not retry %s for a non-idempotent call', async (code) => {
    const h = harness('failover', 3, { [A]: fail(code) });
    const { error } = await outcome(h.invoker.invoke(invocation({ idempotent: false })));
    expect(error.code).toBe(code);
    expect(h.calls).toHaveLength(1);
  });

  it.each(['TIMEOUT', 'CONNECTION_CLOSED'] as const)('retries %s for an idempotent call', async (code) => {
    const h = harness('failover', 3, { [A]: fail(code) });
    await expect(h.invoker.invoke(invocation({ idempotent: true }))).resolves.toBe(`ok@${B}`);
  });

  it('never retries an application error, even a retryable-looking one, nor a non-RpcError', async () => {
    const h = harness('failover', 3, { [A]: fail('APPLICATION_ERROR', { retryable: true }) });
    expect((await outcome(h.invoker.invoke(invocation({ idempotent: true })))).error.code).toBe('APPLICATION_ERROR');
    const bug = harness('failover', 3, {
      [A]: () => {
        throw new TypeError('bug');
      },
    });
    expect((await outcome(bug.invoker.invoke(invocation()))).error).toBeInstanceOf(TypeError);
    expect(h.calls.length + bug.calls.length).toBe(2);
  });

  it('makes at most 1 + retries attempts, each on a different provider, and says where it tried', async () => {
    const refuse = fail('CONNECTION_REFUSED');
    const h = harness('failover', 5, { [A]: refuse, [B]: refuse, [C]: refuse, '10.0.0.4:20880': refuse });
    const { error } = await outcome(h.invoker.invoke(invocation()));
    expect(h.calls.map((c) => c.address)).toEqual([A, B, C]);
    expect(error).toBeInstanceOf(RpcError);
    expect(error.code).toBe('CONNECTION_REFUSED');
    expect(error.message).toContain(`tried ${A}, ${B}, ${C}`);
  });

  it('stops when every provider was tried', async () => {
    const h = harness(
      'failover',
      2,
      { [A]: fail('SHUTTING_DOWN'), [B]: fail('SHUTTING_DOWN') },
      { options: { retries: 5 } },
    );
    expect((await outcome(h.invoker.invoke(invocation()))).error.code).toBe('SHUTTING_DOWN');
    expect(h.calls.map((c) => c.address)).toEqual([A, B]);
  });

  it('honours retries per reference and per method', async () => {
    const refuse = fail('CONNECTION_REFUSED');
    const h = harness(
      'failover',
      4,
      { [A]: refuse, [B]: refuse, [C]: refuse },
      {
        options: { retries: 1 },
        methods: { rename: { retries: 0 }, constructor: { retries: 3 } },
      },
    );
    await outcome(h.invoker.invoke(invocation({ method: 'getUser' })));
    expect(h.calls).toHaveLength(2);
    h.calls.length = 0;
    await outcome(h.invoker.invoke(invocation({ method: 'rename' })));
    expect(h.calls).toHaveLength(1);
  });

  it('does not retry past the deadline', async () => {
    let now = 1_000;
    const h = harness(
      'failover',
      3,
      {
        [A]: () => {
          now = 2_000;
          throw new RpcError('CONNECTION_REFUSED', 'refused');
        },
      },
      { now: () => now },
    );
    const { error } = await outcome(h.invoker.invoke(invocation({ deadline: 1_500 })));
    expect(error.code).toBe('CONNECTION_REFUSED');
    expect(h.calls).toHaveLength(1);
  });

  it('explains NO_PROVIDER: service, group, version and counts', async () => {
    const none = harness('failover', 0);
    const { error } = await outcome(none.invoker.invoke(invocation()));
    expect(error.code).toBe('NO_PROVIDER');
    expect(error.message).toContain("com.acme.UserService#getUser (group '', version '1.0.0')");
    expect(error.message).toContain('no provider is registered');

    const mismatch = harness('failover', 2);
    mismatch.directory.update(mismatch.providers.map((p) => ({ ...p, version: '2.0.0' })));
    const second = await outcome(mismatch.invoker.invoke(invocation()));
    expect(second.error.message).toContain('2 registered for the interface, none enabled with this group and version');
  });

  it('records call stats around each attempt and feeds the outlier detector', async () => {
    const h = harness('failover', 2, { [A]: fail('CONNECTION_REFUSED') }, { options: { retries: 1 } });
    const attemptsOnA = () => h.calls.filter((c) => c.address === A).length;
    for (let i = 0; i < 10 && attemptsOnA() < 3; i++)
      await expect(h.invoker.invoke(invocation())).resolves.toBe(`ok@${B}`);
    expect(h.stats.active(A)).toBe(0);
    expect(h.stats.active(B)).toBe(0);
    expect(h.stats.failures(A)).toBe(3);
    expect(h.stats.failures(A, 'com.acme.UserService#getUser')).toBe(3);
    // Three consecutive refusals: A is set aside, so later calls go straight to B.
    expect(h.directory.providers().map((p) => p.address)).toEqual([B]);
    h.calls.length = 0;
    for (let i = 0; i < 3; i++) await h.invoker.invoke(invocation());
    expect(h.calls.map((c) => c.address)).toEqual([B, B, B]);
  });

  it('rejects (never throws synchronously) and refuses calls after close', async () => {
    const h = harness('failover', 0);
    const pending = h.invoker.invoke(invocation());
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).rejects.toThrow(RpcError);
    h.invoker.close();
    expect((await outcome(h.invoker.invoke(invocation()))).error.code).toBe('CLIENT_CLOSED');
  });

  it('gives each attempt of an idempotent call a share of the time left, so a timeout can still be retried', async () => {
    const h = harness('failover', 3, { [A]: fail('TIMEOUT') });
    const deadline = Date.now() + 3000;
    await expect(h.invoker.invoke(invocation({ idempotent: true, deadline }))).resolves.toBe(`ok@${B}`);
    const [first, second] = h.calls;
    // three attempts possible (retries 2, three providers): the first gets about a third of the time
    expect(first!.deadline).toBeLessThanOrEqual(deadline - 1900);
    expect(first!.deadline).toBeGreaterThan(Date.now());
    expect(second!.deadline).toBeLessThan(deadline);
  });

  it('leaves a non-idempotent call its whole deadline', async () => {
    const h = harness('failover', 3);
    const deadline = Date.now() + 3000;
    await h.invoker.invoke(invocation({ idempotent: false, deadline }));
    expect(h.calls[0]!.deadline).toBe(deadline);
  });

  it('settles an attempt whose transport throws instead of reporting, and retries it when it may', async () => {
    let sent = 0;
    const invokeProvider: InvokeProvider = (provider, _invocation, callbacks) => {
      sent++;
      if (provider.address === A) throw new RpcError('CONNECTION_REFUSED', 'transport bug');
      callbacks.succeeded('fine');
    };
    const h = harness('failover', 2, {}, { invokeProvider });
    await expect(h.invoker.invoke(invocation())).resolves.toBe('fine');
    expect(sent).toBe(2);
    expect(h.stats.failures(A)).toBe(1);
    expect(h.stats.active(A)).toBe(0);
  });

  it('takes the first report of an attempt only; later ones are ignored', async () => {
    const stats = new CallStats();
    const invokeProvider: InvokeProvider = (_provider, _invocation, callbacks) => {
      callbacks.succeeded('first');
      callbacks.failed(new RpcError('CONNECTION_REFUSED', 'late'));
      callbacks.succeeded('second');
    };
    const h = harness('failover', 2, {}, { invokeProvider, stats });
    await expect(h.invoker.invoke(invocation())).resolves.toBe('first');
    expect(stats.active(A)).toBe(0);
    expect(stats.failures(A)).toBe(0);
    expect(stats.active(B)).toBe(0); // no retry from the late failure
  });

  it('works with a transport that reports later, asynchronously', async () => {
    const invokeProvider: InvokeProvider = (provider, _invocation, callbacks) => {
      setImmediate(() =>
        provider.address === A
          ? callbacks.failed(new RpcError('CONNECTION_REFUSED', 'refused'))
          : callbacks.succeeded(`later@${provider.address}`),
      );
    };
    const h = harness('failover', 2, {}, { invokeProvider });
    await expect(h.invoker.invoke(invocation())).resolves.toBe(`later@${B}`);
    expect(h.stats.failures(A)).toBe(1);
  });
});
