import { createConsoleLogger, type Logger } from '../src/common/logger';
import type { ProviderInfo } from '../src/common/provider-info';
import type { ProviderListener, Registry, RegistryOptions, ServiceRegistration } from '../src/common/registry';
import { RpcError } from '../src/errors/rpc-error';
import { formatRegistryUrl, toProviderInfo } from './provider-url';

/**
 * One named in-process "ZooKeeper": every MemoryRegistry created with `memory://<name>` in this process shares it.
 * Ref-counted so that a finished test leaves nothing behind for the next one.
 */
class MemoryStore {
  /** service → provider URL → provider. */
  readonly providers = new Map<string, Map<string, ProviderInfo>>();
  /** service → consumer URLs (kept for inspection; nobody subscribes to consumers). */
  readonly consumers = new Map<string, Set<string>>();
  readonly listeners = new Map<string, Set<ProviderListener>>();
  private readonly pendingNotifications = new Set<string>();
  references = 0;

  constructor(private readonly logger: Logger) {}

  list(service: string): readonly ProviderInfo[] {
    return Object.freeze([...(this.providers.get(service)?.values() ?? [])]);
  }

  /** Coalesces the changes of one tick into one notification per service, delivered on the next macrotask. */
  scheduleNotify(service: string): void {
    if (this.pendingNotifications.has(service)) return;
    this.pendingNotifications.add(service);
    setImmediate(() => {
      this.pendingNotifications.delete(service);
      const list = this.list(service);
      for (const listener of [...(this.listeners.get(service) ?? [])]) deliver(listener, list, this.logger);
    });
  }
}

function deliver(listener: ProviderListener, list: readonly ProviderInfo[], logger: Logger): void {
  try {
    listener(list);
  } catch (error) {
    logger.error('A provider listener threw; ignoring it', error);
  }
}

const stores = new Map<string, MemoryStore>();

/** The store name of a `memory://` URL: its authority and path ('memory://' alone is 'default'). */
export function memoryStoreName(url: string): string {
  const name = url
    .replace(/^memory:\/\//i, '')
    .replace(/[?#].*$/, '')
    .replace(/\/+$/, '');
  return name === '' ? 'default' : name;
}

/**
 * The in-process registry (`memory://default`, `memory://tests-1`, ...): for tests and single-process use.
 * Registries with the same name share their providers; listeners are told asynchronously, on the next macrotask.
 * subscribe() resolves after the listener has received the current list.
 *
 * @example
 * const registry = createRegistry('memory://default');
 * await registry.subscribe('com.acme.UserService', (providers) => console.log(providers.length));
 */
export class MemoryRegistry implements Registry {
  readonly url: string;
  private readonly name: string;
  private readonly store: MemoryStore;
  private readonly logger: Logger;
  private readonly registered = new Map<string, ServiceRegistration>();
  private readonly subscriptions = new Map<string, Set<ProviderListener>>();
  private closed = false;

  constructor(url: string, options: RegistryOptions = {}) {
    this.url = url;
    this.name = memoryStoreName(url);
    this.logger = options.logger ?? createConsoleLogger('registry');
    let store = stores.get(this.name);
    if (store === undefined) {
      store = new MemoryStore(this.logger);
      stores.set(this.name, store);
    }
    store.references += 1;
    this.store = store;
  }

  async register(registration: ServiceRegistration): Promise<void> {
    this.assertOpen('register');
    const url = formatRegistryUrl(registration);
    this.registered.set(url, registration);
    if (registration.side === 'consumer') {
      getOrCreate(this.store.consumers, registration.service, () => new Set<string>()).add(url);
      return;
    }
    getOrCreate(this.store.providers, registration.service, () => new Map<string, ProviderInfo>()).set(
      url,
      toProviderInfo(url),
    );
    this.store.scheduleNotify(registration.service);
  }

  async unregister(registration: ServiceRegistration): Promise<void> {
    this.assertOpen('unregister');
    this.remove(formatRegistryUrl(registration), registration);
  }

  async subscribe(service: string, listener: ProviderListener): Promise<void> {
    this.assertOpen('subscribe');
    getOrCreate(this.subscriptions, service, () => new Set()).add(listener);
    getOrCreate(this.store.listeners, service, () => new Set()).add(listener);
    // The first list is delivered like every later one (asynchronously), and subscribe() waits for it.
    await new Promise<void>((resolve) =>
      setImmediate(() => {
        if (this.subscriptions.get(service)?.has(listener) === true) {
          deliver(listener, this.store.list(service), this.logger);
        }
        resolve();
      }),
    );
  }

  async unsubscribe(service: string, listener: ProviderListener): Promise<void> {
    this.subscriptions.get(service)?.delete(listener);
    this.store.listeners.get(service)?.delete(listener);
  }

  /** Unregisters what this instance registered and drops its listeners; the store goes with its last registry. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const [url, registration] of [...this.registered]) this.remove(url, registration);
    for (const [service, listeners] of this.subscriptions) {
      for (const listener of listeners) this.store.listeners.get(service)?.delete(listener);
    }
    this.subscriptions.clear();
    this.store.references -= 1;
    if (this.store.references === 0 && stores.get(this.name) === this.store) stores.delete(this.name);
  }

  private remove(url: string, registration: ServiceRegistration): void {
    this.registered.delete(url);
    if (registration.side === 'consumer') {
      this.store.consumers.get(registration.service)?.delete(url);
      return;
    }
    if (this.store.providers.get(registration.service)?.delete(url) === true) {
      this.store.scheduleNotify(registration.service);
    }
  }

  private assertOpen(operation: string): void {
    if (this.closed) throw new RpcError('REGISTRY_ERROR', `Cannot ${operation}: registry ${this.url} is closed`);
  }
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}
