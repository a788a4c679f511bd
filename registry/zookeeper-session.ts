import type * as zookeeper from 'node-zookeeper-client';

import { zookeeperLibrary } from './zookeeper-library';
import type { Logger } from '../src/common/logger';
import { RpcError } from '../src/errors/rpc-error';
import { SessionState, SessionStateMachine, type SessionStateListener } from './zookeeper-session-state';

/** What a session needs; sessions are shared per (connect string, credentials). */
export interface ZookeeperSessionConfig {
  connectString: string;
  chroot: string;
  servers: readonly string[];
  sessionTimeout: number;
  spinDelay: number;
  auth?: string;
  logger: Logger;
}

/** How long close() waits for the server to acknowledge the end of the session. */
const CLOSE_WAIT_MS = 1_000;

/** The ZooKeeper error code behind a session operation's failure (Exception.NO_NODE, ...), if any. */
export function zookeeperErrorCode(error: unknown): number | undefined {
  const cause = error instanceof RpcError ? error.cause : error;
  return cause instanceof zookeeperLibrary().Exception ? cause.getCode() : undefined;
}

/** True when a failed operation may succeed later on its own (connection loss, timeout, expiry). */
export function isTransientZookeeperError(error: unknown): boolean {
  const code = zookeeperErrorCode(error);
  // ZooKeeper's own codes for failures that pass (the operation may succeed once the session is back).
  const { CONNECTION_LOSS, OPERATION_TIMEOUT, SESSION_EXPIRED } = zookeeperLibrary().Exception;
  return code === CONNECTION_LOSS || code === OPERATION_TIMEOUT || code === SESSION_EXPIRED;
}

const sessions = new Map<string, ZookeeperSession>();

/**
 * The process's one ZooKeeper session per connect string, shared by every registry (ref-counted; the last
 * release() closes it). It follows the session through disconnections and, on expiry, replaces the client
 * with a new one: node-zookeeper-client never recovers an expired session by itself.
 */
export class ZookeeperSession {
  private readonly machine = new SessionStateMachine();
  private client: zookeeper.Client;
  private references = 1;
  private sessionCount = 0;
  private connectedAt = 0;
  private chrootReady = false;
  private readonly acls: zookeeper.ACL[];

  private constructor(
    private readonly key: string,
    private readonly config: ZookeeperSessionConfig,
  ) {
    const { ACL, Id, Permission } = zookeeperLibrary();
    this.acls =
      config.auth === undefined
        ? [new ACL(Permission.ALL, new Id('world', 'anyone'))]
        : // 'auth' with an empty id means "whoever created it": every process holding the same digest.
          [new ACL(Permission.ALL, new Id('auth', ''))];
    this.client = this.openClient();
  }

  /** The shared session for this connect string and credentials, opened on first use. */
  static acquire(config: ZookeeperSessionConfig): ZookeeperSession {
    const key = `${config.connectString}\u0000${config.auth ?? ''}`;
    const existing = sessions.get(key);
    if (existing !== undefined) {
      existing.references += 1;
      if (existing.config.sessionTimeout !== config.sessionTimeout) {
        config.logger.debug(
          `ZooKeeper session to ${config.connectString} is shared; keeping its sessionTimeout ${existing.config.sessionTimeout} ms`,
        );
      }
      return existing;
    }
    const session = new ZookeeperSession(key, config);
    sessions.set(key, session);
    return session;
  }

  get state(): SessionState {
    return this.machine.state;
  }

  /** The current session id as ZooKeeper prints it ('0x1000a1b2c3d0000'); '' before the first connection. */
  get sessionId(): string {
    return this.connectedAt === 0 ? '' : formatSessionId(this.client.getSessionId());
  }

  /** 1 for the first session, +1 for each session opened after an expiry. */
  get generation(): number {
    return this.sessionCount;
  }

  /** Milliseconds since the current session connected (for grace periods after a new session). */
  get sessionAge(): number {
    return this.connectedAt === 0 ? 0 : Date.now() - this.connectedAt;
  }

  /** The session timeout the servers granted (or the requested one before connecting). */
  get negotiatedTimeout(): number {
    return this.client.getSessionTimeout();
  }

  /** The ACL every node this session creates gets (open, or creator-all with digest auth). */
  get nodeAcls(): zookeeper.ACL[] {
    return this.acls;
  }

  /** Hears every state change; returns the remover. */
  onStateChange(listener: SessionStateListener): () => void {
    return this.machine.onChange(listener);
  }

  /** Resolves true once CONNECTED, false after `timeoutMs` or when closed. */
  whenConnected(timeoutMs: number): Promise<boolean> {
    if (this.state === SessionState.CONNECTED) return Promise.resolve(true);
    if (this.state === SessionState.CLOSED) return Promise.resolve(false);
    return new Promise((resolve) => {
      const finish = (connected: boolean): void => {
        clearTimeout(timer);
        remove();
        resolve(connected);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      timer.unref();
      const remove = this.onStateChange((next) => {
        if (next === SessionState.CONNECTED) finish(true);
        else if (next === SessionState.CLOSED) finish(false);
      });
    });
  }

  /** True when `stat` is of an ephemeral node held by the current session. */
  ownsEphemeral(stat: zookeeper.Stat): boolean {
    return this.connectedAt !== 0 && Buffer.compare(stat.ephemeralOwner, this.client.getSessionId()) === 0;
  }

  create(path: string, mode: number, timeoutMs: number): Promise<string> {
    return this.call(`create ${path}`, timeoutMs, (client, done) => client.create(path, this.acls, mode, done));
  }

  remove(path: string, timeoutMs: number): Promise<void> {
    return this.call(`delete ${path}`, timeoutMs, (client, done) => client.remove(path, -1, (error) => done(error)));
  }

  /** The node's Stat, or null when it does not exist. */
  exists(path: string, timeoutMs: number): Promise<zookeeper.Stat | null> {
    return this.call(`exists ${path}`, timeoutMs, (client, done) =>
      client.exists(path, (error, stat) => done(error, stat ?? null)),
    );
  }

  /** The children of `path`, arming `watcher` (one-shot) when given. */
  getChildren(
    path: string,
    watcher: ((event: zookeeper.Event) => void) | undefined,
    timeoutMs: number,
  ): Promise<string[]> {
    return this.call(`getChildren ${path}`, timeoutMs, (client, done) =>
      watcher === undefined
        ? client.getChildren(path, (error, children) => done(error, children))
        : client.getChildren(path, watcher, (error, children) => done(error, children)),
    );
  }

  /** Creates `path` and its missing parents as persistent nodes (and the chroot itself, when there is one). */
  async mkdirp(path: string, timeoutMs: number): Promise<void> {
    try {
      await this.call(`mkdirp ${path}`, timeoutMs, (client, done) =>
        client.mkdirp(path, this.acls, zookeeperLibrary().CreateMode.PERSISTENT, (error) => done(error)),
      );
    } catch (error) {
      // A chrooted client cannot create its own chroot: do it once through a client without one.
      if (
        zookeeperErrorCode(error) !== zookeeperLibrary().Exception.NO_NODE ||
        this.config.chroot === '' ||
        this.chrootReady
      ) {
        throw error;
      }
      await this.createChroot(timeoutMs);
      await this.mkdirp(path, timeoutMs);
    }
  }

  /** Drops one reference; the last one closes the session (its ephemeral nodes go at once). Idempotent per holder. */
  async release(): Promise<void> {
    if (this.references === 0) return;
    this.references -= 1;
    if (this.references > 0) return;
    if (sessions.get(this.key) === this) sessions.delete(this.key);
    const wasConnected = this.state === SessionState.CONNECTED;
    this.machine.transition(SessionState.CLOSED);
    await closeClient(this.client, wasConnected);
  }

  private openClient(): zookeeper.Client {
    const client = zookeeperLibrary().createClient(this.config.connectString, {
      sessionTimeout: this.config.sessionTimeout,
      spinDelay: this.config.spinDelay,
      retries: 0,
    });
    if (this.config.auth !== undefined) client.addAuthInfo('digest', Buffer.from(this.config.auth));
    boundHandshake(client, handshakeTimeout(this.config.sessionTimeout, this.config.servers.length));
    this.sessionCount += 1;
    this.connectedAt = 0;
    client.on('state', (state: zookeeper.State) => {
      // A replaced client may still report its last moves; only the current one speaks for the session.
      if (client === this.client) this.onClientState(state);
    });
    client.connect();
    return client;
  }

  private onClientState(state: zookeeper.State): void {
    const { logger, connectString } = this.config;
    switch (state.code) {
      case zookeeperLibrary().State.SYNC_CONNECTED.code:
        if (this.connectedAt === 0) this.connectedAt = Date.now();
        if (this.machine.transition(SessionState.CONNECTED)) {
          logger.info(`ZooKeeper ${connectString}: connected, session ${this.sessionId}`);
        }
        break;
      case zookeeperLibrary().State.DISCONNECTED.code:
        if (this.machine.transition(SessionState.DISCONNECTED)) {
          logger.warn(`ZooKeeper ${connectString}: disconnected; serving the last provider lists while reconnecting`);
        }
        break;
      case zookeeperLibrary().State.EXPIRED.code:
        if (this.machine.transition(SessionState.EXPIRED)) {
          logger.warn(`ZooKeeper ${connectString}: session ${this.sessionId} expired; opening a new session`);
          this.client = this.openClient();
          this.machine.transition(SessionState.CONNECTING);
        }
        break;
      case zookeeperLibrary().State.AUTH_FAILED.code:
        logger.error(`ZooKeeper ${connectString}: authentication failed; check the auth=user:password option`);
        break;
      default:
        break;
    }
  }

  private async createChroot(timeoutMs: number): Promise<void> {
    const client = zookeeperLibrary().createClient(this.config.servers.join(','), {
      sessionTimeout: this.config.sessionTimeout,
      spinDelay: this.config.spinDelay,
    });
    if (this.config.auth !== undefined) client.addAuthInfo('digest', Buffer.from(this.config.auth));
    client.connect();
    try {
      await withTimeout(`mkdirp chroot ${this.config.chroot}`, timeoutMs, (done) =>
        client.mkdirp(this.config.chroot, this.acls, zookeeperLibrary().CreateMode.PERSISTENT, (error) => done(error)),
      );
      this.chrootReady = true;
    } finally {
      await closeClient(client, true);
    }
  }

  private call<T>(
    what: string,
    timeoutMs: number,
    start: (client: zookeeper.Client, done: (error: unknown, value?: T) => void) => void,
  ): Promise<T> {
    if (this.state === SessionState.CLOSED) {
      return Promise.reject(new RpcError('REGISTRY_ERROR', `ZooKeeper ${what}: session is closed`));
    }
    const client = this.client;
    return withTimeout(`ZooKeeper ${this.config.connectString} ${what}`, timeoutMs, (done) => start(client, done));
  }
}

/** Runs a callback-style operation, failing it with OPERATION_TIMEOUT when it has not answered in time. */
function withTimeout<T>(
  what: string,
  timeoutMs: number,
  start: (done: (error: unknown, value?: T) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    // node-zookeeper-client queues requests while disconnected and never times them out; this bound does.
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      const cause = createZookeeperException(zookeeperLibrary().Exception.OPERATION_TIMEOUT);
      reject(new RpcError('REGISTRY_ERROR', `${what} timed out after ${timeoutMs} ms`, { cause }));
    }, timeoutMs);
    timer.unref();
    start((error, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(new RpcError('REGISTRY_ERROR', `${what} failed: ${String(error)}`, { cause: error }));
      else resolve(value as T);
    });
  });
}

/** Exception.create exists at run time but is missing from @types/node-zookeeper-client. */
function createZookeeperException(code: number): zookeeper.Exception {
  return (zookeeperLibrary().Exception as unknown as { create(code: number): zookeeper.Exception }).create(code);
}

interface ConnectionManagerInternals {
  connect?: () => void;
  onSocketConnected?: () => void;
  socket?: { destroy(): void; readonly destroyed: boolean };
  connectTimeoutHandler?: ReturnType<typeof setTimeout> | null;
  state?: number;
}

/** node-zookeeper-client's ConnectionManager state between the TCP connect and the server's ConnectResponse. */
const CONNECTION_MANAGER_CONNECTING = 1;

/** How long a server may take to answer the connect request, as the Java client bounds it (never under 1 s). */
function handshakeTimeout(sessionTimeout: number, servers: number): number {
  return Math.max(1_000, Math.floor(sessionTimeout / 3 / Math.max(1, servers)));
}

/**
 * node-zookeeper-client stops its connect timer once TCP connects and then waits for the ConnectResponse forever.
 * A server that is starting up (or half dead) may accept the connection and never answer nor close it (ZooKeeper
 * 3.8 fails with "ZooKeeperServer not running" and a NullPointerException that leaves the socket open): the client
 * would stay disconnected for good while its session expires on the servers. Like the Java client, give up on a
 * handshake that takes too long: destroy the socket, and the client's own close handler tries the next server.
 */
function boundHandshake(client: zookeeper.Client, timeoutMs: number): void {
  const internals = (client as unknown as { connectionManager?: ConnectionManagerInternals }).connectionManager;
  const onSocketConnected = internals?.onSocketConnected;
  if (internals === undefined || onSocketConnected === undefined) return;
  internals.onSocketConnected = () => {
    onSocketConnected.call(internals);
    const socket = internals.socket;
    const timer = setTimeout(() => {
      if (internals.socket === socket && internals.state === CONNECTION_MANAGER_CONNECTING && !socket?.destroyed) {
        socket?.destroy();
      }
    }, timeoutMs);
    timer.unref();
  };
}

/**
 * Closes a client so that nothing of it keeps the process alive. A connected client is closed politely (its
 * ephemeral nodes go at once). node-zookeeper-client has no destroy(): it reconnects forever with timers it never
 * unrefs, and a close() sent while it is still connecting makes it misread the connect reply and throw. So a client
 * that is not connected (or does not answer in time) is cut off by hand; its session, if any, times out on the
 * servers.
 */
export async function closeClient(client: zookeeper.Client, connected: boolean): Promise<void> {
  if (connected) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, CLOSE_WAIT_MS);
      timer.unref();
      client.once('disconnected', () => {
        clearTimeout(timer);
        resolve();
      });
      client.close();
    });
  }
  const internals = (client as unknown as { connectionManager?: ConnectionManagerInternals }).connectionManager;
  if (internals === undefined) return;
  internals.connect = () => {};
  // A connection attempt already scheduled by the client still opens a socket: drop it as soon as it connects.
  internals.onSocketConnected = () => {
    if (internals.connectTimeoutHandler) clearTimeout(internals.connectTimeoutHandler);
    internals.socket?.destroy();
  };
  if (internals.connectTimeoutHandler) clearTimeout(internals.connectTimeoutHandler);
  internals.socket?.destroy();
}

function formatSessionId(id: Buffer): string {
  return `0x${id.toString('hex').replace(/^0+(?=.)/, '')}`;
}
