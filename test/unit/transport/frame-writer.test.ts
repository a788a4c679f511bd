import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

import { declareCall } from '../../../src/protocol/call-declaration';
import { FrameFlag, HEADER_SIZE, MessageType, REQUEST_PREFIX_SIZE, Status } from '../../../src/protocol/frame';
import { encodeFrame, encodeRequestPrefixInto, SEPARATE_BODY_THRESHOLD } from '../../../src/protocol/frame-encoder';
import { msgpackSerializer } from '../../../src/serialization/msgpack-serializer';
import { FrameWriter } from '../../../src/transport/frame-writer';
import { GREET_DECLARATION, PING_BYTES } from '../../support/protocol-examples';

/** A real loopback socket pair: `client` is written through the FrameWriter, `peer` reads what arrived. */
interface Pair {
  server: Server;
  client: Socket;
  peer: Socket;
}

let pair: Pair | undefined;

async function socketPair(): Promise<Pair> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const client = connect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port });
  await once(client, 'connect');
  const [peer] = await accepted;
  pair = { server, client, peer };
  return pair;
}

/** Resolves with the first `bytes` bytes `socket` receives. */
function receive(socket: Socket, bytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= bytes) {
        socket.off('data', onData);
        resolve(Buffer.concat(chunks).subarray(0, bytes));
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('end', () => reject(new Error(`stream ended after ${total} of ${bytes} bytes`)));
  });
}

/**
 * One RESPONSE frame whose body is `size` bytes of `byte`, and the bytes it must arrive as: order and integrity are
 * visible in what arrives. `write` sends it through the writer.
 */
function response(byte: number, size = 8) {
  const body = Buffer.alloc(size, byte);
  return {
    body,
    bytes: encodeFrame(MessageType.RESPONSE, FrameFlag.NONE, 1, Status.OK, byte, body),
    write: (writer: FrameWriter, busy?: boolean) =>
      writer.writeFrame(MessageType.RESPONSE, FrameFlag.NONE, 1, Status.OK, byte, body, busy),
  };
}

/** A REQUEST frame as a consumer sends it: the prefix, then `payload`. */
function requestBytes(flags: number, requestId: number, callRef: number, callId: number, payload: Buffer): Buffer {
  const body = Buffer.alloc(REQUEST_PREFIX_SIZE + payload.length);
  encodeRequestPrefixInto(body, 0, callRef, callId);
  payload.copy(body, REQUEST_PREFIX_SIZE);
  return encodeFrame(MessageType.REQUEST, flags, 1, Status.OK, requestId, body);
}

/** Hex with spaces and line breaks ignored, as docs/PROTOCOL.md prints it. */
const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
/**
 * `actual` holds exactly the bytes of `expected`. Cheaper than toEqual on large buffers, and a failure names the
 * lengths and the first differing offset instead of printing the buffers.
 */
function expectBytes(actual: Buffer, expected: Buffer): void {
  let firstDifference = -1;
  for (let i = 0; i < Math.min(actual.length, expected.length); i++) {
    if (actual[i] !== expected[i]) {
      firstDifference = i;
      break;
    }
  }
  expect({ length: actual.length, firstDifference }).toEqual({ length: expected.length, firstDifference: -1 });
}
const nextTick = () => new Promise<void>((resolve) => process.nextTick(resolve));
/** The buffers handed to socket.write, in order. */
const written = (spy: jest.SpyInstance) => spy.mock.calls.map((call) => call[0] as Buffer);

afterEach(async () => {
  if (pair === undefined) return;
  const { server, client, peer } = pair;
  pair = undefined;
  client.destroy();
  peer.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('FrameWriter', () => {
  it('keeps a small slab while quiet, a 16 KiB one while busy, and none once idle (trimIfIdle)', async () => {
    const { client, peer } = await socketPair();
    const writer = new FrameWriter(client);
    expect(writer.retainedBytes).toBe(0);
    const ping = receive(peer, HEADER_SIZE);
    writer.writeFrame(MessageType.HEARTBEAT_PING, FrameFlag.NONE, 0, Status.OK, 0, null);
    expect(writer.retainedBytes).toBe(512);
    expect(await ping).toEqual(PING_BYTES);

    const many = Array.from({ length: 100 }, (_, i) => response(i, 32));
    const arrived = receive(peer, many.length * many[0]!.bytes.length);
    for (const frame of many) frame.write(writer);
    expect(writer.retainedBytes).toBe(16 * 1024);
    await nextTick();
    expect(await arrived).toEqual(Buffer.concat(many.map((frame) => frame.bytes)));

    writer.trimIfIdle(); // frames were written since the last look: keep the slab
    expect(writer.retainedBytes).toBe(16 * 1024);
    writer.trimIfIdle(); // nothing since: an idle connection keeps no buffer
    expect(writer.retainedBytes).toBe(0);
    const after = receive(peer, HEADER_SIZE);
    writer.writeFrame(MessageType.HEARTBEAT_PING, FrameFlag.NONE, 0, Status.OK, 0, null);
    expect(writer.retainedBytes).toBe(512);
    expect(await after).toEqual(PING_BYTES);
  });

  it('writes the first frame of a quiet tick at once and the rest of the tick in one write, in order', async () => {
    const { client, peer } = await socketPair();
    const writes = jest.spyOn(client, 'write');
    const writer = new FrameWriter(client);
    const [a, b, c] = [response(1), response(2), response(3)];
    const arrived = receive(peer, 3 * a.bytes.length);

    a.write(writer);
    b.write(writer);
    c.write(writer);
    expect(written(writes)).toEqual([a.bytes]);
    expect(writer.pendingBytes).toBe(client.writableLength + b.bytes.length + c.bytes.length);

    await nextTick();
    expect(written(writes)).toEqual([a.bytes, Buffer.concat([b.bytes, c.bytes])]);
    expect(await arrived).toEqual(Buffer.concat([a.bytes, b.bytes, c.bytes]));
  });

  it('starts a new tick after the batch went out: its first frame is again written at once', async () => {
    const { client, peer } = await socketPair();
    const writes = jest.spyOn(client, 'write');
    const writer = new FrameWriter(client);
    const [a, b] = [response(1), response(2)];
    const arrived = receive(peer, a.bytes.length + b.bytes.length);
    a.write(writer);
    await nextTick();
    b.write(writer);
    expect(written(writes)).toEqual([a.bytes, b.bytes]);
    expect(await arrived).toEqual(Buffer.concat([a.bytes, b.bytes]));
  });

  it('when busy, batches even the first frame of the tick', async () => {
    const { client, peer } = await socketPair();
    const writes = jest.spyOn(client, 'write');
    const writer = new FrameWriter(client);
    const [a, b] = [response(1), response(2)];
    const arrived = receive(peer, a.bytes.length + b.bytes.length);
    a.write(writer, true);
    b.write(writer, true);
    expect(writes).not.toHaveBeenCalled();
    expect(writer.pendingBytes).toBe(a.bytes.length + b.bytes.length);
    await nextTick();
    expect(written(writes)).toEqual([Buffer.concat([a.bytes, b.bytes])]);
    expect(await arrived).toEqual(Buffer.concat([a.bytes, b.bytes]));
  });

  it('encodes a bodiless frame as a bare header (a heartbeat is PING_BYTES byte for byte)', async () => {
    const { client, peer } = await socketPair();
    const writer = new FrameWriter(client);
    const arrived = receive(peer, 2 * HEADER_SIZE);
    writer.writeFrame(MessageType.HEARTBEAT_PING, FrameFlag.NONE, 0, Status.OK, 0, null);
    writer.writeFrame(MessageType.GOAWAY, FrameFlag.NONE, 0, Status.OK, 0, null);
    expect(await arrived).toEqual(Buffer.concat([PING_BYTES, hex('c0de 02 05 00 00 00 00 00000000 00000000')]));
  });

  describe('writeRequest', () => {
    it('writes the worked DECLARE and REQUEST example of docs/PROTOCOL.md byte for byte', async () => {
      const { client, peer } = await socketPair();
      const writer = new FrameWriter(client);
      const greet = declareCall(GREET_DECLARATION);
      const args = msgpackSerializer.encodeArguments(['Ada'], greet.parameterTypes, greet.label);
      const arrived = receive(peer, 85 + 29);
      writer.writeFrame(MessageType.DECLARE, FrameFlag.NONE, 0, Status.OK, 1, greet.encoded);
      writer.writeRequest(FrameFlag.NONE, msgpackSerializer.id, 7, 1, 7, args);
      const bytes = await arrived;
      expect(bytes.subarray(0, HEADER_SIZE)).toEqual(hex('c0de 02 06 00 00 00 00 00000001 00000045'));
      expect(bytes.subarray(HEADER_SIZE, 85)).toEqual(greet.encoded);
      expect(bytes.subarray(85)).toEqual(
        hex('c0de 02 01 00 01 00 00 00000007 0000000d  00000001 00000007  91a3416461'),
      );
    });

    it('puts flags, serializer, request id, call reference and call id where they belong', async () => {
      const { client, peer } = await socketPair();
      const writer = new FrameWriter(client);
      const payload = Buffer.from('arguments');
      const expected = Buffer.concat([
        requestBytes(FrameFlag.ONE_WAY, 0xfffffffe, 0x10203, 0, payload),
        requestBytes(FrameFlag.NONE, 2, 65_536, 0xffffffff, Buffer.alloc(0)),
      ]);
      const arrived = receive(peer, expected.length);
      writer.writeRequest(FrameFlag.ONE_WAY, 1, 0xfffffffe, 0x10203, 0, payload);
      writer.writeRequest(FrameFlag.NONE, 1, 2, 65_536, 0xffffffff, Buffer.alloc(0), true);
      expectBytes(await arrived, expected);
    });

    it('sends a large payload after its header and prefix without copying it, in order with small frames', async () => {
      const { client, peer } = await socketPair();
      const writes = jest.spyOn(client, 'write');
      const writer = new FrameWriter(client);
      const payload = Buffer.alloc(SEPARATE_BODY_THRESHOLD, 0x5a);
      const small = response(1);
      const expected = Buffer.concat([requestBytes(0, 9, 3, 4, payload), small.bytes]);
      const arrived = receive(peer, expected.length);
      writer.writeRequest(FrameFlag.NONE, 1, 9, 3, 4, payload); // first of the tick: at once
      expect(written(writes)).toHaveLength(2);
      expect(written(writes)[0]).toEqual(expected.subarray(0, HEADER_SIZE + REQUEST_PREFIX_SIZE));
      expect(written(writes)[1]).toBe(payload);
      small.write(writer);
      expectBytes(await arrived, expected);
    });
  });

  describe('large bodies', () => {
    it('writes a quiet tick’s large first frame at once as its header and the very body buffer', async () => {
      const { client, peer } = await socketPair();
      const writes = jest.spyOn(client, 'write');
      const writer = new FrameWriter(client);
      const big = response(7, SEPARATE_BODY_THRESHOLD);
      const arrived = receive(peer, big.bytes.length);
      big.write(writer);
      expect(written(writes)).toHaveLength(2);
      expect(written(writes)[0]).toEqual(big.bytes.subarray(0, HEADER_SIZE));
      expect(written(writes)[1]).toBe(big.body); // not copied
      expectBytes(await arrived, big.bytes);
    });

    it('copies a body one byte under the threshold into a slab of its own', async () => {
      const { client, peer } = await socketPair();
      const writes = jest.spyOn(client, 'write');
      const writer = new FrameWriter(client);
      const [small, almost] = [response(1), response(2, SEPARATE_BODY_THRESHOLD - 1)];
      const arrived = receive(peer, small.bytes.length + almost.bytes.length);
      small.write(writer, true);
      almost.write(writer, true); // 16 399 bytes: more than a 16 KiB slab holds
      await nextTick();
      expect(writes).toHaveBeenCalledTimes(1);
      expectBytes(written(writes)[0]!, Buffer.concat([small.bytes, almost.bytes]));
      expectBytes(await arrived, Buffer.concat([small.bytes, almost.bytes]));
    });

    it('keeps frame order with large bodies between small frames, at once and batched', async () => {
      const { client, peer } = await socketPair();
      const writer = new FrameWriter(client);
      const frames = [
        response(1, 20_000), // first of the tick: header and body at once
        response(2),
        response(3, 40_000), // batched: queued after frame 2's slab bytes
        response(4, 100),
        response(5),
        response(6, 70_000),
        response(7),
      ];
      const expected = Buffer.concat(frames.map((f) => f.bytes));
      const arrived = receive(peer, expected.length);
      for (const f of frames) f.write(writer);
      expectBytes(await arrived, expected);
    });

    it('keeps frame order with large bodies when every frame is batched and the batch is small enough to copy', async () => {
      const { client, peer } = await socketPair();
      const writes = jest.spyOn(client, 'write');
      const writer = new FrameWriter(client);
      const frames = [response(1), response(2, 20_000), response(3), response(4, 17_000), response(5)];
      const expected = Buffer.concat(frames.map((f) => f.bytes));
      const arrived = receive(peer, expected.length);
      for (const f of frames) f.write(writer, true);
      expect(writer.pendingBytes).toBe(expected.length);
      await nextTick();
      expect(writes).toHaveBeenCalledTimes(1); // under 64 KiB: one buffer, one write
      expectBytes(written(writes)[0]!, expected);
      expectBytes(await arrived, expected);
    });

    it('hands a batch over 64 KiB to the socket corked, large bodies uncopied, in order', async () => {
      const { client, peer } = await socketPair();
      const writes = jest.spyOn(client, 'write');
      const cork = jest.spyOn(client, 'cork');
      const uncork = jest.spyOn(client, 'uncork');
      const writer = new FrameWriter(client);
      const frames = [response(1), response(2, 50_000), response(3), response(4, 30_000), response(5)];
      const expected = Buffer.concat(frames.map((f) => f.bytes));
      const arrived = receive(peer, expected.length);
      for (const f of frames) f.write(writer, true);
      expect(writes).not.toHaveBeenCalled();
      await nextTick();
      expect(cork).toHaveBeenCalledTimes(1);
      expect(uncork).toHaveBeenCalledTimes(1);
      expectBytes(Buffer.concat(written(writes)), expected);
      expect(written(writes)).toContain(frames[1]!.body);
      expect(written(writes)).toContain(frames[3]!.body);
      expectBytes(await arrived, expected);
    });
  });

  it('delivers many small frames spanning several slabs intact and in order (a batch over 64 KiB)', async () => {
    const { client, peer } = await socketPair();
    const writer = new FrameWriter(client);
    const frames = Array.from({ length: 1000 }, (_, i) => response(i % 256, 100 + (i % 7)));
    const expected = Buffer.concat(frames.map((f) => f.bytes));
    const arrived = receive(peer, expected.length);
    for (const f of frames) f.write(writer);
    expect(expected.length).toBeGreaterThan(64 * 1024);
    expect(writer.pendingBytes).toBeGreaterThanOrEqual(expected.length - frames[0]!.bytes.length);
    expectBytes(await arrived, expected);
  });

  it('never changes bytes it handed to the socket: later frames go to fresh slab space', async () => {
    const { client, peer } = await socketPair();
    const writes = jest.spyOn(client, 'write');
    const writer = new FrameWriter(client);
    const first = response(1);
    first.write(writer);
    const handed = written(writes)[0]!;
    const snapshot = Buffer.from(handed);
    const rest = Array.from({ length: 300 }, (_, i) => response(i + 2, 200));
    for (const f of rest) f.write(writer); // enough to fill the slab and start others
    await nextTick();
    expectBytes(handed, snapshot);
    const expected = Buffer.concat([first.bytes, ...rest.map((f) => f.bytes)]);
    expectBytes(await receive(peer, expected.length), expected);
  });

  it('flush() hands the batch over at once, so ending the socket right after loses nothing', async () => {
    const { client, peer } = await socketPair();
    const writer = new FrameWriter(client);
    const chunks: Buffer[] = [];
    peer.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = once(peer, 'end');
    const frames = [response(1), response(2, 20_000), response(3)];
    frames[0]!.write(writer);
    frames[1]!.write(writer);
    frames[2]!.write(writer, true);
    writer.flush();
    expect(writer.pendingBytes).toBe(client.writableLength);
    client.end();
    await ended;
    expectBytes(Buffer.concat(chunks), Buffer.concat(frames.map((f) => f.bytes)));
  });

  it('counts batched bytes, large bodies included, in pendingBytes until they are handed to the socket', async () => {
    const { client } = await socketPair();
    const writer = new FrameWriter(client);
    expect(writer.pendingBytes).toBe(0);
    response(1, 100).write(writer, true);
    writer.writeRequest(FrameFlag.NONE, 1, 2, 1, 0, Buffer.alloc(SEPARATE_BODY_THRESHOLD), true);
    expect(writer.pendingBytes).toBe(
      HEADER_SIZE + 100 + HEADER_SIZE + REQUEST_PREFIX_SIZE + SEPARATE_BODY_THRESHOLD + client.writableLength,
    );
    await nextTick();
    expect(writer.pendingBytes).toBe(client.writableLength);
  });

  it('drops the batch of a destroyed socket without throwing', async () => {
    const { client } = await socketPair();
    const writer = new FrameWriter(client);
    response(1).write(writer, true);
    client.destroy();
    expect(() => writer.flush()).not.toThrow();
    expect(writer.pendingBytes).toBe(client.writableLength);
  });

  it('accepts frames for a destroyed socket without throwing or writing', async () => {
    const { client } = await socketPair();
    const writes = jest.spyOn(client, 'write');
    const writer = new FrameWriter(client);
    client.destroy();
    expect(() => {
      response(1).write(writer);
      response(2).write(writer);
      response(3, 20_000).write(writer, true);
      writer.flush();
    }).not.toThrow();
    await nextTick();
    expect(writes).not.toHaveBeenCalled();
  });
});
