/**
 * Fault-tolerance strategies and consistent hashing against three real provider processes (direct URLs, no
 * registry). Every provider counts the executions of its writes per tag, so a test can tell how often a call ran.
 */
import { RpcClient, RpcError } from '../../../src/index';
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
} from './cluster-support';

const VERSION = '1.0.0';

describe('cluster strategies against three real providers', () => {
  let providers: Provider[] = [];
  let url: string;
  let client: RpcClient;
  let logger: CapturingLogger;

  const reference = (options: Parameters<RpcClient['reference']>[1] = {}, service = 'test.Cluster') =>
    client.reference<ClusterService>(service, { url, version: VERSION, timeout: 5000, ...options });

  beforeAll(async () => {
    providers = await Promise.all(['a', 'b', 'c'].map((name) => startProvider(name)));
    url = urlOf(providers);
    logger = new CapturingLogger();
    client = new RpcClient({ logger });
    // Open every connection first, so timings below measure calls, not connects.
    await executionsOn(client, providers, 'warm-up');
  });

  afterAll(async () => {
    await client?.close();
    await stopAllChildren();
  });

  describe('failover', () => {
    it('does not retry a non-idempotent call that timed out: it ran once in total', async () => {
      const tag = 'timeout-not-idempotent';
      const failover = reference({ timeout: 300, retries: 2 });
      const error = await failover.write('k', tag, { '*': 1500 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RpcError);
      expect(error).toMatchObject({ code: 'TIMEOUT' });
      // A retry would have been sent before the call settled, on the same connections these counts travel.
      expect(sum(await executionsOn(client, providers, tag))).toBe(1);
    });

    it.each([
      ['idempotent: true', 'key-1', { idempotent: true }],
      ['methods: { write: { idempotent: true } }', 'key-2', { methods: { write: { idempotent: true } } }],
    ])('retries an idempotent (%s) timed-out call on another provider within the deadline', async (_, key, options) => {
      // consistenthash pins the first attempt: find which provider owns the key, and make only that one slow.
      const probe = reference({ loadbalance: 'consistenthash', cluster: 'failfast' });
      const slow = (await probe.write(key, 'probe')).name;
      const tag = `timeout-idempotent-${key}`;
      const failover = reference({ loadbalance: 'consistenthash', timeout: 1500, retries: 2, ...options });

      const startedAt = Date.now();
      const result = await failover.write(key, tag, { [slow]: 4000 });
      const elapsed = Date.now() - startedAt;

      expect(result.name).not.toBe(slow);
      expect(elapsed).toBeLessThan(1500);
      const counts = await executionsOn(client, providers, tag);
      expect(sum(counts)).toBe(2);
      expect(counts[providers.findIndex((p) => p.name === slow)]).toBe(1);
      expect(counts[providers.findIndex((p) => p.name === result.name)]).toBe(1);
    });

    it('never retries an APPLICATION_ERROR, even for an idempotent call', async () => {
      const tag = 'application-error';
      const failover = reference({ retries: 2, idempotent: true });
      const error = await failover.notify(tag, ['*']).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'APPLICATION_ERROR', retryable: false });
      expect((error as Error).message).toContain('refused application-error');
      expect(sum(await executionsOn(client, providers, tag))).toBe(1);
    });
  });

  describe('forking', () => {
    it('returns the fastest provider’s answer, in about its time', async () => {
      const tag = 'forking';
      const forking = reference({ cluster: 'forking', forks: 3 });
      const startedAt = Date.now();
      const result = await forking.write('k', tag, { a: 1500, b: 30, c: 1500 });
      const elapsed = Date.now() - startedAt;
      expect(result.name).toBe('b');
      expect(elapsed).toBeLessThan(600);
      expect(await executionsOn(client, providers, tag)).toEqual([1, 1, 1]);
    });
  });

  describe('broadcast', () => {
    it('reaches every provider once', async () => {
      const tag = 'broadcast-ok';
      await expect(reference({ cluster: 'broadcast' }).notify(tag)).resolves.toMatch(/^[abc]$/);
      expect(await executionsOn(client, providers, tag)).toEqual([1, 1, 1]);
    });

    it('fails when one provider fails, naming its address, and still reached all', async () => {
      const tag = 'broadcast-one-fails';
      const failing = providers[1] as Provider;
      const error = await reference({ cluster: 'broadcast' })
        .notify(tag, [failing.name])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RpcError);
      const message = (error as RpcError).message;
      expect(message).toContain('1 of 3 providers failed');
      expect(message).toContain(`${failing.address} APPLICATION_ERROR`);
      for (const other of providers.filter((p) => p !== failing)) expect(message).not.toContain(other.address);
      expect(await executionsOn(client, providers, tag)).toEqual([1, 1, 1]);
    });
  });

  describe('failsafe', () => {
    it('resolves undefined when the provider fails, and the call ran once', async () => {
      const tag = 'failsafe';
      await expect(reference({ cluster: 'failsafe' }).notify(tag, ['*'])).resolves.toBeUndefined();
      expect(sum(await executionsOn(client, providers, tag))).toBe(1);
      expect(logger.lines.some((line) => line.includes('ignored (failsafe)'))).toBe(true);
    });

    it('resolves undefined when no provider can be reached', async () => {
      const nowhere = `courier://127.0.0.1:${await freePort()}`;
      const failsafe = client.reference<ClusterService>('test.Cluster', { url: nowhere, cluster: 'failsafe' });
      await expect(failsafe.whoami()).resolves.toBeUndefined();
    });
  });

  describe('call-id de-duplication', () => {
    // failback retries in the background with the same call id; with one provider the retry reaches the provider
    // that is still running (or has finished) the first attempt.
    const retriedWrite = async (service: string, tag: string): Promise<number> => {
      const only = providers[0] as Provider;
      const own = new CapturingLogger();
      const failbackClient = new RpcClient({ logger: own });
      try {
        const failback = failbackClient.reference<ClusterService>(service, {
          url: urlOf([only]),
          version: VERSION,
          cluster: 'failback',
          timeout: 200,
          failbackIntervalMs: 50,
          failbackTimeoutMs: 3000,
        });
        await expect(failback.write('k', tag, { [only.name]: 600 })).resolves.toBeUndefined();
        await own.waitFor('background retry 1 succeeded (failback)', 5000);
        return sum(await executionsOn(failbackClient, [only], tag, service));
      } finally {
        await failbackClient.close();
      }
    };

    it('makes a timed-out write retried on the same provider run once', async () => {
      expect(await retriedWrite('test.ClusterDedup', 'dedup-on')).toBe(1);
    });

    it('(control) without it the retried write runs twice', async () => {
      expect(await retriedWrite('test.Cluster', 'dedup-off')).toBe(2);
    });
  });

  describe('consistenthash', () => {
    it('sends the same key to the same provider every time, and spreads different keys', async () => {
      const keys = Array.from({ length: 60 }, (_, i) => `user-${i}`);
      const first = reference({ loadbalance: 'consistenthash', cluster: 'failfast' });
      const second = reference({ loadbalance: 'consistenthash' }); // its own balancer: the same ring
      const owners = new Map<string, string>();
      for (let round = 0; round < 3; round++) {
        const results = await Promise.all(keys.map((key) => (round === 1 ? second : first).echo(key)));
        results.forEach(({ name, value }) => {
          expect(owners.get(value) ?? name).toBe(name);
          owners.set(value, name);
        });
      }
      const load = new Map<string, number>();
      for (const name of owners.values()) load.set(name, (load.get(name) ?? 0) + 1);
      expect([...load.keys()].sort()).toEqual(['a', 'b', 'c']);
      for (const count of load.values()) expect(count).toBeGreaterThanOrEqual(8);
    });
  });
});
