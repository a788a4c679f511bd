import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

import { createConsoleLogger, type Logger } from '../common/logger';
import { RpcError } from '../errors/rpc-error';
import { DEFAULT_MAX_FRAME_SIZE, FrameFlag, type Frame } from '../protocol/frame';
import { ServerConnection } from '../transport/server-connection';
import { CallDeduplicator } from './call-deduplicator';
import { CallTable } from './call-table';
import { Dispatcher } from './dispatcher';
import { ServiceMap, type ExportOptions, type ExportedService } from './service-map';

export interface RpcServerOptions {
  /** Interface to bind. Default 127.0.0.1: set it (e.g. '0.0.0.0') to serve other machines. */
  host: string;
  /** Port to bind; 0 picks a free one (read it back from `address`). */
  port: number;
  /** Largest frame body accepted, checked before allocation. */
  maxFrameSize: number;
  /** Close a consumer connection that sent nothing (not even a heartbeat) for this long; 0 disables. */
  idleTimeoutMs: number;
  /** How long stop() waits for in-flight calls before closing connections anyway. */
  drainTimeoutMs: number;
  /** Back-pressure threshold per connection, in bytes of unwritten responses. */
  maxPendingWriteBytes: number;
  logger: Logger;
}

export const DEFAULT_SERVER_OPTIONS: Omit<RpcServerOptions, 'logger'> = {
  host: '127.0.0.1',
  port: 20880,
  maxFrameSize: DEFAULT_MAX_FRAME_SIZE,
  idleTimeoutMs: 120_000,
  drainTimeoutMs: 10_000,
  maxPendingWriteBytes: 16 * 1024 * 1024,
};

/** A service as listed by `exportedServices`. */
export interface ExportedServiceInfo {
  service: string;
  group: string;
  version: string;
  methods: string[];
}

/** STOPPING: draining (GOAWAY sent, in-flight served); CLOSING: drain time is up, new requests refused. */
type ServerState = 'NEW' | 'LISTENING' | 'STOPPING' | 'CLOSING' | 'STOPPED';

/**
 * Serves exported objects over Courier's TCP protocol.
 *
 * @example
 * const server = new RpcServer({ port: 0 });
 * server.export(new UserServiceImpl(), { interface: 'com.acme.UserService', version: '1.0.0' });
 * await server.start();
 * console.log(server.address.port);
 */
export class RpcServer {
  private readonly options: RpcServerOptions;
  private readonly services = new ServiceMap();
  private readonly dispatcher: Dispatcher;
  private readonly deduplicator = new CallDeduplicator();
  private readonly connections = new Set<ServerConnection>();
  private server: Server | undefined;
  private state: ServerState = 'NEW';
  private idleTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  private drainWaiters: Array<() => void> = [];
  /** Kept after close(), so messages and late replies can still name the address. */
  private boundPort = 0;

  constructor(options: Partial<RpcServerOptions> = {}) {
    this.options = { ...DEFAULT_SERVER_OPTIONS, logger: createConsoleLogger('server'), ...options };
    this.dispatcher = new Dispatcher(this.services, this.options.logger, this.deduplicator);
  }

  /** Publishes `instance`'s own methods (its class and superclasses, not Object's) under group/interface:version. */
  export(instance: object, options: ExportOptions): ExportedServiceInfo {
    if (this.state !== 'NEW' && this.state !== 'LISTENING') {
      throw new RpcError('CONFIG_ERROR', 'Cannot export a service on a stopped server');
    }
    return info(this.services.add(instance, options));
  }

  get exportedServices(): ExportedServiceInfo[] {
    return this.services.all().map(info);
  }

  /** The bound address; valid after start(). */
  get address(): { host: string; port: number } {
    if (this.boundPort === 0) throw new RpcError('CONFIG_ERROR', 'The server is not listening; call start() first');
    return { host: this.options.host, port: this.boundPort };
  }

  /** Calls currently running, over every connection. */
  get activeCalls(): number {
    let total = 0;
    for (const connection of this.connections) total += connection.inFlight;
    return total;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  async start(): Promise<void> {
    if (this.state !== 'NEW') throw new RpcError('CONFIG_ERROR', `Cannot start a server that is ${this.state}`);
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new RpcError('CONFIG_ERROR', `Cannot listen on ${this.options.host}:${this.options.port}: ${error.message}`, {
            cause: error,
          }),
        ),
      );
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    server.on('error', (error) => this.options.logger.error(`Server error: ${error.message}`));
    this.boundPort = (server.address() as AddressInfo).port;
    this.state = 'LISTENING';
    this.startIdleSweep();
    this.options.logger.debug(`Listening on ${this.options.host}:${this.address.port}`);
  }

  /**
   * Graceful stop: stop accepting connections and tell every consumer GOAWAY. Consumers send nothing new on a
   * connection after GOAWAY and close it once their last response arrives; requests already on the wire are still
   * served. After `drainTimeoutMs` whatever remains is refused (SHUTTING_DOWN) and closed. Idempotent.
   */
  stop(options: { drainTimeoutMs?: number } = {}): Promise<void> {
    this.stopping ??= this.doStop(options.drainTimeoutMs ?? this.options.drainTimeoutMs);
    return this.stopping;
  }

  private async doStop(drainTimeoutMs: number): Promise<void> {
    if (this.state === 'NEW') {
      this.state = 'STOPPED';
      return;
    }
    this.state = 'STOPPING';
    clearInterval(this.idleTimer);
    const closed = new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    for (const connection of this.connections) connection.goaway();
    await this.waitForConsumersToLeave(drainTimeoutMs);
    this.state = 'CLOSING';
    if (this.connections.size > 0) {
      this.options.logger.warn(
        `Closing ${this.connections.size} consumer connections still open after ${drainTimeoutMs} ms (${this.activeCalls} calls running)`,
      );
    }
    for (const connection of this.connections) connection.end();
    await closed;
    this.deduplicator.close();
    this.state = 'STOPPED';
  }

  /** Resolves when every consumer closed its connection (each does after its last response), or at the timeout. */
  private waitForConsumersToLeave(timeoutMs: number): Promise<void> {
    if (this.connections.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      const waiters = this.drainWaiters;
      function done() {
        clearTimeout(timer);
        const index = waiters.indexOf(done);
        if (index >= 0) waiters.splice(index, 1);
        resolve();
      }
      waiters.push(done);
    });
  }

  private notifyIfDrained(): void {
    if (this.drainWaiters.length === 0 || this.connections.size > 0) return;
    for (const waiter of [...this.drainWaiters]) waiter();
  }

  private accept(socket: Socket): void {
    if (this.state !== 'LISTENING') {
      socket.destroy();
      return;
    }
    const calls = new CallTable();
    const connection = new ServerConnection(
      socket,
      {
        request: (frame, conn) => this.onRequest(frame, conn, calls),
        declare: (frame) => calls.declare(frame.header.requestId, frame.body),
      },
      this.options,
    );
    this.connections.add(connection);
    connection.onClose(() => {
      this.connections.delete(connection);
      this.notifyIfDrained();
    });
  }

  private onRequest(frame: Frame, connection: ServerConnection, calls: CallTable): void {
    const oneWay = (frame.header.flags & FrameFlag.ONE_WAY) !== 0;
    if (this.state === 'CLOSING' || this.state === 'STOPPED') {
      if (oneWay) connection.finishOneWay();
      else {
        const error = new RpcError('SHUTTING_DOWN', `Provider ${this.options.host}:${this.boundPort} is shutting down`);
        this.dispatcher.refuse(frame, error, connection.reply);
      }
      return;
    }
    if (oneWay) {
      connection.finishOneWay();
      this.dispatcher.dispatch(frame, () => {}, calls);
      return;
    }
    this.dispatcher.dispatch(frame, connection.reply, calls);
  }

  /** Closes connections idle for idleTimeoutMs (when set) and lets quiet ones drop their write buffers. */
  private startIdleSweep(): void {
    const idle = this.options.idleTimeoutMs;
    this.idleTimer = setInterval(
      () => {
        const now = Date.now();
        for (const connection of this.connections) {
          if (idle > 0 && now - connection.lastReadAt > idle && connection.inFlight === 0) {
            connection.destroy(`idle for more than ${idle} ms`);
          } else {
            connection.trimIfIdle();
          }
        }
      },
      idle > 0 ? Math.max(100, Math.min(idle / 2, 10_000)) : 10_000,
    );
    this.idleTimer.unref();
  }
}

function info(service: ExportedService): ExportedServiceInfo {
  return {
    service: service.service,
    group: service.group,
    version: service.version,
    methods: [...service.methods.keys()].sort(),
  };
}
