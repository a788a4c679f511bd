import { Idempotent } from '../../../decorators/idempotent.decorator';
import { IDEMPOTENT_METADATA } from '../../../decorators/metadata-keys';

describe('@Idempotent', () => {
  it('on methods records their names, sorted, on the prototype', () => {
    class Users {
      @Idempotent()
      async list(): Promise<void> {}
      @Idempotent()
      async get(): Promise<void> {}
      async rename(): Promise<void> {}
    }
    expect(Reflect.getOwnMetadata(IDEMPOTENT_METADATA, Users.prototype)).toEqual(['get', 'list']);
  });

  it('on a class names methods, the way to mark an abstract contract', () => {
    @Idempotent('get', 'find')
    abstract class Contract {
      abstract get(): Promise<void>;
      abstract find(): Promise<void>;
    }
    expect(Reflect.getOwnMetadata(IDEMPOTENT_METADATA, Contract.prototype)).toEqual(['find', 'get']);
  });

  it('refuses static methods', () => {
    expect(() => {
      class Static {
        @Idempotent()
        static make(): void {}
      }
      return Static;
    }).toThrow(/only instance methods/);
  });
});
