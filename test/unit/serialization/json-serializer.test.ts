import { RpcError } from '../../../src/errors/rpc-error';
import { REQUEST_PREFIX_SIZE } from '../../../src/protocol/frame';
import { jsonSerializer } from '../../../src/serialization/json-serializer';
import { registerType } from '../../../src/serialization/type-registry';
import { typeTagOf } from '../../../src/serialization/type-tag';
import { thrownRpcError } from '../../support/thrown-rpc-error';

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

/** How the call is named in error messages ('service#method'). */
const LABEL = 'com.acme.Svc#call';

const response = <T>(value: T): T => jsonSerializer.decodeResponse(jsonSerializer.encodeResponse(value)) as T;

/** A REQUEST body as the dispatcher sees it: the 8-byte prefix (call reference, call id), then `payload`. */
function withPrefix(payload: Buffer, callRef = 7, callId = 0x01020304): Buffer {
  const prefix = Buffer.alloc(REQUEST_PREFIX_SIZE);
  prefix.writeUInt32BE(callRef, 0);
  prefix.writeUInt32BE(callId, 4);
  return Buffer.concat([prefix, payload]);
}

/** Encodes `args` with their own tags as the declared parameter types, and decodes them back from offset 0. */
function argsBack(args: unknown[]): unknown[] {
  const types = args.map(typeTagOf);
  return jsonSerializer.decodeArguments(jsonSerializer.encodeArguments(args, types, LABEL), 0, types, LABEL);
}

/** The same, with the request prefix in front, decoded from after it. */
function argsBackAfterPrefix(args: unknown[]): unknown[] {
  const types = args.map(typeTagOf);
  const body = withPrefix(jsonSerializer.encodeArguments(args, types, LABEL));
  return jsonSerializer.decodeArguments(body, REQUEST_PREFIX_SIZE, types, LABEL);
}

const expectSerializationError = (run: () => unknown): RpcError => thrownRpcError(run, 'SERIALIZATION');

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
    ['an argument', (value: unknown) => argsBack([value])[0]],
    ['an argument after the request prefix', (value: unknown) => argsBackAfterPrefix(['first', value])[1]],
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

  it('writes the arguments as a bare JSON array of their top-level forms, nothing else', () => {
    const body = jsonSerializer.encodeArguments(
      [1n, new Date(0), 'x', NaN, -0, undefined],
      ['bigint', 'Date', 'string', 'number', 'number', 'undefined'],
      LABEL,
    );
    expect(body.toString('utf8')).toBe('["1","1970-01-01T00:00:00.000Z","x","NaN","-0",null]');
    expect(jsonSerializer.encodeArguments([], [], LABEL).toString('utf8')).toBe('[]');
  });

  it('round-trips several arguments at once, decoding from after the request prefix', () => {
    const args = [new Point(1, 2), new Map([[1, 1]]), 5];
    const types = args.map(typeTagOf);
    const body = withPrefix(jsonSerializer.encodeArguments(args, types, LABEL));
    const back = jsonSerializer.decodeArguments(body, REQUEST_PREFIX_SIZE, types, LABEL);
    expect(back).toEqual(args);
    expect(back[0]).toBeInstanceOf(Point);
    expect(back[1]).toBeInstanceOf(Map);
    // The prefix is not JSON: reading the body from its start fails.
    expectSerializationError(() => jsonSerializer.decodeArguments(body, 0, types, LABEL));
  });

  it('writes the documented response envelope', () => {
    expect(JSON.parse(jsonSerializer.encodeResponse(new Point(1, 2)).toString())).toEqual({
      t: 'test.json.Point',
      v: { x: 1, y: 2 },
    });
  });

  it('refuses to encode an argument its parameter type contradicts, naming the call and the argument', () => {
    const error = expectSerializationError(() =>
      jsonSerializer.encodeArguments([1, 'text'], ['number', 'Date'], LABEL),
    );
    expect(error.message).toContain('argument 1');
    expect(error.message).toContain(LABEL);
  });

  it('lets null stand for an argument of any declared type', () => {
    const body = jsonSerializer.encodeArguments([null, null], ['Date', 'test.json.Point'], LABEL);
    expect(body.toString('utf8')).toBe('[null,null]');
    expect(jsonSerializer.decodeArguments(body, 0, ['Date', 'test.json.Point'], LABEL)).toEqual([null, null]);
  });

  it('revives arguments a foreign client sent, by the tags it declared', () => {
    const json = JSON.stringify(['2024-01-01T00:00:00Z', '12345678901234567890', [['a', 1]], { x: 6, y: 8 }]);
    const body = withPrefix(Buffer.from(json));
    const types = ['Date', 'bigint', 'Map', 'test.json.Point'];
    const [date, big, map, point] = jsonSerializer.decodeArguments(body, REQUEST_PREFIX_SIZE, types, 's#m');
    expect(date).toEqual(new Date('2024-01-01T00:00:00Z'));
    expect(big).toBe(12345678901234567890n);
    expect(map).toEqual(new Map([['a', 1]]));
    expect(point).toBeInstanceOf(Point);
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
    it.each<[string, string, string[], string]>([
      ['arguments that are not JSON', '{oops', [], 'cannot decode the arguments'],
      ['empty arguments', '', [], 'cannot decode the arguments'],
      ['arguments in invalid UTF-8', '\xff\xfe', [], 'cannot decode the arguments'],
      ['arguments that are an object', '{"a":1}', [], 'are not an array'],
      ['arguments that are a string', '"a"', ['string'], 'are not an array'],
      ['arguments that are null', 'null', [], 'are not an array'],
      ['a bad bigint argument', '["12x"]', ['bigint'], 'argument 0 of com.acme.Svc#call as bigint'],
      [
        'a number argument that is text',
        '[1,"ten"]',
        ['number', 'number'],
        'argument 1 of com.acme.Svc#call as number',
      ],
      ['a Map argument that is not pairs', '[[1,2,3]]', ['Map'], 'as Map'],
      ['a bad RegExp argument', '[{"source":"("}]', ['RegExp'], 'as RegExp'],
      ['a Buffer argument that is not base64 text', '[12]', ['Buffer'], 'as Buffer'],
    ])('decoding %s, at offset 0 and after the request prefix', (_what, text, types, says) => {
      const payload = Buffer.from(text, 'latin1');
      const atStart = expectSerializationError(() => jsonSerializer.decodeArguments(payload, 0, types, LABEL));
      expect(atStart.message).toContain(LABEL);
      expect(atStart.message).toContain(says);
      const body = withPrefix(payload);
      const afterPrefix = expectSerializationError(() =>
        jsonSerializer.decodeArguments(body, REQUEST_PREFIX_SIZE, types, LABEL),
      );
      expect(afterPrefix.message).toBe(atStart.message);
    });

    it.each([
      ['a response without a tag', '{"v":1}'],
      ['a response that is not JSON', 'nope'],
      ['an error without a code', '{"message":"m"}'],
    ])('decoding %s', (_what, text) => {
      expectSerializationError(() => jsonSerializer.decodeResponse(Buffer.from(text)));
      expectSerializationError(() => jsonSerializer.decodeError(Buffer.from(text)));
    });

    it('encoding a cyclic value is SERIALIZATION, naming what was encoded', () => {
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      expect(expectSerializationError(() => jsonSerializer.encodeResponse(cyclic)).message).toContain('response');
      const error = expectSerializationError(() => jsonSerializer.encodeArguments([cyclic], ['object'], LABEL));
      expect(error.message).toContain(LABEL);
    });
  });
});

describe('json serializer, decoding a range of a larger buffer (a socket chunk holding several frames)', () => {
  const inChunk = (body: Buffer) => ({
    chunk: Buffer.concat([Buffer.from('}}'), body, Buffer.from('{')]),
    start: 2,
    end: 2 + body.length,
  });

  it('decodes a response, an error payload and arguments from their range only', () => {
    const response = inChunk(jsonSerializer.encodeResponse(new Date(0)));
    expect(jsonSerializer.decodeResponse(response.chunk, response.start, response.end)).toEqual(new Date(0));

    const error = inChunk(jsonSerializer.encodeError({ code: 'TIMEOUT', message: 'late' }));
    expect(jsonSerializer.decodeError(error.chunk, error.start, error.end)).toEqual({
      code: 'TIMEOUT',
      message: 'late',
    });

    const args = inChunk(jsonSerializer.encodeArguments([1n, 'two'], ['bigint', 'string'], 's#m'));
    expect(jsonSerializer.decodeArguments(args.chunk, args.start, ['bigint', 'string'], 's#m', args.end)).toEqual([
      1n,
      'two',
    ]);
  });
});
