import { RpcError } from '../../../src/errors/rpc-error';
import type { RequestMessage } from '../../../src/protocol/message';
import { jsonSerializer } from '../../../src/serialization/json-serializer';
import { registerType } from '../../../src/serialization/type-registry';
import { typeTagOf } from '../../../src/serialization/type-tag';

let constructorCalls = 0;

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {
    constructorCalls++;
  }
  norm(): number {
    return Math.hypot(this.x, this.y);
  }
}
registerType(Point, 'test.json.Point');

class Declined extends Error {
  override name = 'Declined';
  constructor(public readonly reason: string) {
    super(`declined: ${reason}`);
    constructorCalls++;
  }
}
registerType(Declined, 'test.json.Declined');

const response = <T>(value: T): T => jsonSerializer.decodeResponse(jsonSerializer.encodeResponse(value)) as T;

function request(args: unknown[]): RequestMessage {
  return {
    service: 'com.acme.Svc',
    group: '',
    version: '2.0.0',
    method: 'call',
    parameterTypes: args.map(typeTagOf),
    attachments: { traceId: 't-1' },
    args,
  };
}
const argsBack = (args: unknown[]): unknown[] =>
  jsonSerializer.decodeRequest(jsonSerializer.encodeRequest(request(args))).args;

function expectSerializationError(run: () => unknown): RpcError {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(RpcError);
  expect((thrown as RpcError).code).toBe('SERIALIZATION');
  return thrown as RpcError;
}

beforeEach(() => {
  constructorCalls = 0;
});

/** Values the JSON serializer revives at the top level, by tag. */
const TOP_LEVEL: Array<[string, unknown]> = [
  ['number', 42],
  ['float', 1.25],
  ['-0', -0],
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
  ['string', 'héllo'],
  ['boolean', false],
  ['null', null],
  ['undefined', undefined],
  ['bigint', -(2n ** 100n)],
  ['Date', new Date(1_718_000_000_123)],
  [
    'Map',
    new Map<unknown, unknown>([
      [1, 'one'],
      ['k', [1, 2]],
    ]),
  ],
  ['Set', new Set([1, 'two'])],
  ['Buffer', Buffer.from([0, 1, 254, 255])],
  ['Uint8Array', new Uint8Array([9, 8])],
  ['Float64Array', new Float64Array([1.5, -2])],
  ['Int32Array', new Int32Array([-7])],
  ['BigInt64Array', new BigInt64Array([-(2n ** 63n)])],
  ['Array', [1, 'a', { b: true }]],
  ['object', { a: 1, nested: { b: [null] } }],
];

describe('json serializer', () => {
  it('is id 2, named json', () => {
    expect(jsonSerializer.id).toBe(2);
    expect(jsonSerializer.name).toBe('json');
  });

  describe.each([
    ['a response', (value: unknown) => response(value)],
    ['a request argument', (value: unknown) => argsBack([value])[0]],
  ])('revives the top-level value of %s by its tag', (_where, roundTrip) => {
    it.each(TOP_LEVEL)('%s', (_tag, value) => {
      const back = roundTrip(value);
      if (typeof value === 'number') expect(Object.is(back, value)).toBe(true);
      else expect(back).toEqual(value);
      if (value !== null && typeof value === 'object') expect((back as object).constructor).toBe(value.constructor);
    });

    it('an invalid Date', () => {
      expect((roundTrip(new Date(NaN)) as Date).getTime()).toBeNaN();
    });

    it('a registered class, without running its constructor', () => {
      const point = new Point(3, 4);
      constructorCalls = 0;
      const back = roundTrip(point) as Point;
      expect(back).toBeInstanceOf(Point);
      expect(back.norm()).toBe(5);
      expect(constructorCalls).toBe(0);
    });

    it('a registered Error subclass, as itself', () => {
      const back = roundTrip(new Declined('card expired')) as Declined;
      expect(back).toBeInstanceOf(Declined);
      expect(back.reason).toBe('card expired');
      expect(back.message).toBe('declined: card expired');
      expect(back.name).toBe('Declined');
    });

    it('an Error with name, message, code and stack', () => {
      const error = Object.assign(new RangeError('too far'), { code: 'E_FAR' });
      const back = roundTrip(error) as RangeError & { code: string };
      expect(back).toBeInstanceOf(RangeError);
      expect(back.message).toBe('too far');
      expect(back.code).toBe('E_FAR');
      expect(back.stack).toBe(error.stack);
    });

    it('an unregistered class instance, as a plain object', () => {
      class Local {
        a = 1;
      }
      const back = roundTrip(new Local());
      expect(back).toEqual({ a: 1 });
      expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    });
  });

  it('gives nested values their documented JSON forms (no revival below the top level)', () => {
    const back = response({
      big: 10n,
      date: new Date(0),
      bad: new Date(NaN),
      map: new Map([[1, 2n]]),
      set: new Set(['s']),
      buffer: Buffer.from('hi'),
      floats: new Float32Array([0.5]),
      nan: NaN,
      gone: undefined,
      list: [undefined],
      error: new TypeError('t'),
      regex: /a+/gi,
    }) as Record<string, unknown>;
    expect(back).toEqual({
      big: '10',
      date: '1970-01-01T00:00:00.000Z',
      bad: 'Invalid Date',
      map: [[1, '2']],
      set: ['s'],
      buffer: 'aGk=',
      floats: [0.5],
      nan: null,
      list: [null],
      error: { name: 'TypeError', message: 't', stack: expect.any(String) },
      regex: { source: 'a+', flags: 'gi' },
    });
  });

  it('writes the documented request envelope', () => {
    const body = jsonSerializer.encodeRequest(request([1n, new Date(0), 'x']));
    expect(JSON.parse(body.toString())).toEqual([
      'com.acme.Svc',
      '',
      '2.0.0',
      'call',
      ['bigint', 'Date', 'string'],
      { traceId: 't-1' },
      ['1', '1970-01-01T00:00:00.000Z', 'x'],
    ]);
  });

  it('round-trips a whole request', () => {
    const message = request([new Point(1, 2), new Map([[1, 1]]), 5]);
    const back = jsonSerializer.decodeRequest(jsonSerializer.encodeRequest(message));
    expect(back).toEqual(message);
    expect(back.args[0]).toBeInstanceOf(Point);
  });

  it('writes the documented response envelope', () => {
    expect(JSON.parse(jsonSerializer.encodeResponse(new Point(1, 2)).toString())).toEqual({
      t: 'test.json.Point',
      v: { x: 1, y: 2 },
    });
  });

  it('refuses to encode an argument its parameter type contradicts', () => {
    const message = { ...request(['text']), parameterTypes: ['Date'] };
    expect(expectSerializationError(() => jsonSerializer.encodeRequest(message)).message).toContain('argument 0');
  });

  it('revives arguments a foreign client sent with tags', () => {
    const body = Buffer.from(
      JSON.stringify([
        's',
        '',
        '',
        'm',
        ['Date', 'bigint', 'Map', 'test.json.Point'],
        {},
        ['2024-01-01T00:00:00Z', '12345678901234567890', [['a', 1]], { x: 6, y: 8 }],
      ]),
    );
    const [date, big, map, point] = jsonSerializer.decodeRequest(body).args;
    expect(date).toEqual(new Date('2024-01-01T00:00:00Z'));
    expect(big).toBe(12345678901234567890n);
    expect(map).toEqual(new Map([['a', 1]]));
    expect((point as Point).norm()).toBe(10);
  });

  it('leaves a value tagged with a name not registered here as plain data, running nothing', () => {
    const body = Buffer.from(JSON.stringify({ t: 'com.evil.Gadget', v: { cmd: 'x' } }));
    const back = jsonSerializer.decodeResponse(body);
    expect(back).toEqual({ cmd: 'x' });
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    for (const tag of ['Function', 'constructor', '__proto__', 'toString']) {
      const value = jsonSerializer.decodeResponse(Buffer.from(JSON.stringify({ t: tag, v: { a: 1 } })));
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    }
  });

  it('cannot be given another prototype through a __proto__ field', () => {
    const body = Buffer.from('{"t":"test.json.Point","v":{"__proto__":{"polluted":true},"x":1,"y":1}}');
    const back = jsonSerializer.decodeResponse(body) as Point & { polluted?: boolean };
    expect(back).toBeInstanceOf(Point);
    expect(back.polluted).toBeUndefined();
  });

  it('round-trips error payloads, with a registered error revived as itself', () => {
    const payload = { code: 'APPLICATION_ERROR', message: 'm', name: 'Declined', stack: 's', error: new Declined('r') };
    const back = jsonSerializer.decodeError(jsonSerializer.encodeError(payload));
    expect(back).toEqual(payload);
    expect(back.error).toBeInstanceOf(Declined);
    expect(jsonSerializer.decodeError(jsonSerializer.encodeError({ code: 'TIMEOUT', message: 'late' }))).toStrictEqual({
      code: 'TIMEOUT',
      message: 'late',
    });
  });

  describe('failures are RpcError SERIALIZATION, never another exception', () => {
    it.each([
      ['not JSON', '{oops'],
      ['empty input', ''],
      ['invalid UTF-8', '\xff\xfe'],
      ['a request that is not an array', '{"a":1}'],
      ['a request with a numeric method', '["s","","",1,[],{},[]]'],
      ['a request with non-string attachments', '["s","","","m",[],{"a":1},[]]'],
      ['a bad bigint argument', '["s","","","m",["bigint"],{},["12x"]]'],
      ['a number argument that is text', '["s","","","m",["number"],{},["ten"]]'],
      ['a Map argument that is not pairs', '["s","","","m",["Map"],{},[[1,2,3]]]'],
      ['a bad RegExp argument', '["s","","","m",["RegExp"],{},[{"source":"("}]]'],
    ])('decoding %s', (_what, text) => {
      expectSerializationError(() => jsonSerializer.decodeRequest(Buffer.from(text, 'latin1')));
    });

    it.each([
      ['a response without a tag', '{"v":1}'],
      ['a response that is not JSON', 'nope'],
      ['an error without a code', '{"message":"m"}'],
    ])('decoding %s', (_what, text) => {
      expectSerializationError(() => jsonSerializer.decodeResponse(Buffer.from(text)));
      expectSerializationError(() => jsonSerializer.decodeError(Buffer.from(text)));
    });

    it('encoding a cyclic value or a symbol-holding value is SERIALIZATION', () => {
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      expectSerializationError(() => jsonSerializer.encodeResponse(cyclic));
      expectSerializationError(() => jsonSerializer.encodeRequest(request([cyclic])));
    });
  });
});
