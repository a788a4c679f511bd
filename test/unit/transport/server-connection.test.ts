import { EventEmitter, once } from 'node:events';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

import { SILENT_LOGGER } from '../../../src/common/logger';
import { RpcError } from '../../../src/errors/rpc-error';
import { FrameFlag, HEADER_SIZE, MessageType, Status, type FrameHeader } from '../../../src/protocol/frame';
import { FrameDecoder } from '../../../src/protocol/frame-decoder';
import { encodeFrame } from '../../../src/protocol/frame-encoder';
import { ServerConnection, type ConsumerFrameHandlers } from '../../../src/transport/server-connection';

const PING = encodeFrame(MessageType.HEARTBEAT_PING, FrameFlag.NONE, 0, Status.OK, 0, null);
const request = (id: number) => encodeFrame(MessageType.REQUEST, FrameFlag.NONE, 1, Status.OK, id, Buffer.from('hi'));
const declare = (callRef: number, text = `declaration ${callRef}`) =>
  encodeFrame(MessageType.DECLARE, FrameFlag.NONE, 0, Status.OK, callRef, Buffer.from(text));

/** A frame as received, copied out of the decoder's reused Frame. */
interface Received {
  header: FrameHeader;
  body: Buffer;
}

/** A consumer socket with the frames it received. */
interface Consumer {
  socket: Socket;
  frames: Received[];
  /** Resolves when `count` frames have arrived in all. */
  received(count: number): Promise<Received[]>;
}

let listener: Server | undefined;
/** 'accepted' per accepted socket. */
const events = new EventEmitter();
const sockets: Socket[] = [];

/** Handlers that record nothing and answer nothing; tests override what they look at. */
function handlers(overrides: Partial<ConsumerFrameHandlers> = {}): ConsumerFrameHandlers {
  return { request: () => undefined, declare: () => undefined, ...overrides };
}

/** Listens on 127.0.0.1:0 and wraps each accepted socket in a ServerConnection given `frameHandlers`. */
async function listen(
  frameHandlers: ConsumerFrameHandlers,
  maxPendingWriteBytes = 16 * 1024 * 1024,
): Promise<{ port: number; accepted: ServerConnection[]; raw: Socket[] }> {
  const accepted: ServerConnection[] = [];
  const raw: Socket[] = [];
  listener = createServer((socket) => {
    sockets.push(socket);
    raw.push(socket);
    accepted.push(
      new ServerConnection(socket, frameHandlers, {
        maxFrameSize: 1 << 20,
        maxPendingWriteBytes,
        logger: SILENT_LOGGER,
      }),
    );
    events.emit('accepted');
  });
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  return { port: (listener.address() as AddressInfo).port, accepted, raw };
}

async function consumer(port: number): Promise<Consumer> {
  const wasAccepted = once(events, 'accepted');
  const socket = connect({ host: '127.0.0.1', port });
  sockets.push(socket);
  await once(socket, 'connect');
  await wasAccepted;
  const frames: Received[] = [];
  const waiters: Array<() => void> = [];
  const decoder = new FrameDecoder((frame) => {
    // The decoder reuses its Frame: copy what must outlive this callback.
    frames.push({ header: { ...frame.header }, body: Buffer.from(frame.body) });
    for (const w of waiters.splice(0)) w();
  });
  socket.on('data', (chunk: Buffer) => decoder.push(chunk));
  const received = async (count: number) => {
    while (frames.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    return frames;
  };
  return { socket, frames, received };
}

/** Rejects after `ms`, so a wait that should end cannot hang the test. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  return Promise.race([promise, bound]).finally(() => clearTimeout(timer));
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  const server = listener;
  listener = undefined;
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('ServerConnection', () => {
  it('answers a heartbeat ping with a pong, without bothering the frame handlers', async () => {
    const request = jest.fn();
    const declare = jest.fn();
    const { port } = await listen({ request, declare });
    const c = await consumer(port);
    c.socket.write(PING);
    const [pong] = await c.received(1);
    expect(pong?.header).toEqual({
      type: MessageType.HEARTBEAT_PONG,
      flags: 0,
      serializerId: 0,
      status: Status.OK,
      requestId: 0,
      bodyLength: 0,
    });
    expect(request).not.toHaveBeenCalled();
    expect(declare).not.toHaveBeenCalled();
  });

  it('hands each request to the handler and writes its reply, counting calls in flight', async () => {
    const inFlight: number[] = [];
    const { port } = await listen(
      handlers({
        request: (frame, connection) => {
          inFlight.push(connection.inFlight);
          connection.reply(Status.OK, 1, frame.header.requestId, Buffer.alloc(3, frame.header.requestId));
        },
      }),
    );
    const c = await consumer(port);
    c.socket.write(Buffer.concat([request(7), request(8)]));
    const frames = await c.received(2);
    expect(frames.map((f) => [f.header.type, f.header.requestId, f.body])).toEqual([
      [MessageType.RESPONSE, 7, Buffer.alloc(3, 7)],
      [MessageType.RESPONSE, 8, Buffer.alloc(3, 8)],
    ]);
    expect(inFlight).toEqual([1, 1]);
  });

  it('reply() writes a RESPONSE frame with the given status, serializer, request id and body, byte for byte', async () => {
    const { port, raw } = await listen(
      handlers({
        request: (frame, connection) => {
          const id = frame.header.requestId;
          if (id === 1) connection.reply(Status.ERROR, 2, id, Buffer.from('{"code":"X"}'));
          else if (id === 2) connection.reply(Status.OK, 1, id, Buffer.alloc(0));
          else connection.reply(Status.OK, 1, id, Buffer.alloc(40_000, 0x42)); // a body written uncopied
        },
      }),
    );
    const c = await consumer(port);
    const bytes: Buffer[] = [];
    c.socket.on('data', (chunk: Buffer) => bytes.push(chunk));
    c.socket.write(Buffer.concat([request(1), request(2), request(0xfffffffe)]));
    await c.received(3);
    expect(Buffer.concat(bytes)).toEqual(
      Buffer.concat([
        encodeFrame(MessageType.RESPONSE, FrameFlag.NONE, 2, Status.ERROR, 1, Buffer.from('{"code":"X"}')),
        encodeFrame(MessageType.RESPONSE, FrameFlag.NONE, 1, Status.OK, 2, null),
        encodeFrame(MessageType.RESPONSE, FrameFlag.NONE, 1, Status.OK, 0xfffffffe, Buffer.alloc(40_000, 0x42)),
      ]),
    );
    expect(raw[0]?.destroyed).toBe(false);
  });

  it('hands each DECLARE to the declare handler, in stream order with the requests around it', async () => {
    const seen: Array<[string, number, string]> = [];
    const { port } = await listen({
      declare: (frame) => seen.push(['declare', frame.header.requestId, frame.body.toString()]),
      request: (frame, connection) => {
        seen.push(['request', frame.header.requestId, frame.body.toString()]);
        connection.reply(Status.OK, 1, frame.header.requestId, Buffer.alloc(0));
      },
    });
    const c = await consumer(port);
    // One chunk: each DECLARE must be handled before the frame after it is read.
    c.socket.write(Buffer.concat([declare(1, '["a"]'), request(10), declare(2, '["b"]'), request(11)]));
    await c.received(2);
    expect(seen).toEqual([
      ['declare', 1, '["a"]'],
      ['request', 10, 'hi'],
      ['declare', 2, '["b"]'],
      ['request', 11, 'hi'],
    ]);
  });

  it('does not count a DECLARE as a call in flight, nor answer it', async () => {
    const { port, accepted } = await listen(handlers());
    const c = await consumer(port);
    c.socket.write(Buffer.concat([declare(1), declare(2), PING]));
    const [only] = await c.received(1);
    expect(only?.header.type).toBe(MessageType.HEARTBEAT_PONG); // the pong is the first and only frame back
    expect(accepted[0]?.inFlight).toBe(0);
  });

  it('closes the connection whose declare handler throws, reading nothing after it; others keep being served', async () => {
    const requests: number[] = [];
    const { port, accepted } = await listen({
      declare: (frame) => {
        if (frame.header.requestId === 1) return;
        throw new RpcError('PROTOCOL_ERROR', `Call reference ${frame.header.requestId} declared twice`);
      },
      request: (frame, connection) => {
        requests.push(frame.header.requestId);
        connection.reply(Status.OK, 1, frame.header.requestId, Buffer.alloc(0));
      },
    });
    const bad = await consumer(port);
    const good = await consumer(port);
    const closed = once(bad.socket, 'close');
    bad.socket.write(Buffer.concat([declare(1), declare(2), request(99)]));
    await within(closed, 2000, 'closing the socket of the failed declaration');
    expect(requests).toEqual([]); // the request after the failed declaration was never handed out
    expect(bad.frames).toEqual([]);

    good.socket.write(Buffer.concat([declare(1), request(5), PING]));
    const frames = await good.received(2);
    expect(frames.map((f) => [f.header.type, f.header.requestId])).toEqual([
      [MessageType.RESPONSE, 5],
      [MessageType.HEARTBEAT_PONG, 0],
    ]);
    expect(requests).toEqual([5]);
    expect(accepted.map((connection) => connection.closed)).toEqual([true, false]);
  });

  it('closes only the socket that sends a bad magic; other consumers keep being served', async () => {
    const { port, accepted } = await listen(handlers());
    const bad = await consumer(port);
    const good = await consumer(port);
    const closed = once(bad.socket, 'close');
    bad.socket.write(Buffer.alloc(HEADER_SIZE, 0xff));
    await closed;
    good.socket.write(PING);
    const [pong] = await good.received(1);
    expect(pong?.header.type).toBe(MessageType.HEARTBEAT_PONG);
    expect(accepted.map((connection) => connection.closed).sort()).toEqual([false, true]);
  });

  it('closes a socket that speaks protocol version 1', async () => {
    const request = jest.fn();
    const { port } = await listen(handlers({ request }));
    const c = await consumer(port);
    const v1 = encodeFrame(MessageType.REQUEST, FrameFlag.NONE, 1, Status.OK, 1, Buffer.from('legacy'));
    v1[2] = 1;
    const closed = once(c.socket, 'close');
    c.socket.write(v1);
    await within(closed, 2000, 'closing the version 1 socket');
    expect(request).not.toHaveBeenCalled();
  });

  it('ignores frames only a provider sends (RESPONSE, GOAWAY) and keeps the connection', async () => {
    const request = jest.fn();
    const { port, accepted } = await listen(handlers({ request }));
    const c = await consumer(port);
    c.socket.write(
      Buffer.concat([
        encodeFrame(MessageType.RESPONSE, FrameFlag.NONE, 1, Status.OK, 3, Buffer.from('x')),
        encodeFrame(MessageType.GOAWAY, FrameFlag.NONE, 0, Status.OK, 0, null),
        PING,
      ]),
    );
    const [pong] = await c.received(1);
    expect(pong?.header.type).toBe(MessageType.HEARTBEAT_PONG);
    expect(request).not.toHaveBeenCalled();
    expect(accepted[0]?.closed).toBe(false);
  });

  it('sends GOAWAY when asked', async () => {
    const { port, accepted } = await listen(handlers());
    const c = await consumer(port);
    accepted[0]?.goaway();
    const [goaway] = await c.received(1);
    expect(goaway?.header).toMatchObject({ type: MessageType.GOAWAY, serializerId: 0, requestId: 0, bodyLength: 0 });
  });

  it('stops reading a consumer whose replies pile up, and resumes once they drained', async () => {
    const handled = new EventEmitter();
    const bigReply = 4 * 1024 * 1024;
    const { port, raw } = await listen(
      handlers({
        request: (frame, connection) => {
          handled.emit(String(frame.header.requestId));
          const id = frame.header.requestId;
          if (id <= 2) connection.reply(Status.OK, 1, id, Buffer.alloc(bigReply, 1));
        },
      }),
      64 * 1024,
    );
    const c = await consumer(port);
    c.socket.pause(); // a consumer that does not read its responses
    const second = once(handled, '2');
    c.socket.write(Buffer.concat([request(1), request(2)]));
    await second;
    expect(raw[0]?.isPaused()).toBe(true);

    c.socket.resume();
    const replies = await c.received(2);
    expect(replies.map((f) => [f.header.requestId, f.body.length])).toEqual([
      [1, bigReply],
      [2, bigReply],
    ]);
    const third = once(handled, '3');
    c.socket.write(request(3));
    await third;
    expect(raw[0]?.isPaused()).toBe(false);
  });

  /*
   * With maxPendingWriteBytes below the socket's writableHighWaterMark (16 KiB) the socket never emits 'drain':
   * resuming must not depend on it, or the consumer's later requests are never read.
   */
  it('resumes reading even when maxPendingWriteBytes is below the socket high-water mark', async () => {
    const handled = new EventEmitter();
    const { port } = await listen(
      handlers({
        request: (frame, connection) => {
          handled.emit(String(frame.header.requestId));
          connection.reply(Status.OK, 1, frame.header.requestId, Buffer.alloc(2000, 1));
        },
      }),
      1024,
    );
    const c = await consumer(port);
    c.socket.write(Buffer.concat([request(1), request(2)]));
    await c.received(2);
    const third = once(handled, '3');
    c.socket.write(request(3));
    await within(third, 1000, 'reading request 3');
  });
});
