import { stopAllChildren } from '../../support/child-process';
import { killSession, RawZookeeper, uniqueRoot } from '../../support/zk-testing';
import { ZookeeperEnsemble, ZookeeperServer } from '../../support/zookeeper';
import { Consumer, Load, ownerOf, Provider, SERVICE, sessionIdBuffer, within, zookeeperUrl } from './e2e-support';

/**
 * ZooKeeper itself misbehaving under real RPC traffic: sessions expired for real, the server stopped and
 * restarted, an ensemble losing its leader. Each test owns its ZooKeeper, started here.
 */

const SESSION_TIMEOUT = 6_000;
/**
 * Forcing an expiry means another client attaching with the session's id and password and closing it before the
 * owner reconnects; a slower reconnect of the owner (spinDelay) keeps that race from being lost on a busy machine.
 */
const SPIN_DELAY = '&spinDelay=1500';
/** How long ZooKeeper stays down in the outage test. */
const OUTAGE_MS = 3_500;

/** Ends a session for real (another client attaches with its id and password, then closes), until `expired`. */
async function expireSession(
  connectString: string,
  session: { id: Buffer; password: Buffer },
  expired: Promise<unknown>,
): Promise<void> {
  let done = false;
  void expired.then(() => (done = true));
  for (let attempt = 1; attempt <= 5 && !done; attempt++) {
    await killSession(connectString, session.id, session.password);
    await within(expired, 2_000, 'not expired yet').catch(() => {});
  }
  await within(expired, 1, 'the session did not expire after 5 attempts');
}

describe('end to end over ZooKeeper: session expiry and outage of a standalone server', () => {
  let server: ZookeeperServer;
  let url: string;
  let raw: RawZookeeper;
  let consumer: Consumer;
  let load: Load | undefined;
  const providers: Provider[] = [];
  const root = uniqueRoot('e2e-zk');

  beforeAll(async () => {
    server = await ZookeeperServer.start();
    url = zookeeperUrl(server.connectString, root, SESSION_TIMEOUT, SPIN_DELAY);
    raw = await RawZookeeper.connect(server.connectString);
    providers.push(...(await Promise.all([Provider.start('a', url), Provider.start('b', url)])));
    consumer = new Consumer(url);
  }, 60_000);
  afterEach(async () => {
    await load?.stop();
    load = undefined;
  });
  afterAll(async () => {
    await load?.stop();
    if (process.env['E2E_VERBOSE'] !== undefined) {
      for (const p of providers) console.log(`${p.name}:\n${p.child.stderr()}\n${p.child.lines.join('\n')}`);
      console.log(`consumer:\n${consumer.logger.lines.filter((l) => !l.startsWith('debug')).join('\n')}`);
    }
    await consumer?.close();
    await stopAllChildren();
    await raw?.close();
    await server?.stop();
  });

  it("brings a provider's node back under its new session after a real expiry, and a consumer's too", async () => {
    load = new Load(consumer.greeter()).start();
    await load.waitForServers(['a', 'b'], 10_000, 100);
    const a = providers[0]!;

    // The provider's session.
    const old = a.currentSession();
    const since = a.sessionEvents().length;
    await expireSession(
      server.connectString,
      { id: sessionIdBuffer(old.id), password: Buffer.from(old.password, 'hex') },
      a.waitForSession((e) => e.state === 'EXPIRED', 20_000, since),
    );
    const renewed = await a.waitForSession((e) => e.state === 'CONNECTED' && e.sessionId !== old.id, 10_000, since);
    let stat = await raw.waitForNode(a.node, 5_000);
    for (let i = 0; i < 50 && ownerOf(stat) !== renewed.sessionId; i++) stat = await raw.waitForNode(a.node, 100);
    expect(ownerOf(stat)).toBe(renewed.sessionId);
    await load.waitForServers(['a', 'b'], 10_000, 200); // the consumer calls it again

    // The consumer's session: its own node comes back, and its subscription lives on (a newcomer is found).
    const consumerOld = consumer.registry.sessionId;
    const consumerRenewed = consumer.nextSessionState(
      'CONNECTED',
      20_000,
      () => consumer.registry.sessionId !== consumerOld,
    );
    await expireSession(server.connectString, consumer.session(), consumer.nextSessionState('EXPIRED', 20_000));
    await consumerRenewed;
    const consumersPath = `${root}/${SERVICE}/consumers`;
    let owners: string[] = [];
    const deadline = Date.now() + 10_000;
    while (!owners.includes(consumer.registry.sessionId) && Date.now() < deadline) {
      let changed: () => void = () => {};
      const change = new Promise<void>((resolve) => (changed = resolve));
      const nodes = await raw.children(consumersPath, () => changed());
      const stats = await Promise.all(nodes.map((node) => raw.stat(`${consumersPath}/${node}`)));
      owners = stats.flatMap((s) => (s === null ? [] : [ownerOf(s)]));
      if (!owners.includes(consumer.registry.sessionId)) await within(change, 2_000, 'no change').catch(() => {});
    }
    expect(owners).toEqual([consumer.registry.sessionId]);

    providers.push(await Provider.start('c', url));
    await load.waitForServers(['a', 'b', 'c'], 10_000, 300);
    await load.stop();
    expect(load.failures).toEqual([]);
  }, 90_000);

  it('keeps calls flowing while ZooKeeper is down, keeps the registrations, and discovers a newcomer after', async () => {
    const names = providers.map((p) => p.name);
    load = new Load(consumer.greeter()).start();
    await load.waitForServers(names, 10_000, 100);
    const sessions = providers.map((p) => p.currentSession().id);
    const since = providers.map((p) => p.sessionEvents().length);
    const consumerSession = consumer.registry.sessionId;

    // This test's own reader reconnects afresh after the restart (a bare node-zookeeper-client may hang there).
    await raw.close();
    const disconnected = consumer.nextSessionState('DISCONNECTED', 10_000);
    await server.pause();
    await disconnected;
    const outageStarted = Date.now();
    const outageMark = load.mark();
    await load.waitForCalls(300, 10_000, 'calls while ZooKeeper is down');
    // The outage lasts OUTAGE_MS: the scenario's length, not a wait for some event.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - outageStarted))));
    expect(Object.keys(load.tally(outageMark)).sort()).toEqual(names); // all three, from the last list

    const reconnected = consumer.nextSessionState('CONNECTED', 20_000);
    await server.restart();
    await reconnected;
    expect(consumer.registry.sessionId).toBe(consumerSession);
    await Promise.all(providers.map((p, i) => p.waitForSession((e) => e.state === 'CONNECTED', 20_000, since[i])));
    for (const [i, p] of providers.entries()) {
      expect(
        p
          .sessionEvents()
          .slice(since[i])
          .map((e) => e.state),
      ).toEqual(['DISCONNECTED', 'CONNECTED']);
      expect(p.currentSession().id).toBe(sessions[i]);
    }

    // Registrations intact: the same nodes, owned by the same sessions.
    raw = await RawZookeeper.connect(server.connectString);
    const providersPath = `${root}/${SERVICE}/providers`;
    expect((await raw.children(providersPath)).map((n) => `${providersPath}/${n}`).sort()).toEqual(
      providers.map((p) => p.node).sort(),
    );
    for (const [i, p] of providers.entries()) expect(ownerOf((await raw.stat(p.node))!)).toBe(sessions[i]);

    // A provider started after the restart is discovered and called.
    providers.push(await Provider.start('d', url));
    await load.waitForServers([...names, 'd'], 10_000, 300);
    await load.stop();
    expect(load.failures).toEqual([]);
  }, 90_000);
});

describe('end to end over ZooKeeper: a 3-node ensemble losing its leader', () => {
  let ensemble: ZookeeperEnsemble;
  let raw: RawZookeeper;
  let consumer: Consumer;
  let load: Load | undefined;

  beforeAll(async () => {
    ensemble = await ZookeeperEnsemble.start();
  }, 60_000);
  afterAll(async () => {
    await load?.stop();
    await consumer?.close();
    await stopAllChildren();
    await raw?.close();
    await ensemble?.stop();
  });

  it('keeps registration and discovery working after the leader is killed', async () => {
    const root = uniqueRoot('e2e-ensemble');
    const url = zookeeperUrl(ensemble.connectString, root, SESSION_TIMEOUT);
    raw = await RawZookeeper.connect(ensemble.connectString);
    const [a, b] = await Promise.all([Provider.start('a', url), Provider.start('b', url)]);
    consumer = new Consumer(url);
    load = new Load(consumer.greeter()).start();
    await load.waitForServers(['a', 'b'], 10_000, 100);

    const leader = await ensemble.leader();
    await ensemble.kill(leader);
    const c = await Provider.start('c', url);
    await load.waitForServers(['a', 'b', 'c'], 20_000, 300);

    const survivors = ensemble.nodes.filter((n) => n !== leader).map((n) => `127.0.0.1:${n.port}`);
    await raw.close();
    raw = await RawZookeeper.connect(survivors.join(','));
    for (const p of [a!, b!, c]) {
      const stat = await raw.stat(p.node);
      expect(stat).not.toBeNull();
      expect(ownerOf(stat!)).toBe(p.currentSession().id);
    }
    await load.stop();
    expect(load.failures).toEqual([]);
  }, 90_000);
});
