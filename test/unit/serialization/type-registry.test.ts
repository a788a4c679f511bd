import { RpcError } from '../../../src/errors/rpc-error';
import { lookupTypeByName, registerType, typeNameOf } from '../../../src/serialization/type-registry';

class Account {}
class Other {}
class Failure extends Error {}

const configError = (run: () => void): void => {
  expect(run).toThrow(RpcError);
  try {
    run();
  } catch (error) {
    expect((error as RpcError).code).toBe('CONFIG_ERROR');
  }
};

describe('type registry', () => {
  it('maps a class to its wire name and back', () => {
    registerType(Account, 'test.Account');
    expect(typeNameOf(Account)).toBe('test.Account');
    expect(lookupTypeByName('test.Account')).toBe(Account);
  });

  it('registers Error subclasses too', () => {
    registerType(Failure, 'test.Failure');
    expect(lookupTypeByName('test.Failure')).toBe(Failure);
  });

  it('is idempotent for the same class and name', () => {
    registerType(Account, 'test.Account');
    expect(() => registerType(Account, 'test.Account')).not.toThrow();
  });

  it('refuses a taken name for a different class, naming the holder', () => {
    configError(() => registerType(Other, 'test.Account'));
    expect(() => registerType(Other, 'test.Account')).toThrow(/Account/);
    expect(lookupTypeByName('test.Account')).toBe(Account);
  });

  it('refuses a second name for a registered class', () => {
    configError(() => registerType(Account, 'test.Account2'));
    expect(lookupTypeByName('test.Account2')).toBeUndefined();
  });

  it.each(['', 'Date', 'number', 'object', 'Map', 'Buffer', 'Float64Array'])('refuses the name %p', (name) => {
    configError(() => registerType(class Named {}, name));
  });

  it('refuses something that is not a class', () => {
    configError(() => registerType((() => undefined) as unknown as typeof Account, 'test.Arrow'));
  });

  it('knows nothing it was not told, inherited names included', () => {
    expect(lookupTypeByName('Object')).toBeUndefined();
    expect(lookupTypeByName('toString')).toBeUndefined();
    expect(lookupTypeByName('__proto__')).toBeUndefined();
    expect(typeNameOf(class Unknown {})).toBeUndefined();
    class SubAccount extends Account {}
    expect(typeNameOf(SubAccount)).toBeUndefined();
  });
});
