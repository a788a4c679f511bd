import { RpcError } from '../../../src/errors/rpc-error';
import type { RpcClient } from '../../../src/rpc/rpc-client';
import { consumerOf, quietClient, type Consumer } from './consumer';
import { killProviders, startProvider, type ProviderProcess } from './provider-process';

const IN_FLIGHT = 8;
const SLOW_MS = 800;
/** Codes that say "this call did not run": what a consumer may fail over on. */
const REFUSED = ['SHUTTING_DOWN', 'NO_PROVIDER', 'CONNECTION_REFUSED'];

describe('SIGTERM to a provider started by bootstrap({ handleSignals: true })', () => {
  let provider: ProviderProcess;
  let client: RpcClient;
  let consumer: Consumer;

  beforeAll(async () => {
    provider = await startProvider('tsx', { FIXTURE_TRACE: '1', DRAIN_TIMEOUT_MS: '10000' });
    client = quietClient();
    consumer = consumerOf(provider.ready.port, client, { timeout: 10_000 });
  });

  afterAll(async () => {
    await client?.close();
    await killProviders();
  });

  it('lets in-flight calls finish, refuses new ones, then exits by the signal', async () => {
    // allSettled at once: a failed call is reported below by its code, never as an unhandled rejection.
    const inFlight = Promise.allSettled(Array.from({ length: IN_FLIGHT }, () => consumer.users.slow(SLOW_MS)));
    await provider.waitForLines((line) => line.includes('"event":"slow"'), IN_FLIGHT);

    provider.kill('SIGTERM');
    // Probe until the provider refuses: every probe either ran before the stop or was refused, never lost.
    let refusal: RpcError | undefined;
    const deadline = Date.now() + SLOW_MS;
    while (refusal === undefined && Date.now() < deadline) {
      try {
        await consumer.probe.whoami();
      } catch (error) {
        refusal = error as RpcError;
      }
    }
    expect(refusal).toBeInstanceOf(RpcError);
    expect(REFUSED).toContain(refusal?.code);

    const outcomes = (await inFlight).map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as RpcError).code));
    expect(outcomes).toEqual(Array(IN_FLIGHT).fill(`slept ${SLOW_MS}`));
    await expect(provider.exited).resolves.toBe('SIGTERM');
  });
});
