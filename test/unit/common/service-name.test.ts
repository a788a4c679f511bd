import { serviceNameOf } from '../../../src/common/service-name';

describe('serviceNameOf', () => {
  it('takes a string as the wire name', () => {
    expect(serviceNameOf('com.acme.UserService')).toBe('com.acme.UserService');
  });

  it("takes an abstract class token's static serviceName, else its class name", () => {
    abstract class UserService {
      static readonly serviceName = 'com.acme.UserService';
    }
    abstract class OrderService {}
    expect(serviceNameOf(UserService)).toBe('com.acme.UserService');
    expect(serviceNameOf(OrderService)).toBe('OrderService');
  });

  it('refuses an empty name and an anonymous token', () => {
    expect(() => serviceNameOf('  ')).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR' }));
    expect(() => serviceNameOf((() => class {})())).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR' }));
  });
});
