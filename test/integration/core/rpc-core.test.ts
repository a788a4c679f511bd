import { connect, type Socket } from 'node:net';
import path from 'node:path';

import { RpcClient, RpcError, getSerializerByName, registerType } from '../../../src/index';
import { HEADER_SIZE, MessageType, REQUEST_PREFIX_SIZE, Status } from '../../../src/protocol/frame';
import { FrameDecoder } from '../../../src/protocol/frame-decoder';
import { encodeFrame, encodeHeaderInto, encodeRequestPrefixInto } from '../../../src/protocol/frame-encoder';
import { Account, InsufficientFunds, type Calculator } from '../../fixtures/apps/core-contract';
import { startTsChild, stopAllChildren, type Child } from '../../support/child-process';

const PROVIDER = path.join(__dirname, '../../fixtures/apps/core-provider.ts');

const msgpack = getSerializerByName('msgpack');

/** A DECLARE frame binding `callRef` to `body`, as a misbehaving consumer might send it. */
function declareFrame(callRef: number, body: Buffer): Buffer {
  return encodeFrame(MessageType.DECLARE, 0, 0, Status.OK, callRef, body);
}

registerType(Account, 'test.Account');
registerType(InsufficientFunds, 'test.InsufficientFunds');

describe('core RPC between two processes over TCP (direct URL)', () => {
  let provider: Child;
  let client: RpcClient;
  let calc: Calculator;

  beforeAll(async () => {
    provider = await startTsChild(PROVIDER, ['0'], { env: { IDLE_MS: '1500' } });
    client = new RpcClient({ timeout: 10_000 });
    calc = client.reference<Calculator>('test.Calculator', {
      url: `courier://127.0.0.1:${provider.ready['port']}`,
      version: '1.0.0',
    });
  });

  afterAll(async () => {
    await client?.close();
    await stopAllChildren();
  });

  it('returns typed values', async () => {
    await expect(calc.add(2, 3)).resolves.toBe(5);
    const when = new Date('2024-02-29T12:00:00.000Z');
    const next = await calc.nextBirthday(when);
    expect(next).toBeInstanceOf(Date);
    expect(next.getTime()).toBe(when.getTime() + 365 * 24 * 3600 * 1000);
  });

  it('keeps 1,000 concurrent in-flight calls apart', async () => {
    const calls = Array.from({ length: 1000 }, (_, i) => calc.echo({ i, tag: `call-${i}`, at: new Date(i) }));
    const results = await Promise.all(calls);
    results.forEach((result, i) => {
      expect(result).toEqual({ i, tag: `call-${i}`, at: new Date(i) });
    });
  });

  it('carries large payloads both ways, alone and many at once', async () => {
    const big = Buffer.alloc(1024 * 1024, 7);
    big[12345] = 1;
    const back = await calc.echo(big);
    expect(Buffer.isBuffer(back)).toBe(true);
    expect(back.equals(big)).toBe(true);
    const payloads = Array.from({ length: 20 }, (_, i) => Buffer.alloc(100 * 1024 + i, i));
    const echoed = await Promise.all(payloads.map((p) => calc.echo(p)));
    echoed.forEach((e, i) => expect(e.equals(payloads[i]!)).toBe(true));
  });

  it('sends and receives registered classes as instances', async () => {
    const account = new Account('a-1', 'ada', 100, new Date('2020-01-01T00:00:00Z'));
    const after = await calc.withdraw(account, 30);
    expect(after).toBeInstanceOf(Account);
    expect(after.describe()).toBe('ada:70');
    expect(after.openedAt).toEqual(account.openedAt);
  });

  it('delivers a registered error class as itself', async () => {
    const account = new Account('a-2', 'bob', 10, new Date());
    const failure = await calc.withdraw(account, 25).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(InsufficientFunds);
    expect((failure as InsufficientFunds).missing).toBe(15);
  });

  it('maps a thrown exception to APPLICATION_ERROR with the remote name and message', async () => {
    const failure = await calc.fail('boom').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RpcError);
    expect(failure).toMatchObject({ code: 'APPLICATION_ERROR', remoteName: 'TypeError', retryable: false });
    expect((failure as RpcError).message).toContain('test.Calculator#fail');
    expect((failure as RpcError).message).toContain('boom');
  });

  it('answers METHOD_NOT_FOUND and SERVICE_NOT_FOUND instead of hanging', async () => {
    const loose = calc as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    await expect(loose['noSuchMethod']!()).rejects.toMatchObject({ code: 'METHOD_NOT_FOUND' });
    const missing = client.reference<Calculator>('test.Missing', {
      url: `courier://127.0.0.1:${provider.ready['port']}`,
    });
    await expect(missing.add(1, 2)).rejects.toMatchObject({ code: 'SERVICE_NOT_FOUND' });
    const wrongVersion = client.reference<Calculator>('test.Calculator', {
      url: `courier://127.0.0.1:${provider.ready['port']}`,
      version: '9.9.9',
    });
    await expect(wrongVersion.add(1, 2)).rejects.toMatchObject({ code: 'SERVICE_NOT_FOUND' });
  });

  it('times out a call that never answers, and the connection keeps working', async () => {
    const started = Date.now();
    await expect(
      client
        .reference<Calculator>('test.Calculator', {
          url: `courier://127.0.0.1:${provider.ready['port']}`,
          version: '1.0.0',
          timeout: 200,
          retries: 0,
        })
        .hang(),
    ).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(calc.add(1, 1)).resolves.toBe(2);
  });

  it('is not a thenable and prints itself', async () => {
    expect((calc as unknown as { then?: unknown }).then).toBeUndefined();
    await expect(Promise.resolve(calc)).resolves.toBe(calc);
    expect(String(calc)).toBe('[Reference test.Calculator]');
  });

  describe('a misbehaving connection is dropped, others keep working', () => {
    const sockets: Socket[] = [];
    afterAll(() => sockets.forEach((s) => s.destroy()));

    function rawSocket(): Promise<Socket> {
      return new Promise((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: Number(provider.ready['port']) }, () => resolve(socket));
        socket.on('error', reject);
        sockets.push(socket);
      });
    }

    function closed(socket: Socket, withinMs: number): Promise<number> {
      const started = Date.now();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`still open after ${withinMs} ms`)), withinMs);
        socket.on('error', () => {});
        socket.once('close', () => {
          clearTimeout(timer);
          resolve(Date.now() - started);
        });
      });
    }

    it.each([
      ['garbage bytes', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')],
      ['a bad magic number', Buffer.from('beef02010000010000000001000000000', 'hex')],
      ['a version 1 frame', Buffer.from('c0de010100010000000000010000000191', 'hex')],
      ['a 4 GiB declared length', Buffer.from('c0de02010001000000000001ffffffff', 'hex')],
      ['a call declaration that is not JSON', declareFrame(1, Buffer.from('{not json'))],
      [
        'a call declaration over 16 KiB',
        declareFrame(1, Buffer.from(JSON.stringify(['x'.repeat(17_000), '', '', 'm', [], 'c']))),
      ],
      ['call reference 0 declared', declareFrame(0, Buffer.from('["test.Calculator","","1.0.0","add",[],"x"]'))],
      [
        'a call reference declared twice',
        Buffer.concat([
          declareFrame(1, Buffer.from('["test.Calculator","","1.0.0","add",[],"x"]')),
          declareFrame(1, Buffer.from('["test.Calculator","","1.0.0","add",[],"x"]')),
        ]),
      ],
    ])('%s', async (_name, bytes) => {
      const socket = await rawSocket();
      const whenClosed = closed(socket, 3000);
      socket.write(bytes);
      await whenClosed;
      await expect(calc.add(20, 22)).resolves.toBe(42);
    });

    it('a request naming a call reference never declared is answered BAD_REQUEST; the connection stays', async () => {
      const socket = await rawSocket();
      const answers: Array<{ status: number; requestId: number; code: string }> = [];
      const decoder = new FrameDecoder((frame) => {
        const { status, requestId } = frame.header;
        answers.push({ status, requestId, code: msgpack.decodeError(frame.body).code });
      });
      socket.on('data', (chunk: Buffer) => decoder.push(chunk));
      const request = (requestId: number, callRef: number) => {
        const frame = Buffer.alloc(HEADER_SIZE + REQUEST_PREFIX_SIZE + 1);
        encodeHeaderInto(frame, 0, MessageType.REQUEST, 0, msgpack.id, 0, requestId, REQUEST_PREFIX_SIZE + 1);
        encodeRequestPrefixInto(frame, HEADER_SIZE, callRef, 0);
        frame[HEADER_SIZE + REQUEST_PREFIX_SIZE] = 0x90; // []
        return frame;
      };
      socket.write(request(5, 9));
      socket.write(request(6, 10));
      const deadline = Date.now() + 3000;
      while (answers.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(answers).toEqual([
        { status: Status.ERROR, requestId: 5, code: 'BAD_REQUEST' },
        { status: Status.ERROR, requestId: 6, code: 'BAD_REQUEST' },
      ]);
      expect(socket.destroyed).toBe(false);
      await expect(calc.add(2, 3)).resolves.toBe(5);
    });

    it('half a frame, then silence: closed by the idle limit; memory stays flat', async () => {
      const rssBefore = await calc.rss();
      const socket = await rawSocket();
      const whenClosed = closed(socket, 8000);
      socket.write(Buffer.from('c0de02010001000000000007000000ff0102', 'hex'));
      await whenClosed;
      await expect(calc.add(1, 2)).resolves.toBe(3);
      expect((await calc.rss()) - rssBefore).toBeLessThan(64 * 1024 * 1024);
    });
  });

  it('rejects pending calls with CONNECTION_CLOSED at once when the provider dies', async () => {
    const victim = await startTsChild(PROVIDER, ['0']);
    const ref = client.reference<Calculator>('test.Calculator', {
      url: `courier://127.0.0.1:${victim.ready['port']}`,
      version: '1.0.0',
      timeout: 20_000,
      cluster: 'failfast',
    });
    await expect(ref.add(1, 2)).resolves.toBe(3);
    const pending = ref.slow(10_000, 'never').catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const killedAt = Date.now();
    victim.kill('SIGKILL');
    const failure = await pending;
    expect(failure).toMatchObject({ code: 'CONNECTION_CLOSED' });
    expect(Date.now() - killedAt).toBeLessThan(1500);
  });
});
