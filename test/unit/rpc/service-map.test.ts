import { ServiceMap } from '../../../src/rpc/service-map';

class Base {
  inherited(): string {
    return 'base';
  }
}
class Greeter extends Base {
  field = (name: string) => `field ${name}`;
  hello(name: string): string {
    return `hello ${name}`;
  }
}

describe('ServiceMap', () => {
  it('keys services as group/interface:version', () => {
    const map = new ServiceMap();
    const exported = map.add(new Greeter(), { interface: 'com.acme.Greeter', version: '1.0.0', group: 'blue' });
    expect(exported.key).toBe('blue/com.acme.Greeter:1.0.0');
    expect(map.get('blue/com.acme.Greeter:1.0.0')).toBe(exported);
    expect(map.get('/com.acme.Greeter:1.0.0')).toBeUndefined();
  });

  it('collects own, prototype and inherited methods, never Object.prototype names', () => {
    const exported = new ServiceMap().add(new Greeter(), { interface: 'G' });
    expect([...exported.methods.keys()].sort()).toEqual(['field', 'hello', 'inherited']);
    for (const forbidden of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf']) {
      expect(exported.methods.has(forbidden)).toBe(false);
    }
  });

  it('names an abstract class token by its static serviceName or class name', () => {
    abstract class UserService {
      static readonly serviceName = 'com.acme.UserService';
    }
    abstract class Plain {}
    const map = new ServiceMap();
    expect(map.add(new Greeter(), { interface: UserService }).service).toBe('com.acme.UserService');
    expect(map.add(new Greeter(), { interface: Plain }).service).toBe('Plain');
  });

  it('refuses a duplicate key and an object without methods', () => {
    const map = new ServiceMap();
    map.add(new Greeter(), { interface: 'G', version: '1' });
    expect(() => map.add(new Greeter(), { interface: 'G', version: '1' })).toThrow(/already exported/);
    expect(() => map.add({}, { interface: 'Empty' })).toThrow(/no methods/);
  });

  it('takes parameter types from the options, or from design:paramtypes when emitted', () => {
    const exported = new ServiceMap().add(new Greeter(), { interface: 'G', parameterTypes: { hello: [String] } });
    expect(exported.parameterTypes.get('hello')).toEqual([String]);
  });
});
