import { parseRegistryUrl } from '../../../registry/provider-url';
import { stopAllChildren } from '../../support/child-process';
import { RawZookeeper, uniqueRoot } from '../../support/zk-testing';
import { zkUrl } from '../../support/zookeeper';
import { Consumer, javaUrlEncode, Load, ownerOf, Provider, SERVICE, zookeeperUrl } from './e2e-support';

/**
 * Bootstrap providers in their own processes, a consumer in this one, the shared ZooKeeper of the integration
 * run: what they write there, and calls under steady load while providers stop, restart and die.
 */

/** Session timeout of every process here: small, so a killed provider's node goes quickly. */
const SESSION_TIMEOUT = 4_000;

describe('end to end over ZooKeeper: registration layout', () => {
  const root = uniqueRoot('e2e-layout');
  const url = zookeeperUrl(zkUrl(), root, SESSION_TIMEOUT);
  let raw: RawZookeeper;
  let consumer: Consumer | undefined;

  beforeAll(async () => {
    raw = await RawZookeeper.connect(zkUrl());
  });
  afterAll(async () => {
    await consumer?.close();
    await stopAllChildren();
    await raw?.close();
  });

  it("writes the provider's and the consumer's nodes in Dubbo's layout, owned by their sessions", async () => {
    const startedAt = Date.now();
    const provider = await Provider.start('layout-a', url);
    const providersPath = `${root}/${SERVICE}/providers`;

    const children = await raw.children(providersPath);
    expect(children).toHaveLength(1);
    const nodeName = children[0]!;
    const providerUrl = decodeURIComponent(nodeName.replace(/\+/g, ' '));
    expect(nodeName).toBe(javaUrlEncode(providerUrl)); // Java's URLEncoder over the whole URL, as Dubbo names it
    expect(`${providersPath}/${nodeName}`).toBe(provider.node);

    const stat = await raw.stat(`${providersPath}/${nodeName}`);
    expect(stat).not.toBeNull();
    expect(ownerOf(stat!)).toBe(provider.ready.sessionId);
    const parent = await raw.stat(providersPath);
    expect(parent!.ephemeralOwner.equals(Buffer.alloc(8))).toBe(true); // parents are persistent

    const parsed = parseRegistryUrl(providerUrl);
    expect(parsed).toMatchObject({
      protocol: 'courier',
      host: '127.0.0.1',
      port: provider.ready.port,
      service: SERVICE,
    });
    const query = providerUrl.slice(providerUrl.indexOf('?') + 1);
    const keys = query.split('&').map((pair) => pair.slice(0, pair.indexOf('=')));
    expect(keys).toEqual([...keys].sort()); // sorted parameters
    expect(parsed.parameters).toMatchObject({
      application: 'e2e-provider',
      group: '',
      version: '1.0.0',
      methods: 'greet',
      pid: String(provider.ready.pid),
      side: 'provider',
      weight: '100',
      serialization: 'msgpack',
      interface: SERVICE,
    });
    const timestamp = Number(parsed.parameters['timestamp']);
    expect(timestamp).toBeGreaterThanOrEqual(startedAt);
    expect(timestamp).toBeLessThanOrEqual(Date.now());

    // A consumer: its node under consumers/, owned by its session; and it calls the provider found there.
    consumer = new Consumer(url);
    const greeter = consumer.greeter();
    const greeting = await greeter.greet('layout');
    expect(greeting.servedBy).toBe('layout-a');
    expect(greeting.message).toBe('Hello, layout');
    const consumersPath = `${root}/${SERVICE}/consumers`;
    // Published in the background by reference(): wait on the parent's children (bounded).
    let consumerNodes: string[] = [];
    const deadline = Date.now() + 5_000;
    while (consumerNodes.length === 0 && Date.now() < deadline) {
      consumerNodes = await raw.children(consumersPath).catch(() => []);
      if (consumerNodes.length === 0) await raw.waitForNode(consumersPath, 1_000).catch(() => null);
    }
    expect(consumerNodes).toHaveLength(1);
    const consumerUrl = decodeURIComponent(consumerNodes[0]!.replace(/\+/g, ' '));
    expect(consumerNodes[0]).toBe(javaUrlEncode(consumerUrl));
    const consumerParsed = parseRegistryUrl(consumerUrl);
    expect(consumerParsed).toMatchObject({ protocol: 'consumer', port: 0, service: SERVICE });
    expect(consumerParsed.parameters).toMatchObject({
      application: 'e2e-consumer',
      side: 'consumer',
      category: 'consumers',
      version: '1.0.0',
      pid: String(process.pid),
    });
    const consumerStat = await raw.stat(`${consumersPath}/${consumerNodes[0]}`);
    expect(ownerOf(consumerStat!)).toBe(consumer.registry.sessionId);

    // A graceful stop deletes the provider's node at once (unregister first), not after the session timeout.
    const stopping = Date.now();
    await expect(provider.stop('SIGTERM')).resolves.toBe('SIGTERM');
    expect(await raw.stat(provider.node)).toBeNull();
    expect(Date.now() - stopping).toBeLessThan(SESSION_TIMEOUT);
  }, 60_000);
});

describe('end to end over ZooKeeper: providers stopping, restarting and dying under steady load', () => {
  const root = uniqueRoot('e2e-fleet');
  const url = zookeeperUrl(zkUrl(), root, SESSION_TIMEOUT);
  const fleet: Provider[] = [];
  let raw: RawZookeeper;
  let consumer: Consumer;
  let load: Load | undefined;
  let generation = 0;

  const running = () => fleet.filter((p) => p.running);
  const names = () => running().map((p) => p.name);
  async function startProvider(base: string): Promise<Provider> {
    const provider = await Provider.start(`${base}-${++generation}`, url);
    fleet.push(provider);
    return provider;
  }
  /** Three providers running and all of them served by the consumer. */
  async function ensureThree(): Promise<void> {
    const missing = ['a', 'b', 'c'].slice(running().length);
    await Promise.all(missing.map((base) => startProvider(base)));
    if (load !== undefined) await load.waitForServers(names(), 10_000);
  }

  beforeAll(async () => {
    raw = await RawZookeeper.connect(zkUrl());
    consumer = new Consumer(url);
    await ensureThree();
  }, 60_000);
  afterEach(async () => {
    await load?.stop();
    load = undefined;
  });
  afterAll(async () => {
    await load?.stop();
    await consumer?.close();
    await stopAllChildren();
    await raw?.close();
  });

  it('loses no call when one provider stops gracefully (SIGTERM) under load', async () => {
    await ensureThree();
    load = new Load(consumer.greeter()).start(); // failover, not idempotent: only "surely not run" is retried
    await load.waitForServers(names(), 10_000, 200);
    const [victim, ...others] = running();

    const stopped = victim!.stop('SIGTERM');
    await load.waitForCalls(200, 10_000, 'calls while it stopped');
    await expect(stopped).resolves.toBe('SIGTERM');
    expect(await raw.stat(victim!.node)).toBeNull(); // unregistered on the way out

    const after = load.mark();
    await load.waitForCalls(300, 10_000, 'calls after the stop');
    await load.stop();
    expect(load.failures).toEqual([]);
    expect(Object.keys(load.tally(after)).sort()).toEqual(others.map((p) => p.name).sort());
  }, 60_000);

  it('loses no call in a rolling restart of all three providers, one by one', async () => {
    await ensureThree();
    load = new Load(consumer.greeter()).start();
    await load.waitForServers(names(), 10_000, 100);
    for (const old of running()) {
      const replacement = startProvider(old.name.replace(/-\d+$/, ''));
      await expect(old.stop('SIGTERM')).resolves.toBe('SIGTERM');
      const fresh = await replacement;
      // The consumer discovers the new one (a new port) and keeps calling the others meanwhile.
      await load.waitForServers([fresh.name], 10_000);
      expect(await raw.stat(old.node)).toBeNull();
    }
    const after = load.mark();
    await load.waitForServers(names(), 10_000, 300);
    await load.stop();
    expect(load.failures).toEqual([]);
    expect(running()).toHaveLength(3);
    expect(Object.keys(load.tally(after)).sort()).toEqual(names().sort());
    expect(fleet.filter((p) => !p.running)).toHaveLength(4);
  }, 90_000);

  it('stops routing to a provider killed with SIGKILL at once; its node goes after the session timeout', async () => {
    await ensureThree();
    load = new Load(consumer.greeter({ idempotent: true })).start(); // in-flight calls on the dead one are retried
    await load.waitForServers(names(), 10_000, 200);
    const [victim, ...others] = running();
    expect(await raw.stat(victim!.node)).not.toBeNull();

    const closed = consumer.connectionState(victim!.address, ['CLOSED'], 5_000);
    const killedAt = Date.now();
    const killMark = load.mark();
    await expect(victim!.stop('SIGKILL')).resolves.toBe('SIGKILL');
    await closed;

    // ZooKeeper still lists it (the session lives on until its timeout), yet calls with no retry at all never
    // reach it: the closed connection took it out of the balancing set.
    const probe = consumer.greeter({ retries: 0 });
    const probed: string[] = [];
    for (let i = 0; i < 30; i++) probed.push((await probe.greet(`probe ${i}`)).servedBy);
    expect(await raw.stat(victim!.node)).not.toBeNull();
    expect(new Set(probed)).toEqual(new Set(others.map((p) => p.name)));

    await raw.waitForNoNode(victim!.node, SESSION_TIMEOUT + 5_000);
    const gone = Date.now() - killedAt;
    expect(gone).toBeGreaterThanOrEqual(SESSION_TIMEOUT / 2);
    expect(load.mark() - killMark).toBeGreaterThan(100); // the load kept going while ZooKeeper still listed it

    const after = load.mark();
    await load.waitForCalls(200, 10_000);
    await load.stop();
    expect(load.failures).toEqual([]);
    expect(load.tally(after)[victim!.name]).toBeUndefined();
  }, 60_000);
});
