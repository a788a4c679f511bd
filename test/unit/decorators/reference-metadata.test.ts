import { Reference } from '../../../decorators/reference.decorator';
import { readOwnReferences, readReferences } from '../../../decorators/reference-metadata';

class Base {
  @Reference('com.acme.UserService', { timeout: 100 })
  declare users: unknown;

  @Reference('com.acme.Audit')
  declare audit: unknown;
}

class Child extends Base {
  @Reference('com.acme.UserServiceV2', { timeout: 200 })
  declare users: unknown;

  @Reference('com.acme.Orders')
  declare orders: unknown;
}

class Plain {}

describe('readOwnReferences', () => {
  it('lists what exactly this prototype declares, in declaration order', () => {
    expect(readOwnReferences(Base.prototype).map((r) => [r.property, r.service, r.owner])).toEqual([
      ['users', 'com.acme.UserService', 'Base'],
      ['audit', 'com.acme.Audit', 'Base'],
    ]);
    expect(readOwnReferences(Child.prototype).map((r) => r.property)).toEqual(['users', 'orders']);
  });

  it('is empty for a prototype that declares none, even if its parent does', () => {
    class Bare extends Base {}
    expect(readOwnReferences(Plain.prototype)).toEqual([]);
    expect(readOwnReferences(Bare.prototype)).toEqual([]);
  });
});

describe('readReferences', () => {
  it('includes the parents’ references, the most derived declaration of each property winning', () => {
    const references = readReferences(new Child());
    expect(references.map((r) => [r.property, r.service, r.owner])).toEqual([
      ['users', 'com.acme.UserServiceV2', 'Child'],
      ['orders', 'com.acme.Orders', 'Child'],
      ['audit', 'com.acme.Audit', 'Base'],
    ]);
    expect(references[0]?.options).toEqual({ timeout: 200 });
  });

  it('does not see a subclass’s references from a parent instance', () => {
    expect(readReferences(new Base()).map((r) => r.property)).toEqual(['users', 'audit']);
  });

  it('is empty for an instance with none, and for an object without a prototype', () => {
    expect(readReferences(new Plain())).toEqual([]);
    expect(readReferences({})).toEqual([]);
    expect(readReferences(Object.create(null) as object)).toEqual([]);
  });

  it('works for symbol properties', () => {
    const key = Symbol('users');
    class WithSymbol {
      @Reference('com.acme.UserService')
      declare [key]: unknown;
    }
    expect(readReferences(new WithSymbol()).map((r) => r.property)).toEqual([key]);
  });
});
