import { NamedFactories } from '../../../src/common/named-factories';

describe('NamedFactories', () => {
  it('finds factories by case-insensitive name, the last registration winning', () => {
    const factories = new NamedFactories<() => string>('widget');
    factories.register('Round', () => 'first');
    factories.register('round', () => 'second');
    factories.register('square', () => 'square');
    expect(factories.get('ROUND')()).toBe('second');
    expect(factories.names()).toEqual(['round', 'square']);
  });

  it('names the known ones when asked for an unknown one', () => {
    const factories = new NamedFactories<() => string>('widget');
    factories.register('a', () => 'a');
    expect(() => factories.get('zzz')).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', message: "Unknown widget 'zzz': expected one of a" }),
    );
  });
});
