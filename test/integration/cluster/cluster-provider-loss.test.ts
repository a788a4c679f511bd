/**
 * Losing providers under load: failover around a provider killed (SIGKILL) or stopped gracefully (SIGTERM) in the
 * middle of a stream of calls, a dead provider dropped from balancing and taken back after a restart on the same
 * port, and failback delivering a call once its only provider comes up. Real processes, direct URLs.
 */
import { RpcClient, type ReferenceOptions } from '../../../src/index';
import { stopAllChildren } from '../../support/child-process';
import {
  CapturingLogger,
  executionsOn,
  freePort,
  startProvider,
  sum,
  urlOf,
  type ClusterService,
  type Provider,
  type WriteResult,
} from './cluster-support';

const VERSION = '1.0.0';
/** Reconnect quickly, so a restarted provider is found again within the test's time. */
const FAST_RECONNECT = { backoff: { initialMs: 20, maxMs: 100, multiplier: 2, jitter: 0 } };

interface StreamOutcome {
  results: WriteResult[];
  failures: unknown[];
  /** Results of calls started after the stopped provider had exited. */
  afterExit: WriteResult[];
  /** Calls settled when the provider exited: fewer than the total, or the test proved nothing. */
  settledAtExit: number;
}

/**
 * `total` calls, `inFlight` at a time; when `stopAfter` have settled, `stop()` is called (not awaited by the
 * stream) and the stream keeps going. `stopped` resolves when the provider has exited.
 */
async function stream(
  total: number,
  inFlight: number,
  call: (i: number) => Promise<WriteResult>,
  stopAfter: number,
  stop: () => Promise<unknown>,
): Promise<StreamOutcome> {
  const results: WriteResult[] = [];
  const failures: unknown[] = [];
  const afterExit: WriteResult[] = [];
  let next = 0;
  let settled = 0;
  let exited = false;
  let settledAtExit = -1;
  let stopping: Promise<unknown> | undefined;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const i = next++;
      const startedAfterExit = exited;
      try {
        const result = await call(i);
        results.push(result);
        if (startedAfterExit) afterExit.push(result);
      } catch (error) {
        failures.push(error);
      }
      settled++;
      if (settled === stopAfter) {
        stopping = stop().then(() => {
          exited = true;
          settledAtExit = settled;
        });
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  await stopping;
  return { results, failures, afterExit, settledAtExit };
}

describe('providers lost and found under load', () => {
  const clients: RpcClient[] = [];
  const newClient = (logger = new CapturingLogger(), connection = {}) => {
    const client = new RpcClient({ logger, connection });
    clients.push(client);
    return client;
  };
  const reference = (client: RpcClient, providers: readonly Provider[], options: ReferenceOptions = {}) =>
    client.reference<ClusterService>('test.Cluster', {
      url: urlOf(providers),
      version: VERSION,
      timeout: 5000,
      ...options,
    });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await stopAllChildren();
  });

  it('failover: a provider killed (SIGKILL) mid-stream costs no idempotent call; the survivors serve the rest', async () => {
    const providers = await Promise.all(['k1', 'k2', 'k3'].map((name) => startProvider(name)));
    const [, victim] = providers as [Provider, Provider, Provider];
    const client = newClient();
    // A killed provider may have run the calls it held: only idempotent calls may be repeated elsewhere.
    const failover = reference(client, providers, { loadbalance: 'roundrobin', idempotent: true });

    const outcome = await stream(
      300,
      16,
      (i) => failover.write(`k${i}`, 'sigkill', { '*': 15 }),
      80,
      async () => {
        victim.child.kill('SIGKILL');
        await victim.child.exited;
      },
    );

    expect(outcome.failures).toEqual([]);
    expect(outcome.results).toHaveLength(300);
    expect(outcome.settledAtExit).toBeLessThan(300);
    expect(outcome.results.some((r) => r.name === 'k2')).toBe(true); // it served before it died
    expect(outcome.afterExit.length).toBeGreaterThan(0);
    expect(outcome.afterExit.every((r) => r.name !== 'k2')).toBe(true);
    expect(new Set(outcome.afterExit.map((r) => r.name))).toEqual(new Set(['k1', 'k3']));
  });

  it('failover: a provider stopped gracefully (SIGTERM) mid-stream costs no call, and no write runs twice', async () => {
    const providers = await Promise.all(['t1', 't2', 't3'].map((name) => startProvider(name)));
    const [first, victim, third] = providers as [Provider, Provider, Provider];
    const client = newClient();
    const tag = 'sigterm';
    // Not idempotent: a graceful stop answers what it started and refuses the rest (SHUTTING_DOWN, surely not run).
    const failover = reference(client, providers, { loadbalance: 'roundrobin' });

    const outcome = await stream(
      300,
      16,
      (i) => failover.write(`k${i}`, tag, { '*': 15 }),
      80,
      async () => {
        victim.child.kill('SIGTERM');
        await victim.child.exited;
      },
    );

    expect(outcome.failures).toEqual([]);
    expect(outcome.results).toHaveLength(300);
    expect(outcome.settledAtExit).toBeLessThan(300);
    expect(outcome.afterExit.length).toBeGreaterThan(0);
    expect(outcome.afterExit.every((r) => r.name !== 't2')).toBe(true);
    // Each provider's answers are its executions 1..n, and the survivors ran nothing nobody saw: 300 runs in all.
    for (const p of providers) {
      const executions = outcome.results
        .filter((r) => r.name === p.name)
        .map((r) => r.execution)
        .sort((x, y) => x - y);
      expect(executions).toEqual(Array.from({ length: executions.length }, (_, i) => i + 1));
    }
    const survivors = await executionsOn(client, [first, third], tag);
    expect(sum(survivors)).toBe(outcome.results.filter((r) => r.name !== 't2').length);
    expect(await victim.child.exited).toBe(0);
  });

  it('drops a killed provider at once and uses it again once restarted on the same port', async () => {
    const providers = await Promise.all(['r1', 'r2'].map((name) => startProvider(name)));
    const [survivor, victim] = providers as [Provider, Provider];
    const logger = new CapturingLogger();
    // A short reconnect budget: the restart below takes longer than the client's background reconnects last.
    const client = newClient(logger, { ...FAST_RECONNECT, maxReconnectAttempts: 3 });
    const failover = reference(client, providers, { loadbalance: 'roundrobin' });
    const names = async (count: number) =>
      (await Promise.all(Array.from({ length: count }, (_, i) => failover.echo(i)))).map((r) => r.name);

    expect(new Set(await names(10))).toEqual(new Set(['r1', 'r2']));

    victim.child.kill('SIGKILL');
    await victim.child.exited;
    // The client noticed: it has already tried to reconnect in the background (and failed).
    await logger.waitFor(`Reconnect to ${victim.address} failed`, 3000);

    // Not idempotent and no waiting: a call sent to the dead provider would fail (CONNECTION_CLOSED) or wait.
    const startedAt = Date.now();
    expect(new Set(await names(40))).toEqual(new Set([survivor.name]));
    expect(Date.now() - startedAt).toBeLessThan(1000);

    const restarted = await startProvider('r2-again', victim.port);
    expect(restarted.address).toBe(victim.address);
    let seen = false;
    const until = Date.now() + 5000;
    while (!seen && Date.now() < until) {
      seen = (await names(4)).includes('r2-again');
      if (!seen) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(seen).toBe(true);
  });

  it('failback: a call whose only provider is down resolves undefined and runs once the provider is up', async () => {
    const port = await freePort();
    const logger = new CapturingLogger();
    const client = newClient(logger, FAST_RECONNECT);
    const tag = 'failback';
    const failback = client.reference<ClusterService>('test.Cluster', {
      url: `courier://127.0.0.1:${port}`,
      version: VERSION,
      cluster: 'failback',
      timeout: 1000,
      failbackIntervalMs: 100,
      failbackMaxAttempts: 8,
    });

    await expect(failback.notify(tag)).resolves.toBeUndefined();
    expect(logger.lines.some((line) => line.includes('will retry in the background (failback)'))).toBe(true);

    const provider = await startProvider('late', port);
    await logger.waitFor('succeeded (failback)', 15_000);
    expect(await executionsOn(client, [provider], tag)).toEqual([1]);
  });
});
