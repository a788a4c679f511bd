import { RpcError } from '../../../src/errors/rpc-error';
import { declareCall } from '../../../src/protocol/call-declaration';
import { DEFAULT_MAX_FRAME_SIZE, FrameFlag, HEADER_SIZE, MessageType, Status } from '../../../src/protocol/frame';
import type { Frame, FrameHeader } from '../../../src/protocol/frame';
import { FrameDecoder } from '../../../src/protocol/frame-decoder';
import { encodeFrame } from '../../../src/protocol/frame-encoder';
import { GREET_DECLARATION, PING_BYTES, requestBody } from '../../support/protocol-examples';
import { thrownRpcError } from '../../support/thrown-rpc-error';
import { seededRandom } from '../../support/seeded-random';

interface Decoded {
  type: number;
  flags: number;
  serializerId: number;
  status: number;
  requestId: number;
  body: string;
}

const DECLARATION = declareCall(GREET_DECLARATION);

/** A stream of frames of varied kinds and sizes, including empty bodies and one larger than a socket chunk. */
const FRAMES: Buffer[] = [
  encodeFrame(MessageType.REQUEST, FrameFlag.NONE, 1, Status.OK, 1, Buffer.from('first request')),
  encodeFrame(MessageType.DECLARE, FrameFlag.NONE, 0, Status.OK, 1, DECLARATION.encoded),
  PING_BYTES,
  encodeFrame(MessageType.REQUEST, FrameFlag.NONE, 1, Status.OK, 2, requestBody(1, 0xfedcba98, '\x91\xa3Ada')),
  encodeFrame(MessageType.RESPONSE, FrameFlag.NONE, 2, Status.ERROR, 0xfffffffe, Buffer.from('{"code":"X"}')),
  encodeFrame(MessageType.REQUEST, FrameFlag.ONE_WAY, 1, Status.OK, 3, null),
  encodeFrame(MessageType.RESPONSE, FrameFlag.NONE, 1, Status.OK, 4, Buffer.alloc(70_000, 'b')),
  encodeFrame(MessageType.RESPONSE, FrameFlag.NONE, 1, Status.OK, 6, Buffer.alloc(300, 'c')),
  encodeFrame(MessageType.REQUEST, FrameFlag.NONE, 1, Status.OK, 5, Buffer.from('x')),
];
const STREAM = Buffer.concat(FRAMES);
const EXPECTED: Decoded[] = FRAMES.map((frame) => ({
  type: frame[3] as number,
  flags: frame[4] as number,
  serializerId: frame[5] as number,
  status: frame[6] as number,
  requestId: frame.readUInt32BE(8),
  body: frame.subarray(HEADER_SIZE).toString('latin1'),
}));

function sameFrame(a: Decoded, b: Decoded | undefined): boolean {
  return (
    b !== undefined &&
    a.type === b.type &&
    a.flags === b.flags &&
    a.serializerId === b.serializerId &&
    a.status === b.status &&
    a.requestId === b.requestId &&
    a.body === b.body
  );
}

/**
 * A decoder whose frames are read during the callback (`frames`), as the decoder requires; `bodies` keeps each body
 * exactly as handed out (no copy), `headers` a copy of each header.
 */
function collector(options?: { maxFrameSize?: number }): {
  decoder: FrameDecoder;
  frames: Decoded[];
  bodies: Buffer[];
  headers: FrameHeader[];
} {
  const frames: Decoded[] = [];
  const bodies: Buffer[] = [];
  const headers: FrameHeader[] = [];
  const decoder = new FrameDecoder((frame) => {
    bodies.push(frame.body);
    headers.push({ ...frame.header });
    const { header } = frame;
    expect(frame.body.length).toBe(header.bodyLength);
    frames.push({
      type: header.type,
      flags: header.flags,
      serializerId: header.serializerId,
      status: header.status,
      requestId: header.requestId,
      body: frame.body.toString('latin1'),
    });
  }, options);
  return { decoder, frames, bodies, headers };
}

function header(fields: { magic?: number; version?: number; type?: number; bodyLength?: number }): Buffer {
  const bytes = encodeFrame(MessageType.REQUEST, 0, 1, 0, 1, null);
  if (fields.magic !== undefined) bytes.writeUInt16BE(fields.magic, 0);
  if (fields.version !== undefined) bytes[2] = fields.version;
  if (fields.type !== undefined) bytes[3] = fields.type;
  if (fields.bodyLength !== undefined) bytes.writeUInt32BE(fields.bodyLength, 12);
  return bytes;
}

const protocolError = (run: () => void): RpcError => thrownRpcError(run, 'PROTOCOL_ERROR');

describe('FrameDecoder', () => {
  it('decodes a stream of frames glued into one chunk, in order', () => {
    const { decoder, frames } = collector();
    decoder.push(STREAM);
    expect(frames).toEqual(EXPECTED);
    expect(decoder.bufferedBytes).toBe(0);
  });

  // The every-offset splits skip the 70 kB frame (the random chunkings cover it) to stay fast.
  const SMALL = Buffer.concat(FRAMES.filter((frame) => frame.length < 1000));
  const SMALL_EXPECTED = EXPECTED.filter((frame) => frame.body.length < 1000);

  it('decodes the stream split into two chunks at every byte offset', () => {
    for (let cut = 0; cut <= SMALL.length; cut++) {
      const { decoder, frames } = collector();
      decoder.push(SMALL.subarray(0, cut));
      decoder.push(SMALL.subarray(cut));
      if (frames.length !== SMALL_EXPECTED.length || frames.some((frame, i) => !sameFrame(frame, SMALL_EXPECTED[i]))) {
        throw new Error(`split at byte ${cut}: decoded ${JSON.stringify(frames.map((f) => f.requestId))}`);
      }
    }
  });

  it('decodes three frames split into three chunks at every pair of byte offsets', () => {
    const picked = [0, 2, 4]; // a request, a bare header and an error response: 73 bytes
    const small = Buffer.concat(picked.map((i) => FRAMES[i] as Buffer));
    const expected = picked.map((i) => EXPECTED[i] as Decoded);
    for (let a = 0; a <= small.length; a++) {
      for (let b = a; b <= small.length; b++) {
        const { decoder, frames } = collector();
        decoder.push(small.subarray(0, a));
        decoder.push(small.subarray(a, b));
        decoder.push(small.subarray(b));
        if (frames.length !== expected.length || frames.some((frame, i) => !sameFrame(frame, expected[i]))) {
          throw new Error(`split at bytes ${a} and ${b}`);
        }
      }
    }
  });

  it('decodes the stream fed one byte at a time', () => {
    const { decoder, frames } = collector();
    for (let i = 0; i < STREAM.length; i++) decoder.push(STREAM.subarray(i, i + 1));
    expect(frames).toEqual(EXPECTED);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('decodes the stream under 500 random chunkings (fixed seed)', () => {
    const random = seededRandom(0xc0de);
    for (let run = 0; run < 500; run++) {
      const { decoder, frames } = collector();
      let offset = 0;
      while (offset < STREAM.length) {
        // Mostly small chunks, sometimes large ones, so both paths and their mixes are exercised.
        const size = random() < 0.8 ? 1 + Math.floor(random() * 40) : 1 + Math.floor(random() * 80_000);
        decoder.push(STREAM.subarray(offset, offset + size));
        offset += size;
      }
      expect(frames).toEqual(EXPECTED);
    }
  });

  it('accepts empty chunks anywhere', () => {
    const { decoder, frames } = collector();
    decoder.push(Buffer.alloc(0));
    decoder.push(STREAM.subarray(0, 5));
    decoder.push(Buffer.alloc(0));
    decoder.push(STREAM.subarray(5, 20));
    decoder.push(Buffer.alloc(0));
    decoder.push(STREAM.subarray(20));
    expect(frames).toEqual(EXPECTED);
  });

  it('hands out a frame that lies inside one chunk as a view of that chunk, without copying', () => {
    const { decoder, bodies } = collector();
    const chunk = Buffer.concat([FRAMES[0] as Buffer, FRAMES[7] as Buffer]);
    decoder.push(chunk);
    expect(bodies).toHaveLength(2);
    expect((bodies[0] as Buffer).buffer).toBe(chunk.buffer);
    expect((bodies[0] as Buffer).byteOffset).toBe(chunk.byteOffset + HEADER_SIZE);
    expect((bodies[1] as Buffer).buffer).toBe(chunk.buffer);
    expect((bodies[1] as Buffer).length).toBe(300);
  });

  it('never reuses the memory of a body it handed out', () => {
    const { decoder, bodies } = collector();
    const first = FRAMES[0] as Buffer;
    const second = encodeFrame(MessageType.REQUEST, 0, 1, 0, 2, Buffer.from('second body!!'));
    decoder.push(first.subarray(0, 20));
    decoder.push(Buffer.concat([first.subarray(20), second.subarray(0, 20)]));
    decoder.push(second.subarray(20));
    expect(bodies.map((body) => body.toString())).toEqual(['first request', 'second body!!']);
  });

  it('delivers empty-bodied frames with an empty body', () => {
    const { decoder, headers, bodies } = collector();
    decoder.push(PING_BYTES.subarray(0, 7));
    decoder.push(PING_BYTES.subarray(7));
    decoder.push(PING_BYTES);
    expect(headers).toHaveLength(2);
    for (const header of headers) expect(header.type).toBe(MessageType.HEARTBEAT_PING);
    for (const body of bodies) expect(body.length).toBe(0);
  });

  it('decodes DECLARE frames (type 6) with their call reference and JSON body', () => {
    const { decoder, frames } = collector();
    decoder.push(FRAMES[1] as Buffer);
    expect(frames).toEqual([
      {
        type: MessageType.DECLARE,
        flags: 0,
        serializerId: 0,
        status: 0,
        requestId: 1,
        body: DECLARATION.encoded.toString('latin1'),
      },
    ]);
  });

  describe('the reused Frame', () => {
    /** Feeds STREAM as `chunks` and keeps, without copying, what each onFrame call was handed. */
    function keepReferences(chunks: Buffer[]) {
      const handed: Array<{ frame: Frame; header: FrameHeader; body: Buffer; requestIdThen: number }> = [];
      const decoder = new FrameDecoder((frame) => {
        handed.push({ frame, header: frame.header, body: frame.body, requestIdThen: frame.header.requestId });
      });
      for (const chunk of chunks) decoder.push(chunk);
      return handed;
    }

    /** STREAM cut so that every frame is handed out both ways: as a view (fast path) and collected over chunks. */
    const CHUNKINGS: Array<[string, Buffer[]]> = [
      ['one chunk', [STREAM]],
      [
        'chunks of 7 bytes',
        Array.from({ length: Math.ceil(STREAM.length / 7) }, (_, i) => STREAM.subarray(i * 7, i * 7 + 7)),
      ],
      [
        'chunks of 1000 bytes',
        Array.from({ length: Math.ceil(STREAM.length / 1000) }, (_, i) => STREAM.subarray(i * 1000, i * 1000 + 1000)),
      ],
    ];

    it.each(CHUNKINGS)(
      'is one object per decoder, header included, overwritten for each frame (%s)',
      (_name, chunks) => {
        const handed = keepReferences(chunks);
        expect(handed).toHaveLength(FRAMES.length);
        expect(handed.map((h) => h.requestIdThen)).toEqual(EXPECTED.map((e) => e.requestId));
        const first = handed[0]!;
        for (const h of handed) {
          expect(h.frame).toBe(first.frame);
          expect(h.header).toBe(first.header);
        }
        // As documented: a reference kept past its callback shows the last frame, not the one it was handed with.
        expect(first.frame.header.requestId).toBe(EXPECTED[EXPECTED.length - 1]!.requestId);
        expect(first.header).toEqual(
          expect.objectContaining({ type: MessageType.REQUEST, requestId: 5, bodyLength: 1 }),
        );
      },
    );

    it.each(CHUNKINGS)('hands out bodies that keep their bytes after later frames (%s)', (_name, chunks) => {
      const handed = keepReferences(chunks);
      expect(handed.map((h) => h.body.toString('latin1'))).toEqual(EXPECTED.map((e) => e.body));
    });

    it('keeps bodies valid over many split frames decoded after them, under random chunkings', () => {
      const random = seededRandom(0xdec0de);
      for (let run = 0; run < 50; run++) {
        const chunks: Buffer[] = [];
        for (let offset = 0; offset < STREAM.length;) {
          const size = 1 + Math.floor(random() * (random() < 0.8 ? 40 : 80_000));
          chunks.push(STREAM.subarray(offset, offset + size));
          offset += size;
        }
        // The same stream twice, so every early body outlives as many frames decoded after it.
        const handed = keepReferences([...chunks, ...chunks]);
        expect(handed.map((h) => h.body.toString('latin1'))).toEqual([...EXPECTED, ...EXPECTED].map((e) => e.body));
      }
    });

    it('collects a split body into memory of its own, overlapping no other body it handed out', () => {
      const frame = encodeFrame(MessageType.RESPONSE, 0, 1, 0, 9, Buffer.from('0123456789'));
      const next = encodeFrame(MessageType.RESPONSE, 0, 1, 0, 10, Buffer.from('abcdefghij'));
      const handed = keepReferences([
        frame.subarray(0, 10), // a split header: its bytes wait inside the decoder
        frame.subarray(10, 20),
        Buffer.concat([frame.subarray(20), next.subarray(0, 12)]),
        next.subarray(12),
      ]);
      expect(handed.map((h) => h.body.toString())).toEqual(['0123456789', 'abcdefghij']);
      const [a, b] = handed.map((h) => h.body) as [Buffer, Buffer];
      const disjoint =
        a.buffer !== b.buffer || a.byteOffset + a.length <= b.byteOffset || b.byteOffset + b.length <= a.byteOffset;
      expect(disjoint).toBe(true);
    });
  });

  it('says whether a body has its source to itself: a split frame yes, a frame inside a shared chunk no', () => {
    const seen: Array<{ ownSource: boolean; bodyStart: number; bodyEnd: number; sourceLength: number }> = [];
    const decoder = new FrameDecoder((frame) =>
      seen.push({
        ownSource: frame.ownSource,
        bodyStart: frame.bodyStart,
        bodyEnd: frame.bodyEnd,
        sourceLength: frame.source.length,
      }),
    );
    const whole = encodeFrame(MessageType.RESPONSE, 0, 1, Status.OK, 1, Buffer.from('abc'));
    const split = encodeFrame(MessageType.RESPONSE, 0, 1, Status.OK, 2, Buffer.from('defgh'));
    decoder.push(Buffer.concat([whole, split.subarray(0, HEADER_SIZE + 2)]));
    decoder.push(split.subarray(HEADER_SIZE + 2));
    expect(seen).toEqual([
      {
        ownSource: false,
        bodyStart: HEADER_SIZE,
        bodyEnd: HEADER_SIZE + 3,
        sourceLength: whole.length + HEADER_SIZE + 2,
      },
      { ownSource: true, bodyStart: 0, bodyEnd: 5, sourceLength: 5 },
    ]);
  });

  it('holds back a partial frame until the rest arrives', () => {
    const { decoder, frames } = collector();
    decoder.push((FRAMES[0] as Buffer).subarray(0, 20));
    expect(frames).toHaveLength(0);
    expect(decoder.bufferedBytes).toBe(20);
  });

  describe('protocol violations', () => {
    it('rejects a bad magic number, naming it', () => {
      const { decoder, frames } = collector();
      const error = protocolError(() => decoder.push(header({ magic: 0x4745 })));
      expect(error.message).toContain('0x4745');
      expect(frames).toHaveLength(0);
    });

    it('rejects garbage such as an HTTP request', () => {
      const { decoder } = collector();
      protocolError(() => decoder.push(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')));
    });

    it.each([1, 3, 0, 255])('rejects protocol version %i (this side speaks 2)', (version) => {
      const { decoder, frames } = collector();
      const error = protocolError(() => decoder.push(header({ version })));
      expect(error.message).toBe(`Unsupported protocol version ${version} (this side speaks 2)`);
      expect(frames).toHaveLength(0);
    });

    it('rejects a version 1 REQUEST even when the rest of its header is well formed', () => {
      const v1 = encodeFrame(MessageType.REQUEST, FrameFlag.NONE, 1, Status.OK, 7, Buffer.from('legacy body'));
      v1[2] = 1;
      const { decoder, frames } = collector();
      protocolError(() => decoder.push(v1));
      expect(frames).toHaveLength(0);
    });

    it.each([0, 7, 255])('rejects unknown message type %i', (type) => {
      const { decoder } = collector();
      expect(protocolError(() => decoder.push(header({ type }))).message).toContain(`type ${type}`);
    });

    it('rejects a declared length of 4 GiB - 1 from its header alone, allocating nothing for the body', () => {
      const { decoder } = collector();
      const huge = header({ bodyLength: 0xffffffff });
      const allocUnsafe = jest.spyOn(Buffer, 'allocUnsafe');
      const alloc = jest.spyOn(Buffer, 'alloc');
      try {
        const error = protocolError(() => decoder.push(huge));
        expect(error.message).toContain('4294967295');
        expect(allocUnsafe).not.toHaveBeenCalled();
        expect(alloc).not.toHaveBeenCalled();
      } finally {
        allocUnsafe.mockRestore();
        alloc.mockRestore();
      }
    });

    it('rejects a declared length over the default maximum of 8 MiB, and accepts exactly 8 MiB', () => {
      protocolError(() => collector().decoder.push(header({ bodyLength: DEFAULT_MAX_FRAME_SIZE + 1 })));
      const { decoder } = collector();
      decoder.push(header({ bodyLength: DEFAULT_MAX_FRAME_SIZE }));
      expect(decoder.bufferedBytes).toBe(HEADER_SIZE);
    });

    it('honours a configured maximum frame size', () => {
      const { decoder, frames } = collector({ maxFrameSize: 10 });
      decoder.push(encodeFrame(MessageType.REQUEST, 0, 1, 0, 1, Buffer.alloc(10)));
      expect(frames).toHaveLength(1);
      const error = protocolError(() => decoder.push(encodeFrame(MessageType.REQUEST, 0, 1, 0, 2, Buffer.alloc(11))));
      expect(error.message).toContain('11 bytes exceeds the maximum frame size of 10 bytes');
    });

    it('detects a violation in a header split over chunks', () => {
      const { decoder } = collector();
      const bad = header({ magic: 0xbeef });
      decoder.push(bad.subarray(0, 9));
      protocolError(() => decoder.push(bad.subarray(9)));
    });

    it('delivers the good frames before a bad one in the same chunk, then stops', () => {
      const { decoder, frames } = collector();
      protocolError(() =>
        decoder.push(Buffer.concat([FRAMES[0] as Buffer, header({ magic: 0 }), FRAMES[1] as Buffer])),
      );
      expect(frames).toEqual([EXPECTED[0]]);
    });

    it('refuses all input after a violation', () => {
      const { decoder, frames } = collector();
      protocolError(() => decoder.push(header({ version: 9 })));
      const error = protocolError(() => decoder.push(FRAMES[0] as Buffer));
      expect(error.message).toContain('earlier error');
      expect(frames).toHaveLength(0);
    });

    it('stops after onFrame throws, since the rest of the chunk was not read', () => {
      const decoder = new FrameDecoder(() => {
        throw new Error('handler bug');
      });
      expect(() => decoder.push(STREAM)).toThrow('handler bug');
      expect(() => decoder.push(FRAMES[0] as Buffer)).toThrow(RpcError);
    });
  });

  it('refuses a maximum frame size that is not a uint32', () => {
    expect(() => new FrameDecoder(() => undefined, { maxFrameSize: -1 })).toThrow(RpcError);
    expect(() => new FrameDecoder(() => undefined, { maxFrameSize: 2 ** 32 })).toThrow(RpcError);
  });
});
