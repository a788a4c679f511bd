import { CONSUMER_ID } from '../../../src/cluster/call-id';
import { decodeDeclaration } from '../../../src/protocol/call-declaration';
import { MethodDeclarations } from '../../../src/rpc/method-declarations';
import { registerType } from '../../../src/serialization/type-registry';

class Account {
  constructor(readonly id: number) {}
}
registerType(Account, 'test.declarations.Account');

describe('MethodDeclarations', () => {
  const declarations = () => new MethodDeclarations('com.acme.UserService', 'blue', '1.0.0', 'getUser');

  it('declares a call with the method, its reference’s names, this process’s consumer id and a label', () => {
    const declared = declarations().for([42, 'x']);
    const declaration = {
      service: 'com.acme.UserService',
      group: 'blue',
      version: '1.0.0',
      method: 'getUser',
      parameterTypes: ['number', 'string'],
      consumerId: CONSUMER_ID,
    };
    expect(declared).toMatchObject({ ...declaration, label: 'com.acme.UserService#getUser' });
    // the DECLARE body a provider reads back
    expect(decodeDeclaration(declared.encoded)).toEqual(declaration);
  });

  it('keeps type tags apart even when a registered name holds a comma', () => {
    class X {}
    class Y {}
    class XY {}
    registerType(X, 'test.comma.x');
    registerType(Y, 'test.comma.y');
    registerType(XY, 'test.comma.x,test.comma.y');
    const methods = declarations();
    expect(methods.for([new X(), new Y()]).parameterTypes).toEqual(['test.comma.x', 'test.comma.y']);
    expect(methods.for([new XY()]).parameterTypes).toEqual(['test.comma.x,test.comma.y']);
    expect(methods.for([new X(), new Y()]).parameterTypes).toEqual(['test.comma.x', 'test.comma.y']);
  });

  it('shares one declaration between references to the same method, so a connection declares it once', () => {
    const a = declarations().for([1]);
    const b = declarations().for([2]);
    expect(b).toBe(a);
    expect(new MethodDeclarations('com.acme.UserService', 'green', '1.0.0', 'getUser').for([1])).not.toBe(a);
  });

  it('gives calls with the same argument types the same DeclaredCall object, whatever the values', () => {
    const methods = declarations();
    const first = methods.for([1, 'a']);
    expect(methods.for([2, 'b'])).toBe(first);
    expect(methods.for([-0, ''])).toBe(first);
    expect(methods.for([NaN, 'x'.repeat(100)])).toBe(first);
  });

  it('gives other argument types another declaration, with their type tags', () => {
    const methods = declarations();
    const numbers = methods.for([1, 2]);
    const mixed = methods.for([1, '2']);
    expect(mixed).not.toBe(numbers);
    expect(numbers.parameterTypes).toEqual(['number', 'number']);
    expect(mixed.parameterTypes).toEqual(['number', 'string']);
    expect(mixed.encoded.equals(numbers.encoded)).toBe(false);
    const rich = methods.for([new Date(0), null, undefined, new Map(), [1], { a: 1 }, new Account(7), 5n]);
    expect(rich.parameterTypes).toEqual([
      'Date',
      'null',
      'undefined',
      'Map',
      'Array',
      'object',
      'test.declarations.Account',
      'bigint',
    ]);
    expect(rich.label).toBe('com.acme.UserService#getUser');
  });

  it('tells calls apart by the number of arguments too', () => {
    const methods = declarations();
    const none = methods.for([]);
    const one = methods.for([1]);
    const two = methods.for([1, 1]);
    expect(none.parameterTypes).toEqual([]);
    expect(one.parameterTypes).toEqual(['number']);
    expect(two.parameterTypes).toEqual(['number', 'number']);
    expect(new Set([none, one, two]).size).toBe(3);
    expect(methods.for([])).toBe(none);
  });

  it('keeps every declaration made, not only the last one', () => {
    const methods = declarations();
    const byNumber = methods.for([1]);
    const byString = methods.for(['a']);
    const byAccount = methods.for([new Account(1)]);
    expect(methods.for([2])).toBe(byNumber);
    expect(methods.for(['b'])).toBe(byString);
    expect(methods.for([new Account(2)])).toBe(byAccount);
    expect(methods.for([3])).toBe(byNumber);
  });

  it('keeps each method’s declarations apart', () => {
    const getUser = declarations().for([1]);
    const rename = new MethodDeclarations('com.acme.UserService', 'blue', '1.0.0', 'rename').for([1]);
    expect(rename).not.toBe(getUser);
    expect(rename.method).toBe('rename');
    expect(rename.label).toBe('com.acme.UserService#rename');
  });
});
