import type { ProviderInfo } from '../../../src/common/provider-info';
import { createRegistry } from '../../../src/common/registry-factory';
import '../../../registry';
import { DirectRegistry, parseDirectUrl } from '../../../registry/direct-registry';
import { providerRegistration } from '../../../registry/provider-url';

describe('parseDirectUrl', () => {
  it('reads the addresses, defaulting the port, and the shared parameters', () => {
    expect(parseDirectUrl('courier://127.0.0.1:20880,10.0.0.2,[::1]:7/?weight=50&version=1.0.0')).toEqual({
      addresses: [
        { host: '127.0.0.1', port: 20880 },
        { host: '10.0.0.2', port: 20880 },
        { host: '::1', port: 7 },
      ],
      service: '',
      parameters: { weight: '50', version: '1.0.0' },
    });
  });

  it.each(['courier://', 'courier://h:0', 'courier://h:70000', 'http://h:1'])('rejects %s', (url) => {
    expect(() => parseDirectUrl(url)).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR' }));
  });
});

describe('DirectRegistry', () => {
  it('is what createRegistry returns for courier://', () => {
    expect(createRegistry('courier://127.0.0.1:20880')).toBeInstanceOf(DirectRegistry);
  });

  it('lists the URL’s providers for whatever service is subscribed', async () => {
    const registry = new DirectRegistry('courier://127.0.0.1:20880,127.0.0.1:20881/?weight=50&version=1.0.0');
    const lists: Array<readonly ProviderInfo[]> = [];
    const pending = registry.subscribe('com.acme.UserService', (list) => lists.push(list));
    expect(lists).toHaveLength(0);
    await pending;
    expect(lists).toHaveLength(1);
    expect(lists[0]?.map((p) => p.address)).toEqual(['127.0.0.1:20880', '127.0.0.1:20881']);
    expect(lists[0]?.[0]).toMatchObject({
      service: 'com.acme.UserService',
      weight: 50,
      version: '1.0.0',
      enabled: true,
      parameters: expect.objectContaining({ direct: 'true' }),
    });
    await registry.close();
  });

  it('accepts register and unregister as no-ops', async () => {
    const registry = new DirectRegistry('courier://127.0.0.1:20880');
    const registration = providerRegistration({ host: '127.0.0.1', port: 1, service: 'S' });
    await expect(registry.register(registration)).resolves.toBeUndefined();
    await expect(registry.unregister(registration)).resolves.toBeUndefined();
    await registry.close();
    await expect(registry.subscribe('S', () => {})).rejects.toMatchObject({ code: 'REGISTRY_ERROR' });
  });
});
