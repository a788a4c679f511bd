import { RpcError } from '../../../src/errors/rpc-error';
import { lookupTypeByName, typeNameOf } from '../../../src/serialization/type-registry';
import { SERIALIZABLE_METADATA } from '../../../decorators/metadata-keys';
import { Serializable } from '../../../decorators/serializable.decorator';

describe('@Serializable', () => {
  it('registers the class with the serializers under its wire name and records the name', () => {
    @Serializable('test.decorators.Point')
    class Point {
      constructor(
        public x: number,
        public y: number,
      ) {}
    }
    expect(lookupTypeByName('test.decorators.Point')).toBe(Point);
    expect(typeNameOf(Point)).toBe('test.decorators.Point');
    expect(Reflect.getOwnMetadata(SERIALIZABLE_METADATA, Point)).toBe('test.decorators.Point');
  });

  it('refuses an empty name', () => {
    expect(() => Serializable('')(class Nameless {})).toThrow(RpcError);
  });

  it('lets the type registry refuse a name already taken by another class', () => {
    Serializable('test.decorators.Taken')(class First {});
    expect(() => Serializable('test.decorators.Taken')(class Second {})).toThrow(/already registered/);
  });
});
