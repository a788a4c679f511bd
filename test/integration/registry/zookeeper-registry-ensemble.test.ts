import '../../../registry';
import { encodeNodeName, formatRegistryUrl, providerRegistration } from '../../../registry/provider-url';
import { ZookeeperRegistry } from '../../../registry/zookeeper-registry';
import { ZookeeperEnsemble } from '../../support/zookeeper';
import { ProviderRecorder, RawZookeeper, recordingLogger, uniqueRoot } from '../../support/zk-testing';

const SERVICE = 'com.acme.CartService';

describe('ZookeeperRegistry on a 3-node ensemble', () => {
  let ensemble: ZookeeperEnsemble;
  const registries: ZookeeperRegistry[] = [];

  beforeAll(async () => {
    ensemble = await ZookeeperEnsemble.start();
  });
  afterAll(async () => {
    await Promise.all(registries.splice(0).map((r) => r.close()));
    await ensemble?.stop();
  });

  it('keeps registering and discovering after the leader is killed', async () => {
    const root = uniqueRoot('ensemble');
    const registry = new ZookeeperRegistry(`zookeeper://${ensemble.connectString}/?root=${root}&sessionTimeout=6000`, {
      logger: recordingLogger(),
      cacheFile: '',
    });
    registries.push(registry);
    const first = providerRegistration({ host: '127.0.0.1', port: 7501, service: SERVICE });
    await registry.register(first);
    const recorder = new ProviderRecorder();
    await registry.subscribe(SERVICE, recorder.listener);
    expect(recorder.ports()).toEqual([7501]);
    const session = registry.sessionId;

    const leader = await ensemble.leader();
    await ensemble.kill(leader);
    const survivors = ensemble.nodes.filter((node) => node !== leader);
    const newLeader = await ensemble.leader();
    expect(survivors).toContain(newLeader);

    // Registration through the surviving quorum...
    const second = providerRegistration({ host: '127.0.0.1', port: 7502, service: SERVICE });
    await registry.register(second);
    await recorder.waitForPorts([7501, 7502], 5_000);
    // ...and discovery of another process's provider, via a client of a surviving node only.
    const other = await RawZookeeper.connect(survivors.map((n) => `127.0.0.1:${n.port}`).join(','));
    try {
      const url = formatRegistryUrl(providerRegistration({ host: '127.0.0.1', port: 7503, service: SERVICE }));
      await other.createEphemeral(`${root}/${SERVICE}/providers/${encodeNodeName(url)}`);
      await recorder.waitForPorts([7501, 7502, 7503], 2_000);
      const stat = await other.stat(registry.nodePath(first));
      expect(`0x${stat?.ephemeralOwner.toString('hex').replace(/^0+/, '')}`).toBe(registry.sessionId);
    } finally {
      await other.close();
    }
    await recorder.waitForPorts([7501, 7502], 2_000);
    expect(registry.sessionId).toBe(session); // the session survived the election
    expect(recorder.sawEmpty()).toBe(false);
  });
});
