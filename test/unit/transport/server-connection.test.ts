import { EventEmitter, once } from 'node:events';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

import { SILENT_LOGGER } from '../../../src/common/logger';
import { FrameFlag, HEADER_SIZE, MessageType, Status, type Frame } from '../../../src/protocol/frame';
import { FrameDecoder } from '../../../src/protocol/frame-decoder';
import { encodeFrame } from '../../../src/protocol/frame-encoder';
import { ServerConnection, type RequestHandler } from '../../../src/transport/server-connection';

const PING = encodeFrame(MessageType.HEARTBEAT_PING, FrameFlag.NONE, 0, Status.OK, 0, null);
const request = (id: number) => encodeFrame(MessageType.REQUEST, FrameFlag.NONE, 1, Status.OK, id, Buffer.from('hi'));
const response = (id: number, size: number) =>
  encodeFrame(MessageType.RESPONSE, FrameFlag.NONE, 1, Status.OK, id, Buffer.alloc(size, 1));

/** A consumer socket with the frames it received. */
interface Consumer {
  socket: Socket;
  frames: Frame[];
  /** Resolves when `count` frames have arrived in all. */
  received(count: number): Promise<Frame[]>;
}

let listener: Server | undefined;
/** 'accepted' per accepted socket. */
const events = new EventEmitter();
const sockets: Socket[] = [];

/** Listens on 127.0.0.1:0 and wraps each accepted socket in a ServerConnection given to `accepted`. */
async function listen(
  onRequest: RequestHandler,
  maxPendingWriteBytes = 16 * 1024 * 1024,
): Promise<{ port: number; accepted: ServerConnection[]; raw: Socket[] }> {
  const accepted: ServerConnection[] = [];
  const raw: Socket[] = [];
  listener = createServer((socket) => {
    sockets.push(socket);
    raw.push(socket);
    accepted.push(
      new ServerConnection(socket, onRequest, { maxFrameSize: 1 << 20, maxPendingWriteBytes, logger: SILENT_LOGGER }),
    );
    events.emit('accepted');
  });
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  return { port: (listener.address() as AddressInfo).port, accepted, raw };
}

async function consumer(port: number): Promise<Consumer> {
  const socket = connect({ host: '127.0.0.1', port });
  sockets.push(socket);
  await once(socket, 'connect');
  const frames: Frame[] = [];
  const waiters: Array<() => void> = [];
  const decoder = new FrameDecoder((frame) => {
    frames.push({ header: frame.header, body: Buffer.from(frame.body) });
    for (const w of waiters.splice(0)) w();
  });
  socket.on('data', (chunk: Buffer) => decoder.push(chunk));
  const received = async (count: number) => {
    while (frames.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    return frames;
  };
  return { socket, frames, received };
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  const server = listener;
  listener = undefined;
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('ServerConnection', () => {
  it('answers a heartbeat ping with a pong, without bothering the request handler', async () => {
    const onRequest = jest.fn();
    const { port } = await listen(onRequest);
    const c = await consumer(port);
    c.socket.write(PING);
    const [pong] = await c.received(1);
    expect(pong?.header).toMatchObject({ type: MessageType.HEARTBEAT_PONG, requestId: 0, bodyLength: 0 });
    expect(onRequest).not.toHaveBeenCalled();
  });

  it('hands each request to the handler and writes its reply, counting calls in flight', async () => {
    const inFlight: number[] = [];
    const { port } = await listen((frame, connection) => {
      inFlight.push(connection.inFlight);
      connection.reply(response(frame.header.requestId, 3));
    });
    const c = await consumer(port);
    c.socket.write(Buffer.concat([request(7), request(8)]));
    const frames = await c.received(2);
    expect(frames.map((f) => [f.header.type, f.header.requestId])).toEqual([
      [MessageType.RESPONSE, 7],
      [MessageType.RESPONSE, 8],
    ]);
    expect(inFlight).toEqual([1, 1]);
  });

  it('closes only the socket that sends a bad magic; other consumers keep being served', async () => {
    const { port, accepted } = await listen(() => undefined);
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

  it('sends GOAWAY when asked', async () => {
    const { port, accepted } = await listen(() => undefined);
    const wasAccepted = once(events, 'accepted');
    const c = await consumer(port);
    await wasAccepted;
    accepted[0]?.goaway();
    const [goaway] = await c.received(1);
    expect(goaway?.header.type).toBe(MessageType.GOAWAY);
  });

  it('stops reading a consumer whose replies pile up, and resumes once they drained', async () => {
    const handled = new EventEmitter();
    const bigReply = 4 * 1024 * 1024;
    const { port, raw } = await listen((frame, connection) => {
      handled.emit(String(frame.header.requestId));
      if (frame.header.requestId <= 2) connection.reply(response(frame.header.requestId, bigReply));
    }, 64 * 1024);
    const c = await consumer(port);
    c.socket.pause(); // a consumer that does not read its responses
    const second = once(handled, '2');
    c.socket.write(Buffer.concat([request(1), request(2)]));
    await second;
    expect(raw[0]?.isPaused()).toBe(true);

    c.socket.resume();
    await c.received(2);
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
    const { port } = await listen((frame, connection) => {
      handled.emit(String(frame.header.requestId));
      connection.reply(response(frame.header.requestId, 2000));
    }, 1024);
    const c = await consumer(port);
    c.socket.write(Buffer.concat([request(1), request(2)]));
    await c.received(2);
    const third = once(handled, '3');
    c.socket.write(request(3));
    const bound = new Promise<never>((_, reject) => {
      setTimeout(() => reject(new Error('request 3 was never read')), 1000).unref();
    });
    await Promise.race([third, bound]);
  });
});
