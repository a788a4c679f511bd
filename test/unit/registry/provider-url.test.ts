import type { ServiceRegistration } from '../../../src/common/registry';
import {
  consumerRegistration,
  decodeNodeName,
  encodeNodeName,
  formatRegistryUrl,
  parseRegistryUrl,
  providerRegistration,
  toProviderInfo,
} from '../../../registry/provider-url';

const PROVIDER: ServiceRegistration = {
  side: 'provider',
  protocol: 'courier',
  host: '10.0.0.5',
  port: 20880,
  service: 'com.acme.UserService',
  parameters: {
    weight: '100',
    version: '1.0.0',
    timestamp: '1718000000000',
    serialization: 'msgpack',
    pid: '4211',
    methods: 'getUser,rename',
    group: '',
    application: 'user-svc',
  },
};

const PROVIDER_URL =
  'courier://10.0.0.5:20880/com.acme.UserService?application=user-svc&group=&methods=getUser,rename&pid=4211' +
  '&serialization=msgpack&side=provider&timestamp=1718000000000&version=1.0.0&weight=100';

// java.net.URLEncoder.encode(PROVIDER_URL, "UTF-8"), as Dubbo names the node.
const PROVIDER_NODE =
  'courier%3A%2F%2F10.0.0.5%3A20880%2Fcom.acme.UserService%3Fapplication%3Duser-svc%26group%3D%26methods%3D' +
  'getUser%2Crename%26pid%3D4211%26serialization%3Dmsgpack%26side%3Dprovider%26timestamp%3D1718000000000' +
  '%26version%3D1.0.0%26weight%3D100';

describe('formatRegistryUrl', () => {
  it('writes Dubbo’s shape with parameters sorted and side added', () => {
    expect(formatRegistryUrl(PROVIDER)).toBe(PROVIDER_URL);
  });

  it('writes a consumer URL without a port', () => {
    const consumer: ServiceRegistration = {
      side: 'consumer',
      protocol: 'consumer',
      host: '10.0.0.9',
      port: 0,
      service: 'com.acme.UserService',
      parameters: { application: 'web' },
    };
    expect(formatRegistryUrl(consumer)).toBe('consumer://10.0.0.9/com.acme.UserService?application=web&side=consumer');
  });

  it('brackets an IPv6 host and escapes values that would break the query', () => {
    const url = formatRegistryUrl({ ...PROVIDER, host: '::1', parameters: { note: 'a&b=c d%' } });
    expect(url).toBe('courier://[::1]:20880/com.acme.UserService?note=a%26b%3Dc%20d%25&side=provider');
    expect(parseRegistryUrl(url)).toMatchObject({ host: '::1', parameters: { note: 'a&b=c d%' } });
  });
});

describe('node names', () => {
  it('encode the full provider URL exactly as Java’s URLEncoder', () => {
    expect(encodeNodeName(PROVIDER_URL)).toBe(PROVIDER_NODE);
  });

  it('decode back to the URL', () => {
    expect(decodeNodeName(PROVIDER_NODE)).toBe(PROVIDER_URL);
  });
});

describe('parseRegistryUrl', () => {
  it('takes a provider URL apart', () => {
    expect(parseRegistryUrl(PROVIDER_URL)).toEqual({
      protocol: 'courier',
      host: '10.0.0.5',
      port: 20880,
      service: 'com.acme.UserService',
      parameters: { ...PROVIDER.parameters, side: 'provider' },
    });
  });

  it('reads a URL without port or query', () => {
    expect(parseRegistryUrl('consumer://10.0.0.9/com.acme.UserService')).toEqual({
      protocol: 'consumer',
      host: '10.0.0.9',
      port: 0,
      service: 'com.acme.UserService',
      parameters: {},
    });
  });

  it('rejects what is not a URL', () => {
    expect(() => parseRegistryUrl('not a url')).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR' }));
    expect(() => parseRegistryUrl('courier://h:99999/S')).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR' }));
  });
});

describe('toProviderInfo', () => {
  it('reads every field of a full provider URL', () => {
    expect(toProviderInfo(PROVIDER_URL)).toEqual({
      address: '10.0.0.5:20880',
      host: '10.0.0.5',
      port: 20880,
      service: 'com.acme.UserService',
      group: '',
      version: '1.0.0',
      weight: 100,
      timestamp: 1718000000000,
      warmup: 600000,
      enabled: true,
      serialization: 'msgpack',
      parameters: { ...PROVIDER.parameters, side: 'provider' },
      url: PROVIDER_URL,
    });
  });

  it('applies the defaults to a bare URL', () => {
    expect(toProviderInfo('courier://h:1/S')).toMatchObject({
      group: '',
      version: '',
      weight: 100,
      warmup: 600000,
      timestamp: 0,
      enabled: true,
      serialization: 'msgpack',
    });
  });

  it('is disabled only by enabled=false, and ignores nonsense weights', () => {
    expect(toProviderInfo('courier://h:1/S?enabled=false').enabled).toBe(false);
    expect(toProviderInfo('courier://h:1/S?enabled=true').enabled).toBe(true);
    expect(toProviderInfo('courier://h:1/S?weight=abc').weight).toBe(100);
    expect(toProviderInfo('courier://h:1/S?weight=-5').weight).toBe(100);
    expect(toProviderInfo('courier://h:1/S?weight=0&warmup=5000')).toMatchObject({ weight: 0, warmup: 5000 });
  });
});

describe('registration builders', () => {
  it('fill pid, timestamp, sorted methods and defaults for a provider', () => {
    const registration = providerRegistration({
      host: '127.0.0.1',
      port: 20880,
      service: 'com.acme.UserService',
      methods: ['rename', 'getUser'],
    });
    expect(registration).toMatchObject({ side: 'provider', protocol: 'courier' });
    expect(registration.parameters).toMatchObject({
      group: '',
      version: '',
      methods: 'getUser,rename',
      pid: String(process.pid),
      serialization: 'msgpack',
      weight: '100',
    });
    expect(Number(registration.parameters['timestamp'])).toBeGreaterThan(0);
  });

  it('make a consumer URL Dubbo would write', () => {
    const url = formatRegistryUrl(
      consumerRegistration({
        host: '10.0.0.9',
        service: 'S',
        application: 'web',
        parameters: { pid: '1', timestamp: '2' },
      }),
    );
    expect(url).toBe('consumer://10.0.0.9/S?application=web&group=&pid=1&side=consumer&timestamp=2&version=');
  });
});
