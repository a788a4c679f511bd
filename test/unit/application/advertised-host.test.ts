import { isIPv4 } from 'node:net';
import { advertisedHost } from '../../../src/application/advertised-host';

describe('advertisedHost', () => {
  it('keeps a concrete bound host', () => {
    expect(advertisedHost('127.0.0.1')).toBe('127.0.0.1');
    expect(advertisedHost('10.1.2.3')).toBe('10.1.2.3');
  });

  it('replaces a wildcard, which no consumer can dial, with a real IPv4 address', () => {
    for (const wildcard of ['0.0.0.0', '::']) {
      const host = advertisedHost(wildcard);
      expect(isIPv4(host)).toBe(true);
      expect(host).not.toBe('0.0.0.0');
    }
  });
});
