import { EventEmitter, once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';

import { SILENT_LOGGER } from '../../../src/common/logger';
import { RpcError } from '../../../src/errors/rpc-error';
import { RpcServer } from '../../../src/rpc/rpc-server';
import { getSerializerByName } from '../../../src/serialization/serializer-registry';
import {
  ClientConnection,
  DEFAULT_CLIENT_CONNECTION_OPTIONS,
  type ClientConnectionOptions,
} from '../../../src/transport/client-connection';
import { ConnectionState } from '../../../src/transport/connection-state';

const msgpack = getSerializerByName('msgpack');
const SERVICE = 'com.acme.Echo';

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

function body(method: string, args: unknown[]): Buffer {
  return msgpack.encodeRequest({
    service: SERVICE,
    group: '',
    version: '',
    method,
    args,
    parameterTypes: args.map((a) => (Buffer.isBuffer(a) ? 'Buffer' : typeof a)),
    attachments: {},
  });
}

let server: RpcServer | undefined;
let echo: Echo;
const connections: ClientConnection[] = [];

async function startServer(): Promise<number> {
  echo = new Echo();
  server = new RpcServer({ port: 0, logger: SILENT_LOGGER, drainTimeoutMs: 5000 });
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

function call(c: ClientConnection, method: string, args: unknown[], timeoutMs = 2000): Promise<unknown> {
  return c.request(SERVICE, method, msgpack, body(method, args), Date.now() + timeoutMs, false);
}

function recordStates(c: ClientConnection): ConnectionState[] {
  const states: ConnectionState[] = [];
  c.on('state', (state: ConnectionState) => states.push(state));
  return states;
}

function waitForState(c: ClientConnection, state: ConnectionState): Promise<void> {
  if (c.state === state) return Promise.resolve();
  return new Promise((resolve) => {
    const listener = (s: ConnectionState) => {
      if (s !== state) return;
      c.off('state', listener);
      resolve();
    };
    c.on('state', listener);
  });
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

afterEach(async () => {
  for (const c of connections.splice(0)) c.close();
  for (const release of echo?.held.splice(0) ?? []) release();
  await server?.stop({ drainTimeoutMs: 100 });
  server = undefined;
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

  it('resolves a one-way request once it is written, without waiting for the provider', async () => {
    const c = connection(await startServer());
    await c.whenReady();
    await expect(c.request(SERVICE, 'hold', msgpack, body('hold', ['x']), Date.now() + 2000, true)).resolves.toBe(
      undefined,
    );
    expect(c.pendingCount).toBe(0);
  });

  it('rejects a call whose deadline already passed without sending it', async () => {
    const c = connection(await startServer());
    await c.whenReady();
    await expect(c.request(SERVICE, 'echo', msgpack, body('echo', [1]), Date.now() - 1, false)).rejects.toMatchObject({
      code: 'TIMEOUT',
      retryable: false,
      message: expect.stringMatching(/deadline passed before the call was sent/),
    });
  });

  it('fails a refused connect with a retryable CONNECTION_REFUSED, then fails fast during back-off', async () => {
    const port = await closedPort();
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
    const pending = call(c, 'hold', ['last'], 5000);
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
    // First frame of the tick is written at once; the second waits in the batch, counted as pending bytes.
    const small = call(c, 'echo', ['first']);
    const large = call(c, 'echo', [big]);
    const refused = await call(c, 'echo', ['third']).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'OVERLOADED', retryable: true });
    expect((refused as Error).message).toMatch(
      /com\.acme\.Echo#echo: write buffer to 127\.0\.0\.1:\d+ holds \d+ bytes/,
    );
    await expect(small).resolves.toBe('first');
    expect(await large).toEqual(big);
    await expect(call(c, 'echo', ['after'])).resolves.toBe('after'); // drained: accepted again
  });

  it('times out a call on its deadline and drops the late response', async () => {
    const c = connection(await startServer());
    const states = recordStates(c);
    await c.whenReady();
    const port = server!.address.port;
    const error = await call(c, 'hold', ['late'], 50).catch((e: unknown) => e);
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
    expect(states).toEqual([ConnectionState.CONNECTING, ConnectionState.READY]); // the connection lived on
    expect(c.pendingCount).toBe(0);
  });

  it('close() shuts down for good: pending and later calls reject CLIENT_CLOSED', async () => {
    const c = connection(await startServer());
    const states = recordStates(c);
    const pending = call(c, 'hold', ['never'], 5000);
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
  });

  it('rejects pending calls CONNECTION_CLOSED (not retryable) when the provider goes away', async () => {
    const c = connection(await startServer());
    const running = once(echo, 'held');
    const pending = call(c, 'hold', ['x'], 5000);
    await running;
    void server!.stop({ drainTimeoutMs: 0 });
    await expect(pending).rejects.toMatchObject({ code: 'CONNECTION_CLOSED', retryable: false });
  });
});
