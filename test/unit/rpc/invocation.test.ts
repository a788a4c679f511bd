import { serviceKey } from '../../../src/rpc/invocation';

describe('serviceKey', () => {
  it('is group/interface:version', () => {
    expect(serviceKey('com.acme.UserService', 'blue', '1.0.0')).toBe('blue/com.acme.UserService:1.0.0');
  });

  it('keeps the separators when group and version are empty or omitted', () => {
    expect(serviceKey('com.acme.UserService')).toBe('/com.acme.UserService:');
    expect(serviceKey('com.acme.UserService', '', '')).toBe('/com.acme.UserService:');
    expect(serviceKey('com.acme.UserService', '', '2.0')).toBe('/com.acme.UserService:2.0');
    expect(serviceKey('com.acme.UserService', 'blue')).toBe('blue/com.acme.UserService:');
  });

  it('tells apart services that differ only in group or version', () => {
    const keys = new Set([
      serviceKey('S', 'a', ''),
      serviceKey('S', '', 'a'),
      serviceKey('S', 'a', 'a'),
      serviceKey('S'),
    ]);
    expect(keys.size).toBe(4);
  });
});
