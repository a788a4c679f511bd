import * as zookeeper from 'node-zookeeper-client';
import { createRegistry } from '../../../src/common/registry-factory';
import '../../../registry';
import {
  consumerRegistration,
  decodeNodeName,
  encodeNodeName,
  formatRegistryUrl,
  parseRegistryUrl,
  providerRegistration,
} from '../../../registry/provider-url';
import { ZookeeperRegistry } from '../../../registry/zookeeper-registry';
import { zkUrl } from '../../support/zookeeper';
import { errorCode, ProviderRecorder, RawZookeeper, recordingLogger, uniqueRoot } from '../../support/zk-testing';

const SERVICE = 'com.acme.UserService';
const provider = (port: number) =>
  providerRegistration({
    host: '127.0.0.1',
    port,
    service: SERVICE,
    version: '1.0.0',
    application: 'user-svc',
    methods: ['getUser', 'rename'],
  });

describe('ZookeeperRegistry against a real ZooKeeper', () => {
  let raw: RawZookeeper;
  const registries: ZookeeperRegistry[] = [];
  const open = (query: string, chroot = '') => {
    const registry = new ZookeeperRegistry(`zookeeper://${zkUrl()}${chroot}/?${query}`, {
      logger: recordingLogger(),
      cacheFile: '',
    });
    registries.push(registry);
    return registry;
  };

  beforeAll(async () => {
    raw = await RawZookeeper.connect(zkUrl());
  });
  afterEach(async () => {
    await Promise.all(registries.splice(0).map((r) => r.close()));
  });
  afterAll(async () => {
    await raw.close();
  });

  it('is what createRegistry returns for zookeeper://', async () => {
    const registry = createRegistry(`zookeeper://${zkUrl()}`, { logger: recordingLogger() });
    expect(registry).toBeInstanceOf(ZookeeperRegistry);
    await registry.close();
  });

  it('writes Dubbo’s layout: ephemeral, URL-encoded provider and consumer nodes owned by its session', async () => {
    const root = uniqueRoot('layout');
    const registry = open(`root=${root}`);
    const registration = provider(20880);
    const consumer = consumerRegistration({
      host: '127.0.0.1',
      service: SERVICE,
      application: 'web',
      version: '1.0.0',
    });
    await registry.register(registration);
    await registry.register(consumer);

    const providerUrl = formatRegistryUrl(registration);
    expect(await raw.children(`${root}/${SERVICE}/providers`)).toEqual([encodeNodeName(providerUrl)]);
    expect(await raw.children(`${root}/${SERVICE}/consumers`)).toEqual([encodeNodeName(formatRegistryUrl(consumer))]);
    expect(await raw.children(root)).toEqual([SERVICE]);

    const nodeName = encodeNodeName(providerUrl);
    const stat = await raw.stat(`${root}/${SERVICE}/providers/${nodeName}`);
    expect(`0x${stat?.ephemeralOwner.toString('hex').replace(/^0+/, '')}`).toBe(registry.sessionId);
    // Parents are persistent.
    expect((await raw.stat(`${root}/${SERVICE}/providers`))?.ephemeralOwner.equals(Buffer.alloc(8))).toBe(true);

    const url = decodeNodeName(nodeName);
    expect(url).toMatch(
      /^courier:\/\/127\.0\.0\.1:20880\/com\.acme\.UserService\?application=user-svc&group=&methods=getUser,rename&pid=\d+&serialization=msgpack&side=provider&timestamp=\d+&version=1\.0\.0&weight=100$/,
    );
    expect(parseRegistryUrl(url).parameters).toMatchObject({ pid: String(process.pid), side: 'provider' });
  });

  it('unregisters by deleting the node', async () => {
    const root = uniqueRoot('unregister');
    const registry = open(`root=${root}`);
    const registration = provider(1);
    await registry.register(registration);
    await registry.unregister(registration);
    expect(await raw.children(`${root}/${SERVICE}/providers`)).toEqual([]);
  });

  it('shares one session between every registry of a connect string', async () => {
    const a = open('root=/a');
    const b = open('root=/b');
    expect(await a.whenConnected(5_000)).toBe(true);
    expect(b.sessionId).toBe(a.sessionId);
    await a.close();
    expect(await b.whenConnected(1_000)).toBe(true); // still alive for b
  });

  it('tells subscribers of arrivals and departures within a second', async () => {
    const root = uniqueRoot('watch');
    const registry = open(`root=${root}`);
    const recorder = new ProviderRecorder();
    await registry.subscribe(SERVICE, recorder.listener);
    expect(recorder.lists).toEqual([[]]);

    // Another process (its own session) comes and goes, twice, so the re-armed watch is exercised.
    const other = await RawZookeeper.connect(zkUrl());
    try {
      for (const port of [7001, 7002]) {
        const path = `${root}/${SERVICE}/providers/${encodeNodeName(formatRegistryUrl(provider(port)))}`;
        await other.createEphemeral(path);
        const arrived = await recorder.waitForPorts([port], 1_000);
        expect(arrived[0]).toMatchObject({
          address: `127.0.0.1:${port}`,
          version: '1.0.0',
          weight: 100,
          enabled: true,
        });
        await other.remove(path);
        await recorder.waitForPorts([], 1_000);
      }
    } finally {
      await other.close();
    }
    // One registration of this process, through the shared session, too.
    await registry.register(provider(7003));
    await recorder.waitForPorts([7003], 1_000);
  });

  it('ignores nodes it cannot read and providers of other protocols', async () => {
    const root = uniqueRoot('foreign');
    const dir = `${root}/${SERVICE}/providers`;
    await raw.mkdirp(dir);
    await raw.createEphemeral(`${dir}/not%ZZa-url`);
    await raw.createEphemeral(`${dir}/${encodeNodeName('dubbo://10.0.0.1:20880/com.acme.UserService?side=provider')}`);
    await raw.createEphemeral(`${dir}/${encodeNodeName(formatRegistryUrl(provider(8001)))}`);
    const recorder = new ProviderRecorder();
    await open(`root=${root}`).subscribe(SERVICE, recorder.listener);
    expect(recorder.ports()).toEqual([8001]);
  });

  it('replaces a stale node of the same name held by another session', async () => {
    const root = uniqueRoot('stale');
    const registration = provider(9001);
    const path = `${root}/${SERVICE}/providers/${encodeNodeName(formatRegistryUrl(registration))}`;
    const old = await RawZookeeper.connect(zkUrl());
    try {
      await old.mkdirp(`${root}/${SERVICE}/providers`);
      await old.createEphemeral(path);
      const registry = open(`root=${root}`);
      await registry.register(registration);
      const stat = await raw.stat(path);
      expect(`0x${stat?.ephemeralOwner.toString('hex').replace(/^0+/, '')}`).toBe(registry.sessionId);
    } finally {
      await old.close();
    }
    expect(await raw.stat(path)).not.toBeNull(); // the old session's end took nothing with it
  });

  it('repairs a node that went missing, on its reconcile timer', async () => {
    const root = uniqueRoot('reconcile');
    const registry = open(`root=${root}&reconcileInterval=200`);
    const registration = provider(9002);
    await registry.register(registration);
    const path = registry.nodePath(registration);
    await raw.remove(path);
    const stat = await raw.waitForNode(path, 3_000);
    expect(`0x${stat.ephemeralOwner.toString('hex').replace(/^0+/, '')}`).toBe(registry.sessionId);
  });

  it('works under a chroot it creates itself', async () => {
    const chroot = uniqueRoot('chroot');
    const registry = open('root=/courier', chroot);
    await registry.register(provider(9003));
    expect(await raw.children(`${chroot}/courier/${SERVICE}/providers`)).toHaveLength(1);
    const recorder = new ProviderRecorder();
    await registry.subscribe(SERVICE, recorder.listener);
    expect(recorder.ports()).toEqual([9003]);
  });

  it('with digest auth, creates nodes only its credentials can touch', async () => {
    const root = uniqueRoot('auth');
    const registry = open(`root=${root}&auth=alice:secret`);
    await registry.register(provider(9004));
    const alice = await RawZookeeper.connect(zkUrl(), { auth: 'alice:secret' });
    const acls = await alice.acl(`${root}/${SERVICE}/providers`).finally(() => alice.close());
    // At run time the field is 'permission' (@types/node-zookeeper-client calls it 'perms').
    expect(acls).toEqual([
      expect.objectContaining({
        permission: zookeeper.Permission.ALL,
        id: expect.objectContaining({ scheme: 'digest', id: expect.stringMatching(/^alice:/) }),
      }),
    ]);
    const denied = await raw.children(`${root}/${SERVICE}/providers`).catch((e: unknown) => e);
    expect(errorCode(denied)).toBe(zookeeper.Exception.NO_AUTH);

    const recorder = new ProviderRecorder();
    await registry.subscribe(SERVICE, recorder.listener);
    expect(recorder.ports()).toEqual([9004]);
  });

  it('reports a permanent failure as REGISTRY_ERROR', async () => {
    const root = uniqueRoot('denied');
    const owner = open(`root=${root}&auth=alice:secret`);
    await owner.register(provider(1));
    const intruder = new ZookeeperRegistry(`zookeeper://${zkUrl()}/?root=${root}&auth=mallory:guess`, {
      logger: recordingLogger(),
      cacheFile: '',
    });
    registries.push(intruder);
    await intruder.whenConnected(5_000);
    await expect(intruder.register(provider(2))).rejects.toMatchObject({ code: 'REGISTRY_ERROR' });
  });

  it('deletes its nodes on close, is idempotent, and refuses use afterwards', async () => {
    const root = uniqueRoot('close');
    const registry = open(`root=${root}`);
    await registry.register(provider(9005));
    await registry.close();
    await registry.close();
    expect(await raw.children(`${root}/${SERVICE}/providers`)).toEqual([]);
    await expect(registry.register(provider(9006))).rejects.toMatchObject({ code: 'REGISTRY_ERROR' });
    await expect(registry.subscribe(SERVICE, () => {})).rejects.toMatchObject({ code: 'REGISTRY_ERROR' });
  });
});
