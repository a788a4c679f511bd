import type { Socket } from 'node:net';

import { HEADER_SIZE, MessageType, REQUEST_PREFIX_SIZE, Status } from '../protocol/frame';
import {
  SEPARATE_BODY_THRESHOLD,
  encodeHeader,
  encodeHeaderInto,
  encodeRequestPrefixInto,
} from '../protocol/frame-encoder';

/** Frames are encoded into slabs of this size (a larger frame gets a slab of its own). */
const SLAB_SIZE = 16 * 1024;
/** The first slab of a new or idle writer: heartbeats and a quiet call fit; a busy connection moves to SLAB_SIZE. */
const FIRST_SLAB_SIZE = 512;
/** Batches up to this many bytes go out as one buffer; larger ones as one writev without copying. */
const COPY_BATCH_LIMIT = 64 * 1024;
const NO_SLAB = Buffer.alloc(0);

/**
 * Encodes frames straight into a slab and coalesces them: the first frame of a tick goes out at once (lowest latency
 * at low concurrency), later frames of the same tick are written together at process.nextTick (highest throughput
 * under load) — one socket write and no per-frame buffer. A slab is only ever written forward: bytes handed to the
 * socket are never touched again, so the socket may keep them as long as it needs; a full slab is left to the GC.
 * Bodies of SEPARATE_BODY_THRESHOLD bytes or more are never copied into a slab: written at once, or in a batch above
 * 64 KiB, they go out as they are after their header; a smaller batch holding one is joined into one buffer.
 */
export class FrameWriter {
  private slab: Buffer = NO_SLAB;
  private nextSlabSize = FIRST_SLAB_SIZE;
  /** Where the next frame is encoded in the slab. */
  private position = 0;
  /** Start of the slab's bytes not yet handed to the socket. */
  private unsent = 0;
  /** Buffers queued before the slab's unsent bytes (earlier slab ranges, large bodies), in order. */
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private tickOpen = false;
  /** A frame was encoded since the last trimIfIdle(). */
  private wroteSinceTrim = false;
  private readonly flushBound = () => this.flush();

  constructor(private readonly socket: Socket) {}

  /**
   * One frame. `busy`: the caller has many calls in flight on this connection; then even the tick's first frame
   * waits for the batch — the pipeline is full, so batching costs no latency and saves a syscall per frame.
   */
  writeFrame(
    type: MessageType,
    flags: number,
    serializerId: number,
    status: number,
    requestId: number,
    body: Buffer | null,
    busy = false,
  ): void {
    const bodyLength = body === null ? 0 : body.length;
    if (bodyLength >= SEPARATE_BODY_THRESHOLD) {
      const header = encodeHeader(type, flags, serializerId, status, requestId, bodyLength);
      this.writeParts(header, body as Buffer, busy);
      return;
    }
    const at = this.reserve(HEADER_SIZE + bodyLength);
    encodeHeaderInto(this.slab, at, type, flags, serializerId, status, requestId, bodyLength);
    if (body !== null) this.slab.set(body, at + HEADER_SIZE);
    this.commit(busy);
  }

  /** One REQUEST frame: header, the request prefix (call reference and call id), then the serialized arguments. */
  writeRequest(
    flags: number,
    serializerId: number,
    requestId: number,
    callRef: number,
    callId: number,
    payload: Buffer,
    busy = false,
  ): void {
    const bodyLength = REQUEST_PREFIX_SIZE + payload.length;
    if (payload.length >= SEPARATE_BODY_THRESHOLD) {
      const head = Buffer.allocUnsafe(HEADER_SIZE + REQUEST_PREFIX_SIZE);
      encodeHeaderInto(head, 0, MessageType.REQUEST, flags, serializerId, Status.OK, requestId, bodyLength);
      encodeRequestPrefixInto(head, HEADER_SIZE, callRef, callId);
      this.writeParts(head, payload, busy);
      return;
    }
    const at = this.reserve(HEADER_SIZE + bodyLength);
    encodeHeaderInto(this.slab, at, MessageType.REQUEST, flags, serializerId, Status.OK, requestId, bodyLength);
    encodeRequestPrefixInto(this.slab, at + HEADER_SIZE, callRef, callId);
    this.slab.set(payload, at + HEADER_SIZE + REQUEST_PREFIX_SIZE);
    this.commit(busy);
  }

  /** Memory this writer keeps between writes (its slab). */
  get retainedBytes(): number {
    return this.slab.length;
  }

  /**
   * Drops the slab when no frame was encoded since the previous call, so an idle connection keeps no buffer; an active
   * one keeps its slab. Owners call it from a timer they already run (idle sweep, heartbeat).
   */
  trimIfIdle(): void {
    if (this.wroteSinceTrim) {
      this.wroteSinceTrim = false;
      return;
    }
    if (this.position !== this.unsent || this.queue.length > 0) return;
    this.slab = NO_SLAB;
    this.nextSlabSize = FIRST_SLAB_SIZE;
    this.position = 0;
    this.unsent = 0;
  }

  /** Bytes accepted but not yet handed to the kernel: the basis of back-pressure decisions. */
  get pendingBytes(): number {
    return this.socket.writableLength + this.queuedBytes + (this.position - this.unsent);
  }

  /** Hands every batched frame to the socket now (before end(), so no reply is lost). */
  flush(): void {
    this.tickOpen = false;
    if (this.queue.length === 0) {
      if (this.position === this.unsent) return;
      const bytes = this.slab.subarray(this.unsent, this.position);
      this.unsent = this.position;
      if (!this.socket.destroyed) this.socket.write(bytes);
      return;
    }
    this.queueUnsentSlab();
    const parts = this.queue;
    const bytes = this.queuedBytes;
    this.queue = [];
    this.queuedBytes = 0;
    if (this.socket.destroyed) return;
    if (bytes <= COPY_BATCH_LIMIT) {
      this.socket.write(Buffer.concat(parts, bytes));
    } else {
      this.socket.cork();
      for (const part of parts) this.socket.write(part);
      this.socket.uncork();
    }
  }

  /** Header and large body, in order after everything written before, never copied. */
  private writeParts(header: Buffer, body: Buffer, busy: boolean): void {
    if (!this.tickOpen && !busy) {
      this.tickOpen = true;
      process.nextTick(this.flushBound);
      if (this.socket.destroyed) return;
      this.socket.cork();
      this.socket.write(header);
      this.socket.write(body);
      this.socket.uncork();
      return;
    }
    this.queueUnsentSlab();
    this.queue.push(header, body);
    this.queuedBytes += header.length + body.length;
    this.open();
  }

  /** Room for `size` bytes in the slab; returns where to encode them. */
  private reserve(size: number): number {
    this.wroteSinceTrim = true;
    if (this.position + size > this.slab.length) {
      this.queueUnsentSlab();
      this.slab = Buffer.allocUnsafeSlow(Math.max(this.nextSlabSize, size));
      this.nextSlabSize = SLAB_SIZE;
      this.position = 0;
      this.unsent = 0;
    }
    const at = this.position;
    this.position += size;
    return at;
  }

  /** The frame just encoded in the slab goes out now (a quiet tick's first frame) or with the tick's batch. */
  private commit(busy: boolean): void {
    if (!this.tickOpen && !busy) {
      this.tickOpen = true;
      process.nextTick(this.flushBound);
      // Nothing is queued while the tick is closed: these are the only unsent bytes.
      const bytes = this.slab.subarray(this.unsent, this.position);
      this.unsent = this.position;
      if (!this.socket.destroyed) this.socket.write(bytes);
      return;
    }
    this.open();
  }

  private open(): void {
    if (this.tickOpen) return;
    this.tickOpen = true;
    process.nextTick(this.flushBound);
  }

  private queueUnsentSlab(): void {
    if (this.position === this.unsent) return;
    this.queue.push(this.slab.subarray(this.unsent, this.position));
    this.queuedBytes += this.position - this.unsent;
    this.unsent = this.position;
  }
}
