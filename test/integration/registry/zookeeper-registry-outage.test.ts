import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import '../../../registry';
import { encodeNodeName, formatRegistryUrl, providerRegistration } from '../../../registry/provider-url';
import { ZookeeperRegistry } from '../../../registry/zookeeper-registry';
import { SessionState } from '../../../registry/zookeeper-session-state';
import { freePort, zkUrl, ZookeeperServer } from '../../support/zookeeper';
import { ProviderRecorder, RawZookeeper, recordingLogger, uniqueRoot, within } from '../../support/zk-testing';

const SERVICE = 'com.acme.StockService';

/** Resolves on the registry's next move to `state`. */
function nextState(registry: ZookeeperRegistry, state: SessionState): Promise<void> {
  return new Promise((resolve) => {
    const stop = registry.onStateChange((next) => {
      if (next === state) {
        stop();
        resolve();
      }
    });
  });
}

describe('ZookeeperRegistry through ZooKeeper outages', () => {
  let cacheDir: string;
  const registries: ZookeeperRegistry[] = [];
  const servers: ZookeeperServer[] = [];

  beforeAll(async () => {
    cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'courier-registry-cache-'));
  });
  afterEach(async () => {
    await Promise.all(registries.splice(0).map((r) => r.close()));
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });
  afterAll(async () => {
    await fs.rm(cacheDir, { recursive: true, force: true });
  });

  it('keeps the last list while ZooKeeper is down and has its registrations back after the restart', async () => {
    const server = await ZookeeperServer.start();
    servers.push(server);
    const root = uniqueRoot('outage');
    const logger = recordingLogger();
    const registry = new ZookeeperRegistry(`zookeeper://${server.connectString}/?root=${root}&sessionTimeout=8000`, {
      logger,
      cacheFile: path.join(cacheDir, 'outage.json'),
      connectWait: 200,
    });
    registries.push(registry);
    const first = providerRegistration({ host: '127.0.0.1', port: 7301, service: SERVICE });
    await registry.register(first);
    const recorder = new ProviderRecorder();
    await registry.subscribe(SERVICE, recorder.listener);
    expect(recorder.ports()).toEqual([7301]);
    const sessionBefore = registry.sessionId;

    const disconnected = nextState(registry, SessionState.DISCONNECTED);
    await server.pause();
    await within(disconnected, 5_000, () => 'no disconnection seen');

    // While ZooKeeper is away: a registration is accepted (and made later), subscribers keep their list.
    const second = providerRegistration({ host: '127.0.0.1', port: 7302, service: SERVICE });
    await registry.register(second);
    expect(logger.lines.some((l) => l.includes('will be registered once it is back'))).toBe(true);
    const late = new ProviderRecorder();
    await registry.subscribe(SERVICE, late.listener);
    expect(late.ports()).toEqual([7301]);

    const connected = nextState(registry, SessionState.CONNECTED);
    await server.restart();
    await within(connected, 10_000, () => 'no reconnection after the restart');

    await recorder.waitForPorts([7301, 7302], 5_000);
    expect(registry.sessionId).toBe(sessionBefore); // the servers kept the session through their restart
    const raw = await RawZookeeper.connect(server.connectString);
    try {
      for (const registration of [first, second]) {
        const stat = await raw.stat(registry.nodePath(registration));
        expect(`0x${stat?.ephemeralOwner.toString('hex').replace(/^0+/, '')}`).toBe(registry.sessionId);
      }
    } finally {
      await raw.close();
    }
    expect(recorder.sawEmpty()).toBe(false);
    expect(late.sawEmpty()).toBe(false);
  });

  it('starts from the cache file when ZooKeeper is unreachable at start-up, and says so', async () => {
    const root = uniqueRoot('cache');
    const cacheFile = path.join(cacheDir, 'startup.json');
    const url = formatRegistryUrl(providerRegistration({ host: '127.0.0.1', port: 7401, service: SERVICE }));

    // A first life, with ZooKeeper up, leaves the list in the cache file.
    const raw = await RawZookeeper.connect(zkUrl());
    try {
      await raw.mkdirp(`${root}/${SERVICE}/providers`);
      await raw.createEphemeral(`${root}/${SERVICE}/providers/${encodeNodeName(url)}`);
      const online = new ZookeeperRegistry(`zookeeper://${zkUrl()}/?root=${root}`, {
        logger: recordingLogger(),
        cacheFile,
      });
      const recorder = new ProviderRecorder();
      await online.subscribe(SERVICE, recorder.listener);
      expect(recorder.ports()).toEqual([7401]);
      await online.close();
    } finally {
      await raw.close();
    }
    expect(JSON.parse(await fs.readFile(cacheFile, 'utf8'))).toMatchObject({
      entries: { [`${root}/${SERVICE}`]: { urls: [url] } },
    });

    // A second life, with nothing listening on the ZooKeeper port.
    const logger = recordingLogger();
    const offline = new ZookeeperRegistry(`zookeeper://127.0.0.1:${await freePort()}/?root=${root}`, {
      logger,
      cacheFile,
      connectWait: 300,
    });
    registries.push(offline);
    const recorder = new ProviderRecorder();
    await offline.subscribe(SERVICE, recorder.listener);
    expect(recorder.ports()).toEqual([7401]);
    expect(
      logger.lines.some((l) => l.startsWith('warn') && l.includes('cached provider(s)') && l.includes(cacheFile)),
    ).toBe(true);

    const closedAt = Date.now();
    await offline.close();
    expect(Date.now() - closedAt).toBeLessThan(1_000);
  });
});
