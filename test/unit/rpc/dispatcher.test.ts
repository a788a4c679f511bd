import { SILENT_LOGGER } from '../../../src/common/logger';
import { RpcError } from '../../../src/errors/rpc-error';
import { MessageType, Status, type Frame } from '../../../src/protocol/frame';
import type { RequestMessage } from '../../../src/protocol/message';
import { Dispatcher } from '../../../src/rpc/dispatcher';
import { ServiceMap } from '../../../src/rpc/service-map';
import { getSerializerByName } from '../../../src/serialization/serializer-registry';

const msgpack = getSerializerByName('msgpack');

class Calculator {
  add(a: number, b: number): number {
    return a + b;
  }
  async later(value: string): Promise<string> {
    return value;
  }
  explode(): never {
    throw new RangeError('too big');
  }
}

function requestFrame(request: Partial<RequestMessage>, requestId = 7, flags = 0): Frame {
  const full: RequestMessage = {
    service: 'Calc',
    group: '',
    version: '1',
    method: 'add',
    args: [],
    parameterTypes: [],
    attachments: {},
    ...request,
  };
  const body = msgpack.encodeRequest(full);
  return {
    header: {
      type: MessageType.REQUEST,
      flags,
      serializerId: msgpack.id,
      status: 0,
      requestId,
      bodyLength: body.length,
    },
    body,
  };
}

/** Dispatches one request and decodes the single reply (fails if there is not exactly one). */
async function call(dispatcher: Dispatcher, request: Partial<RequestMessage>): Promise<{ ok: boolean; value: any }> {
  const replies: Buffer[] = [];
  dispatcher.dispatch(requestFrame(request), (frame) => replies.push(frame));
  await new Promise((resolve) => setImmediate(resolve));
  expect(replies).toHaveLength(1);
  const frame = replies[0]!;
  expect(frame.readUInt32BE(8)).toBe(7);
  const status = frame.readUInt8(6);
  const body = frame.subarray(16);
  return status === Status.OK
    ? { ok: true, value: msgpack.decodeResponse(body) }
    : { ok: false, value: msgpack.decodeError(body) };
}

describe('Dispatcher', () => {
  const services = new ServiceMap();
  services.add(new Calculator(), { interface: 'Calc', version: '1' });
  const dispatcher = new Dispatcher(services, SILENT_LOGGER);

  it('runs sync and async methods and answers once', async () => {
    await expect(
      call(dispatcher, { method: 'add', args: [2, 3], parameterTypes: ['number', 'number'] }),
    ).resolves.toEqual({
      ok: true,
      value: 5,
    });
    await expect(call(dispatcher, { method: 'later', args: ['x'], parameterTypes: ['string'] })).resolves.toEqual({
      ok: true,
      value: 'x',
    });
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
    const reply = await call(dispatcher, { method });
    expect(reply.ok).toBe(false);
    expect(reply.value.code).toBe('METHOD_NOT_FOUND');
  });

  it('answers SERVICE_NOT_FOUND naming what it serves', async () => {
    const reply = await call(dispatcher, { version: '2' });
    expect(reply.value.code).toBe('SERVICE_NOT_FOUND');
    expect(reply.value.message).toContain('/Calc:1');
  });

  it('maps a thrown exception to APPLICATION_ERROR with name, message and stack', async () => {
    const reply = await call(dispatcher, { method: 'explode' });
    expect(reply.value).toMatchObject({ code: 'APPLICATION_ERROR', name: 'RangeError', message: 'too big' });
    expect(reply.value.stack).toContain('explode');
  });

  it('answers BAD_REQUEST when declared types contradict the values', async () => {
    const reply = await call(dispatcher, { method: 'add', args: ['2', 3], parameterTypes: ['number', 'number'] });
    expect(reply.value.code).toBe('BAD_REQUEST');
  });

  it('answers SERIALIZATION for an undecodable body and an unknown serializer', async () => {
    const replies: Buffer[] = [];
    const garbage = Buffer.from([0xc1, 0xc1, 0xc1]);
    dispatcher.dispatch(
      {
        header: { type: 1, flags: 0, serializerId: msgpack.id, status: 0, requestId: 7, bodyLength: 3 },
        body: garbage,
      },
      (f) => replies.push(f),
    );
    dispatcher.dispatch(
      { header: { type: 1, flags: 0, serializerId: 99, status: 0, requestId: 7, bodyLength: 3 }, body: garbage },
      (f) => replies.push(f),
    );
    expect(replies).toHaveLength(2);
    for (const reply of replies) expect(msgpack.decodeError(reply.subarray(16)).code).toBe('SERIALIZATION');
  });

  it('sends nothing back for a one-way request', async () => {
    const replies: Buffer[] = [];
    dispatcher.dispatch(requestFrame({ method: 'add', args: [1, 1] }, 9, 0x01), (f) => replies.push(f));
    await new Promise((resolve) => setImmediate(resolve));
    expect(replies).toHaveLength(0);
  });

  it('refuses a request with a coded error in its own serializer, or the default one', () => {
    const refusal = new RpcError('SHUTTING_DOWN', 'provider stopping');
    const known = dispatcher.refuse(requestFrame({}, 11), refusal);
    expect(known.readUInt32BE(8)).toBe(11);
    expect(known.readUInt8(5)).toBe(msgpack.id);
    expect(msgpack.decodeError(known.subarray(16))).toMatchObject({
      code: 'SHUTTING_DOWN',
      message: 'provider stopping',
    });
    const unknown = requestFrame({}, 12);
    unknown.header.serializerId = 99;
    expect(dispatcher.refuse(unknown, refusal).readUInt8(5)).toBe(msgpack.id);
  });
});
