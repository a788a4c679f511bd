import { Packr } from 'msgpackr';
import { RpcError } from '../../../src/errors/rpc-error';
import { REQUEST_PREFIX_SIZE } from '../../../src/protocol/frame';
import { msgpackSerializer } from '../../../src/serialization/msgpack-serializer';
import { registerType } from '../../../src/serialization/type-registry';
import { thrownRpcError } from '../../support/thrown-rpc-error';

const roundTrip = <T>(value: T): T => msgpackSerializer.decodeResponse(msgpackSerializer.encodeResponse(value)) as T;

/** How the call is named in error messages ('service#method'). */
const LABEL = 'com.acme.UserService#rename';

/** A REQUEST body as the dispatcher sees it: the 8-byte prefix (call reference, call id), then `payload`. */
function withPrefix(payload: Buffer, callRef = 7, callId = 0x01020304): Buffer {
  const prefix = Buffer.alloc(REQUEST_PREFIX_SIZE);
  prefix.writeUInt32BE(callRef, 0);
  prefix.writeUInt32BE(callId, 4);
  return Buffer.concat([prefix, payload]);
}

let constructorCalls = 0;

class User {
  constructor(
    public id: number,
    public name: string,
    public born: Date,
  ) {
    constructorCalls++;
  }
  greet(): string {
    return `Hi, ${this.name}`;
  }
}
registerType(User, 'test.User');

class InsufficientFunds extends Error {
  override name = 'InsufficientFunds';
  constructor(public readonly missing: bigint) {
    super(`missing ${missing}`);
    constructorCalls++;
  }
}
registerType(InsufficientFunds, 'test.InsufficientFunds');

class Unregistered {
  constructor(public x = 1) {
    constructorCalls++;
  }
  method(): number {
    return this.x;
  }
}

/** Bytes of a registered-class extension (type 0x43) naming `name`, as a peer that registered it would send. */
function registeredExtension(name: string, fields: object): Buffer {
  const plain = new Packr({ useRecords: false });
  return Buffer.concat([Buffer.from([0xd4, 0x43, 0x00]), plain.pack([name, fields])]);
}

const expectSerializationError = (run: () => unknown): RpcError => thrownRpcError(run, 'SERIALIZATION');

beforeEach(() => {
  constructorCalls = 0;
});

describe('msgpack serializer', () => {
  it('is id 1, named msgpack', () => {
    expect(msgpackSerializer.id).toBe(1);
    expect(msgpackSerializer.name).toBe('msgpack');
  });

  describe('numbers', () => {
    it.each([0, 1, -1, 127, 128, -33, 65536, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, 1.5, -1e-300, Number.MAX_VALUE])(
      'keeps %p',
      (n) => expect(roundTrip(n)).toBe(n),
    );

    it('keeps -0 as -0, at the top level and nested', () => {
      expect(Object.is(roundTrip(-0), -0)).toBe(true);
      const nested = roundTrip({ a: [-0, 0], m: new Map([[-0, -0]]) });
      expect(Object.is(nested.a[0], -0)).toBe(true);
      expect(Object.is(nested.a[1], 0)).toBe(true);
      expect(Object.is([...nested.m.values()][0], -0)).toBe(true);
    });

    it('keeps NaN, Infinity and -Infinity', () => {
      expect(roundTrip(NaN)).toBeNaN();
      expect(roundTrip(Infinity)).toBe(Infinity);
      expect(roundTrip(-Infinity)).toBe(-Infinity);
    });
  });

  it('keeps strings, including empty, long and non-ASCII ones', () => {
    for (const s of ['', 'a', 'héllo wörld ✓ 🚀', 'x'.repeat(100_000)]) expect(roundTrip(s)).toBe(s);
  });

  it('keeps booleans', () => {
    expect(roundTrip(true)).toBe(true);
    expect(roundTrip(false)).toBe(false);
  });

  it('keeps null and undefined apart, at the top level and inside arrays and objects', () => {
    expect(roundTrip(null)).toBeNull();
    expect(roundTrip(undefined)).toBeUndefined();
    const back = roundTrip({ a: undefined, b: null, list: [undefined, null, 1] });
    expect(Object.keys(back)).toEqual(['a', 'b', 'list']);
    expect(back.a).toBeUndefined();
    expect(back.b).toBeNull();
    expect(back.list).toEqual([undefined, null, 1]);
    expect(1 in back.list && 0 in back.list).toBe(true);
  });

  it('keeps arrays, plain objects and nested structures', () => {
    const value = { list: [1, 'two', [3, [4]], { five: 5 }], empty: {}, none: [], deep: { a: { b: { c: [true] } } } };
    expect(roundTrip(value)).toEqual(value);
    expect(Object.getPrototypeOf(roundTrip({ a: 1 }))).toBe(Object.prototype);
  });

  it('keeps Dates, with milliseconds, before 1970, far ahead, and invalid', () => {
    for (const date of [new Date(1_718_000_000_123), new Date(-1), new Date(0), new Date('9999-12-31T23:59:59.999Z')]) {
      const back = roundTrip(date);
      expect(back).toBeInstanceOf(Date);
      expect(back.getTime()).toBe(date.getTime());
    }
    expect(roundTrip(new Date(NaN)).getTime()).toBeNaN();
  });

  it('keeps Maps as Maps, with non-string keys, apart from plain objects', () => {
    const key = { id: 1 };
    const map = new Map<unknown, unknown>([
      [1, 'one'],
      ['1', 'string one'],
      [key, new Date(5)],
      [true, null],
      [10n, undefined],
    ]);
    const back = roundTrip({ map, object: { 1: 'one' } });
    expect(back.map).toBeInstanceOf(Map);
    expect([...back.map.entries()]).toEqual([...map.entries()]);
    expect(back.map.get(1)).toBe('one');
    expect(back.map.get('1')).toBe('string one');
    expect(back.object).not.toBeInstanceOf(Map);
    expect(back.object).toEqual({ 1: 'one' });
    expect(roundTrip(new Map())).toEqual(new Map());
  });

  it('keeps Maps nested in Maps, Sets and arrays', () => {
    const value = [new Map([['inner', new Map([[1, 2]])]]), new Set([new Map([[3, 4]])])];
    const back = roundTrip(value);
    expect(back).toEqual(value);
    expect((back[0] as Map<string, unknown>).get('inner')).toBeInstanceOf(Map);
    expect([...(back[1] as Set<unknown>)][0]).toBeInstanceOf(Map);
  });

  it('keeps Sets as Sets', () => {
    const set = new Set([1, 'a', null, new Date(3)]);
    const back = roundTrip(set);
    expect(back).toBeInstanceOf(Set);
    expect([...back]).toEqual([...set]);
  });

  it('keeps BigInts of every size and sign', () => {
    const values = [
      0n,
      1n,
      -1n,
      2n ** 63n - 1n,
      -(2n ** 63n),
      2n ** 64n - 1n,
      2n ** 64n,
      -(2n ** 64n) - 1n,
      3n ** 200n,
      -(7n ** 300n),
    ];
    for (const n of values) expect(roundTrip(n)).toBe(n);
    expect(roundTrip({ n: 5n })).toEqual({ n: 5n });
  });

  it('returns a Buffer as a Buffer that owns its memory, and a Uint8Array as a Uint8Array', () => {
    const buffer = Buffer.from('bytes \x00\xff');
    const back = roundTrip({ buffer, view: new Uint8Array([1, 2, 3]) });
    expect(Buffer.isBuffer(back.buffer)).toBe(true);
    expect(back.buffer.equals(buffer)).toBe(true);
    expect(back.view.constructor).toBe(Uint8Array);
    expect([...back.view]).toEqual([1, 2, 3]);

    const body = msgpackSerializer.encodeResponse(buffer);
    const decoded = msgpackSerializer.decodeResponse(body) as Buffer;
    body.fill(0);
    expect(decoded.equals(buffer)).toBe(true);
  });

  it.each([
    new Int8Array([-1, 2]),
    new Uint8ClampedArray([255]),
    new Int16Array([-300]),
    new Uint16Array([65535]),
    new Int32Array([-70000]),
    new Uint32Array([4e9]),
    new Float32Array([1.5]),
    new Float64Array([Math.PI, -0]),
    new BigInt64Array([-5n]),
    new BigUint64Array([2n ** 64n - 1n]),
  ])('keeps %p as its own typed array', (typed) => {
    const back = roundTrip(typed);
    expect(back.constructor).toBe(typed.constructor);
    expect(back).toEqual(typed);
  });

  it('keeps built-in errors as their own class with name, message, code and stack', () => {
    const error = Object.assign(new TypeError('bad thing'), { code: 'E_BAD' });
    const back = roundTrip(error);
    expect(back).toBeInstanceOf(TypeError);
    expect(back.name).toBe('TypeError');
    expect(back.message).toBe('bad thing');
    expect(back.code).toBe('E_BAD');
    expect(back.stack).toBe(error.stack);
    expect(Object.keys(back)).toEqual(['code']);
    for (const Class of [RangeError, SyntaxError, ReferenceError, EvalError, URIError, Error]) {
      expect(roundTrip(new Class('x'))).toBeInstanceOf(Class);
    }
  });

  it('keeps an error cause and errors nested in values', () => {
    const back = roundTrip({ failures: [new Error('outer', { cause: new RangeError('inner') })] });
    const outer = back.failures[0] as Error;
    expect(outer.message).toBe('outer');
    expect(outer.cause).toBeInstanceOf(RangeError);
    expect((outer.cause as Error).message).toBe('inner');
  });

  it('sends an unregistered Error subclass as an Error that keeps its name and fields', () => {
    class Custom extends Error {
      override name = 'Custom';
      detail = 42;
    }
    const back = roundTrip(new Custom('oops'));
    expect(back).toBeInstanceOf(Error);
    expect(back).not.toBeInstanceOf(Custom);
    expect(back.name).toBe('Custom');
    expect(back.message).toBe('oops');
    expect(back.detail).toBe(42);
  });

  describe('registered classes', () => {
    it('revives an instance as the registered class without running its constructor', () => {
      const user = new User(1, 'Ada', new Date(10));
      constructorCalls = 0;
      const back = roundTrip(user);
      expect(back).toBeInstanceOf(User);
      expect(back.greet()).toBe('Hi, Ada');
      expect(back).toEqual(user);
      expect(back.born).toBeInstanceOf(Date);
      expect(constructorCalls).toBe(0);
    });

    it('revives instances nested in arrays, objects, Maps and Sets, and values nested in them', () => {
      const user = new User(2, 'Bob', new Date(20));
      const back = roundTrip({ list: [user], map: new Map([['u', user]]), set: new Set([user]) });
      expect(back.list[0]).toBeInstanceOf(User);
      expect(back.map.get('u')).toBeInstanceOf(User);
      expect([...back.set][0]).toBeInstanceOf(User);
      const withMap = Object.assign(new User(3, 'Cy', new Date(0)), { extra: new Map([[1, -0]]) });
      const extra = (roundTrip(withMap) as User & { extra: Map<number, number> }).extra;
      expect(extra).toBeInstanceOf(Map);
      expect(Object.is(extra.get(1), -0)).toBe(true);
    });

    it('revives a registered Error subclass as itself, with its fields, message and stack', () => {
      const error = new InsufficientFunds(10n);
      constructorCalls = 0;
      const back = roundTrip(error);
      expect(back).toBeInstanceOf(InsufficientFunds);
      expect(back).toBeInstanceOf(Error);
      expect(back.missing).toBe(10n);
      expect(back.name).toBe('InsufficientFunds');
      expect(back.message).toBe('missing 10');
      expect(back.stack).toBe(error.stack);
      expect(constructorCalls).toBe(0);
    });

    it('sends instances of unregistered classes as plain objects of their own fields', () => {
      const back = roundTrip({ thing: new Unregistered(7) });
      expect(back.thing).toEqual({ x: 7 });
      expect(Object.getPrototypeOf(back.thing)).toBe(Object.prototype);
    });

    it('turns a class name the receiver has not registered into a plain object, running no code', () => {
      const back = msgpackSerializer.decodeResponse(registeredExtension('com.evil.Gadget', { cmd: 'rm -rf /' }));
      expect(back).toEqual({ cmd: 'rm -rf /' });
      expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    });

    it('never resolves a class from globalThis, even for names that exist there', () => {
      for (const name of ['Function', 'Object', 'Promise', 'Unregistered', 'constructor', '__proto__']) {
        const back = msgpackSerializer.decodeResponse(registeredExtension(name, { a: 1 }));
        expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
      }
      expect(constructorCalls).toBe(0);
    });

    it('cannot be given another prototype through a __proto__ field', () => {
      const bytes = registeredExtension('test.User', JSON.parse('{"__proto__": {"polluted": true}, "id": 1}'));
      const back = msgpackSerializer.decodeResponse(bytes) as User & { polluted?: boolean };
      expect(back).toBeInstanceOf(User);
      expect(back.polluted).toBeUndefined();
      expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    });
  });

  describe('arguments', () => {
    const parameterTypes = ['test.User', 'string', 'Map', 'bigint', 'undefined'];
    const args = [new User(1, 'Ada', new Date(0)), 'Grace', new Map([[1, 'x']]), -(2n ** 70n), undefined];

    it('round-trips every argument as its own type', () => {
      const back = msgpackSerializer.decodeArguments(
        msgpackSerializer.encodeArguments(args, parameterTypes, LABEL),
        0,
        parameterTypes,
        LABEL,
      );
      expect(back).toEqual(args);
      expect(back[0]).toBeInstanceOf(User);
      expect((back[0] as User).born).toBeInstanceOf(Date);
      expect(back[2]).toBeInstanceOf(Map);
      expect(back[3]).toBe(-(2n ** 70n));
      expect(back).toHaveLength(5);
      expect(4 in back).toBe(true);
    });

    it('takes the types from the bytes, not from the declared parameter types', () => {
      const body = msgpackSerializer.encodeArguments(args, [], LABEL);
      const back = msgpackSerializer.decodeArguments(body, 0, [], LABEL);
      expect(back).toEqual(args);
      expect(back[0]).toBeInstanceOf(User);
    });

    it('decodes from the offset to the end: after the request prefix, in a view into a larger buffer', () => {
      const payload = msgpackSerializer.encodeArguments(args, parameterTypes, LABEL);
      const body = withPrefix(payload);
      expect(msgpackSerializer.decodeArguments(body, REQUEST_PREFIX_SIZE, parameterTypes, LABEL)).toEqual(args);

      // A frame body is often a view into a socket chunk, with bytes of other frames on both sides.
      const chunk = Buffer.concat([Buffer.from([0x92, 0x01]), body, Buffer.from([0xc0, 0xc0, 0xc0])]);
      const view = chunk.subarray(2, 2 + body.length);
      const back = msgpackSerializer.decodeArguments(view, REQUEST_PREFIX_SIZE, parameterTypes, LABEL);
      expect(back).toEqual(args);
      expect(back[0]).toBeInstanceOf(User);
    });

    it('copies binary arguments out of the body, so they do not pin or share its memory', () => {
      const buffer = Buffer.from('bytes \x00\xff');
      const body = withPrefix(msgpackSerializer.encodeArguments([buffer], ['Buffer'], LABEL));
      const [back] = msgpackSerializer.decodeArguments(body, REQUEST_PREFIX_SIZE, ['Buffer'], LABEL) as [Buffer];
      body.fill(0);
      expect(Buffer.isBuffer(back)).toBe(true);
      expect(back.equals(buffer)).toBe(true);
    });

    it('is the bare msgpack array of the arguments, nothing else', () => {
      expect(msgpackSerializer.encodeArguments([1, 2], ['number', 'number'], LABEL)).toEqual(
        Buffer.from([0x92, 0x01, 0x02]),
      );
      expect(msgpackSerializer.encodeArguments([1, 'a'], ['number', 'string'], LABEL)).toEqual(
        Buffer.from([0x92, 0x01, 0xa1, 0x61]),
      );
      expect(msgpackSerializer.encodeArguments([], [], LABEL)).toEqual(Buffer.from([0x90]));
      const plain = new Packr({ useRecords: false, moreTypes: true });
      expect(plain.unpack(msgpackSerializer.encodeArguments([true, null, 'x'], [], LABEL))).toEqual([true, null, 'x']);
    });

    it('does not modify the caller’s arguments while preparing them', () => {
      const mine = [{ zero: -0, map: new Map([[1, 2]]) }];
      msgpackSerializer.encodeArguments(mine, ['object'], LABEL);
      expect(Object.is(mine[0]?.zero, -0)).toBe(true);
      expect(mine[0]?.map).toBeInstanceOf(Map);
    });

    it.each<[string, unknown]>([
      ['a string', 'hello'],
      ['a number', 5],
      ['nil', null],
      ['a map', { 0: 'a', length: 1 }],
      ['a Map', new Map([[0, 'a']])],
    ])('rejects %s as the arguments with SERIALIZATION, at offset 0 and after the request prefix', (_what, value) => {
      const payload = msgpackSerializer.encodeResponse(value);
      const atStart = expectSerializationError(() => msgpackSerializer.decodeArguments(payload, 0, [], LABEL));
      expect(atStart.message).toBe(`msgpack: the arguments of ${LABEL} are not an array`);
      const afterPrefix = expectSerializationError(() =>
        msgpackSerializer.decodeArguments(withPrefix(payload), REQUEST_PREFIX_SIZE, [], LABEL),
      );
      expect(afterPrefix.message).toBe(atStart.message);
    });

    it('rejects a request body that ends with its prefix, and an array followed by more bytes', () => {
      const empty = expectSerializationError(() =>
        msgpackSerializer.decodeArguments(withPrefix(Buffer.alloc(0)), REQUEST_PREFIX_SIZE, [], LABEL),
      );
      expect(empty.message).toContain(`cannot decode the arguments of ${LABEL} (0 bytes)`);
      const trailing = withPrefix(Buffer.from([0x92, 0x01, 0x02, 0x03]));
      expectSerializationError(() => msgpackSerializer.decodeArguments(trailing, REQUEST_PREFIX_SIZE, [], LABEL));
    });
  });

  describe('error payloads', () => {
    it('round-trips every field, with a registered error revived as itself', () => {
      const payload = {
        code: 'APPLICATION_ERROR',
        message: 'missing 5',
        name: 'InsufficientFunds',
        stack: 'InsufficientFunds: missing 5\n    at somewhere',
        error: new InsufficientFunds(5n),
      };
      const back = msgpackSerializer.decodeError(msgpackSerializer.encodeError(payload));
      expect(back).toEqual(payload);
      expect(back.error).toBeInstanceOf(InsufficientFunds);
    });

    it('leaves out absent optional fields', () => {
      const back = msgpackSerializer.decodeError(msgpackSerializer.encodeError({ code: 'TIMEOUT', message: 'late' }));
      expect(back).toStrictEqual({ code: 'TIMEOUT', message: 'late' });
    });

    it('rejects a payload without code and message', () => {
      const body = new Packr({ useRecords: false }).pack([1, 2]);
      expectSerializationError(() => msgpackSerializer.decodeError(body));
    });
  });

  describe('failures are RpcError SERIALIZATION, never another exception', () => {
    it.each([
      ['empty input', Buffer.alloc(0)],
      ['a truncated string', Buffer.from([0xa5, 0x61])],
      ['an array claiming 4 billion elements', Buffer.from([0xdd, 0xff, 0xff, 0xff, 0xff, 0x01])],
      ['trailing bytes', Buffer.from([0x01, 0x02])],
      ['an unknown extension', Buffer.from([0xd4, 0x63, 0x00])],
      ['a malformed Map extension', Buffer.from([0xd4, 0x4d, 0x00, 0x91, 0x01])],
      ['a malformed error extension', Buffer.from([0xd4, 0x45, 0x00, 0x01])],
      ['a malformed registered-class extension', Buffer.from([0xd4, 0x43, 0x00, 0xc0])],
      ['a structured-clone pointer', Buffer.from([0xd6, 0x70, 0x00, 0x00, 0x00, 0x01])],
    ])('decoding %s', (_what, bytes) => {
      for (const decode of [
        () => msgpackSerializer.decodeResponse(bytes),
        () => msgpackSerializer.decodeArguments(bytes, 0, [], LABEL),
        () => msgpackSerializer.decodeArguments(withPrefix(bytes), REQUEST_PREFIX_SIZE, [], LABEL),
        () => msgpackSerializer.decodeError(bytes),
      ]) {
        expectSerializationError(decode);
      }
    });

    it('decoding random garbage (fixed seed) as arguments either gives an array or throws SERIALIZATION', () => {
      let seed = 12345;
      const next = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
      for (let run = 0; run < 2000; run++) {
        const bytes = Buffer.from(Array.from({ length: 1 + (run % 40) }, next));
        const offset = run % 9 < bytes.length ? run % 9 : 0;
        let args: unknown;
        try {
          args = msgpackSerializer.decodeArguments(bytes, offset, [], LABEL);
        } catch (error) {
          expect(RpcError.is(error, 'SERIALIZATION')).toBe(true);
          continue;
        }
        expect(Array.isArray(args)).toBe(true);
      }
    });

    it('encoding a symbol names what failed', () => {
      const error = expectSerializationError(() => msgpackSerializer.encodeResponse({ s: Symbol('x') }));
      expect(error.message).toContain('response');
      expect(error.cause).toBeInstanceOf(Error);
    });

    it('encoding a cyclic structure fails cleanly, and the next encoding still works', () => {
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      const error = expectSerializationError(() => msgpackSerializer.encodeArguments([cyclic], ['object'], 's#m'));
      expect(error.message).toContain('s#m');
      expect(roundTrip({ fine: [1, 2] })).toEqual({ fine: [1, 2] });
    });
  });
});

describe('msgpack serializer, decoding a range of a larger buffer (a socket chunk holding several frames)', () => {
  /** `body` with bytes msgpack never uses (0xc1) on both sides: decoding outside the range would fail. */
  const inChunk = (body: Buffer) => ({
    chunk: Buffer.concat([Buffer.from([0xc1, 0xc1]), body, Buffer.from([0xc1])]),
    start: 2,
    end: 2 + body.length,
  });

  it('decodes a response, an error payload and arguments from their range only', () => {
    const value = { id: 7, when: new Date(0), tags: new Set(['a']) };
    const response = inChunk(msgpackSerializer.encodeResponse(value));
    expect(msgpackSerializer.decodeResponse(response.chunk, response.start, response.end)).toEqual(value);

    const error = inChunk(msgpackSerializer.encodeError({ code: 'TIMEOUT', message: 'late' }));
    expect(msgpackSerializer.decodeError(error.chunk, error.start, error.end)).toEqual({
      code: 'TIMEOUT',
      message: 'late',
    });

    const args = inChunk(msgpackSerializer.encodeArguments([1, 'two'], [], 's#m'));
    expect(msgpackSerializer.decodeArguments(args.chunk, args.start, [], 's#m', args.end)).toEqual([1, 'two']);
  });

  it('refuses a range that cuts a value short, naming the byte count', () => {
    const { chunk, start, end } = inChunk(msgpackSerializer.encodeResponse('hello'));
    expect(() => msgpackSerializer.decodeResponse(chunk, start, end - 1)).toThrow(
      expect.objectContaining({ code: 'SERIALIZATION', message: expect.stringContaining('(5 bytes)') }),
    );
  });
});

describe('msgpack serializer, binary values and the body they came in', () => {
  const data = Buffer.from('0123456789abcdef', 'latin1');

  it('copies them out of a shared chunk, so a kept value never pins the chunk', () => {
    const body = msgpackSerializer.encodeResponse(data);
    const value = msgpackSerializer.decodeResponse(body, 0, body.length, false) as Buffer;
    expect(value).toEqual(data);
    expect(value.buffer).not.toBe(body.buffer);
  });

  it('views them in a body that holds one message alone (a large frame collected over chunks): no copy', () => {
    const body = Buffer.from(msgpackSerializer.encodeResponse(data)); // a buffer of its own
    const value = msgpackSerializer.decodeResponse(body, 0, body.length, true) as Buffer;
    expect(value).toEqual(data);
    expect(value.buffer).toBe(body.buffer);
    const args = Buffer.from(msgpackSerializer.encodeArguments([data], ['Buffer'], 's#m'));
    const [arg] = msgpackSerializer.decodeArguments(args, 0, ['Buffer'], 's#m', args.length, true) as [Buffer];
    expect(arg.buffer).toBe(args.buffer);
  });
});
