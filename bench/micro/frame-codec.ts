/**
 * One frame encoded and decoded by Courier's codec (src/protocol/frame-encoder.ts, frame-decoder.ts), for an
 * `add`-sized body (32 B), a 1 KiB body and a 64 KiB body; plus 128 small frames glued in one chunk (a busy
 * connection's read) and a 1 KiB frame split in two chunks.
 *   npx tsx bench/micro/frame-codec.ts
 */
import { FrameFlag, MessageType, Status } from '../../src/protocol/frame';
import type { Frame } from '../../src/protocol/frame';
import { encodeFrame } from '../../src/protocol/frame-encoder';
import { FrameDecoder } from '../../src/protocol/frame-decoder';
import { measure, printTable } from './harness';
import type { MicroResult } from './harness';

let decoded = 0;
let lastBody: Buffer | null = null;
const decoder = new FrameDecoder((frame: Frame) => {
  decoded++;
  lastBody = frame.body;
});

let requestId = 0;
const nextId = (): number => (requestId = (requestId + 1) >>> 0);
const encode = (body: Buffer): Buffer => encodeFrame(MessageType.REQUEST, FrameFlag.NONE, 1, Status.OK, nextId(), body);

const results: MicroResult[] = [];
for (const [label, size] of [
  ['32 B', 32],
  ['1 KiB', 1024],
  ['64 KiB', 64 * 1024],
] as const) {
  const body = Buffer.alloc(size, 7);
  const frame = encode(body);
  results.push(measure(`encode ${label}`, () => encode(body)));
  results.push(measure(`decode ${label}`, () => decoder.push(frame)));
  results.push(
    measure(`encode + decode ${label}`, () => {
      decoder.push(encode(body));
      return lastBody;
    }),
  );
}

const small = Buffer.alloc(32, 7);
const glued = Buffer.concat(Array.from({ length: 128 }, () => encode(small)));
const glued128 = measure('decode 128 x 32 B frames glued in one chunk', () => decoder.push(glued));
glued128.note = `per chunk; ${(glued128.nsPerOp / 128).toFixed(0)} ns per frame`;
results.push(glued128);
const oneK = encode(Buffer.alloc(1024, 7));
const firstHalf = oneK.subarray(0, 500);
const secondHalf = oneK.subarray(500);
results.push(
  measure('decode 1 KiB frame split in two chunks', () => {
    decoder.push(firstHalf);
    decoder.push(secondHalf);
  }),
);

printTable('Frame codec (Courier src/protocol)', results);
if (decoded === 0) throw new Error('decoder emitted nothing');
