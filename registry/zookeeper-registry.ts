import type * as zookeeper from 'node-zookeeper-client';

import { zookeeperLibrary } from './zookeeper-library';
import { createConsoleLogger, type Logger } from '../src/common/logger';
import type { ProviderInfo } from '../src/common/provider-info';
import type { ProviderListener, Registry, ServiceRegistration } from '../src/common/registry';
import { RpcError } from '../src/errors/rpc-error';
import { acquireProviderCache, releaseProviderCache, type ProviderCache } from './provider-cache';
import { decodeNodeName, encodeNodeName, formatRegistryUrl, parseRegistryUrl, toProviderInfo } from './provider-url';
import { isTransientZookeeperError, ZookeeperSession, zookeeperErrorCode } from './zookeeper-session';
import { SessionState, type SessionStateListener } from './zookeeper-session-state';
import { parseZookeeperUrl, type ZookeeperConfig, type ZookeeperRegistryOptions } from './zookeeper-url';

/** How many times one registration races a concurrent delete/create before giving up until the next reconcile. */
const MAX_CREATE_ATTEMPTS = 3;
/** How many reads one refresh makes when the providers node keeps disappearing under it. */
const MAX_READS_PER_REFRESH = 5;

/**
 * The node of a registration: `/<root>/<service>/providers/<URL-encoded URL>` (or `/consumers/` for consumers).
 */
export function registrationNodePath(root: string, registration: ServiceRegistration): string {
  const category = registration.side === 'provider' ? 'providers' : 'consumers';
  return `${root}/${registration.service}/${category}/${encodeNodeName(formatRegistryUrl(registration))}`;
}

/** One subscribed service: its listeners, its last list, and the one watcher re-armed on every read. */
interface Subscription {
  readonly service: string;
  readonly path: string;
  readonly cacheKey: string;
  readonly listeners: Set<ProviderListener>;
  readonly watcher: (event: zookeeper.Event) => void;
  providers: readonly ProviderInfo[] | undefined;
  source: 'zookeeper' | 'cache' | undefined;
  /** The sorted children behind the last list read from ZooKeeper, to skip notifying an unchanged list. */
  childrenKey: string | undefined;
  /** The session generation in which the providers path was last made sure to exist. */
  pathGeneration: number;
  refreshing: Promise<void> | undefined;
  dirty: boolean;
  ready: Promise<void>;
  graceTimer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Service discovery in ZooKeeper with Dubbo's layout (`zookeeper://h1:2181,h2:2181/chroot?root=/courier`).
 *
 * - One session per process and connect string, shared by every instance (see ZookeeperSession).
 * - register() creates an EPHEMERAL node (replacing a stale one held by another session); the registration is
 *   remembered and re-created after a session expiry, and a reconcile timer repairs nodes that went missing.
 * - subscribe() reads `/<root>/<service>/providers` with a watch re-armed on every event; while the session is
 *   unhealthy the last list stays, and a consumer that cannot reach ZooKeeper at start-up uses the cache file.
 *
 * @example
 * const registry = createRegistry('zookeeper://127.0.0.1:2181/?root=/courier&sessionTimeout=10000');
 * await registry.subscribe('com.acme.UserService', (providers) => directory.update(providers));
 */
export class ZookeeperRegistry implements Registry {
  readonly url: string;
  private readonly config: ZookeeperConfig;
  private readonly logger: Logger;
  private readonly session: ZookeeperSession;
  private readonly cache: ProviderCache | undefined;
  /** Node path → what this instance registered there; the source of truth for repairs. */
  private readonly owned = new Map<string, ServiceRegistration>();
  /** Nodes unregistered while ZooKeeper was unreachable, deleted once it is back. */
  private readonly pendingRemovals = new Set<string>();
  private readonly subscriptions = new Map<string, Subscription>();
  /** Per-node chains, so that a repair and an unregister of one node never interleave. */
  private readonly locks = new Map<string, Promise<void>>();
  private readonly stopListening: () => void;
  private readonly reconcileTimer: ReturnType<typeof setInterval> | undefined;
  private reconciling: Promise<void> | undefined;
  private reconcileAgain = false;
  private seenGeneration: number;
  private closing: Promise<void> | undefined;

  constructor(url: string, options: ZookeeperRegistryOptions = {}) {
    this.url = url;
    this.config = parseZookeeperUrl(url, options);
    this.logger = options.logger ?? createConsoleLogger('registry');
    this.session = ZookeeperSession.acquire({
      connectString: this.config.connectString,
      chroot: this.config.chroot,
      servers: this.config.servers,
      sessionTimeout: this.config.sessionTimeout,
      spinDelay: this.config.spinDelay,
      logger: this.logger,
      ...(this.config.auth === undefined ? {} : { auth: this.config.auth }),
    });
    this.cache = this.config.cacheFile === '' ? undefined : acquireProviderCache(this.config.cacheFile, this.logger);
    this.seenGeneration = this.session.state === SessionState.CONNECTED ? this.session.generation : 0;
    this.stopListening = this.session.onStateChange((next) => this.onSessionState(next));
    if (this.config.reconcileInterval > 0) {
      this.reconcileTimer = setInterval(() => void this.reconcile('timer'), this.config.reconcileInterval);
      this.reconcileTimer.unref();
    }
  }

  /** The current ZooKeeper session id ('0x…'), '' before the first connection. */
  get sessionId(): string {
    return this.session.sessionId;
  }

  get sessionState(): SessionState {
    return this.session.state;
  }

  /** Resolves true once the shared session is connected, false after `timeoutMs`. */
  whenConnected(timeoutMs: number): Promise<boolean> {
    return this.session.whenConnected(timeoutMs);
  }

  /** Hears every change of the shared session's state (for health checks and tests); returns the remover. */
  onStateChange(listener: SessionStateListener): () => void {
    return this.session.onStateChange(listener);
  }

  /** The ZooKeeper node a registration lives at (relative to the chroot). */
  nodePath(registration: ServiceRegistration): string {
    return registrationNodePath(this.config.root, registration);
  }

  /**
   * Publishes a provider or consumer as an EPHEMERAL node. When ZooKeeper stays unreachable for `connectWait` it
   * resolves anyway and the node is created when the session connects; it throws REGISTRY_ERROR only for failures that would not pass
   * (no permission, bad path).
   */
  async register(registration: ServiceRegistration): Promise<void> {
    this.assertOpen('register');
    const path = this.nodePath(registration);
    const url = formatRegistryUrl(registration);
    this.owned.set(path, registration);
    this.pendingRemovals.delete(path);
    if (!(await this.session.whenConnected(this.config.connectWait))) {
      this.logger.warn(`ZooKeeper ${this.config.displayUrl} is unreachable: ${url} will be registered once it is back`);
      return;
    }
    try {
      await this.ensureNode(path);
    } catch (error) {
      if (isTransientZookeeperError(error)) {
        this.logger.warn(`Registering ${url} is delayed (${describe(error)}); retrying when the session is back`);
        return;
      }
      this.owned.delete(path);
      throw new RpcError(
        'REGISTRY_ERROR',
        `Could not register ${url} in ${this.config.displayUrl}: ${describe(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  /** Deletes the registration's node and forgets it (a later expiry will not bring it back). */
  async unregister(registration: ServiceRegistration): Promise<void> {
    if (this.closing !== undefined) return;
    const path = this.nodePath(registration);
    this.owned.delete(path);
    await this.removeNode(path);
  }

  /**
   * Calls `listener` with the providers of `service` (every group and version) now and on every change.
   * Resolves once the listener has the first list: from ZooKeeper, or from the cache file when ZooKeeper is still
   * unreachable after `connectWait`. With nothing cached it resolves then too, and the list follows once ZooKeeper
   * answers.
   */
  async subscribe(service: string, listener: ProviderListener): Promise<void> {
    this.assertOpen('subscribe');
    const existing = this.subscriptions.get(service);
    if (existing === undefined) {
      const subscription = this.createSubscription(service);
      subscription.listeners.add(listener);
      this.subscriptions.set(service, subscription);
      subscription.ready = this.initialLoad(subscription);
      await subscription.ready;
      return;
    }
    existing.listeners.add(listener);
    if (existing.providers === undefined) {
      await existing.ready; // the first load delivers to every listener present by then
      return;
    }
    const providers = existing.providers;
    // Deliver on a later turn, as for the first subscriber, so a listener never runs inside subscribe()'s caller.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (existing.listeners.has(listener)) this.deliver(listener, existing.providers ?? providers);
  }

  async unsubscribe(service: string, listener: ProviderListener): Promise<void> {
    const subscription = this.subscriptions.get(service);
    if (subscription === undefined) return;
    subscription.listeners.delete(listener);
    if (subscription.listeners.size > 0) return;
    // Its watch stays armed in the client until it fires once more; the watcher then sees it is inactive.
    this.subscriptions.delete(service);
    clearTimeout(subscription.graceTimer);
  }

  /** Deletes this instance's nodes, stops its timers and releases the shared session. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    clearInterval(this.reconcileTimer);
    this.stopListening();
    for (const subscription of this.subscriptions.values()) clearTimeout(subscription.graceTimer);
    this.subscriptions.clear();
    const paths = [...this.owned.keys(), ...this.pendingRemovals];
    this.owned.clear();
    this.pendingRemovals.clear();
    // The session may outlive this instance (shared), so its nodes are deleted explicitly. While disconnected the
    // deletes are queued by the client and land on reconnection; nobody waits for them.
    const removals = paths.map((path) =>
      this.session.remove(path, this.config.operationTimeout).catch((error: unknown) => {
        if (zookeeperErrorCode(error) !== zookeeperLibrary().Exception.NO_NODE) {
          this.logger.debug(`Deleting ${path} on close failed: ${describe(error)}`);
        }
      }),
    );
    if (this.session.state === SessionState.CONNECTED) await Promise.all(removals);
    await this.session.release();
    if (this.cache !== undefined) await releaseProviderCache(this.cache);
  }

  private onSessionState(next: SessionState): void {
    if (next !== SessionState.CONNECTED || this.closing !== undefined) return;
    const newSession = this.session.generation !== this.seenGeneration;
    if (newSession && this.seenGeneration !== 0) {
      this.logger.warn(
        `New ZooKeeper session ${this.session.sessionId}: re-creating ${this.owned.size} node(s) and ` +
          `re-reading ${this.subscriptions.size} subscription(s)`,
      );
    }
    this.seenGeneration = this.session.generation;
    void this.reconcile(newSession ? 'new session' : 'reconnected');
  }

  /**
   * Makes ZooKeeper match this instance: every owned node exists and belongs to the current session, every
   * pending removal is done, every subscription re-read (and its watch re-armed). Runs on (re)connection and on
   * the reconcile timer; a call while one runs makes it run once more.
   */
  private reconcile(reason: string): Promise<void> {
    if (this.closing !== undefined || this.session.state !== SessionState.CONNECTED) return Promise.resolve();
    if (this.reconciling !== undefined) {
      this.reconcileAgain = true;
      return this.reconciling;
    }
    const run = async (): Promise<void> => {
      do {
        this.reconcileAgain = false;
        await this.reconcileOnce(reason);
      } while (this.reconcileAgain && this.closing === undefined && this.session.state === SessionState.CONNECTED);
    };
    this.reconciling = run().finally(() => {
      this.reconciling = undefined;
    });
    return this.reconciling;
  }

  private async reconcileOnce(reason: string): Promise<void> {
    const repairs = await Promise.allSettled([...this.owned.keys()].map((path) => this.ensureNode(path)));
    const repaired = repairs.filter((r) => r.status === 'fulfilled' && r.value).length;
    const failed = repairs.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (repaired > 0 && reason === 'timer') {
      this.logger.warn(`Reconcile: re-created ${repaired} node(s) that were missing or held by another session`);
    }
    if (failed.length > 0) {
      this.logger.warn(
        `Reconcile (${reason}): ${failed.length} node(s) not repaired yet: ${describe(failed[0]?.reason)}`,
      );
    }
    await Promise.allSettled([...this.pendingRemovals].map((path) => this.removeNode(path)));
    await Promise.allSettled([...this.subscriptions.values()].map((s) => this.refresh(s)));
  }

  /** Resolves true when it had to create the node, false when it was already there and ours. */
  private ensureNode(path: string): Promise<boolean> {
    return this.withLock(path, () => this.ensureNodeNow(path));
  }

  private async ensureNodeNow(path: string): Promise<boolean> {
    const timeout = this.config.operationTimeout;
    for (let attempt = 1; attempt <= MAX_CREATE_ATTEMPTS; attempt++) {
      if (!this.owned.has(path) || this.closing !== undefined) return false;
      const stat = await this.session.exists(path, timeout);
      if (stat !== null) {
        if (this.session.ownsEphemeral(stat)) return false;
        // Left by an expired session of ours, or by an earlier process with the same URL: it would vanish with
        // that session, taking our registration with it.
        this.logger.info(`Replacing node ${path} held by session 0x${stat.ephemeralOwner.toString('hex')}`);
        await this.session.remove(path, timeout).catch((error: unknown) => {
          if (zookeeperErrorCode(error) !== zookeeperLibrary().Exception.NO_NODE) throw error;
        });
      } else {
        await this.session.mkdirp(path.slice(0, path.lastIndexOf('/')), timeout);
      }
      try {
        await this.session.create(path, zookeeperLibrary().CreateMode.EPHEMERAL, timeout);
        const registration = this.owned.get(path);
        this.logger.info(
          `Registered ${registration === undefined ? path : formatRegistryUrl(registration)} ` +
            `(session ${this.session.sessionId})`,
        );
        return true;
      } catch (error) {
        const code = zookeeperErrorCode(error);
        // Someone re-created it (NODE_EXISTS) or deleted its parent (NO_NODE) meanwhile: look again.
        if (code !== zookeeperLibrary().Exception.NODE_EXISTS && code !== zookeeperLibrary().Exception.NO_NODE)
          throw error;
      }
    }
    throw new RpcError(
      'REGISTRY_ERROR',
      `Node ${path} kept changing under ${MAX_CREATE_ATTEMPTS} attempts to create it`,
    );
  }

  private removeNode(path: string): Promise<void> {
    return this.withLock(path, async () => {
      if (this.owned.has(path)) return; // registered again meanwhile
      if (this.session.state !== SessionState.CONNECTED) {
        this.pendingRemovals.add(path);
        return;
      }
      try {
        await this.session.remove(path, this.config.operationTimeout);
        this.pendingRemovals.delete(path);
        this.logger.info(`Unregistered ${decodeNodeName(path.slice(path.lastIndexOf('/') + 1))}`);
      } catch (error) {
        if (zookeeperErrorCode(error) === zookeeperLibrary().Exception.NO_NODE) {
          this.pendingRemovals.delete(path);
        } else if (isTransientZookeeperError(error)) {
          this.pendingRemovals.add(path);
        } else {
          throw new RpcError('REGISTRY_ERROR', `Could not delete ${path}: ${describe(error)}`, { cause: error });
        }
      }
    });
  }

  private withLock<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => {},
      () => {},
    );
    this.locks.set(key, tail);
    void tail.then(() => {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    });
    return result;
  }

  private createSubscription(service: string): Subscription {
    const subscription: Subscription = {
      service,
      path: `${this.config.root}/${service}/providers`,
      cacheKey: `${this.config.root}/${service}`,
      listeners: new Set(),
      watcher: () => {
        if (this.isActive(subscription)) void this.refresh(subscription);
      },
      providers: undefined,
      source: undefined,
      childrenKey: undefined,
      pathGeneration: 0,
      refreshing: undefined,
      dirty: false,
      ready: Promise.resolve(),
      graceTimer: undefined,
    };
    return subscription;
  }

  private isActive(subscription: Subscription): boolean {
    return this.closing === undefined && this.subscriptions.get(subscription.service) === subscription;
  }

  private async initialLoad(subscription: Subscription): Promise<void> {
    if (await this.session.whenConnected(this.config.connectWait)) {
      await this.refresh(subscription);
      if (subscription.providers !== undefined) return;
    }
    if (!this.isActive(subscription) || subscription.providers !== undefined) return;
    const cached = await this.cache?.get(subscription.cacheKey);
    if (!this.isActive(subscription) || subscription.providers !== undefined) return; // ZooKeeper answered meanwhile
    if (cached === undefined) {
      this.logger.warn(
        `ZooKeeper ${this.config.displayUrl} is unreachable and no provider list of ${subscription.service} is ` +
          `cached; it will be delivered once ZooKeeper answers`,
      );
      return;
    }
    const providers = this.parseUrls(subscription.service, cached.urls);
    this.logger.warn(
      `ZooKeeper ${this.config.displayUrl} is unreachable: using ${providers.length} cached provider(s) of ` +
        `${subscription.service} from ${this.cache?.file ?? ''} (saved ${new Date(cached.savedAt).toISOString()})`,
    );
    this.emit(subscription, providers, 'cache');
  }

  /** Re-reads a subscription's providers; calls made while one read runs fold into one more read after it. */
  private refresh(subscription: Subscription): Promise<void> {
    if (subscription.refreshing !== undefined) {
      subscription.dirty = true;
      return subscription.refreshing;
    }
    const run = async (): Promise<void> => {
      for (let reads = 0; reads < MAX_READS_PER_REFRESH; reads++) {
        subscription.dirty = false;
        await this.readProviders(subscription);
        if (!subscription.dirty || !this.isActive(subscription)) return;
      }
    };
    subscription.refreshing = run().finally(() => {
      subscription.refreshing = undefined;
    });
    return subscription.refreshing;
  }

  private async readProviders(subscription: Subscription): Promise<void> {
    if (!this.isActive(subscription) || this.session.state !== SessionState.CONNECTED) return;
    const generation = this.session.generation;
    const timeout = this.config.operationTimeout;
    let children: string[];
    try {
      if (subscription.pathGeneration !== generation) {
        // Dubbo's consumers create the path too, so a watch can be set before any provider exists.
        await this.session.mkdirp(subscription.path, timeout);
        subscription.pathGeneration = generation;
      }
      children = await this.session.getChildren(subscription.path, subscription.watcher, timeout);
    } catch (error) {
      if (zookeeperErrorCode(error) === zookeeperLibrary().Exception.NO_NODE) {
        subscription.pathGeneration = 0;
        subscription.dirty = true;
      } else {
        const level = isTransientZookeeperError(error) ? 'debug' : 'warn';
        this.logger[level](`Reading providers of ${subscription.service} failed: ${describe(error)}`);
      }
      return;
    }
    if (!this.isActive(subscription)) return;
    const key = [...children].sort().join('\n');
    if (subscription.source === 'zookeeper' && key === subscription.childrenKey) return;
    if (children.length === 0 && (subscription.providers?.length ?? 0) > 0 && !this.mayEmptyList(subscription)) return;
    subscription.childrenKey = key;
    const providers = this.parseUrls(subscription.service, children.map(safeDecode));
    this.emit(subscription, providers, 'zookeeper');
    void this.cache?.save(
      subscription.cacheKey,
      providers.map((p) => p.url),
    );
  }

  /**
   * An empty list is believed only from a healthy session, and not in the first moments of a new session after an
   * expiry (providers whose sessions expired too are re-creating their nodes); then it is re-read after the grace.
   */
  private mayEmptyList(subscription: Subscription): boolean {
    if (this.session.state !== SessionState.CONNECTED) return false;
    const remaining = this.session.generation > 1 ? this.config.emptyListGrace - this.session.sessionAge : 0;
    if (remaining <= 0) return true;
    clearTimeout(subscription.graceTimer);
    subscription.graceTimer = setTimeout(() => {
      subscription.graceTimer = undefined;
      if (this.isActive(subscription)) void this.refresh(subscription);
    }, remaining);
    subscription.graceTimer.unref();
    this.logger.info(`No provider of ${subscription.service} in the new session yet; re-reading in ${remaining} ms`);
    return false;
  }

  private parseUrls(service: string, urls: readonly (string | undefined)[]): readonly ProviderInfo[] {
    const providers: ProviderInfo[] = [];
    for (const url of urls) {
      if (url === undefined) continue;
      try {
        const parsed = parseRegistryUrl(url);
        // Other protocols (dubbo://, rest://) may share a Dubbo root; this client cannot call them.
        if (parsed.protocol !== 'courier' || parsed.service !== service) continue;
        providers.push(toProviderInfo(url));
      } catch (error) {
        this.logger.debug(`Ignoring provider node '${url}' of ${service}: ${describe(error)}`);
      }
    }
    return Object.freeze(providers);
  }

  private emit(subscription: Subscription, providers: readonly ProviderInfo[], source: 'zookeeper' | 'cache'): void {
    subscription.providers = providers;
    subscription.source = source;
    for (const listener of [...subscription.listeners]) this.deliver(listener, providers);
  }

  private deliver(listener: ProviderListener, providers: readonly ProviderInfo[]): void {
    try {
      listener(providers);
    } catch (error) {
      this.logger.error('A provider listener threw; ignoring it', error);
    }
  }

  private assertOpen(operation: string): void {
    if (this.closing !== undefined) {
      throw new RpcError('REGISTRY_ERROR', `Cannot ${operation}: registry ${this.config.displayUrl} is closed`);
    }
  }
}

function safeDecode(nodeName: string): string | undefined {
  try {
    return decodeNodeName(nodeName);
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
