import type { ProviderInfo } from '../../../src/common/provider-info';
import { SILENT_LOGGER } from '../../../src/common/logger';
import { createRegistry } from '../../../src/common/registry-factory';
import '../../../registry';
import { MemoryRegistry, memoryStoreName } from '../../../registry/memory-registry';
import { consumerRegistration, providerRegistration } from '../../../registry/provider-url';

const SERVICE = 'com.acme.UserService';
const provider = (port: number) =>
  providerRegistration({ host: '127.0.0.1', port, service: SERVICE, version: '1.0.0' });

/** Records every list a listener receives and lets a test await the next one. */
function recorder() {
  const lists: Array<readonly ProviderInfo[]> = [];
  const waiters: Array<() => void> = [];
  const listener = (providers: readonly ProviderInfo[]) => {
    lists.push(providers);
    waiters.splice(0).forEach((w) => w());
  };
  const next = () => new Promise<void>((resolve) => waiters.push(resolve));
  const ports = () => (lists.at(-1) ?? []).map((p) => p.port).sort();
  return { listener, lists, next, ports };
}

describe('MemoryRegistry', () => {
  const registries: MemoryRegistry[] = [];
  const open = (url: string) => {
    const registry = new MemoryRegistry(url, { logger: SILENT_LOGGER });
    registries.push(registry);
    return registry;
  };
  afterEach(async () => {
    await Promise.all(registries.splice(0).map((r) => r.close()));
  });

  it('is what createRegistry returns for memory://', async () => {
    const registry = createRegistry('memory://factory', { logger: SILENT_LOGGER });
    expect(registry).toBeInstanceOf(MemoryRegistry);
    await registry.close();
  });

  it('names stores by the URL authority', () => {
    expect(memoryStoreName('memory://')).toBe('default');
    expect(memoryStoreName('memory://default')).toBe('default');
    expect(memoryStoreName('memory://tests-1/?x=1')).toBe('tests-1');
  });

  it('gives a new subscriber the current list before subscribe() resolves, asynchronously', async () => {
    const a = open('memory://t1');
    await a.register(provider(1));
    const r = recorder();
    const pending = a.subscribe(SERVICE, r.listener);
    expect(r.lists).toHaveLength(0); // not inside the caller's turn
    await pending;
    expect(r.ports()).toEqual([1]);
    expect(r.lists.at(-1)?.[0]).toMatchObject({
      service: SERVICE,
      version: '1.0.0',
      weight: 100,
      address: '127.0.0.1:1',
    });
  });

  it('shares providers between registries of one name and tells subscribers of arrivals and departures', async () => {
    const providerSide = open('memory://t2');
    const consumerSide = open('memory://t2');
    const r = recorder();
    await consumerSide.subscribe(SERVICE, r.listener);
    expect(r.ports()).toEqual([]);

    const [one, two] = [provider(1), provider(2)];
    let next = r.next();
    await providerSide.register(one);
    await providerSide.register(two);
    await next;
    expect(r.ports()).toEqual([1, 2]); // one tick's changes arrive as one list

    next = r.next();
    await providerSide.unregister(one);
    await next;
    expect(r.ports()).toEqual([2]);
  });

  it('keeps different names apart', async () => {
    await open('memory://t3a').register(provider(1));
    const r = recorder();
    await open('memory://t3b').subscribe(SERVICE, r.listener);
    expect(r.ports()).toEqual([]);
  });

  it('does not list consumers as providers', async () => {
    const registry = open('memory://t4');
    await registry.register(consumerRegistration({ host: '127.0.0.1', service: SERVICE }));
    const r = recorder();
    await registry.subscribe(SERVICE, r.listener);
    expect(r.ports()).toEqual([]);
  });

  it('stops notifying after unsubscribe', async () => {
    const registry = open('memory://t5');
    const r = recorder();
    await registry.subscribe(SERVICE, r.listener);
    await registry.unsubscribe(SERVICE, r.listener);
    await registry.register(provider(1));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.lists).toHaveLength(1);
  });

  it('withdraws its providers on close, is idempotent, and refuses use afterwards', async () => {
    const providerSide = open('memory://t6');
    const consumerSide = open('memory://t6');
    await providerSide.register(provider(1));
    const r = recorder();
    await consumerSide.subscribe(SERVICE, r.listener);
    expect(r.ports()).toEqual([1]);
    const next = r.next();
    await providerSide.close();
    await providerSide.close();
    await next;
    expect(r.ports()).toEqual([]);
    await expect(providerSide.register(provider(2))).rejects.toMatchObject({ code: 'REGISTRY_ERROR' });
  });

  it('survives a throwing listener', async () => {
    const registry = open('memory://t7');
    const r = recorder();
    await registry.subscribe(SERVICE, () => {
      throw new Error('boom');
    });
    await registry.subscribe(SERVICE, r.listener);
    const next = r.next();
    await registry.register(provider(1));
    await next;
    expect(r.ports()).toEqual([1]);
  });
});
