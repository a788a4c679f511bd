import { Directory } from '../../../src/cluster/directory';
import { OutlierDetector } from '../../../src/cluster/outlier-detector';
import { matchesGroup, matchesVersion } from '../../../src/cluster/provider-match';
import type { ProviderInfo } from '../../../src/common/provider-info';
import type { ProviderListener, Registry } from '../../../src/common/registry';
import { RpcError } from '../../../src/errors/rpc-error';
import { provider } from './fixtures';

const refused = () => new RpcError('CONNECTION_REFUSED', 'refused');
const addresses = (list: readonly ProviderInfo[]) => list.map((p) => p.address);

describe('provider matching (Dubbo rules)', () => {
  it('matches groups exactly, by "*" or by a comma list', () => {
    expect(matchesGroup('', '')).toBe(true);
    expect(matchesGroup('', 'blue')).toBe(false);
    expect(matchesGroup('blue', '')).toBe(false);
    expect(matchesGroup('*', 'blue')).toBe(true);
    expect(matchesGroup('red, blue', 'blue')).toBe(true);
    expect(matchesGroup('red,blue', 'green')).toBe(false);
  });

  it('matches versions exactly or by "*"', () => {
    expect(matchesVersion('1.0.0', '1.0.0')).toBe(true);
    expect(matchesVersion('1.0.0', '1.0.1')).toBe(false);
    expect(matchesVersion('', '1.0.0')).toBe(false);
    expect(matchesVersion('*', '2.0.0')).toBe(true);
  });
});

describe('Directory', () => {
  const a = provider('10.0.0.1:20880');
  const b = provider('10.0.0.2:20880');
  const c = provider('10.0.0.3:20880');

  it('keeps the enabled providers of its group and version, sorted by address, one per address', () => {
    const directory = new Directory({ service: 'com.acme.UserService', group: 'blue', version: '1.0.0' });
    directory.update([
      provider('10.0.0.9:1', { group: 'blue' }),
      provider('10.0.0.5:1', { group: 'blue' }),
      provider('10.0.0.6:1', { group: 'red' }),
      provider('10.0.0.7:1', { group: 'blue', version: '2.0.0' }),
      provider('10.0.0.8:1', { group: 'blue', enabled: false }),
      provider('10.0.0.5:1', { group: 'blue', timestamp: 5, weight: 7 }),
    ]);
    expect(addresses(directory.providers())).toEqual(['10.0.0.5:1', '10.0.0.9:1']);
    expect(directory.providers()[0]?.weight).toBe(7); // the newest registration of an address wins
    expect(directory.counts()).toEqual({ registered: 6, matched: 2, available: 2 });
  });

  it('returns the same array until the set changes', () => {
    const directory = new Directory({ service: 'com.acme.UserService', version: '1.0.0' });
    directory.update([b, a]);
    const first = directory.providers();
    directory.update([provider(a.address), provider(b.address)]); // equal content, new objects
    expect(directory.providers()).toBe(first);
    directory.update([a, b, c]);
    expect(directory.providers()).not.toBe(first);
    expect(addresses(directory.providers())).toEqual([a.address, b.address, c.address]);
    directory.update([a, b, provider(c.address, { weight: 5, url: 'changed' })]);
    expect(directory.providers()[2]?.weight).toBe(5);
  });

  it('follows markUnavailable / markAvailable from the connection layer', () => {
    const directory = new Directory({ service: 'com.acme.UserService', version: '1.0.0' });
    directory.update([a, b, c]);
    directory.markUnavailable(b.address);
    expect(addresses(directory.providers())).toEqual([a.address, c.address]);
    const without = directory.providers();
    directory.markUnavailable(b.address);
    expect(directory.providers()).toBe(without);
    directory.markAvailable(b.address);
    expect(addresses(directory.providers())).toEqual([a.address, b.address, c.address]);
  });

  it('sets outliers aside until their probe, then takes them back', () => {
    let clock = 1_000_000;
    const outlierDetector = new OutlierDetector({ consecutiveFailures: 2, baseEjectionMs: 1000, now: () => clock });
    const directory = new Directory({
      service: 'com.acme.UserService',
      version: '1.0.0',
      outlierDetector,
      now: () => clock,
    });
    directory.update([a, b]);
    outlierDetector.record(a.address, refused());
    outlierDetector.record(a.address, refused());
    expect(addresses(directory.providers())).toEqual([b.address]);
    expect(directory.counts().available).toBe(1);
    clock += 1000;
    expect(addresses(directory.providers())).toEqual([a.address, b.address]); // due a probe
    outlierDetector.beginAttempt(a.address);
    expect(addresses(directory.providers())).toEqual([b.address]); // one probe at a time
    outlierDetector.record(a.address);
    expect(addresses(directory.providers())).toEqual([a.address, b.address]);
  });

  it('never lets outliers or closed connections take the last provider away', () => {
    const outlierDetector = new OutlierDetector({ consecutiveFailures: 1 });
    const directory = new Directory({ service: 'com.acme.UserService', version: '1.0.0', outlierDetector });
    directory.update([a, b]);
    outlierDetector.record(a.address, refused());
    outlierDetector.record(b.address, refused());
    expect(addresses(directory.providers())).toEqual([a.address, b.address]);
    expect(directory.counts().available).toBe(0);
    directory.markUnavailable(a.address);
    expect(addresses(directory.providers())).toEqual([b.address]); // ejected but connected beats disconnected
    directory.markUnavailable(b.address);
    expect(addresses(directory.providers())).toEqual([a.address, b.address]);
  });

  it('gives a re-registered address a clean slate', () => {
    const directory = new Directory({ service: 'com.acme.UserService', version: '1.0.0' });
    directory.update([a, b]);
    directory.markUnavailable(b.address);
    directory.update([a]);
    directory.update([a, b]);
    expect(addresses(directory.providers())).toEqual([a.address, b.address]);
  });

  it('subscribes to the registry for its interface and unsubscribes on close', async () => {
    const listeners = new Map<string, ProviderListener>();
    const registry = {
      url: 'memory://test',
      subscribe: jest.fn(async (service: string, listener: ProviderListener) => {
        listeners.set(service, listener);
        listener([a]);
      }),
      unsubscribe: jest.fn(async (service: string) => void listeners.delete(service)),
    } as unknown as Registry;
    const directory = new Directory({ service: 'com.acme.UserService', version: '1.0.0' });
    await directory.subscribe(registry);
    expect(addresses(directory.providers())).toEqual([a.address]);
    listeners.get('com.acme.UserService')?.([a, b]);
    expect(addresses(directory.providers())).toEqual([a.address, b.address]);
    await directory.close();
    expect(listeners.size).toBe(0);
    expect(addresses(directory.all())).toEqual([a.address, b.address]);
  });
});
