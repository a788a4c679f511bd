import { FrameFlag, HEADER_SIZE, MessageType, Status } from '../../../src/protocol/frame';
import {
  encodeFrame,
  encodeHeaderInto,
  GOAWAY_FRAME,
  PING_FRAME,
  PONG_FRAME,
} from '../../../src/protocol/frame-encoder';
import { msgpackSerializer } from '../../../src/serialization/msgpack-serializer';

/** Hex with spaces and line breaks ignored, as docs/PROTOCOL.md prints it. */
const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('encodeFrame', () => {
  it('writes the worked request example of docs/PROTOCOL.md byte for byte', () => {
    const body = msgpackSerializer.encodeRequest({
      service: 'com.acme.Greeter',
      group: '',
      version: '1.0.0',
      method: 'greet',
      parameterTypes: ['string'],
      attachments: {},
      args: ['Ada'],
    });
    const frame = encodeFrame(MessageType.REQUEST, FrameFlag.NONE, msgpackSerializer.id, Status.OK, 7, body);
    expect(frame).toEqual(
      hex(`
        c0de 01 01 00 01 00 00 00000007 0000002f
        97 b0 636f6d2e61636d652e47726565746572 a0 a5 312e302e30 a5 6772656574
           91 a6 737472696e67 de 0000 91 a3 416461
      `),
    );
  });

  it('writes the worked response example of docs/PROTOCOL.md byte for byte', () => {
    const body = msgpackSerializer.encodeResponse('Hello, Ada');
    const frame = encodeFrame(MessageType.RESPONSE, FrameFlag.NONE, msgpackSerializer.id, Status.OK, 7, body);
    expect(frame).toEqual(hex('c0de 01 02 00 01 00 00 00000007 0000000b  aa 48656c6c6f2c20416461'));
  });

  it('writes the worked error response example of docs/PROTOCOL.md byte for byte', () => {
    const body = msgpackSerializer.encodeError({ code: 'METHOD_NOT_FOUND', message: 'no greet2' });
    const frame = encodeFrame(MessageType.RESPONSE, FrameFlag.NONE, msgpackSerializer.id, Status.ERROR, 8, body);
    expect(frame).toEqual(
      hex(`
        c0de 01 02 00 01 01 00 00000008 00000025
        95 b0 4d4554484f445f4e4f545f464f554e44 a9 6e6f20677265657432 d40000 d40000 d40000
      `),
    );
  });

  it('puts every header field at its documented offset, big-endian', () => {
    const frame = encodeFrame(MessageType.REQUEST, FrameFlag.ONE_WAY, 2, 0, 0x01020304, Buffer.from('xyz'));
    expect(frame.length).toBe(HEADER_SIZE + 3);
    expect(frame.readUInt16BE(0)).toBe(0xc0de);
    expect(frame[2]).toBe(1); // version
    expect(frame[3]).toBe(MessageType.REQUEST);
    expect(frame[4]).toBe(FrameFlag.ONE_WAY);
    expect(frame[5]).toBe(2); // serializer id
    expect(frame[6]).toBe(0); // status
    expect(frame[7]).toBe(0); // reserved
    expect(frame.subarray(8, 12)).toEqual(Buffer.from([1, 2, 3, 4]));
    expect(frame.readUInt32BE(12)).toBe(3);
    expect(frame.subarray(HEADER_SIZE).toString()).toBe('xyz');
  });

  it('encodes a null body as an empty one', () => {
    expect(encodeFrame(MessageType.RESPONSE, 0, 1, Status.OK, 9, null)).toEqual(
      hex('c0de 01 02 00 01 00 00 00000009 00000000'),
    );
  });

  it('accepts the largest request id and refuses one that does not fit 32 bits', () => {
    expect(encodeFrame(MessageType.REQUEST, 0, 1, 0, 0xffffffff, null).readUInt32BE(8)).toBe(0xffffffff);
    expect(() => encodeFrame(MessageType.REQUEST, 0, 1, 0, 2 ** 32, null)).toThrow(/out of range/);
    expect(() => encodeFrame(MessageType.REQUEST, 0, 1, 0, -1, null)).toThrow(/out of range/);
  });
});

describe('encodeHeaderInto', () => {
  it('writes the same header as encodeFrame at any offset, leaving the rest alone', () => {
    const target = Buffer.alloc(40, 0xee);
    encodeHeaderInto(target, 10, MessageType.RESPONSE, 0, 1, Status.ERROR, 77, 5);
    const expected = encodeFrame(MessageType.RESPONSE, 0, 1, Status.ERROR, 77, Buffer.alloc(5));
    expect(target.subarray(10, 26)).toEqual(expected.subarray(0, HEADER_SIZE));
    expect(target.subarray(0, 10)).toEqual(Buffer.alloc(10, 0xee));
    expect(target.subarray(26)).toEqual(Buffer.alloc(14, 0xee));
  });
});

describe('control frames', () => {
  it.each([
    ['PING_FRAME', PING_FRAME, '03'],
    ['PONG_FRAME', PONG_FRAME, '04'],
    ['GOAWAY_FRAME', GOAWAY_FRAME, '05'],
  ])('%s is a bare header: no body, no serializer, request id 0', (_name, frame, type) => {
    expect(frame).toEqual(hex(`c0de 01 ${type} 00 00 00 00 00000000 00000000`));
  });
});
