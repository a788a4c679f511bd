import type { Socket } from 'node:net';

import type { Logger } from '../common/logger';
import { FrameFlag, MessageType, Status, type Frame } from '../protocol/frame';
import { FrameDecoder } from '../protocol/frame-decoder';
import { FrameWriter } from './frame-writer';

/** At or above this many calls in flight a connection counts as busy: replies are batched per tick. */
const BUSY_IN_FLIGHT = 4;
const EMPTY = Buffer.alloc(0);

export interface ServerConnectionOptions {
  maxFrameSize: number;
  /** Stop reading from a consumer while this many response bytes wait to be written (back-pressure). */
  maxPendingWriteBytes: number;
  logger: Logger;
}

/**
 * What the server does with a consumer's frames: each REQUEST (answered through `connection.reply`), and each
 * DECLARE, which must be handled before the next frame is read; a DECLARE handler that throws closes the connection.
 */
export interface ConsumerFrameHandlers {
  request(frame: Frame, connection: ServerConnection): void;
  declare(frame: Frame, connection: ServerConnection): void;
}

/** Writes one response frame on the connection it was asked on. */
export type Reply = (status: Status, serializerId: number, requestId: number, body: Buffer) => void;

/**
 * One accepted consumer socket: decodes frames, answers heartbeats, hands requests to the server and writes
 * replies coalesced. A protocol violation closes this socket only; every other connection keeps serving.
 */
export class ServerConnection {
  readonly remoteAddress: string;
  lastReadAt = Date.now();
  private inFlightCalls = 0;
  private readonly writer: FrameWriter;
  private readonly decoder: FrameDecoder;
  private paused = false;

  constructor(
    private readonly socket: Socket,
    private readonly handlers: ConsumerFrameHandlers,
    private readonly options: ServerConnectionOptions,
  ) {
    this.remoteAddress = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    socket.setNoDelay(true);
    this.writer = new FrameWriter(socket);
    this.decoder = new FrameDecoder((frame) => this.onFrame(frame), { maxFrameSize: options.maxFrameSize });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.resumeIfDrained());
    socket.on('error', (error: Error) => options.logger.debug(`Connection ${this.remoteAddress}: ${error.message}`));
  }

  get inFlight(): number {
    return this.inFlightCalls;
  }

  get closed(): boolean {
    return this.socket.destroyed;
  }

  onClose(listener: () => void): void {
    this.socket.once('close', listener);
  }

  /** Sends one response; counts the call as finished. */
  reply: Reply = (status, serializerId, requestId, body) => {
    this.inFlightCalls--;
    if (this.socket.destroyed) return;
    const busy = this.inFlightCalls >= BUSY_IN_FLIGHT;
    this.writer.writeFrame(MessageType.RESPONSE, FrameFlag.NONE, serializerId, status, requestId, body, busy);
    if (!this.paused && this.writer.pendingBytes > this.options.maxPendingWriteBytes) {
      // The consumer reads slower than we answer: stop taking its requests until our replies are written out.
      this.paused = true;
      this.socket.pause();
      this.resumeWhenWritten();
    }
  };

  /** A one-way call finished (no reply is sent). */
  finishOneWay(): void {
    this.inFlightCalls--;
  }

  /** Lets go of write buffers if nothing was written since the previous call (see FrameWriter.trimIfIdle). */
  trimIfIdle(): void {
    this.writer.trimIfIdle();
  }

  goaway(): void {
    if (!this.socket.destroyed) this.writer.writeFrame(MessageType.GOAWAY, FrameFlag.NONE, 0, Status.OK, 0, null);
  }

  /** Half-closes after pending writes, then destroys after `graceMs` if the consumer does not close its side. */
  end(graceMs = 1000): void {
    if (this.socket.destroyed) return;
    this.writer.flush();
    this.socket.end();
    setTimeout(() => this.socket.destroy(), graceMs).unref();
  }

  destroy(reason?: string): void {
    if (reason !== undefined) this.options.logger.warn(`Closing connection ${this.remoteAddress}: ${reason}`);
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.lastReadAt = Date.now();
    try {
      this.decoder.push(chunk);
    } catch (error) {
      this.destroy((error as Error).message);
    }
  }

  private onFrame(frame: Frame): void {
    switch (frame.header.type) {
      case MessageType.REQUEST:
        this.inFlightCalls++;
        this.handlers.request(frame, this);
        return;
      case MessageType.DECLARE:
        this.handlers.declare(frame, this); // a throw ends in onData: the connection is closed
        return;
      case MessageType.HEARTBEAT_PING:
        this.writer.writeFrame(MessageType.HEARTBEAT_PONG, FrameFlag.NONE, 0, Status.OK, 0, null);
        return;
      case MessageType.HEARTBEAT_PONG:
        return;
      default:
        this.options.logger.debug(`Connection ${this.remoteAddress} sent message type ${frame.header.type}; ignored`);
    }
  }

  /**
   * Resumes once everything queued so far has reached the kernel. Not only on 'drain': Node emits that only after
   * a write was refused, which never happens when the limit is below the socket's own high-water mark.
   */
  private resumeWhenWritten(): void {
    this.writer.flush();
    if (this.socket.destroyed) return;
    this.socket.write(EMPTY, () => {
      if (!this.paused) return;
      if (this.writer.pendingBytes <= this.options.maxPendingWriteBytes / 2) this.resumeIfDrained();
      else this.resumeWhenWritten();
    });
  }

  private resumeIfDrained(): void {
    if (this.paused && this.writer.pendingBytes <= this.options.maxPendingWriteBytes / 2) {
      this.paused = false;
      this.socket.resume();
    }
  }
}
