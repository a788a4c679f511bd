import { serviceNameOf } from '../../../src/common/service-name';
import { RpcError } from '../../../src/errors/rpc-error';
import { Contract } from '../../../decorators/contract.decorator';
import { CONTRACT_METADATA } from '../../../decorators/metadata-keys';

describe('@Contract', () => {
  it('records the given wire name and publishes it as the static serviceName serviceNameOf reads', () => {
    @Contract('com.acme.UserService')
    abstract class UserService {
      abstract getUser(id: number): Promise<string>;
    }
    expect(Reflect.getOwnMetadata(CONTRACT_METADATA, UserService)).toEqual({ name: 'com.acme.UserService' });
    expect(serviceNameOf(UserService)).toBe('com.acme.UserService');
  });

  it('without a name uses the static serviceName, else the class name', () => {
    @Contract()
    abstract class Declared {
      static readonly serviceName = 'com.acme.Declared';
    }
    @Contract()
    abstract class Plain {}
    expect(Reflect.getOwnMetadata(CONTRACT_METADATA, Declared)).toEqual({ name: 'com.acme.Declared' });
    expect(Reflect.getOwnMetadata(CONTRACT_METADATA, Plain)).toEqual({ name: 'Plain' });
  });

  it('is not inherited by subclasses', () => {
    @Contract('com.acme.Base')
    abstract class Base {}
    class Child extends Base {}
    expect(Reflect.getOwnMetadata(CONTRACT_METADATA, Child)).toBeUndefined();
  });

  it('refuses an empty name and a name that contradicts the static serviceName', () => {
    const empty = () => Contract('  ')(class Empty {});
    const contradicting = () =>
      Contract('com.acme.Other')(
        class Named {
          static readonly serviceName = 'com.acme.Named';
        },
      );
    expect(empty).toThrow(RpcError);
    expect(contradicting).toThrow(/contradicts its static serviceName 'com.acme.Named'/);
  });
});
