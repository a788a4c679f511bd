import { Contract } from '../../../decorators/contract.decorator';
import { Idempotent } from '../../../decorators/idempotent.decorator';
import {
  contractNameOf,
  findContract,
  isContractClass,
  readIdempotentMethods,
  readServiceMetadata,
  readServiceScanMetadata,
} from '../../../decorators/metadata-reader';
import { Service } from '../../../decorators/service.decorator';

@Contract('com.acme.Accounts')
@Idempotent('balance')
abstract class Accounts {
  abstract balance(id: string): Promise<number>;
}

abstract class Named {
  static readonly serviceName = 'com.acme.Named';
}

describe('metadata-reader', () => {
  it('reads nothing from non-classes or undecorated classes', () => {
    expect(readServiceMetadata({})).toBeUndefined();
    expect(readServiceMetadata(class Plain {})).toBeUndefined();
    expect(readServiceScanMetadata(undefined)).toBeUndefined();
  });

  it('knows a contract by @Contract or by its own static serviceName', () => {
    class Sub extends Named {}
    expect(isContractClass(Accounts)).toBe(true);
    expect(isContractClass(Named)).toBe(true);
    expect(isContractClass(Sub)).toBe(false); // inherits serviceName, declares none
    expect(isContractClass('com.acme.Accounts')).toBe(false);
  });

  it('names a token by its @Contract name, static serviceName, class name, or the string itself', () => {
    expect(contractNameOf(Accounts)).toBe('com.acme.Accounts');
    expect(contractNameOf(Named)).toBe('com.acme.Named');
    expect(contractNameOf('com.acme.Raw')).toBe('com.acme.Raw');
  });

  it('finds the nearest contract class an implementation extends', () => {
    class Impl extends Accounts {
      async balance(): Promise<number> {
        return 0;
      }
    }
    class Sub extends Impl {}
    @Contract('com.acme.Special')
    abstract class Special extends Accounts {}
    class SpecialImpl extends Special {
      async balance(): Promise<number> {
        return 1;
      }
    }
    expect(findContract(Sub)).toBe(Accounts);
    expect(findContract(SpecialImpl)).toBe(Special);
    expect(findContract(class Alone {})).toBeUndefined();
  });

  it('collects @Idempotent methods across the contract and the implementation', () => {
    @Service()
    class Impl extends Accounts {
      async balance(): Promise<number> {
        return 0;
      }
      @Idempotent()
      async history(): Promise<number[]> {
        return [];
      }
    }
    expect(readIdempotentMethods(Impl)).toEqual(['balance', 'history']);
    expect(readIdempotentMethods(Accounts)).toEqual(['balance']);
  });
});
