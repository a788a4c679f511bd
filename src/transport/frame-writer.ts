import type { Socket } from 'node:net';

/** Batches up to this many bytes are copied into one buffer; larger ones go out as one writev without copying. */
const COPY_BATCH_LIMIT = 64 * 1024;

/**
 * Coalesces small writes: the first frame of a tick goes out at once (lowest latency at low concurrency), later
 * frames of the same tick are written together at process.nextTick (highest throughput under load). A small batch
 * is concatenated into one buffer: Node's writev of many small chunks costs more than the copy (see DESIGN §7).
 */
export class FrameWriter {
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private tickOpen = false;
  private readonly flushBound = () => this.flush();

  constructor(private readonly socket: Socket) {}

  /**
   * `busy`: the caller has many calls in flight on this connection. Then even the tick's first frame waits for the
   * batch: the pipeline is full, so batching costs no latency and saves a syscall per frame.
   */
  write(frame: Buffer, busy = false): void {
    if (!this.tickOpen) {
      this.tickOpen = true;
      process.nextTick(this.flushBound);
      if (!busy) {
        this.socket.write(frame);
        return;
      }
    }
    this.batch.push(frame);
    this.batchBytes += frame.length;
  }

  /** A frame given as header + large body: never copied, written together in order (one writev). */
  writeParts(header: Buffer, body: Buffer, busy = false): void {
    if (!this.tickOpen) {
      this.tickOpen = true;
      process.nextTick(this.flushBound);
      if (!busy) {
        this.socket.cork();
        this.socket.write(header);
        this.socket.write(body);
        this.socket.uncork();
        return;
      }
    }
    this.batch.push(header, body);
    this.batchBytes += header.length + body.length;
  }

  /** Bytes accepted but not yet handed to the kernel: the basis of back-pressure decisions. */
  get pendingBytes(): number {
    return this.socket.writableLength + this.batchBytes;
  }

  /** Hands every batched frame to the socket now (before end(), so no reply is lost). */
  flush(): void {
    this.tickOpen = false;
    const frames = this.batch;
    const bytes = this.batchBytes;
    if (frames.length === 0) return;
    this.batch = [];
    this.batchBytes = 0;
    if (this.socket.destroyed) return;
    if (frames.length === 1 && bytes <= COPY_BATCH_LIMIT) {
      this.socket.write(frames[0] as Buffer);
    } else if (bytes <= COPY_BATCH_LIMIT) {
      this.socket.write(Buffer.concat(frames, bytes));
    } else {
      this.socket.cork();
      for (const frame of frames) this.socket.write(frame);
      this.socket.uncork();
    }
  }
}
