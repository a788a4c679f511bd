import type { Logger } from '../../../src/common/logger';
import { SILENT_LOGGER } from '../../../src/common/logger';
import { RpcError } from '../../../src/errors/rpc-error';
import { declareCall, type CallDeclaration } from '../../../src/protocol/call-declaration';
import { FrameFlag, MessageType, REQUEST_PREFIX_SIZE, Status, type Frame } from '../../../src/protocol/frame';
import { encodeRequestPrefixInto } from '../../../src/protocol/frame-encoder';
import type { ErrorPayload } from '../../../src/protocol/message';
import { CallDeduplicator } from '../../../src/rpc/call-deduplicator';
import { CallTable } from '../../../src/rpc/call-table';
import { Dispatcher } from '../../../src/rpc/dispatcher';
import { ServiceMap } from '../../../src/rpc/service-map';
import type { Serializer } from '../../../src/serialization/serializer';
import { getSerializerByName } from '../../../src/serialization/serializer-registry';
import { registerType } from '../../../src/serialization/type-registry';

const msgpack = getSerializerByName('msgpack');
const json = getSerializerByName('json');
const CONSUMER = '0123456789abcdef';

/** A registered error class whose instances cannot be encoded (a symbol field): its error payload cannot be sent. */
class Unsendable extends Error {
  readonly marker = Symbol('not encodable');
}
registerType(Unsendable, 'test.dispatcher.Unsendable');

class Calculator {
  runs = 0;
  add(a: number, b: number): number {
    this.runs++;
    return a + b;
  }
  async later(value: string): Promise<string> {
    return value;
  }
  explode(): never {
    throw new RangeError('too big');
  }
  async reject(): Promise<never> {
    throw new TypeError('no luck');
  }
  weird(): symbol {
    return Symbol('result');
  }
  unsendable(): never {
    throw new Unsendable('cannot travel');
  }
}

interface Answer {
  status: number;
  serializerId: number;
  requestId: number;
  body: Buffer;
}

interface Request {
  readonly declaration?: Partial<CallDeclaration>;
  readonly args?: unknown[];
  readonly callId?: number;
  readonly requestId?: number;
  readonly flags?: number;
  readonly serializer?: Serializer;
}

/**
 * One consumer connection as the provider sees it: its CallTable, filled the way a consumer does (each distinct
 * declaration declared once, under the next reference), and the answers written back.
 */
class Connection {
  readonly calls = new CallTable();
  readonly answers: Answer[] = [];
  private readonly refs = new Map<string, number>();

  constructor(private readonly dispatcher: Dispatcher) {}

  readonly reply = (status: number, serializerId: number, requestId: number, body: Buffer) => {
    this.answers.push({ status, serializerId, requestId, body });
  };

  /** The reference of `declaration` on this connection, declared now if it is new. */
  refOf(declaration: Partial<CallDeclaration> = {}): number {
    const encoded = declareCall({
      service: 'Calc',
      group: '',
      version: '1',
      method: 'add',
      parameterTypes: [],
      consumerId: CONSUMER,
      ...declaration,
    }).encoded;
    const key = encoded.toString('utf8');
    let ref = this.refs.get(key);
    if (ref === undefined) {
      ref = this.refs.size + 1;
      this.calls.declare(ref, encoded);
      this.refs.set(key, ref);
    }
    return ref;
  }

  dispatch(frame: Frame): void {
    this.dispatcher.dispatch(frame, this.reply, this.calls);
  }

  /** Sends one request and returns its only answer, decoded (fails if there is not exactly one). */
  async call(request: Request = {}): Promise<{ ok: boolean; value: any; answer: Answer }> {
    const before = this.answers.length;
    const serializer = request.serializer ?? msgpack;
    const frame = requestFrame(this.refOf(request.declaration), request);
    this.dispatch(frame);
    await settled();
    expect(this.answers).toHaveLength(before + 1);
    const answer = this.answers[before]!;
    expect(answer.requestId).toBe(frame.header.requestId);
    expect(answer.serializerId).toBe(serializer.id);
    return answer.status === Status.OK
      ? { ok: true, value: serializer.decodeResponse(answer.body), answer }
      : { ok: false, value: serializer.decodeError(answer.body), answer };
  }
}

/** A REQUEST frame naming `callRef`: the 8-byte prefix, then the serialized arguments. */
function requestFrame(callRef: number, request: Request = {}): Frame {
  const serializer = request.serializer ?? msgpack;
  const types = request.declaration?.parameterTypes ?? [];
  const args = serializer.encodeArguments(request.args ?? [], types, 'test');
  return frame(Buffer.concat([prefix(callRef, request.callId ?? 0), args]), request);
}

function prefix(callRef: number, callId: number): Buffer {
  const bytes = Buffer.alloc(REQUEST_PREFIX_SIZE);
  encodeRequestPrefixInto(bytes, 0, callRef, callId);
  return bytes;
}

/** A request frame whose body lies inside a larger buffer, as in a socket chunk: the dispatcher must read the range. */
function frame(body: Buffer, request: Request = {}): Frame {
  const source = Buffer.concat([Buffer.from([0xc1, 0xc1, 0xc1]), body, Buffer.from([0xc1, 0xc1])]);
  return {
    source,
    bodyStart: 3,
    bodyEnd: 3 + body.length,
    ownSource: false,
    header: {
      type: MessageType.REQUEST,
      flags: request.flags ?? FrameFlag.NONE,
      serializerId: (request.serializer ?? msgpack).id,
      status: 0,
      requestId: request.requestId ?? 7,
      bodyLength: body.length,
    },
    body,
  };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

function errorOf(answer: Answer | undefined): ErrorPayload {
  expect(answer?.status).toBe(Status.ERROR);
  return msgpack.decodeError(answer!.body);
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...SILENT_LOGGER, warn: (message: string) => warnings.push(message), warnings };
}

describe('Dispatcher', () => {
  const calculator = new Calculator();
  const services = new ServiceMap();
  services.add(calculator, { interface: 'Calc', version: '1' });
  const dispatcher = new Dispatcher(services, SILENT_LOGGER);
  let connection: Connection;
  beforeEach(() => (connection = new Connection(dispatcher)));

  it('runs sync and async methods and answers once, in the request’s serializer', async () => {
    await expect(
      connection.call({ declaration: { parameterTypes: ['number', 'number'] }, args: [2, 3] }),
    ).resolves.toMatchObject({ ok: true, value: 5 });
    await expect(
      connection.call({ declaration: { method: 'later', parameterTypes: ['string'] }, args: ['x'], requestId: 9 }),
    ).resolves.toMatchObject({ ok: true, value: 'x' });
    await expect(
      connection.call({ declaration: { parameterTypes: ['number', 'number'] }, args: [4, 5], serializer: json }),
    ).resolves.toMatchObject({ ok: true, value: 9 });
  });

  it.each([
    'constructor',
    '__proto__',
    'toString',
    'hasOwnProperty',
    'valueOf',
    'isPrototypeOf',
    '__defineGetter__',
    'missing',
  ])('answers METHOD_NOT_FOUND for %s', async (method) => {
    const reply = await connection.call({ declaration: { method } });
    expect(reply.ok).toBe(false);
    expect(reply.value.code).toBe('METHOD_NOT_FOUND');
  });

  it('answers SERVICE_NOT_FOUND naming what it serves', async () => {
    const reply = await connection.call({ declaration: { version: '2' } });
    expect(reply.value.code).toBe('SERVICE_NOT_FOUND');
    expect(reply.value.message).toContain('/Calc:2');
    expect(reply.value.message).toContain('/Calc:1');
  });

  it('maps a thrown exception or a rejection to APPLICATION_ERROR with name, message and stack', async () => {
    const thrown = await connection.call({ declaration: { method: 'explode' } });
    expect(thrown.value).toMatchObject({ code: 'APPLICATION_ERROR', name: 'RangeError', message: 'too big' });
    expect(thrown.value.stack).toContain('explode');
    const rejected = await connection.call({ declaration: { method: 'reject' } });
    expect(rejected.value).toMatchObject({ code: 'APPLICATION_ERROR', name: 'TypeError', message: 'no luck' });
  });

  it('answers BAD_REQUEST when declared types contradict the values', async () => {
    const reply = await connection.call({ declaration: { parameterTypes: ['number', 'number'] }, args: ['2', 3] });
    expect(reply.value.code).toBe('BAD_REQUEST');
    expect(reply.value.message).toContain('argument #0');
  });

  it('answers BAD_REQUEST for a call reference never declared on this connection', async () => {
    const runs = calculator.runs;
    const other = new Connection(dispatcher);
    const ref = other.refOf({ parameterTypes: ['number', 'number'] }); // declared on another connection only
    connection.dispatch(requestFrame(ref + 40, { args: [1, 2] }));
    connection.dispatch(requestFrame(0, { args: [1, 2], requestId: 8 }));
    expect(connection.answers.map((a) => a.requestId)).toEqual([7, 8]);
    for (const answer of connection.answers) {
      const error = errorOf(answer);
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.message).toContain('never declared');
    }
    expect(calculator.runs).toBe(runs);
  });

  it('answers BAD_REQUEST for a body shorter than the request prefix', () => {
    connection.dispatch(frame(Buffer.from([0, 0, 0, 1, 0])));
    connection.dispatch(frame(Buffer.alloc(0)));
    expect(connection.answers).toHaveLength(2);
    for (const answer of connection.answers) expect(errorOf(answer).code).toBe('BAD_REQUEST');
  });

  it('answers SERIALIZATION for undecodable arguments and for an unknown serializer', () => {
    const ref = connection.refOf();
    connection.dispatch(frame(Buffer.concat([prefix(ref, 0), Buffer.from([0xc1, 0xc1, 0xc1])])));
    connection.dispatch(frame(Buffer.concat([prefix(ref, 0), msgpack.encodeResponse('not an array')])));
    const unknown = requestFrame(ref);
    unknown.header.serializerId = 99;
    connection.dispatch(unknown);
    expect(connection.answers).toHaveLength(3);
    for (const answer of connection.answers) {
      expect(answer.serializerId).toBe(msgpack.id); // the unknown one is answered in the default serializer
      expect(errorOf(answer).code).toBe('SERIALIZATION');
    }
  });

  it('answers SERIALIZATION when the result, or even the error, cannot be encoded', async () => {
    const result = await connection.call({ declaration: { method: 'weird' } });
    expect(result.value.code).toBe('SERIALIZATION');
    const error = await connection.call({ declaration: { method: 'unsendable' } });
    expect(error.value.code).toBe('SERIALIZATION');
    expect(error.value.message).toContain('cannot travel');
  });

  it('sends nothing back for a one-way request, whether it runs, fails or cannot be read', async () => {
    const logger = recordingLogger();
    const quiet = new Connection(new Dispatcher(services, logger));
    const runs = calculator.runs;
    const oneWay = { flags: FrameFlag.ONE_WAY };
    quiet.dispatch(requestFrame(quiet.refOf({ parameterTypes: ['number', 'number'] }), { ...oneWay, args: [1, 1] }));
    quiet.dispatch(requestFrame(quiet.refOf({ method: 'explode' }), oneWay));
    quiet.dispatch(requestFrame(quiet.refOf({ method: 'missing' }), oneWay));
    quiet.dispatch(requestFrame(99, oneWay));
    quiet.dispatch(frame(Buffer.alloc(3), oneWay));
    const unknown = requestFrame(quiet.refOf(), oneWay);
    unknown.header.serializerId = 99;
    quiet.dispatch(unknown);
    await settled();
    expect(quiet.answers).toHaveLength(0);
    expect(calculator.runs).toBe(runs + 1);
    // failures are logged instead
    expect(logger.warnings.some((w) => w.includes('Calc#explode') && w.includes('too big'))).toBe(true);
    expect(logger.warnings.some((w) => w.includes("no method 'missing'"))).toBe(true);
    expect(logger.warnings.some((w) => w.includes('never declared'))).toBe(true);
  });

  it('refuses a request with a coded error in its own serializer, or the default one', () => {
    const refusal = new RpcError('SHUTTING_DOWN', 'provider stopping');
    dispatcher.refuse(requestFrame(connection.refOf(), { requestId: 11, serializer: json }), refusal, connection.reply);
    const unknown = requestFrame(connection.refOf(), { requestId: 12 });
    unknown.header.serializerId = 99;
    dispatcher.refuse(unknown, refusal, connection.reply);
    const [known, fallback] = connection.answers;
    expect(known).toMatchObject({ status: Status.ERROR, serializerId: json.id, requestId: 11 });
    expect(json.decodeError(known!.body)).toMatchObject({ code: 'SHUTTING_DOWN', message: 'provider stopping' });
    expect(fallback).toMatchObject({ status: Status.ERROR, serializerId: msgpack.id, requestId: 12 });
    expect(errorOf(fallback).code).toBe('SHUTTING_DOWN');
  });

  it('resolves a declared call’s service and method once, then reuses them', async () => {
    const find = jest.spyOn(services, 'find');
    try {
      const declaration = { parameterTypes: ['number', 'number'] };
      for (let i = 0; i < 3; i++) {
        await expect(connection.call({ declaration, args: [i, 1] })).resolves.toMatchObject({ value: i + 1 });
      }
      expect(find).toHaveBeenCalledTimes(1);
      expect(connection.calls.get(connection.refOf(declaration))!.target?.method).toBe(Calculator.prototype.add);
      // another declaration (other types), or another connection, resolves its own
      await connection.call({ declaration: { method: 'later', parameterTypes: ['string'] }, args: ['x'] });
      await new Connection(dispatcher).call({ declaration, args: [1, 1] });
      expect(find).toHaveBeenCalledTimes(3);
    } finally {
      find.mockRestore();
    }
  });

  it('looks a SERVICE_NOT_FOUND up again on the next request: the service may be exported later', async () => {
    const late = new ServiceMap();
    const lateDispatcher = new Dispatcher(late, SILENT_LOGGER);
    const lateConnection = new Connection(lateDispatcher);
    const request = {
      declaration: { service: 'Late', version: '', parameterTypes: ['number', 'number'] },
      args: [2, 2],
    };
    expect((await lateConnection.call(request)).value.code).toBe('SERVICE_NOT_FOUND');
    expect((await lateConnection.call(request)).value.code).toBe('SERVICE_NOT_FOUND');
    expect(lateConnection.calls.get(1)!.target).toBeUndefined();
    late.add(new Calculator(), { interface: 'Late' });
    await expect(lateConnection.call(request)).resolves.toMatchObject({ ok: true, value: 4 });
    expect(lateConnection.calls.size).toBe(1); // the same declaration all along
  });

  describe('with de-duplication', () => {
    const deduplicators: CallDeduplicator[] = [];
    afterEach(() => deduplicators.splice(0).forEach((d) => d.close()));

    /** A provider of its own (own deduplicator) and one connection to it. */
    function provider(dedup: boolean) {
      const instance = new Calculator();
      const map = new ServiceMap();
      map.add(instance, { interface: 'Calc', version: '1', dedup });
      const deduplicator = new CallDeduplicator();
      deduplicators.push(deduplicator);
      return { instance, connection: new Connection(new Dispatcher(map, SILENT_LOGGER, deduplicator)) };
    }
    const add = (callId: number, args: unknown[] = [2, 3], consumerId = CONSUMER) => ({
      declaration: { parameterTypes: ['number', 'number'], consumerId },
      args,
      callId,
    });

    it('runs a call once per call id and answers a retry with the first outcome', async () => {
      const { instance, connection: retried } = provider(true);
      await expect(retried.call(add(41))).resolves.toMatchObject({ ok: true, value: 5 });
      // a retry of call 41, even with other arguments, gets call 41's answer
      await expect(retried.call(add(41, [10, 10]))).resolves.toMatchObject({ ok: true, value: 5 });
      expect(instance.runs).toBe(1);
      await expect(retried.call(add(42, [10, 10]))).resolves.toMatchObject({ ok: true, value: 20 });
      expect(instance.runs).toBe(2);
    });

    it('keys call ids by consumer: the same number from another consumer is another call', async () => {
      const { instance, connection: shared } = provider(true);
      await shared.call(add(7));
      await shared.call(add(7, [1, 1], 'fedcba9876543210'));
      expect(instance.runs).toBe(2);
      await shared.call(add(7, [1, 1], 'fedcba9876543210'));
      expect(instance.runs).toBe(2);
    });

    it('runs every request with call id 0 (none), or of a service without dedup', async () => {
      const withDedup = provider(true);
      await withDedup.connection.call(add(0));
      await withDedup.connection.call(add(0));
      expect(withDedup.instance.runs).toBe(2);
      const without = provider(false);
      await without.connection.call(add(5));
      await without.connection.call(add(5));
      expect(without.instance.runs).toBe(2);
    });
  });
});
