import { networkInterfaces } from 'node:os';

import { CallStats } from '../cluster/call-stats';
import type { AttemptCallbacks } from '../cluster/cluster';
import { OutlierDetector } from '../cluster/outlier-detector';
import { createConsoleLogger, type Logger } from '../common/logger';
import type { ProviderInfo } from '../common/provider-info';
import type { Registry, ServiceRegistration } from '../common/registry';
import { createRegistry } from '../common/registry-factory';
import { serviceNameOf, type ServiceToken } from '../common/service-name';
import { RpcError } from '../errors/rpc-error';
import { ConnectionPool } from '../transport/connection-pool';
import { ConnectionState } from '../transport/connection-state';
import type { ClientConnectionOptions } from '../transport/client-connection';
import { getSerializerByName } from '../serialization/serializer-registry';
import { Reference } from './reference';
import type { Invocation } from './invocation';
import { createReferenceProxy } from './reference-proxy';
import { DEFAULT_REFERENCE_OPTIONS, type ReferenceOptions } from './reference-options';

export interface RpcClientOptions {
  /** Where providers are found: 'zookeeper://127.0.0.1:2181', 'memory://', or a Registry. Optional when every reference has a `url`. */
  registry?: string | Registry;
  /** Published in consumer URLs. */
  application: string;
  logger: Logger;
  /** Defaults for every reference of this client. */
  timeout: number;
  retries: number;
  loadbalance: string;
  cluster: string;
  serialization: string;
  /** Publish a consumer node per reference (Dubbo's `consumers/`), when the registry is not direct. */
  registerConsumers: boolean;
  /** Connection tuning: heartbeat, connect timeout, back-off, frame size. */
  connection: Partial<Omit<ClientConnectionOptions, 'logger'>>;
}

export const DEFAULT_CLIENT_OPTIONS: Omit<RpcClientOptions, 'logger' | 'registry'> = {
  application: 'courier-app',
  timeout: DEFAULT_REFERENCE_OPTIONS.timeout,
  retries: DEFAULT_REFERENCE_OPTIONS.retries,
  loadbalance: DEFAULT_REFERENCE_OPTIONS.loadbalance,
  cluster: DEFAULT_REFERENCE_OPTIONS.cluster,
  serialization: DEFAULT_REFERENCE_OPTIONS.serialization,
  registerConsumers: true,
  connection: {},
};

/**
 * The consumer side: hands out typed references whose calls travel to providers found in a registry
 * (or named directly), balanced and retried per the reference's options. One connection per provider address
 * is shared by every reference of the client.
 *
 * @example
 * const client = new RpcClient({ registry: 'zookeeper://127.0.0.1:2181' });
 * const users = client.reference<UserService>('com.acme.UserService', { version: '1.0.0' });
 * await users.getUser(42);
 */
export class RpcClient {
  readonly options: Readonly<Omit<RpcClientOptions, 'registry'>>;
  private readonly pool: ConnectionPool;
  private readonly references = new Set<Reference>();
  private readonly registries = new Map<string, Registry>();
  private readonly sharedRegistry: Registry | undefined;
  private readonly stats = new CallStats();
  private readonly outlierDetector = new OutlierDetector();
  private readonly invokeProviderBound = (
    provider: ProviderInfo,
    invocation: Invocation,
    callbacks: AttemptCallbacks,
  ) => this.invokeProvider(provider, invocation, callbacks);
  private closed: Promise<void> | undefined;

  constructor(options: Partial<RpcClientOptions> = {}) {
    const { registry, ...rest } = options;
    this.options = { ...DEFAULT_CLIENT_OPTIONS, logger: createConsoleLogger('client'), ...rest };
    this.pool = new ConnectionPool({ ...this.options.connection, logger: this.options.logger });
    this.pool.on('state', (address: string, state: ConnectionState) => this.onConnectionState(address, state));
    if (registry !== undefined) {
      this.sharedRegistry = typeof registry === 'string' ? this.registryFor(registry) : registry;
    }
  }

  /** The client's registry, if it has one (references with a `url` use their own). */
  get registry(): Registry | undefined {
    return this.sharedRegistry;
  }

  /**
   * A proxy of the remote service: every method returns a Promise of the remote result.
   * `options.url` names providers directly; otherwise the client's registry is used.
   */
  reference<T>(token: ServiceToken, options: ReferenceOptions = {}): T {
    if (this.closed !== undefined) throw new RpcError('CLIENT_CLOSED', 'This RpcClient is closed');
    const service = serviceNameOf(token);
    const merged: ReferenceOptions = {
      timeout: this.options.timeout,
      retries: this.options.retries,
      loadbalance: this.options.loadbalance,
      cluster: this.options.cluster,
      serialization: this.options.serialization,
      ...options,
    };
    getSerializerByName(merged.serialization ?? DEFAULT_REFERENCE_OPTIONS.serialization); // fail fast on a bad name
    const registry = options.url !== undefined ? this.registryFor(options.url) : this.sharedRegistry;
    if (registry === undefined) {
      throw new RpcError(
        'CONFIG_ERROR',
        `No way to find providers of ${service}: give the RpcClient a registry or the reference a url ('courier://host:port')`,
      );
    }
    const reference = new Reference(service, merged, registry, {
      logger: this.options.logger,
      invokeProvider: this.invokeProviderBound,
      stats: this.stats,
      outlierDetector: this.outlierDetector,
    });
    this.references.add(reference);
    if (this.options.registerConsumers && options.url === undefined)
      void this.registerConsumer(registry, service, merged);
    return createReferenceProxy<T>(service, (method, args) => reference.call(method, args));
  }

  /** Rejects every pending call (CLIENT_CLOSED), closes sockets, releases registries. Idempotent. */
  close(): Promise<void> {
    this.closed ??= this.doClose();
    return this.closed;
  }

  private async doClose(): Promise<void> {
    for (const reference of this.references) reference.close();
    this.references.clear();
    this.pool.close();
    await Promise.allSettled(
      [...this.registries.values()].map((registry) =>
        registry.close().catch((error: Error) => this.options.logger.warn(`Closing registry: ${error.message}`)),
      ),
    );
    this.registries.clear();
  }

  /**
   * One attempt of one call on one provider: encode, send on the shared connection, decode. The connection checks
   * the deadline (it also counts the time spent connecting).
   */
  private invokeProvider(provider: ProviderInfo, invocation: Invocation, callbacks: AttemptCallbacks): void {
    const { serializer, declared } = invocation;
    let args: Buffer;
    try {
      args = serializer.encodeArguments(invocation.args, declared.parameterTypes, declared.label);
    } catch (error) {
      callbacks.failed(error);
      return;
    }
    const connection = this.pool.get(provider.host, provider.port, provider.address);
    connection.request(invocation, args, callbacks);
  }

  private onConnectionState(address: string, state: ConnectionState): void {
    const down = state === ConnectionState.CLOSED || state === ConnectionState.DRAINING;
    // IDLE: background reconnects gave up; the address is no longer known down, the outlier detector takes over.
    const up = state === ConnectionState.READY || state === ConnectionState.IDLE;
    if (!down && !up) return;
    for (const reference of this.references) {
      if (down) reference.markUnavailable(address);
      else reference.markAvailable(address);
    }
  }

  private registryFor(url: string): Registry {
    let registry = this.registries.get(url);
    if (registry === undefined) {
      registry = createRegistry(url, { logger: this.options.logger, application: this.options.application });
      this.registries.set(url, registry);
    }
    return registry;
  }

  private async registerConsumer(registry: Registry, service: string, options: ReferenceOptions): Promise<void> {
    const registration: ServiceRegistration = {
      side: 'consumer',
      protocol: 'consumer',
      host: localAddress(),
      port: 0,
      service,
      parameters: {
        application: this.options.application,
        category: 'consumers',
        check: 'false',
        group: options.group ?? '',
        interface: service,
        pid: String(process.pid),
        side: 'consumer',
        timestamp: String(Date.now()),
        version: options.version ?? '',
      },
    };
    try {
      await registry.register(registration);
    } catch (error) {
      this.options.logger.warn(`Could not publish the consumer of ${service}: ${(error as Error).message}`);
    }
  }
}

/** This host's first non-internal IPv4 address, for the consumer URL only (never connected to). */
function localAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return '127.0.0.1';
}
