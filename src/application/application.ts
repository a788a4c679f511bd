import type { Logger } from '../common/logger';
import type { Registry, ServiceRegistration } from '../common/registry';
import type { RpcClient } from '../rpc/rpc-client';
import type { RpcServer } from '../rpc/rpc-server';
import { getDefaultClient, setDefaultClient } from '../../decorators/default-client';
import type { ServiceDefinition } from '../../decorators/service-definition';
import { shutdown } from './application-shutdown';

/** One `@Service` class as the application runs it. */
export interface ApplicationService {
  readonly definition: ServiceDefinition;
  readonly instance: object;
  /** What was published for it; undefined when the application has no registry. */
  readonly registration: ServiceRegistration | undefined;
}

export type ApplicationState = 'RUNNING' | 'STOPPING' | 'STOPPED';

/** What bootstrap() hands to the application it started. */
export interface ApplicationParts {
  readonly name: string;
  readonly server: RpcServer | undefined;
  readonly client: RpcClient;
  readonly registry: Registry | undefined;
  readonly services: readonly ApplicationService[];
  readonly drainTimeoutMs: number;
  readonly logger: Logger;
  /** Whether this application's client is offered as the default `@Reference` client. */
  readonly defaultClient: boolean;
}

/** Clients of the running applications that offered theirs as default, oldest first. */
const defaultCandidates: RpcClient[] = [];

/**
 * A started application: its server (absent for a pure consumer), its client, its registry session and its
 * services. Made by bootstrap().
 *
 * @example
 * const app = await bootstrap(ProviderApp, { registry: 'zookeeper://127.0.0.1:2181', port: 0 });
 * console.log(app.server?.address.port, app.services.map((s) => s.definition.key));
 * await app.stop();
 */
export class Application {
  readonly name: string;
  readonly server: RpcServer | undefined;
  readonly client: RpcClient;
  readonly registry: Registry | undefined;
  readonly services: readonly ApplicationService[];
  private readonly parts: ApplicationParts;
  private stopping: Promise<void> | undefined;
  private stopped = false;
  private readonly beforeStop: Array<() => void> = [];

  constructor(parts: ApplicationParts) {
    this.parts = parts;
    this.name = parts.name;
    this.server = parts.server;
    this.client = parts.client;
    this.registry = parts.registry;
    this.services = Object.freeze([...parts.services]);
    // The most recently started application's client is the default; a stop hands it back to the previous one.
    if (parts.defaultClient) {
      defaultCandidates.push(parts.client);
      setDefaultClient(parts.client);
    }
  }

  get state(): ApplicationState {
    return this.stopping === undefined ? 'RUNNING' : this.stopped ? 'STOPPED' : 'STOPPING';
  }

  /** Runs `hook` once, first thing when the application stops (bootstrap removes its signal handlers so). */
  onStop(hook: () => void): void {
    this.beforeStop.push(hook);
  }

  /**
   * Unpublish → server stop (GOAWAY, refuse new calls, drain in-flight ones) → client close → registry close.
   * Idempotent: every call returns the same promise.
   */
  stop(): Promise<void> {
    // Assigned before any stop work runs, so a hook that calls stop() again gets this same promise.
    this.stopping ??= Promise.resolve().then(() => this.doStop());
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    for (const hook of this.beforeStop.splice(0)) hook();
    this.releaseDefaultClient();
    const { logger } = this.parts;
    logger.info(`Stopping ${this.name}`);
    try {
      await shutdown({
        registrations: this.services.flatMap((s) => (s.registration === undefined ? [] : [s.registration])),
        registry: this.registry,
        server: this.server,
        client: this.client,
        drainTimeoutMs: this.parts.drainTimeoutMs,
        logger,
      });
    } finally {
      this.stopped = true;
    }
    logger.info(`Stopped ${this.name}`);
  }

  private releaseDefaultClient(): void {
    const index = defaultCandidates.indexOf(this.client);
    if (index === -1) return;
    defaultCandidates.splice(index, 1);
    if (getDefaultClient() === this.client) setDefaultClient(defaultCandidates.at(-1));
  }
}
