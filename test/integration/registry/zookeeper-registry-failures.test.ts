import * as path from 'node:path';
import type * as zookeeper from 'node-zookeeper-client';
import '../../../registry';
import { encodeNodeName, formatRegistryUrl, providerRegistration } from '../../../registry/provider-url';
import { ZookeeperRegistry } from '../../../registry/zookeeper-registry';
import { SessionState } from '../../../registry/zookeeper-session-state';
import { startTsChild, stopAllChildren, type Child } from '../../support/child-process';
import { zkUrl } from '../../support/zookeeper';
import {
  killSession,
  ProviderRecorder,
  RawZookeeper,
  recordingLogger,
  uniqueRoot,
  within,
} from '../../support/zk-testing';

const SERVICE = 'com.acme.OrderService';
const SESSION_TIMEOUT = 2_000;
const CHILD = path.resolve(__dirname, '../../support/zk-provider-child.ts');

/** Starts a provider process; resolves with it and its session id once it has registered. */
async function startProviderProcess(url: string, port: number, mode: 'hang' | 'close'): Promise<Child> {
  return startTsChild(CHILD, [url, SERVICE, String(port), mode], { timeoutMs: 15_000 });
}

describe('ZookeeperRegistry when processes and sessions die', () => {
  let raw: RawZookeeper;
  const registries: ZookeeperRegistry[] = [];
  const open = (root: string) => {
    const registry = new ZookeeperRegistry(`zookeeper://${zkUrl()}/?root=${root}&sessionTimeout=${SESSION_TIMEOUT}`, {
      logger: recordingLogger(),
      cacheFile: '',
      emptyListGrace: 0,
    });
    registries.push(registry);
    return registry;
  };

  beforeAll(async () => {
    raw = await RawZookeeper.connect(zkUrl());
  });
  afterEach(async () => {
    await stopAllChildren(); // only the processes this file spawned, by pid
    await Promise.all(registries.splice(0).map((r) => r.close()));
  });
  afterAll(async () => {
    await raw.close();
  });

  it('drops a provider killed with SIGKILL once its session times out', async () => {
    const root = uniqueRoot('sigkill');
    const consumer = open(root);
    const recorder = new ProviderRecorder();
    await consumer.subscribe(SERVICE, recorder.listener);

    const url = `zookeeper://${zkUrl()}/?root=${root}&sessionTimeout=${SESSION_TIMEOUT}`;
    const child = await startProviderProcess(url, 7101, 'hang');
    const sessionId = child.ready['sessionId'];
    const [arrived] = await recorder.waitForPorts([7101], 1_000);
    expect(arrived?.parameters['pid']).toBe(String(child.pid));
    expect(sessionId).not.toBe(consumer.sessionId);

    const killedAt = Date.now();
    child.kill('SIGKILL');
    await recorder.waitForPorts([], SESSION_TIMEOUT * 3);
    const gone = Date.now() - killedAt;
    expect(gone).toBeGreaterThanOrEqual(SESSION_TIMEOUT * 0.5); // ZooKeeper, not a clean close, removed it
  });

  it('lets a process exit by itself once its registry is closed', async () => {
    const root = uniqueRoot('exit');
    const url = `zookeeper://${zkUrl()}/?root=${root}&sessionTimeout=${SESSION_TIMEOUT}`;
    const child = await startProviderProcess(url, 7102, 'close');
    expect(await within(child.exited, 5_000, () => `process ${child.pid} still running`)).toBe(0);
    expect(await raw.children(`${root}/${SERVICE}/providers`)).toEqual([]);
  });

  it('re-creates its nodes and keeps delivering after its session is expired for real', async () => {
    const root = uniqueRoot('expiry');
    const registry = open(root);
    const registration = providerRegistration({ host: '127.0.0.1', port: 7201, service: SERVICE });
    await registry.register(registration);
    const recorder = new ProviderRecorder();
    await registry.subscribe(SERVICE, recorder.listener);
    await recorder.waitForPorts([7201], 1_000);
    const nodePath = registry.nodePath(registration);

    const states: SessionState[] = [];
    registry.onStateChange((next) => states.push(next));
    const oldSession = registry.sessionId;
    const reconnected = new Promise<void>((resolve) =>
      registry.onStateChange((next) => {
        if (next === SessionState.CONNECTED && registry.sessionId !== oldSession) resolve();
      }),
    );

    const expired = new Promise<void>((resolve) =>
      registry.onStateChange((next) => {
        if (next === SessionState.EXPIRED) resolve();
      }),
    );
    const { client } = (registry as unknown as { session: { client: zookeeper.Client } }).session;
    const [id, password] = [client.getSessionId(), client.getSessionPassword()];
    for (let attempt = 1; attempt <= 5 && !states.includes(SessionState.EXPIRED); attempt++) {
      await killSession(zkUrl(), id, password);
      await within(expired, 2_000, () => 'not expired yet').catch(() => {});
    }
    await within(reconnected, 10_000, () => `no new session; states ${states.join(',')}`);
    expect(states).toEqual(
      expect.arrayContaining([SessionState.EXPIRED, SessionState.CONNECTING, SessionState.CONNECTED]),
    );

    const stat = await raw.waitForNode(nodePath, 5_000);
    expect(`0x${stat.ephemeralOwner.toString('hex').replace(/^0+/, '')}`).toBe(registry.sessionId);

    // The subscription lives on in the new session: a newcomer from another process is seen within a second.
    const other = await RawZookeeper.connect(zkUrl());
    try {
      const newcomer = formatRegistryUrl(providerRegistration({ host: '127.0.0.1', port: 7202, service: SERVICE }));
      await other.createEphemeral(`${root}/${SERVICE}/providers/${encodeNodeName(newcomer)}`);
      await recorder.waitForPorts([7201, 7202], 1_000);
    } finally {
      await other.close();
    }
    await recorder.waitForPorts([7201], 1_000);
    expect(recorder.sawEmpty()).toBe(false);
  });
});
