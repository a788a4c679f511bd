import { RpcError } from '../../../src/errors/rpc-error';
import { Contract } from '../../../decorators/contract.decorator';
import { Idempotent } from '../../../decorators/idempotent.decorator';
import { defineService, parameterTypesOf, remoteMethodsOf } from '../../../decorators/service-definition';
import { Service } from '../../../decorators/service.decorator';

@Contract('com.acme.Inventory')
abstract class Inventory {
  abstract stock(sku: string): Promise<number>;
}

class Sku {
  constructor(public code: string) {}
}

describe('defineService', () => {
  it('applies the defaults to a class naming its interface by string', () => {
    @Service({ interface: 'com.acme.Echo' })
    class Echo {
      async echo(text: string): Promise<string> {
        return text;
      }
    }
    expect(defineService(Echo)).toMatchObject({
      implementation: Echo,
      className: 'Echo',
      file: __filename,
      interface: 'com.acme.Echo',
      group: '',
      version: '',
      key: '/com.acme.Echo:',
      weight: 100,
      serialization: 'msgpack',
      methods: ['echo'],
      parameters: {},
    });
  });

  it('infers the interface from the @Contract class the implementation extends', () => {
    @Service({ version: '2.0.0', group: 'eu', weight: 10, timeout: 800, dedup: true })
    class InventoryImpl extends Inventory {
      async stock(): Promise<number> {
        return 3;
      }
    }
    expect(defineService(InventoryImpl)).toMatchObject({
      interface: 'com.acme.Inventory',
      key: 'eu/com.acme.Inventory:2.0.0',
      weight: 10,
      timeout: 800,
      dedup: true,
    });
  });

  it('accepts an abstract class token as interface', () => {
    @Service({ interface: Inventory })
    class Tokened {
      async stock(): Promise<number> {
        return 1;
      }
    }
    expect(defineService(Tokened).interface).toBe('com.acme.Inventory');
  });

  it('without interface and without contract fails naming the class and its file', () => {
    class NotAContract {
      async ping(): Promise<void> {}
    }
    @Service()
    class Orphan extends NotAContract {}
    const define = () => defineService(Orphan);
    expect(define).toThrow(RpcError);
    expect(define).toThrow(
      new RegExp(`@Service on Orphan \\(${__filename.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\) names no contract`),
    );
  });

  it('refuses invalid options and a class with no method', () => {
    @Service({ interface: 'com.acme.Bad', weight: -1 })
    class BadWeight {
      async m(): Promise<void> {}
    }
    @Service({ interface: 'com.acme.Empty' })
    class NoMethods {}
    expect(() => defineService(BadWeight)).toThrow(/weight must be >= 0, got -1/);
    expect(() => defineService(NoMethods)).toThrow(/at least one method/);
    expect(() => defineService(class Undecorated {})).toThrow(/not decorated with @Service/);
  });

  it('lists public methods of the whole chain, without getters, constructor or Object’s', () => {
    class Base {
      async inherited(): Promise<void> {}
    }
    class Impl extends Base {
      get computed(): number {
        return 1;
      }
      async own(): Promise<void> {}
    }
    expect(remoteMethodsOf(Impl)).toEqual(['inherited', 'own']);
  });

  it('gives design:paramtypes for decorated methods when the compiler emitted them (swc here)', () => {
    @Service({ interface: 'com.acme.Catalog' })
    class Catalog {
      @Idempotent()
      async find(sku: Sku, limit: number, since: Date): Promise<string[]> {
        return [sku.code, String(limit), since.toISOString()];
      }
      async undecorated(_x: string): Promise<void> {}
    }
    expect(parameterTypesOf(Catalog, ['find', 'undecorated'])).toEqual({ find: [Sku, Number, Date] });
    expect(defineService(Catalog).idempotentMethods).toEqual(['find']);
  });
});
