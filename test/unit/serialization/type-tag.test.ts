import { registerType } from '../../../src/serialization/type-registry';
import { tagMatchesDesignType, typeTagOf } from '../../../src/serialization/type-tag';

class Money {}
registerType(Money, 'test.Money');
class Euro extends Money {}
registerType(Euro, 'test.Euro');
class Refused extends Error {}
registerType(Refused, 'test.Refused');
class Plain {}

describe('typeTagOf', () => {
  it.each<[unknown, string]>([
    [undefined, 'undefined'],
    [null, 'null'],
    [1, 'number'],
    [NaN, 'number'],
    ['s', 'string'],
    [true, 'boolean'],
    [1n, 'bigint'],
    [new Date(), 'Date'],
    [new Map(), 'Map'],
    [new Set(), 'Set'],
    [Buffer.from('x'), 'Buffer'],
    [new Uint8Array(1), 'Uint8Array'],
    [new Float64Array(1), 'Float64Array'],
    [new BigUint64Array(1), 'BigUint64Array'],
    [new DataView(new ArrayBuffer(1)), 'DataView'],
    [new ArrayBuffer(1), 'ArrayBuffer'],
    [/x/, 'RegExp'],
    [[], 'Array'],
    [new Error('e'), 'Error'],
    [new TypeError('e'), 'Error'],
    [{}, 'object'],
    [Object.create(null), 'object'],
    [new Plain(), 'object'],
    [new Money(), 'test.Money'],
    [new Euro(), 'test.Euro'],
    [new Refused(), 'test.Refused'],
    [() => 1, 'function'],
    [Symbol('s'), 'symbol'],
  ])('%p is %p', (value, tag) => {
    expect(typeTagOf(value)).toBe(tag);
  });
});

describe('tagMatchesDesignType', () => {
  it.each<[string, Function | undefined, boolean]>([
    ['number', Number, true],
    ['string', Number, false],
    ['string', String, true],
    ['boolean', Boolean, true],
    ['number', Boolean, false],
    ['bigint', BigInt, true],
    ['number', BigInt, false],
    ['null', Number, true],
    ['undefined', Money, true],
    ['number', Object, true],
    ['Date', Object, true],
    ['test.Money', Object, true],
    ['string', undefined, true],
    ['string', Function, true],
    ['Date', Date, true],
    ['string', Date, false],
    ['Map', Map, true],
    ['object', Map, false],
    ['Set', Set, true],
    ['Array', Array, true],
    ['object', Array, false],
    ['Buffer', Buffer, true],
    ['Uint8Array', Buffer, false],
    ['Buffer', Uint8Array, true],
    ['Uint8Array', Uint8Array, true],
    ['Float64Array', Float64Array, true],
    ['Float32Array', Float64Array, false],
    ['Error', Error, true],
    ['test.Refused', Error, true],
    ['Error', TypeError, true],
    ['Error', Refused, false],
    ['test.Refused', Refused, true],
    ['test.Money', Money, true],
    ['test.Euro', Money, true],
    ['test.Money', Euro, false],
    ['object', Money, false],
    ['object', Plain, true],
    ['Date', Plain, false],
    ['test.Money', Plain, false],
    ['com.unknown.Thing', Money, false],
  ])('%p fits %p: %p', (tag, designType, expected) => {
    expect(tagMatchesDesignType(tag, designType)).toBe(expected);
  });
});
