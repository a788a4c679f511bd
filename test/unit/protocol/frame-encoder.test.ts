import { declareCall } from '../../../src/protocol/call-declaration';
import {
  FrameFlag,
  HEADER_SIZE,
  MessageType,
  PROTOCOL_VERSION,
  REQUEST_PREFIX_SIZE,
  Status,
} from '../../../src/protocol/frame';
import {
  encodeFrame,
  encodeHeader,
  encodeHeaderInto,
  encodeRequestPrefixInto,
} from '../../../src/protocol/frame-encoder';
import { msgpackSerializer } from '../../../src/serialization/msgpack-serializer';
import { GREET_DECLARATION, PING_BYTES, requestBody } from '../../support/protocol-examples';

/** Hex with spaces and line breaks ignored, as docs/PROTOCOL.md prints it. */
const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

/** The worked example of docs/PROTOCOL.md: greet('Ada') on com.acme.Greeter 1.0.0, consumer 0123456789abcdef. */
const GREET = declareCall(GREET_DECLARATION);

describe('encodeFrame', () => {
  it('speaks protocol version 2', () => {
    expect(PROTOCOL_VERSION).toBe(2);
    expect(REQUEST_PREFIX_SIZE).toBe(8);
    expect(MessageType.DECLARE).toBe(6);
  });

  it('writes the worked DECLARE example of docs/PROTOCOL.md byte for byte', () => {
    const frame = encodeFrame(MessageType.DECLARE, FrameFlag.NONE, 0, Status.OK, 1, GREET.encoded);
    expect(frame).toEqual(
      hex(`
        c0de 02 06 00 00 00 00 00000001 00000045
        5b 22636f6d2e61636d652e47726565746572 22 2c 2222 2c 22312e302e3022 2c 226772656574 22 2c
           5b 22737472696e6722 5d 2c 22 30313233343536373839616263646566 22 5d
      `),
    );
    expect(frame.length).toBe(85);
    expect(frame.subarray(HEADER_SIZE).toString('utf8')).toBe(
      '["com.acme.Greeter","","1.0.0","greet",["string"],"0123456789abcdef"]',
    );
  });

  it('writes the worked REQUEST example of docs/PROTOCOL.md (prefix, then arguments) byte for byte', () => {
    const args = msgpackSerializer.encodeArguments(['Ada'], GREET.parameterTypes, GREET.label);
    const frame = encodeFrame(
      MessageType.REQUEST,
      FrameFlag.NONE,
      msgpackSerializer.id,
      Status.OK,
      7,
      requestBody(1, 7, args),
    );
    expect(frame).toEqual(
      hex(`
        c0de 02 01 00 01 00 00 00000007 0000000d
        00000001 00000007
        91 a3 416461
      `),
    );
    expect(frame.length).toBe(29);
  });

  it('writes the worked response example of docs/PROTOCOL.md byte for byte', () => {
    const body = msgpackSerializer.encodeResponse('Hello, Ada');
    const frame = encodeFrame(MessageType.RESPONSE, FrameFlag.NONE, msgpackSerializer.id, Status.OK, 7, body);
    expect(frame).toEqual(hex('c0de 02 02 00 01 00 00 00000007 0000000b  aa 48656c6c6f2c20416461'));
  });

  it('writes the worked error response example of docs/PROTOCOL.md byte for byte', () => {
    const body = msgpackSerializer.encodeError({ code: 'METHOD_NOT_FOUND', message: 'no greet2' });
    const frame = encodeFrame(MessageType.RESPONSE, FrameFlag.NONE, msgpackSerializer.id, Status.ERROR, 8, body);
    expect(frame).toEqual(
      hex(`
        c0de 02 02 00 01 01 00 00000008 00000025
        95 b0 4d4554484f445f4e4f545f464f554e44 a9 6e6f20677265657432 d40000 d40000 d40000
      `),
    );
  });

  it('puts every header field at its documented offset, big-endian', () => {
    const frame = encodeFrame(MessageType.REQUEST, FrameFlag.ONE_WAY, 2, 0, 0x01020304, Buffer.from('xyz'));
    expect(frame.length).toBe(HEADER_SIZE + 3);
    expect(frame.readUInt16BE(0)).toBe(0xc0de);
    expect(frame[2]).toBe(2); // version
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
      hex('c0de 02 02 00 01 00 00 00000009 00000000'),
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

describe('encodeHeader', () => {
  it('is the 16-byte header encodeFrame would write for a body of that length', () => {
    const body = Buffer.alloc(20_000, 3);
    const header = encodeHeader(MessageType.RESPONSE, FrameFlag.NONE, 1, Status.OK, 0xabcdef, body.length);
    expect(header).toEqual(hex('c0de 02 02 00 01 00 00 00abcdef 00004e20'));
    expect(Buffer.concat([header, body])).toEqual(
      encodeFrame(MessageType.RESPONSE, FrameFlag.NONE, 1, Status.OK, 0xabcdef, body),
    );
  });
});

describe('encodeRequestPrefixInto', () => {
  it('writes the call reference and the call id as uint32 big-endian at any offset, leaving the rest alone', () => {
    const target = Buffer.alloc(14, 0xee);
    encodeRequestPrefixInto(target, 3, 0x01020304, 0xa0b0c0d0);
    expect(target).toEqual(hex('eeeeee 01020304 a0b0c0d0 eeeeee'));
  });

  it('writes call id 0 (no call id) and the largest values', () => {
    const target = Buffer.alloc(REQUEST_PREFIX_SIZE);
    encodeRequestPrefixInto(target, 0, 1, 0);
    expect(target).toEqual(hex('00000001 00000000'));
    encodeRequestPrefixInto(target, 0, 0xffffffff, 0xffffffff);
    expect(target).toEqual(hex('ffffffff ffffffff'));
  });

  it('refuses values that do not fit 32 bits instead of wrapping them', () => {
    const target = Buffer.alloc(REQUEST_PREFIX_SIZE);
    expect(() => encodeRequestPrefixInto(target, 0, 2 ** 32, 1)).toThrow(/out of range/);
    expect(() => encodeRequestPrefixInto(target, 0, 1, -1)).toThrow(/out of range/);
  });
});

describe('control frames', () => {
  it.each([
    ['HEARTBEAT_PING', MessageType.HEARTBEAT_PING, '03'],
    ['HEARTBEAT_PONG', MessageType.HEARTBEAT_PONG, '04'],
    ['GOAWAY', MessageType.GOAWAY, '05'],
  ])('%s is a bare header: no body, no serializer, request id 0', (_name, type, typeByte) => {
    expect(encodeFrame(type, FrameFlag.NONE, 0, Status.OK, 0, null)).toEqual(
      hex(`c0de 02 ${typeByte} 00 00 00 00 00000000 00000000`),
    );
  });

  it('PING_BYTES, the ping the other tests send, is that header', () => {
    expect(PING_BYTES).toEqual(encodeFrame(MessageType.HEARTBEAT_PING, FrameFlag.NONE, 0, Status.OK, 0, null));
  });
});
