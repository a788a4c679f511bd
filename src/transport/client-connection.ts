import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';

import type { AttemptCallbacks } from '../cluster/cluster';
import type { Logger } from '../common/logger';
import { StateMachine } from '../common/state-machine';
import { fromErrorPayload } from '../errors/error-payload';
import { RpcError } from '../errors/rpc-error';
import { MAX_DECLARATION_BYTES, MAX_DECLARED_CALLS, type DeclaredCall } from '../protocol/call-declaration';
import { DEFAULT_MAX_FRAME_SIZE, FrameFlag, MessageType, Status, type Frame } from '../protocol/frame';
import { FrameDecoder } from '../protocol/frame-decoder';
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

/** What a connection needs of one call; the cluster's Invocation is one. */
export interface OutgoingCall {
  /** The call's declaration, sent on this socket before its first request. */
  readonly declared: DeclaredCall;
  /** 0 for none. */
  readonly callId: number;
  readonly serializer: Serializer;
  /** Absolute, in Date.now() milliseconds. */
  readonly deadline: number;
  readonly oneWay: boolean;
}

/** One outstanding call: settled exactly once, by its response, its deadline or the socket closing. */
class PendingCall implements Deadlined {
  wheelSlot = -1;
  wheelPrev: Deadlined | null = null;
  wheelNext: Deadlined | null = null;

  constructor(
    readonly requestId: number,
    readonly deadline: number,
    readonly timeoutMs: number,
    readonly call: DeclaredCall,
    readonly serializer: Serializer,
    readonly callbacks: AttemptCallbacks,
  ) {}
}

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
  /** Calls declared on the current socket, by their reference (both sides forget them when the socket closes). */
  private declared = new Map<DeclaredCall, number>();
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
   * Sends one request; its outcome goes to `callbacks` (exactly once, possibly before this returns): the decoded
   * response value, or an RpcError (or the provider's registered error class). One-way requests succeed once
   * written. `deadline` is absolute (Date.now() ms), so time spent connecting counts against the call.
   */
  request(call: OutgoingCall, args: Buffer, callbacks: AttemptCallbacks): void {
    if (this.machine.state === ConnectionState.READY) {
      this.send(call, args, callbacks);
      return;
    }
    this.whenReady(call.declared).then(
      () => this.send(call, args, callbacks),
      (error: unknown) => callbacks.failed(error),
    );
  }

  /** Connects if needed; resolves when READY. Many racing first calls share one connect. */
  whenReady(call?: DeclaredCall): Promise<void> {
    switch (this.machine.state) {
      case ConnectionState.READY:
        return Promise.resolve();
      case ConnectionState.CONNECTING:
        return this.connecting ?? Promise.resolve();
      case ConnectionState.DRAINING:
        return Promise.reject(this.shuttingDownError(call));
      case ConnectionState.SHUTDOWN:
        return Promise.reject(new RpcError('CLIENT_CLOSED', `Connection to ${this.address} was closed by its owner`));
      case ConnectionState.CLOSED:
        if (Date.now() < this.nextConnectAt) {
          const wait = this.nextConnectAt - Date.now();
          return Promise.reject(
            new RpcError(
              'CONNECTION_REFUSED',
              `${label(call)}${this.address} is unreachable (${this.lastError?.message ?? 'closed'}); next reconnect in ${wait} ms`,
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
        this.declared = new Map();
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

  /** Checks the deadline, the state and back-pressure, declares the call if it is new on this socket, writes it. */
  private send(outgoing: OutgoingCall, args: Buffer, callbacks: AttemptCallbacks): void {
    const { declared: call, deadline } = outgoing;
    const timeoutMs = deadline - Date.now();
    const writer = this.writer;
    if (timeoutMs <= 0) {
      callbacks.failed(
        new RpcError('TIMEOUT', `${label(call)}deadline passed before the call was sent to ${this.address}`, {
          address: this.address,
          retryable: false,
        }),
      );
      return;
    }
    if (this.machine.state !== ConnectionState.READY || writer === undefined) {
      callbacks.failed(
        this.machine.state === ConnectionState.DRAINING
          ? this.shuttingDownError(call)
          : new RpcError('CONNECTION_REFUSED', `${label(call)}connection to ${this.address} is ${this.machine.state}`, {
              address: this.address,
            }),
      );
      return;
    }
    if (writer.pendingBytes > this.options.maxPendingWriteBytes) {
      callbacks.failed(
        new RpcError(
          'OVERLOADED',
          `${label(call)}write buffer to ${this.address} holds ${writer.pendingBytes} bytes; refusing new calls until it drains`,
          { address: this.address },
        ),
      );
      return;
    }
    const busy = this.pending.size >= BUSY_IN_FLIGHT;
    let callRef = this.declared.get(call);
    if (callRef === undefined) {
      if (this.declared.size >= MAX_DECLARED_CALLS || call.encoded.length > MAX_DECLARATION_BYTES) {
        callbacks.failed(this.cannotDeclare(call));
        return;
      }
      callRef = this.declared.size + 1;
      this.declared.set(call, callRef);
      writer.writeFrame(MessageType.DECLARE, FrameFlag.NONE, 0, Status.OK, callRef, call.encoded, busy);
    }
    const { serializer, callId } = outgoing;
    const requestId = this.takeRequestId();
    if (outgoing.oneWay) {
      writer.writeRequest(FrameFlag.ONE_WAY, serializer.id, requestId, callRef, callId, args, busy);
      callbacks.succeeded(undefined);
      return;
    }
    const pending = new PendingCall(requestId, deadline, timeoutMs, call, serializer, callbacks);
    this.pending.set(requestId, pending);
    this.deadlines.add(pending);
    writer.writeRequest(FrameFlag.NONE, serializer.id, requestId, callRef, callId, args, busy);
  }

  private takeRequestId(): number {
    const id = this.nextRequestId;
    this.nextRequestId = id >= MAX_REQUEST_ID ? 1 : id + 1;
    return id;
  }

  private onTimeout(call: PendingCall): void {
    if (this.pending.get(call.requestId) !== call) return;
    this.pending.delete(call.requestId);
    call.callbacks.failed(
      new RpcError('TIMEOUT', `${call.call.label} timed out after ${call.timeoutMs} ms on ${this.address}`, {
        address: this.address,
        retryable: false,
      }),
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
        this.writer?.writeFrame(MessageType.HEARTBEAT_PONG, FrameFlag.NONE, 0, Status.OK, 0, null);
        return;
      case MessageType.HEARTBEAT_PONG:
        return;
      case MessageType.GOAWAY:
        this.onGoaway();
        return;
      case MessageType.REQUEST:
      case MessageType.DECLARE:
        this.options.logger.warn(`Provider ${this.address} sent a consumer's frame (type ${header.type}); ignored`);
        return;
    }
  }

  private onResponse(frame: Frame): void {
    const requestId = frame.header.requestId;
    const call = this.pending.get(requestId);
    if (call === undefined) return; // late response after a timeout: dropped by design
    this.pending.delete(requestId);
    this.deadlines.remove(call);
    let value: unknown;
    let failure: unknown;
    let failed = frame.header.status !== Status.OK;
    try {
      if (!failed) {
        value = call.serializer.decodeResponse(frame.source, frame.bodyStart, frame.bodyEnd, frame.ownSource);
      } else {
        const { service, method } = call.call;
        const payload = call.serializer.decodeError(frame.source, frame.bodyStart, frame.bodyEnd);
        failure = fromErrorPayload(payload, { service, method, address: this.address });
      }
    } catch (error) {
      failed = true;
      failure = RpcError.is(error)
        ? error
        : new RpcError('SERIALIZATION', `Cannot decode the response of ${call.call.label} from ${this.address}`, {
            cause: error,
            address: this.address,
          });
    }
    // Outside the try: an exception thrown by the callbacks is theirs, not a decoding failure.
    if (failed) call.callbacks.failed(failure);
    else call.callbacks.succeeded(value);
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
          `${call.call.label}: connection to ${this.address} closed while the call was pending${
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
      this.writer?.trimIfIdle();
      const silentFor = Date.now() - this.lastReadAt;
      if (silentFor >= interval * this.options.heartbeatMisses) {
        this.options.logger.warn(`No heartbeat from ${this.address} for ${silentFor} ms; closing the connection`);
        this.lastError = new Error(`missed ${this.options.heartbeatMisses} heartbeats`);
        this.socket?.destroy();
      } else if (silentFor >= interval) {
        this.writer?.writeFrame(MessageType.HEARTBEAT_PING, FrameFlag.NONE, 0, Status.OK, 0, null);
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
      call.callbacks.failed(makeError(call));
    }
  }

  /** The provider would close the connection over this declaration: the call fails alone instead. */
  private cannotDeclare(call: DeclaredCall): RpcError {
    const reason =
      call.encoded.length > MAX_DECLARATION_BYTES
        ? `its declaration (names and type tags) takes ${call.encoded.length} bytes, more than ${MAX_DECLARATION_BYTES}`
        : `more than ${MAX_DECLARED_CALLS} distinct methods and argument types on the connection to ${this.address}`;
    return new RpcError('BAD_REQUEST', `${label(call)}${reason}`, { address: this.address });
  }

  private shuttingDownError(call: DeclaredCall | undefined): RpcError {
    return new RpcError('SHUTTING_DOWN', `${label(call)}provider ${this.address} is shutting down`, {
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

function label(call: DeclaredCall | undefined): string {
  return call === undefined ? '' : `${call.label}: `;
}
