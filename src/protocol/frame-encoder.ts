import { HEADER_SIZE, MAGIC, MessageType, PROTOCOL_VERSION } from './frame';

/**
 * Writes a 16-byte frame header at `offset` of `target` (which must have room for it). For writers that pack
 * several frames into one buffer; `encodeFrame` is the one-frame form. Layout: docs/PROTOCOL.md.
 */
export function encodeHeaderInto(
  target: Buffer,
  offset: number,
  type: MessageType,
  flags: number,
  serializerId: number,
  status: number,
  requestId: number,
  bodyLength: number,
): void {
  target.writeUInt16BE(MAGIC, offset);
  target[offset + 2] = PROTOCOL_VERSION;
  target[offset + 3] = type;
  target[offset + 4] = flags;
  target[offset + 5] = serializerId;
  target[offset + 6] = status;
  target[offset + 7] = 0;
  // writeUInt32BE range-checks, so a request id outside uint32 fails here rather than wrapping silently.
  target.writeUInt32BE(requestId, offset + 8);
  target.writeUInt32BE(bodyLength, offset + 12);
}

/**
 * Writes a REQUEST body's prefix at `offset`: the call reference declared on this connection and the call id
 * (0 for none), both uint32 big-endian. The serialized arguments follow it.
 */
export function encodeRequestPrefixInto(target: Buffer, offset: number, callRef: number, callId: number): void {
  target.writeUInt32BE(callRef, offset);
  target.writeUInt32BE(callId, offset + 4);
}

/**
 * One frame, header and body, in one freshly allocated buffer: a socket write of one buffer is what keeps
 * Nagle-free loopback calls fast (DESIGN §7).
 *
 * @example
 * const frame = encodeFrame(MessageType.REQUEST, FrameFlag.NONE, 1, Status.OK, 7, body);
 * socket.write(frame);
 */
export function encodeFrame(
  type: MessageType,
  flags: number,
  serializerId: number,
  status: number,
  requestId: number,
  body: Buffer | null,
): Buffer {
  const bodyLength = body === null ? 0 : body.length;
  const frame = Buffer.allocUnsafe(HEADER_SIZE + bodyLength);
  encodeHeaderInto(frame, 0, type, flags, serializerId, status, requestId, bodyLength);
  if (body !== null) frame.set(body, HEADER_SIZE);
  return frame;
}

/** Bodies at least this large travel as a separate buffer after their header: copying them costs more than a writev. */
export const SEPARATE_BODY_THRESHOLD = 16 * 1024;

/** The 16-byte header of a frame whose body is written separately (see SEPARATE_BODY_THRESHOLD). */
export function encodeHeader(
  type: MessageType,
  flags: number,
  serializerId: number,
  status: number,
  requestId: number,
  bodyLength: number,
): Buffer {
  const header = Buffer.allocUnsafe(HEADER_SIZE);
  encodeHeaderInto(header, 0, type, flags, serializerId, status, requestId, bodyLength);
  return header;
}
