import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';

import type { Logger } from '../common/logger';
import { StateMachine } from '../common/state-machine';
import { fromErrorPayload } from '../errors/error-payload';
import { RpcError } from '../errors/rpc-error';
import { DEFAULT_MAX_FRAME_SIZE, FrameFlag, MessageType, Status, type Frame } from '../protocol/frame';
import { FrameDecoder } from '../protocol/frame-decoder';
import { SEPARATE_BODY_THRESHOLD, encodeFrame, encodeHeader } from '../protocol/frame-encoder';
import type { Serializer } from '../serialization/serializer';
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { CONNECTION_TRANSITIONS, ConnectionState } from './connection-state';
import { DeadlineWheel, type Deadlined } from './deadline-wheel';
import { FrameWriter } from './frame-writer';

export interface ClientConnectionOptions {
  connectTimeoutMs: number;
  /** Send a ping after this long without reading anything; 0 disables heartbeats. */
  heartbeatIntervalMs: number;
  /** Close after this many heartbeat intervals without reading anything. */
  heartbeatMisses: number;
  maxFrameSize: number;
  /** Refuse new calls (OVERLOADED) while this many bytes wait in the socket's write buffer. */
  maxPendingWriteBytes: number;
  /** Give up reconnecting in the background after this many failed attempts (a new call tries again). */
  maxReconnectAttempts: number;
  backoff: BackoffOptions;
  logger: Logger;
}

export const DEFAULT_CLIENT_CONNECTION_OPTIONS: Omit<ClientConnectionOptions, 'logger'> = {
  connectTimeoutMs: 3000,
  heartbeatIntervalMs: 15_000,
  heartbeatMisses: 3,
  maxFrameSize: DEFAULT_MAX_FRAME_SIZE,
  maxPendingWriteBytes: 64 * 1024 * 1024,
  maxReconnectAttempts: 12,
  backoff: DEFAULT_BACKOFF,
};

/** One outstanding call: settled exactly once, by its response, its deadline or the socket closing. */
interface PendingCall extends Deadlined {
  requestId: number;
  timeoutMs: number;
  resolve(value: unknown): void;
  reject(error: Error): void;
  serializer: Serializer;
  service: string;
  method: string;
}

const PING = encodeFrame(MessageType.HEARTBEAT_PING, FrameFlag.NONE, 0, Status.OK, 0, null);
const PONG = encodeFrame(MessageType.HEARTBEAT_PONG, FrameFlag.NONE, 0, Status.OK, 0, null);
const MAX_REQUEST_ID = 0xffffffff;
/** Above this many pending calls a connection counts as busy: its writes are batched per tick (see FrameWriter). */
const BUSY_IN_FLIGHT = 4;

/**
 * One long-lived, multiplexed socket to one provider address, shared by every reference that calls it.
 * Responses are matched by request id; every pending call is settled exactly once. Emits 'state'
 * (ConnectionState) on every change, so the cluster layer can drop a provider the moment its socket closes.
 */
export class ClientConnection extends EventEmitter {
  readonly address: string;
  private readonly machine = new StateMachine(CONNECTION_TRANSITIONS, ConnectionState.IDLE);
  private socket: Socket | undefined;
  private writer: FrameWriter | undefined;
  private connecting: Promise<void> | undefined;
  private readonly pending = new Map<number, PendingCall>();
  /** Call deadlines: one timer for all pending calls instead of a setTimeout each. */
  private readonly deadlines = new DeadlineWheel<PendingCall>((call) => this.onTimeout(call));
  private nextRequestId = 1;
  private lastReadAt = 0;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private nextConnectAt = 0;
  private lastError: Error | undefined;
  private readonly backoff: Backoff;

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly options: ClientConnectionOptions,
  ) {
    super();
    this.address = `${host}:${port}`;
    this.backoff = new Backoff(options.backoff);
  }

  get state(): ConnectionState {
    return this.machine.state;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Can a call be sent now or after a connect, as opposed to failing fast? */
  get usable(): boolean {
    const s = this.machine.state;
    if (s === ConnectionState.READY || s === ConnectionState.CONNECTING || s === ConnectionState.IDLE) return true;
    return s === ConnectionState.CLOSED && Date.now() >= this.nextConnectAt;
  }

  /**
   * Sends one request and settles with the decoded response value, or rejects with an RpcError
   * (or the provider's registered error class). One-way requests settle once written. `deadline` is absolute
   * (Date.now() ms), so time spent connecting counts against the call.
   */
  request(
    service: string,
    method: string,
    serializer: Serializer,
    body: Buffer,
    deadline: number,
    oneWay: boolean,
  ): Promise<unknown> {
    if (this.machine.state === ConnectionState.READY)
      return this.send(service, method, serializer, body, deadline, oneWay);
    return this.whenReady(service, method).then(() => this.send(service, method, serializer, body, deadline, oneWay));
  }

  /** Connects if needed; resolves when READY. Many racing first calls share one connect. */
  whenReady(service = '', method = ''): Promise<void> {
    switch (this.machine.state) {
      case ConnectionState.READY:
        return Promise.resolve();
      case ConnectionState.CONNECTING:
        return this.connecting ?? Promise.resolve();
      case ConnectionState.DRAINING:
        return Promise.reject(this.shuttingDownError(service, method));
      case ConnectionState.SHUTDOWN:
        return Promise.reject(new RpcError('CLIENT_CLOSED', `Connection to ${this.address} was closed by its owner`));
      case ConnectionState.CLOSED:
        if (Date.now() < this.nextConnectAt) {
          const wait = this.nextConnectAt - Date.now();
          return Promise.reject(
            new RpcError(
              'CONNECTION_REFUSED',
              `${label(service, method)}${this.address} is unreachable (${this.lastError?.message ?? 'closed'}); next reconnect in ${wait} ms`,
              { address: this.address, cause: this.lastError },
            ),
          );
        }
        return this.connect();
      case ConnectionState.IDLE:
        return this.connect();
    }
  }

  /** Closes for good: every pending call is rejected with CLIENT_CLOSED, no reconnect. */
  close(): void {
    if (this.machine.state === ConnectionState.SHUTDOWN) return;
    this.transition(ConnectionState.SHUTDOWN);
    this.clearTimers();
    this.rejectAll(() => new RpcError('CLIENT_CLOSED', `Client closed its connection to ${this.address}`));
    this.socket?.destroy();
    this.socket = undefined;
  }

  private connect(): Promise<void> {
    this.transition(ConnectionState.CONNECTING);
    const socket = connect({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    this.socket = socket;
    const decoder = new FrameDecoder((frame) => this.onFrame(frame), { maxFrameSize: this.options.maxFrameSize });

    this.connecting = new Promise<void>((resolve, reject) => {
      let settled = false;
      const connectTimer = setTimeout(() => {
        socket.destroy(new Error(`connect timed out after ${this.options.connectTimeoutMs} ms`));
      }, this.options.connectTimeoutMs);
      connectTimer.unref();

      socket.once('connect', () => {
        clearTimeout(connectTimer);
        if (this.machine.state !== ConnectionState.CONNECTING) return;
        this.writer = new FrameWriter(socket);
        this.lastReadAt = Date.now();
        this.backoff.reset();
        this.nextConnectAt = 0;
        settled = true;
        this.transition(ConnectionState.READY);
        this.startHeartbeat();
        resolve();
      });
      socket.on('data', (chunk: Buffer) => {
        this.lastReadAt = Date.now();
        try {
          decoder.push(chunk);
        } catch (error) {
          this.options.logger.error(`Closing connection to ${this.address}: ${(error as Error).message}`);
          socket.destroy();
        }
      });
      socket.on('error', (error: Error) => {
        this.lastError = error;
      });
      socket.once('close', () => {
        clearTimeout(connectTimer);
        this.onSocketClosed(socket);
        if (!settled) {
          settled = true;
          reject(
            new RpcError(
              'CONNECTION_REFUSED',
              `Cannot connect to ${this.address}: ${this.lastError?.message ?? 'closed'}`,
              {
                address: this.address,
                cause: this.lastError,
              },
            ),
          );
        }
      });
    });
    const connecting = this.connecting;
    connecting.then(
      () => (this.connecting = undefined),
      () => (this.connecting = undefined),
    );
    return connecting;
  }

  private send(
    service: string,
    method: string,
    serializer: Serializer,
    body: Buffer,
    deadline: number,
    oneWay: boolean,
  ): Promise<unknown> {
    const timeoutMs = deadline - Date.now();
    if (timeoutMs <= 0) {
      return Promise.reject(
        new RpcError(
          'TIMEOUT',
          `${label(service, method)}deadline passed before the call was sent to ${this.address}`,
          {
            address: this.address,
            retryable: false,
          },
        ),
      );
    }
    if (this.machine.state !== ConnectionState.READY || this.writer === undefined) {
      if (this.machine.state === ConnectionState.DRAINING)
        return Promise.reject(this.shuttingDownError(service, method));
      return Promise.reject(
        new RpcError(
          'CONNECTION_REFUSED',
          `${label(service, method)}connection to ${this.address} is ${this.machine.state}`,
          {
            address: this.address,
          },
        ),
      );
    }
    if (this.writer.pendingBytes > this.options.maxPendingWriteBytes) {
      return Promise.reject(
        new RpcError(
          'OVERLOADED',
          `${label(service, method)}write buffer to ${this.address} holds ${this.writer.pendingBytes} bytes; refusing new calls until it drains`,
          { address: this.address },
        ),
      );
    }
    const requestId = this.takeRequestId();
    const flags = oneWay ? FrameFlag.ONE_WAY : FrameFlag.NONE;
    const large = body.length >= SEPARATE_BODY_THRESHOLD;
    const frame = large
      ? encodeHeader(MessageType.REQUEST, flags, serializer.id, Status.OK, requestId, body.length)
      : encodeFrame(MessageType.REQUEST, flags, serializer.id, Status.OK, requestId, body);
    const writer = this.writer;
    if (oneWay) {
      if (large) writer.writeParts(frame, body);
      else writer.write(frame);
      return Promise.resolve(undefined);
    }
    return new Promise<unknown>((resolve, reject) => {
      const call: PendingCall = {
        requestId,
        deadline,
        wheelSlot: -1,
        timeoutMs,
        resolve,
        reject,
        serializer,
        service,
        method,
      };
      this.pending.set(requestId, call);
      this.deadlines.add(call);
      const busy = this.pending.size > BUSY_IN_FLIGHT;
      if (large) writer.writeParts(frame, body, busy);
      else writer.write(frame, busy);
    });
  }

  private takeRequestId(): number {
    const id = this.nextRequestId;
    this.nextRequestId = id >= MAX_REQUEST_ID ? 1 : id + 1;
    return id;
  }

  private onTimeout(call: PendingCall): void {
    if (this.pending.get(call.requestId) !== call) return;
    this.pending.delete(call.requestId);
    call.reject(
      new RpcError(
        'TIMEOUT',
        `${call.service}#${call.method} timed out after ${call.timeoutMs} ms on ${this.address}`,
        {
          address: this.address,
          retryable: false,
        },
      ),
    );
    this.closeIfDrained();
  }

  private onFrame(frame: Frame): void {
    const { header } = frame;
    switch (header.type) {
      case MessageType.RESPONSE:
        this.onResponse(frame);
        return;
      case MessageType.HEARTBEAT_PING:
        this.writer?.write(PONG);
        return;
      case MessageType.HEARTBEAT_PONG:
        return;
      case MessageType.GOAWAY:
        this.onGoaway();
        return;
      case MessageType.REQUEST:
        this.options.logger.warn(`Provider ${this.address} sent a request frame to a consumer; ignored`);
        return;
    }
  }

  private onResponse(frame: Frame): void {
    const requestId = frame.header.requestId;
    const call = this.pending.get(requestId);
    if (call === undefined) return; // late response after a timeout: dropped by design
    this.pending.delete(requestId);
    this.deadlines.remove(call);
    try {
      if (frame.header.status === Status.OK) {
        call.resolve(call.serializer.decodeResponse(frame.body));
      } else {
        const payload = call.serializer.decodeError(frame.body);
        call.reject(fromErrorPayload(payload, { service: call.service, method: call.method, address: this.address }));
      }
    } catch (error) {
      call.reject(
        RpcError.is(error)
          ? error
          : new RpcError(
              'SERIALIZATION',
              `Cannot decode the response of ${call.service}#${call.method} from ${this.address}`,
              {
                cause: error,
                address: this.address,
              },
            ),
      );
    }
    this.closeIfDrained();
  }

  private onGoaway(): void {
    if (this.machine.state !== ConnectionState.READY) return;
    this.options.logger.info(`Provider ${this.address} is shutting down; draining ${this.pending.size} pending calls`);
    this.transition(ConnectionState.DRAINING);
    this.closeIfDrained();
  }

  private closeIfDrained(): void {
    if (this.machine.state === ConnectionState.DRAINING && this.pending.size === 0) this.socket?.end();
  }

  private onSocketClosed(socket: Socket): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    this.writer = undefined;
    this.stopHeartbeat();
    if (this.machine.state === ConnectionState.SHUTDOWN) return;
    const wasConnected = this.machine.state !== ConnectionState.CONNECTING;
    this.transition(ConnectionState.CLOSED);
    this.rejectAll(
      (call) =>
        new RpcError(
          'CONNECTION_CLOSED',
          `${call.service}#${call.method}: connection to ${this.address} closed while the call was pending${
            this.lastError ? ` (${this.lastError.message})` : ''
          }`,
          { address: this.address, retryable: false, cause: this.lastError },
        ),
    );
    this.scheduleReconnect(wasConnected);
  }

  /** Background reconnect with back-off and jitter, bounded in attempts; a new call may also trigger one. */
  private scheduleReconnect(wasConnected: boolean): void {
    if (wasConnected) this.backoff.reset();
    if (this.backoff.attempts >= this.options.maxReconnectAttempts) {
      this.nextConnectAt = 0;
      // No background reconnect any more: IDLE tells the cluster layer to stop treating the address as down for
      // good (its outlier detector paces the calls that now try it), and the next call connects.
      this.transition(ConnectionState.IDLE);
      return;
    }
    const delay = this.backoff.next();
    this.nextConnectAt = Date.now() + delay;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.machine.state !== ConnectionState.CLOSED) return;
      this.connect().catch((error: Error) =>
        this.options.logger.debug(`Reconnect to ${this.address} failed: ${error.message}`),
      );
    }, delay);
    this.reconnectTimer.unref();
  }

  private startHeartbeat(): void {
    const interval = this.options.heartbeatIntervalMs;
    if (interval <= 0) return;
    this.heartbeatTimer = setInterval(() => {
      const silentFor = Date.now() - this.lastReadAt;
      if (silentFor >= interval * this.options.heartbeatMisses) {
        this.options.logger.warn(`No heartbeat from ${this.address} for ${silentFor} ms; closing the connection`);
        this.lastError = new Error(`missed ${this.options.heartbeatMisses} heartbeats`);
        this.socket?.destroy();
      } else if (silentFor >= interval) {
        this.writer?.write(PING);
      }
    }, interval);
    this.heartbeatTimer.unref();
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  private clearTimers(): void {
    this.stopHeartbeat();
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  private rejectAll(makeError: (call: PendingCall) => Error): void {
    const calls = [...this.pending.values()];
    this.pending.clear();
    this.deadlines.clear();
    for (const call of calls) {
      call.reject(makeError(call));
    }
  }

  private shuttingDownError(service: string, method: string): RpcError {
    return new RpcError('SHUTTING_DOWN', `${label(service, method)}provider ${this.address} is shutting down`, {
      address: this.address,
    });
  }

  private transition(to: ConnectionState): void {
    const from = this.machine.state;
    if (!this.machine.transition(to)) {
      throw new RpcError('INTERNAL', `Illegal connection state change ${from} → ${to} on ${this.address}`);
    }
    this.emit('state', to);
  }
}

function label(service: string, method: string): string {
  return service === '' ? '' : `${service}#${method}: `;
}
