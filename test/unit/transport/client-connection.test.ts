import { EventEmitter, once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

import { SILENT_LOGGER } from '../../../src/common/logger';
import { RpcError } from '../../../src/errors/rpc-error';
import {
  MAX_DECLARATION_BYTES,
  MAX_DECLARED_CALLS,
  declareCall,
  decodeDeclaration,
  type DeclaredCall,
} from '../../../src/protocol/call-declaration';
import { FrameFlag, MessageType, REQUEST_PREFIX_SIZE, Status, type FrameHeader } from '../../../src/protocol/frame';
import { FrameDecoder } from '../../../src/protocol/frame-decoder';
import { encodeFrame } from '../../../src/protocol/frame-encoder';
import { RpcServer } from '../../../src/rpc/rpc-server';
import { getSerializerByName } from '../../../src/serialization/serializer-registry';
import { typeTagOf } from '../../../src/serialization/type-tag';
import {
  ClientConnection,
  DEFAULT_CLIENT_CONNECTION_OPTIONS,
  type ClientConnectionOptions,
} from '../../../src/transport/client-connection';
import { ConnectionState } from '../../../src/transport/connection-state';
import { freePort } from '../../support/free-port';

const msgpack = getSerializerByName('msgpack');
const SERVICE = 'com.acme.Echo';
const CONSUMER_ID = '0123456789abcdef';

/** The provider's tiny service; `hold` parks a call (emitting 'held') until the test releases it. */
class Echo extends EventEmitter {
  readonly held: Array<() => void> = [];

  echo(value: unknown): unknown {
    return value;
  }

  hold(value: string): Promise<string> {
    return new Promise((resolve) => {
      this.held.push(() => resolve(value));
      this.emit('held');
    });
  }

  fail(): never {
    throw new RangeError('out of range');
  }
}

/**
 * The declaration of `method` called with arguments of these types: one object per kind of call, as a consumer keeps
 * them (the connection knows a kind by its DeclaredCall object).
 */
const kinds = new Map<string, DeclaredCall>();
function kindOf(method: string, args: readonly unknown[]): DeclaredCall {
  const parameterTypes = args.map(typeTagOf);
  const key = `${method}(${parameterTypes.join(',')})`;
  let kind = kinds.get(key);
  if (kind === undefined) {
    kind = declareCall({ service: SERVICE, group: '', version: '', method, parameterTypes, consumerId: CONSUMER_ID });
    kinds.set(key, kind);
  }
  return kind;
}

/** How often each request's callbacks were called: every one must be settled at most once (see afterEach). */
const settlements: number[] = [];

interface CallOptions {
  timeoutMs?: number;
  oneWay?: boolean;
  callId?: number;
  /** Send as this kind instead of kindOf(method, args). */
  kind?: DeclaredCall;
}

/** One request through the connection's callbacks, as a promise of its outcome. */
function call(c: ClientConnection, method: string, args: unknown[], options: CallOptions = {}): Promise<unknown> {
  const { timeoutMs = 2000, oneWay = false, callId = 0, kind = kindOf(method, args) } = options;
  const index = settlements.push(0) - 1;
  return new Promise((resolve, reject) => {
    c.request(
      { declared: kind, callId, serializer: msgpack, deadline: Date.now() + timeoutMs, oneWay },
      msgpack.encodeArguments(args, kind.parameterTypes, kind.label),
      {
        succeeded: (value) => {
          settlements[index]!++;
          resolve(value);
        },
        failed: (error) => {
          settlements[index]!++;
          reject(error);
        },
      },
    );
  });
}

let server: RpcServer | undefined;
let echo: Echo;
const connections: ClientConnection[] = [];

async function startServer(port = 0): Promise<number> {
  echo = new Echo();
  server = new RpcServer({ port, logger: SILENT_LOGGER, drainTimeoutMs: 5000 });
  server.export(echo, { interface: SERVICE });
  await server.start();
  return server.address.port;
}

function connection(port: number, options: Partial<ClientConnectionOptions> = {}): ClientConnection {
  const c = new ClientConnection('127.0.0.1', port, {
    ...DEFAULT_CLIENT_CONNECTION_OPTIONS,
    heartbeatIntervalMs: 0,
    logger: SILENT_LOGGER,
    ...options,
  });
  connections.push(c);
  return c;
}

/** Reconnects 10 ms after a socket is lost, for as long as the test lasts. */
const FAST_RECONNECT: Partial<ClientConnectionOptions> = {
  backoff: { initialMs: 10, maxMs: 10, multiplier: 1, jitter: 0 },
  maxReconnectAttempts: 1000,
};

function recordStates(c: ClientConnection): ConnectionState[] {
  const states: ConnectionState[] = [];
  c.on('state', (state: ConnectionState) => states.push(state));
  return states;
}

/** Resolves when `c` reaches `state`; rejects after `ms` so a missing transition cannot hang the test. */
function waitForState(c: ClientConnection, state: ConnectionState, ms = 5000): Promise<void> {
  if (c.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      c.off('state', listener);
      reject(new Error(`${c.address} did not become ${state} within ${ms} ms (it is ${c.state})`));
    }, ms);
    const listener = (s: ConnectionState) => {
      if (s !== state) return;
      clearTimeout(timer);
      c.off('state', listener);
      resolve();
    };
    c.on('state', listener);
  });
}

/** A frame as the recorder received it, copied out of the decoder's reused Frame. */
interface Received {
  header: FrameHeader;
  body: Buffer;
}

/**
 * A provider that records every frame of every accepted socket and answers each two-way REQUEST with what it read
 * from it: `{ callRef, callId, args }`. It keeps no declarations: the tests read them from `connections`.
 */
interface Recorder {
  port: number;
  /** Per accepted socket, in accept order, the frames it received in order. */
  connections: Received[][];
  /** Destroys every accepted socket: the provider drops its consumers. */
  drop(): void;
}

let recorder: { server: Server; sockets: Socket[] } | undefined;

async function startRecorder(): Promise<Recorder> {
  const connections: Received[][] = [];
  const sockets: Socket[] = [];
  const listener = createServer((socket) => {
    const frames: Received[] = [];
    connections.push(frames);
    sockets.push(socket);
    socket.on('error', () => undefined);
    const decoder = new FrameDecoder((frame) => {
      frames.push({ header: { ...frame.header }, body: Buffer.from(frame.body) });
      const { type, flags, requestId } = frame.header;
      if (type !== MessageType.REQUEST || (flags & FrameFlag.ONE_WAY) !== 0) return;
      const answer = {
        callRef: frame.body.readUInt32BE(0),
        callId: frame.body.readUInt32BE(4),
        args: msgpack.decodeArguments(frame.body, REQUEST_PREFIX_SIZE, [], 'recorder'),
      };
      socket.write(
        encodeFrame(
          MessageType.RESPONSE,
          FrameFlag.NONE,
          msgpack.id,
          Status.OK,
          requestId,
          msgpack.encodeResponse(answer),
        ),
      );
    });
    socket.on('data', (chunk: Buffer) => decoder.push(chunk));
  });
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  recorder = { server: listener, sockets };
  return {
    port: (listener.address() as AddressInfo).port,
    connections,
    drop: () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** The frames' types, DECLARE as 'D<reference>' and REQUEST as 'R<reference>' (from its prefix). */
function shape(frames: Received[]): string[] {
  return frames.map(({ header, body }) => {
    if (header.type === MessageType.DECLARE) return `D${header.requestId}`;
    if (header.type === MessageType.REQUEST) return `R${body.readUInt32BE(0)}`;
    return `type ${header.type}`;
  });
}

afterEach(async () => {
  for (const c of connections.splice(0)) c.close();
  for (const release of echo?.held.splice(0) ?? []) release();
  await server?.stop({ drainTimeoutMs: 100 });
  server = undefined;
  if (recorder !== undefined) {
    const { server: listener, sockets } = recorder;
    recorder = undefined;
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  }
  const twice = settlements.filter((count) => count > 1).length;
  settlements.splice(0);
  expect(twice).toBe(0); // no request's callbacks were called more than once
});

describe('ClientConnection', () => {
  it('starts IDLE, connects on the first request (CONNECTING → READY) and resolves with the response', async () => {
    const c = connection(await startServer());
    const states = recordStates(c);
    expect(c.state).toBe(ConnectionState.IDLE);
    expect(c.usable).toBe(true);
    const [a, b] = await Promise.all([call(c, 'echo', ['hello']), call(c, 'echo', [42])]);
    expect([a, b]).toEqual(['hello', 42]);
    expect(states).toEqual([ConnectionState.CONNECTING, ConnectionState.READY]); // racing first calls share one connect
    expect(c.state).toBe(ConnectionState.READY);
    expect(c.pendingCount).toBe(0);
  });

  it('calls a kind of call again and again on a real provider once it was declared', async () => {
    const c = connection(await startServer());
    for (let i = 0; i < 5; i++) await expect(call(c, 'echo', [`n${i}`])).resolves.toBe(`n${i}`);
    const values = await Promise.all(Array.from({ length: 50 }, (_, i) => call(c, 'echo', [i % 2 ? i : `s${i}`])));
    expect(values).toEqual(Array.from({ length: 50 }, (_, i) => (i % 2 ? i : `s${i}`)));
  });

  it('rejects with what the provider’s method threw, naming service#method and the address', async () => {
    const port = await startServer();
    const c = connection(port);
    const error = await call(c, 'fail', []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({
      code: 'APPLICATION_ERROR',
      remoteName: 'RangeError',
      message: `${SERVICE}#fail on 127.0.0.1:${port} threw RangeError: out of range`,
    });
    expect(c.state).toBe(ConnectionState.READY);
  });

  it('rejects with the provider’s METHOD_NOT_FOUND for a declared method the service lacks', async () => {
    const c = connection(await startServer());
    await expect(call(c, 'missing', [1])).rejects.toMatchObject({
      code: 'METHOD_NOT_FOUND',
      message: expect.stringContaining("no method 'missing'"),
    });
    await expect(call(c, 'echo', [1])).resolves.toBe(1); // the connection lives on
  });

  it('settles a one-way request as soon as it is written, inside request(), without waiting for the provider', async () => {
    const c = connection(await startServer());
    await c.whenReady();
    const kind = kindOf('hold', ['x']);
    const callbacks = { succeeded: jest.fn(), failed: jest.fn() };
    const args = msgpack.encodeArguments(['x'], kind.parameterTypes, kind.label);
    c.request(
      { declared: kind, callId: 0, serializer: msgpack, deadline: Date.now() + 2000, oneWay: true },
      args,
      callbacks,
    );
    expect(callbacks.succeeded).toHaveBeenCalledTimes(1);
    expect(callbacks.succeeded).toHaveBeenCalledWith(undefined);
    expect(callbacks.failed).not.toHaveBeenCalled();
    expect(c.pendingCount).toBe(0);
    await once(echo, 'held'); // it did reach the provider
    expect(callbacks.succeeded).toHaveBeenCalledTimes(1);
  });

  it('rejects a call whose deadline already passed without sending it', async () => {
    const c = connection(await startServer());
    await c.whenReady();
    await expect(call(c, 'echo', [1], { timeoutMs: -1 })).rejects.toMatchObject({
      code: 'TIMEOUT',
      retryable: false,
      message: expect.stringMatching(/^com\.acme\.Echo#echo: deadline passed before the call was sent/),
    });
    expect(c.pendingCount).toBe(0);
  });

  it('fails a refused connect with a retryable CONNECTION_REFUSED, then fails fast during back-off', async () => {
    const port = await freePort();
    const c = connection(port, { backoff: { initialMs: 60_000, maxMs: 60_000, multiplier: 2, jitter: 0 } });
    const states = recordStates(c);

    const first = await call(c, 'echo', [1]).catch((e: unknown) => e);
    expect(first).toMatchObject({ code: 'CONNECTION_REFUSED', retryable: true, address: `127.0.0.1:${port}` });
    expect((first as Error).message).toMatch(new RegExp(`^Cannot connect to 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
    expect(states).toEqual([ConnectionState.CONNECTING, ConnectionState.CLOSED]);
    expect(c.usable).toBe(false);

    const fast = await call(c, 'echo', [1]).catch((e: unknown) => e);
    expect(fast).toMatchObject({ code: 'CONNECTION_REFUSED', retryable: true });
    expect((fast as Error).message).toMatch(
      new RegExp(
        `^${SERVICE}#echo: 127\\.0\\.0\\.1:${port} is unreachable \\(.*ECONNREFUSED.*\\); next reconnect in \\d+ ms$`,
      ),
    );
    const wait = Number(/next reconnect in (\d+) ms/.exec((fast as Error).message)?.[1]);
    expect(wait).toBeGreaterThan(55_000);
    expect(wait).toBeLessThanOrEqual(60_000);
    expect(states).toEqual([ConnectionState.CONNECTING, ConnectionState.CLOSED]); // no new connect attempt
  });

  it('on GOAWAY drains: pending calls finish, new ones are refused SHUTTING_DOWN, then the socket closes', async () => {
    const c = connection(await startServer());
    const running = once(echo, 'held');
    const pending = call(c, 'hold', ['last'], { timeoutMs: 5000 });
    await running;

    const stopped = server!.stop();
    await waitForState(c, ConnectionState.DRAINING);
    expect(c.usable).toBe(false);
    const refused = await call(c, 'echo', [1]).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'SHUTTING_DOWN', retryable: true });
    expect((refused as Error).message).toMatch(/com\.acme\.Echo#echo: provider 127\.0\.0\.1:\d+ is shutting down/);
    await expect(c.whenReady()).rejects.toMatchObject({ code: 'SHUTTING_DOWN' });

    echo.held.shift()?.();
    await expect(pending).resolves.toBe('last');
    await waitForState(c, ConnectionState.CLOSED);
    await stopped;
  });

  it('refuses new calls OVERLOADED while its write buffer holds more than maxPendingWriteBytes', async () => {
    const c = connection(await startServer(), { maxPendingWriteBytes: 64 * 1024 });
    await c.whenReady();
    const big = Buffer.alloc(1024 * 1024, 7);
    // The first frame of the tick is written at once; the rest waits in the batch, counted as pending bytes.
    const small = call(c, 'echo', ['first']);
    const large = call(c, 'echo', [big]);
    const refused = await call(c, 'echo', ['third']).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'OVERLOADED', retryable: true });
    expect((refused as Error).message).toMatch(
      /com\.acme\.Echo#echo: write buffer to 127\.0\.0\.1:\d+ holds \d+ bytes/,
    );
    await expect(small).resolves.toBe('first');
    const echoed = (await large) as Buffer;
    expect(Buffer.isBuffer(echoed) && echoed.equals(big)).toBe(true); // toEqual on 1 MiB takes seconds
    await expect(call(c, 'echo', ['after'])).resolves.toBe('after'); // drained: accepted again
  });

  it('times out a call on its deadline, settles it once, and drops the late response', async () => {
    const c = connection(await startServer());
    const states = recordStates(c);
    await c.whenReady();
    const port = server!.address.port;
    const late = call(c, 'hold', ['late'], { timeoutMs: 50 });
    const error = await late.catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'TIMEOUT',
      retryable: false,
      message: expect.stringMatching(
        new RegExp(`^${SERVICE}#hold timed out after \\d+ ms on 127\\.0\\.0\\.1:${port}$`),
      ),
    });
    expect(c.pendingCount).toBe(0);

    echo.held.shift()?.(); // the late response is written before the next call's response
    await expect(call(c, 'echo', ['next'])).resolves.toBe('next');
    await expect(call(c, 'echo', ['again'])).resolves.toBe('again');
    expect(settlements[0]).toBe(1); // the late response settled nothing
    expect(states).toEqual([ConnectionState.CONNECTING, ConnectionState.READY]); // the connection lived on
    expect(c.pendingCount).toBe(0);
  });

  it('close() shuts down for good: pending and later calls reject CLIENT_CLOSED', async () => {
    const c = connection(await startServer());
    const states = recordStates(c);
    const pending = call(c, 'hold', ['never'], { timeoutMs: 5000 });
    await c.whenReady();
    c.close();
    expect(c.state).toBe(ConnectionState.SHUTDOWN);
    expect(states).toEqual([ConnectionState.CONNECTING, ConnectionState.READY, ConnectionState.SHUTDOWN]);
    await expect(pending).rejects.toMatchObject({
      code: 'CLIENT_CLOSED',
      message: expect.stringMatching(/Client closed/),
    });
    await expect(call(c, 'echo', [1])).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
    expect(c.usable).toBe(false);
    c.close(); // idempotent
    expect(states).toHaveLength(3);
    expect(settlements).toEqual([1, 1]);
  });

  it('rejects pending calls CONNECTION_CLOSED (not retryable) when the provider goes away', async () => {
    const c = connection(await startServer());
    const running = once(echo, 'held');
    const pending = call(c, 'hold', ['x'], { timeoutMs: 5000 });
    await running;
    void server!.stop({ drainTimeoutMs: 0 });
    await expect(pending).rejects.toMatchObject({
      code: 'CONNECTION_CLOSED',
      retryable: false,
      message: expect.stringMatching(/^com\.acme\.Echo#hold: connection to 127\.0\.0\.1:\d+ closed/),
    });
  });

  describe('call declarations', () => {
    it('sends a DECLARE before the first REQUEST of each kind, and only a REQUEST for later calls of it', async () => {
      const rec = await startRecorder();
      const c = connection(rec.port);
      await expect(call(c, 'echo', ['a'], { callId: 11 })).resolves.toEqual({ callRef: 1, callId: 11, args: ['a'] });
      await expect(call(c, 'echo', ['b'], { callId: 12 })).resolves.toEqual({ callRef: 1, callId: 12, args: ['b'] });
      await expect(call(c, 'echo', [3])).resolves.toEqual({ callRef: 2, callId: 0, args: [3] }); // other types
      await expect(call(c, 'hold', ['x'])).resolves.toEqual({ callRef: 3, callId: 0, args: ['x'] }); // other method
      await expect(call(c, 'echo', ['c'], { callId: 0xffffffff })).resolves.toEqual({
        callRef: 1,
        callId: 0xffffffff,
        args: ['c'],
      });

      expect(rec.connections).toHaveLength(1);
      const frames = rec.connections[0]!;
      expect(shape(frames)).toEqual(['D1', 'R1', 'R1', 'D2', 'R2', 'D3', 'R3', 'R1']);
      const declares = frames.filter((f) => f.header.type === MessageType.DECLARE);
      expect(declares.map((f) => f.body)).toEqual([
        kindOf('echo', ['a']).encoded,
        kindOf('echo', [3]).encoded,
        kindOf('hold', ['x']).encoded,
      ]);
      expect(decodeDeclaration(declares[1]!.body)).toEqual({
        service: SERVICE,
        group: '',
        version: '',
        method: 'echo',
        parameterTypes: ['number'],
        consumerId: CONSUMER_ID,
      });
      for (const { header } of declares) {
        expect(header).toMatchObject({ flags: FrameFlag.NONE, serializerId: 0, status: Status.OK });
      }
      const requests = frames.filter((f) => f.header.type === MessageType.REQUEST);
      for (const { header } of requests) {
        expect(header).toMatchObject({ flags: FrameFlag.NONE, serializerId: msgpack.id, status: Status.OK });
      }
      expect(new Set(requests.map((f) => f.header.requestId)).size).toBe(requests.length);
    });

    it('declares a kind once when racing first calls share the connect', async () => {
      const rec = await startRecorder();
      const c = connection(rec.port);
      const answers = await Promise.all([call(c, 'echo', ['a']), call(c, 'echo', ['b']), call(c, 'echo', [1])]);
      expect(answers).toEqual([
        { callRef: 1, callId: 0, args: ['a'] },
        { callRef: 1, callId: 0, args: ['b'] },
        { callRef: 2, callId: 0, args: [1] },
      ]);
      expect(shape(rec.connections[0]!)).toEqual(['D1', 'R1', 'R1', 'D2', 'R2']);
    });

    it('declares the kind of a one-way call too; a later two-way call of that kind sends no DECLARE', async () => {
      const rec = await startRecorder();
      const c = connection(rec.port);
      await expect(call(c, 'echo', ['fire'], { oneWay: true })).resolves.toBe(undefined);
      await expect(call(c, 'echo', ['ask'])).resolves.toEqual({ callRef: 1, callId: 0, args: ['ask'] });
      const frames = rec.connections[0]!;
      expect(shape(frames)).toEqual(['D1', 'R1', 'R1']);
      expect(frames.map((f) => f.header.flags)).toEqual([FrameFlag.NONE, FrameFlag.ONE_WAY, FrameFlag.NONE]);
    });

    it('declares every kind again, from reference 1, on the socket that replaces a dropped one', async () => {
      const rec = await startRecorder();
      const c = connection(rec.port, FAST_RECONNECT);
      await expect(call(c, 'echo', ['a'])).resolves.toMatchObject({ callRef: 1 });
      await expect(call(c, 'echo', [1])).resolves.toMatchObject({ callRef: 2 });

      const closed = waitForState(c, ConnectionState.CLOSED);
      rec.drop();
      await closed;
      await waitForState(c, ConnectionState.READY); // the background reconnect
      expect(rec.connections).toHaveLength(2);

      // The new socket knows nothing: the first kind used now becomes reference 1.
      await expect(call(c, 'echo', [2])).resolves.toEqual({ callRef: 1, callId: 0, args: [2] });
      await expect(call(c, 'echo', ['b'])).resolves.toEqual({ callRef: 2, callId: 0, args: ['b'] });
      await expect(call(c, 'echo', [3])).resolves.toEqual({ callRef: 1, callId: 0, args: [3] });
      expect(shape(rec.connections[0]!)).toEqual(['D1', 'R1', 'D2', 'R2']);
      expect(shape(rec.connections[1]!)).toEqual(['D1', 'R1', 'D2', 'R2', 'R1']);
      expect(rec.connections[1]![0]!.body).toEqual(kindOf('echo', [2]).encoded);
      expect(rec.connections[1]![2]!.body).toEqual(kindOf('echo', ['b']).encoded);
    });

    it('declares again after reconnecting to a restarted real provider, whose calls then succeed', async () => {
      const port = await startServer();
      const c = connection(port, FAST_RECONNECT);
      await expect(call(c, 'echo', ['before'])).resolves.toBe('before');

      const closed = waitForState(c, ConnectionState.CLOSED);
      await server!.stop({ drainTimeoutMs: 1000 }); // GOAWAY: the idle connection closes
      await closed;
      await startServer(port); // a new provider, with no declarations, on the same address
      await waitForState(c, ConnectionState.READY);
      // Without a new DECLARE the provider would answer BAD_REQUEST (undeclared call reference).
      await expect(call(c, 'echo', ['after'])).resolves.toBe('after');
      await expect(call(c, 'echo', ['again'])).resolves.toBe('again');
    });

    it(`refuses a kind beyond the ${MAX_DECLARED_CALLS} one socket may declare, sending nothing for it`, async () => {
      const rec = await startRecorder();
      const c = connection(rec.port);
      await c.whenReady();
      const many = Array.from({ length: MAX_DECLARED_CALLS }, (_, i) =>
        declareCall({ service: SERVICE, group: '', version: '', method: `m${i}`, parameterTypes: [], consumerId: '' }),
      );
      for (const kind of many) void call(c, kind.method, [], { kind, oneWay: true });
      const refused = await call(c, 'echo', ['one too many']).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(RpcError);
      expect(refused).toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringMatching(
          new RegExp(`^com\\.acme\\.Echo#echo: more than ${MAX_DECLARED_CALLS} distinct methods and argument types`),
        ),
      });
      // A kind declared before still works: its answer comes after every frame sent before it.
      await expect(call(c, 'm7', [], { kind: many[7] })).resolves.toEqual({ callRef: 8, callId: 0, args: [] });
      const frames = rec.connections[0]!;
      expect(frames).toHaveLength(2 * MAX_DECLARED_CALLS + 1);
      expect(frames.filter((f) => f.header.type === MessageType.DECLARE)).toHaveLength(MAX_DECLARED_CALLS);
      expect(frames[frames.length - 2]!.header).toMatchObject({
        type: MessageType.REQUEST,
        flags: FrameFlag.ONE_WAY,
      });
      expect(frames[frames.length - 3]!.header).toMatchObject({
        type: MessageType.DECLARE,
        requestId: MAX_DECLARED_CALLS,
      });
    });

    it('fails a call whose declaration the provider would refuse as too large, alone, sending nothing for it', async () => {
      const rec = await startRecorder();
      const c = connection(rec.port);
      await c.whenReady();
      const huge = declareCall({
        service: SERVICE,
        group: '',
        version: '',
        method: 'x'.repeat(MAX_DECLARATION_BYTES),
        parameterTypes: [],
        consumerId: 'c',
      });
      const refused = await call(c, huge.method, [], { kind: huge }).catch((e: unknown) => e);
      expect(refused).toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringMatching(/declaration \(names and type tags\) takes \d+ bytes, more than 16384$/),
      });
      await expect(call(c, 'echo', ['still fine'])).resolves.toMatchObject({ callRef: 1 });
      expect(rec.connections[0]!.filter((f) => f.header.type === MessageType.DECLARE)).toHaveLength(1);
    });
  });
});
