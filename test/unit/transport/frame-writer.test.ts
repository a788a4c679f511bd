import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

import { FrameWriter } from '../../../src/transport/frame-writer';

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

/** A frame of `size` bytes filled with `byte`, so order and integrity are visible in what arrives. */
const frame = (byte: number, size = 8) => Buffer.alloc(size, byte);
const nextTick = () => new Promise<void>((resolve) => process.nextTick(resolve));

afterEach(async () => {
  if (pair === undefined) return;
  const { server, client, peer } = pair;
  pair = undefined;
  client.destroy();
  peer.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('FrameWriter', () => {
  it('writes the first frame of a tick at once and the rest of the tick together, in order', async () => {
    const { client, peer } = await socketPair();
    const writes = jest.spyOn(client, 'write');
    const writer = new FrameWriter(client);
    const arrived = receive(peer, 24);

    writer.write(frame(1));
    writer.write(frame(2));
    writer.write(frame(3));
    expect(writes).toHaveBeenCalledTimes(1);
    expect(writes.mock.calls[0]?.[0]).toEqual(frame(1));

    await nextTick();
    expect(writes).toHaveBeenCalledTimes(2);
    expect(writes.mock.calls[1]?.[0]).toEqual(Buffer.concat([frame(2), frame(3)]));
    expect(await arrived).toEqual(Buffer.concat([frame(1), frame(2), frame(3)]));
  });

  it('starts a new tick after the batch went out: its first frame is again written at once', async () => {
    const { client, peer } = await socketPair();
    const writes = jest.spyOn(client, 'write');
    const writer = new FrameWriter(client);
    const arrived = receive(peer, 16);
    writer.write(frame(1));
    await nextTick();
    writer.write(frame(2));
    expect(writes).toHaveBeenCalledTimes(2);
    expect(await arrived).toEqual(Buffer.concat([frame(1), frame(2)]));
  });

  it('when busy, batches even the first frame of the tick', async () => {
    const { client, peer } = await socketPair();
    const writes = jest.spyOn(client, 'write');
    const writer = new FrameWriter(client);
    const arrived = receive(peer, 16);
    writer.write(frame(1), true);
    writer.write(frame(2), true);
    expect(writes).not.toHaveBeenCalled();
    expect(writer.pendingBytes).toBe(16);
    await nextTick();
    expect(writes).toHaveBeenCalledTimes(1);
    expect(await arrived).toEqual(Buffer.concat([frame(1), frame(2)]));
  });

  it('writeParts keeps a header and its body together and in order, around other frames', async () => {
    const { client, peer } = await socketPair();
    const writer = new FrameWriter(client);
    const header = frame(0xaa, 16);
    const body = frame(0xbb, 20_000);
    const expected = Buffer.concat([header, body, frame(1), header, body]);
    const arrived = receive(peer, expected.length);
    writer.writeParts(header, body); // first of the tick: at once
    writer.write(frame(1));
    writer.writeParts(header, body); // batched
    expect(await arrived).toEqual(expected);
  });

  it('writeParts when busy waits for the tick', async () => {
    const { client, peer } = await socketPair();
    const writes = jest.spyOn(client, 'write');
    const writer = new FrameWriter(client);
    const arrived = receive(peer, 16 + 100);
    writer.writeParts(frame(1, 16), frame(2, 100), true);
    expect(writes).not.toHaveBeenCalled();
    expect(await arrived).toEqual(Buffer.concat([frame(1, 16), frame(2, 100)]));
  });

  it('delivers a batch larger than 64 KiB intact and in order', async () => {
    const { client, peer } = await socketPair();
    const writer = new FrameWriter(client);
    const frames = Array.from({ length: 10 }, (_, i) => frame(i + 1, 30_000));
    const expected = Buffer.concat([frame(0xff), ...frames]);
    const arrived = receive(peer, expected.length);
    writer.write(frame(0xff));
    for (const f of frames) writer.write(f);
    expect(writer.pendingBytes).toBeGreaterThanOrEqual(300_000);
    expect(await arrived).toEqual(expected);
  });

  it('delivers a single batched frame larger than 64 KiB', async () => {
    const { client, peer } = await socketPair();
    const writer = new FrameWriter(client);
    const big = frame(7, 100_000);
    const arrived = receive(peer, big.length);
    writer.write(big, true);
    expect(await arrived).toEqual(big);
  });

  it('flush() hands the batch over at once, so ending the socket right after loses nothing', async () => {
    const { client, peer } = await socketPair();
    const writer = new FrameWriter(client);
    const chunks: Buffer[] = [];
    peer.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = once(peer, 'end');
    writer.write(frame(1));
    writer.write(frame(2));
    writer.write(frame(3), true);
    writer.flush();
    expect(writer.pendingBytes).toBe(client.writableLength);
    client.end();
    await ended;
    expect(Buffer.concat(chunks)).toEqual(Buffer.concat([frame(1), frame(2), frame(3)]));
  });

  it('counts batched bytes in pendingBytes until they are handed to the socket', async () => {
    const { client } = await socketPair();
    const writer = new FrameWriter(client);
    expect(writer.pendingBytes).toBe(0);
    writer.write(frame(1, 100), true);
    writer.writeParts(frame(2, 16), frame(3, 50), true);
    expect(writer.pendingBytes).toBe(166 + client.writableLength);
    await nextTick();
    expect(writer.pendingBytes).toBe(client.writableLength);
  });

  it('drops the batch of a destroyed socket without throwing', async () => {
    const { client } = await socketPair();
    const writer = new FrameWriter(client);
    writer.write(frame(1), true);
    client.destroy();
    expect(() => writer.flush()).not.toThrow();
    expect(writer.pendingBytes).toBe(client.writableLength);
  });
});
