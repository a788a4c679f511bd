import { RpcError } from '../errors/rpc-error';
import { DEFAULT_MAX_FRAME_SIZE, HEADER_SIZE, MAGIC, MessageType, PROTOCOL_VERSION } from './frame';
import type { Frame, FrameHeader } from './frame';

export interface FrameDecoderOptions {
  /** The largest body accepted, in bytes; a header declaring more is a protocol error. Default 8 MiB. */
  maxFrameSize?: number;
}

const EMPTY_BODY: Buffer = Buffer.alloc(0);
const MAX_MESSAGE_TYPE = MessageType.DECLARE;

/**
 * Turns a byte stream into frames. Pure (no sockets): feed it every chunk in order with `push`, it calls `onFrame`
 * once per complete frame, synchronously, in stream order.
 *
 * The Frame object (and its header) handed to `onFrame` is the decoder's own and is reused for the next frame: read
 * what you need during the callback and keep no reference to it (copy the header fields if you must). Short-lived
 * per-frame objects cost little, but per-frame objects the GC finds pointing at younger ones cost a lot: one reused
 * object keeps the consumer's heap flat.
 *
 * A frame that lies wholly inside one chunk is handed out as a view of that chunk (no copy). A frame split over
 * chunks is collected into one buffer of exactly its size, allocated only after its header was validated, and
 * each byte is copied once. The decoder never reuses memory it handed out, so a body (and a Buffer decoded from
 * it) stays valid as long as it is referenced.
 *
 * A bad magic number, an unknown version or message type, or a body longer than `maxFrameSize` makes `push`
 * throw RpcError('PROTOCOL_ERROR') naming the reason, before anything is allocated for that body; the decoder then
 * refuses all further input, and the caller should close the connection. An exception thrown by `onFrame`
 * propagates out of `push` and also stops the decoder: the rest of that chunk is lost, so the stream cannot
 * be resumed.
 *
 * @example
 * const decoder = new FrameDecoder((frame) => dispatch(frame), { maxFrameSize: 1 << 20 });
 * socket.on('data', (chunk) => { try { decoder.push(chunk); } catch (e) { log(e); socket.destroy(); } });
 */
export class FrameDecoder {
  private readonly maxFrameSize: number;
  /** Bytes of a header split over chunks. */
  private readonly headerBuffer: Buffer = Buffer.allocUnsafe(HEADER_SIZE);
  private headerFilled = 0;
  /** The header of the frame whose body is being collected (valid while `collecting`). */
  private readonly header: FrameHeader = emptyHeader();
  private collecting = false;
  /** Handed to onFrame, filled anew for every frame. */
  private readonly frame = new DecodedFrame();
  private body: Buffer = EMPTY_BODY;
  private bodyFilled = 0;
  private failure: string | null = null;

  constructor(
    private readonly onFrame: (frame: Frame) => void,
    options: FrameDecoderOptions = {},
  ) {
    const maxFrameSize = options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
    if (!Number.isInteger(maxFrameSize) || maxFrameSize < 0 || maxFrameSize > 0xffffffff) {
      throw new RpcError('CONFIG_ERROR', `maxFrameSize must be an integer from 0 to 2^32-1, got ${maxFrameSize}`);
    }
    this.maxFrameSize = maxFrameSize;
  }

  /** Bytes received but not yet handed out as part of a frame (a partial header or body). */
  get bufferedBytes(): number {
    return (this.collecting ? HEADER_SIZE : this.headerFilled) + this.bodyFilled;
  }

  /** Feeds the next chunk of the stream. Throws RpcError('PROTOCOL_ERROR') when the peer broke the protocol. */
  push(chunk: Buffer): void {
    if (this.failure !== null) {
      throw new RpcError('PROTOCOL_ERROR', `Frame decoder stopped after an earlier error: ${this.failure}`);
    }
    try {
      this.consume(chunk);
    } catch (error) {
      this.failure = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }

  private consume(chunk: Buffer): void {
    const end = chunk.length;
    let offset = 0;
    if (this.collecting) {
      offset = this.fillBody(chunk, 0);
      if (this.collecting) return;
    } else if (this.headerFilled > 0) {
      offset = this.fillHeader(chunk, 0);
      if (this.collecting) {
        offset = this.fillBody(chunk, offset);
        if (this.collecting) return;
      } else if (this.headerFilled > 0) {
        return;
      }
    }
    // Fast path: frames lying wholly inside this chunk are handed out as views.
    const frame = this.frame;
    while (end - offset >= HEADER_SIZE) {
      const bodyLength = this.readHeader(chunk, offset, frame.header);
      const bodyStart = offset + HEADER_SIZE;
      const bodyEnd = bodyStart + bodyLength;
      if (bodyEnd > end) {
        copyHeader(frame.header, this.header);
        this.startBody();
        this.fillBody(chunk, bodyStart);
        return;
      }
      offset = bodyEnd;
      this.emit(chunk, bodyStart, bodyEnd, false);
    }
    if (offset < end) {
      chunk.copy(this.headerBuffer, 0, offset, end);
      this.headerFilled = end - offset;
    }
  }

  /** Completes a split header from `chunk`; returns the offset after the bytes it took. */
  private fillHeader(chunk: Buffer, offset: number): number {
    const taken = Math.min(HEADER_SIZE - this.headerFilled, chunk.length - offset);
    chunk.copy(this.headerBuffer, this.headerFilled, offset, offset + taken);
    this.headerFilled += taken;
    if (this.headerFilled === HEADER_SIZE) {
      this.headerFilled = 0;
      this.readHeader(this.headerBuffer, 0, this.header);
      this.startBody();
    }
    return offset + taken;
  }

  private startBody(): void {
    this.collecting = true;
    this.bodyFilled = 0;
    const bodyLength = this.header.bodyLength;
    // Safe to allocate: readHeader already held bodyLength to maxFrameSize.
    this.body = bodyLength === 0 ? EMPTY_BODY : Buffer.allocUnsafe(bodyLength);
  }

  /** Adds bytes from `chunk` to the body being collected, emitting the frame once it is whole. */
  private fillBody(chunk: Buffer, offset: number): number {
    const bodyLength = this.header.bodyLength;
    const taken = Math.min(bodyLength - this.bodyFilled, chunk.length - offset);
    if (taken > 0) chunk.copy(this.body, this.bodyFilled, offset, offset + taken);
    this.bodyFilled += taken;
    if (this.bodyFilled === bodyLength) {
      this.collecting = false;
      copyHeader(this.header, this.frame.header);
      const body = this.body;
      this.body = EMPTY_BODY;
      this.bodyFilled = 0;
      this.emit(body, 0, bodyLength, true);
    }
    return offset + taken;
  }

  /** Hands the frame out (its header already filled in), then drops the decoder's reference to the bytes. */
  private emit(source: Buffer, bodyStart: number, bodyEnd: number, ownSource: boolean): void {
    const frame = this.frame;
    frame.source = source;
    frame.bodyStart = bodyStart;
    frame.bodyEnd = bodyEnd;
    frame.ownSource = ownSource;
    this.onFrame(frame);
    frame.source = EMPTY_BODY;
  }

  /** Parses and validates the 16 header bytes at `offset` into `into`; returns the body length. */
  private readHeader(source: Buffer, offset: number, into: FrameHeader): number {
    const magic = source.readUInt16BE(offset);
    if (magic !== MAGIC) {
      throw new RpcError('PROTOCOL_ERROR', `Bad magic number 0x${hex(magic, 4)} (expected 0x${hex(MAGIC, 4)})`);
    }
    const version = source[offset + 2] as number;
    if (version !== PROTOCOL_VERSION) {
      throw new RpcError(
        'PROTOCOL_ERROR',
        `Unsupported protocol version ${version} (this side speaks ${PROTOCOL_VERSION})`,
      );
    }
    const type = source[offset + 3] as number;
    if (type === 0 || type > MAX_MESSAGE_TYPE) {
      throw new RpcError('PROTOCOL_ERROR', `Unknown message type ${type}`);
    }
    const bodyLength = source.readUInt32BE(offset + 12);
    if (bodyLength > this.maxFrameSize) {
      throw new RpcError(
        'PROTOCOL_ERROR',
        `Frame body of ${bodyLength} bytes exceeds the maximum frame size of ${this.maxFrameSize} bytes`,
      );
    }
    into.type = type as MessageType;
    into.flags = source[offset + 4] as number;
    into.serializerId = source[offset + 5] as number;
    into.status = source[offset + 6] as number;
    into.requestId = source.readUInt32BE(offset + 8);
    into.bodyLength = bodyLength;
    return bodyLength;
  }
}

/** The decoder's one Frame; `body` is made on demand from the range. */
class DecodedFrame implements Frame {
  readonly header: FrameHeader = emptyHeader();
  source: Buffer = EMPTY_BODY;
  bodyStart = 0;
  bodyEnd = 0;
  ownSource = false;

  get body(): Buffer {
    return this.bodyEnd === this.bodyStart ? EMPTY_BODY : this.source.subarray(this.bodyStart, this.bodyEnd);
  }
}

function emptyHeader(): FrameHeader {
  return { type: MessageType.REQUEST, flags: 0, serializerId: 0, status: 0, requestId: 0, bodyLength: 0 };
}

function copyHeader(from: FrameHeader, to: FrameHeader): void {
  to.type = from.type;
  to.flags = from.flags;
  to.serializerId = from.serializerId;
  to.status = from.status;
  to.requestId = from.requestId;
  to.bodyLength = from.bodyLength;
}

function hex(value: number, digits: number): string {
  return value.toString(16).padStart(digits, '0');
}
