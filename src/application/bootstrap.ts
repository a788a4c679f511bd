import '../../registry'; // registers memory://, courier:// and zookeeper:// with createRegistry()
import { createConsoleLogger } from '../common/logger';
import type { Registry, ServiceRegistration } from '../common/registry';
import { createRegistry } from '../common/registry-factory';
import { RpcError } from '../errors/rpc-error';
import { RpcClient } from '../rpc/rpc-client';
import { RpcServer } from '../rpc/rpc-server';
import { providerRegistration } from '../../registry/provider-url';
import { readServiceScanMetadata } from '../../decorators/metadata-reader';
import { inject } from '../../decorators/reference-injector';
import type { ServiceDefinition } from '../../decorators/service-definition';
import { scanApplication } from '../../decorators/service-scanner';
import { advertisedHost } from './advertised-host';
import { Application, type ApplicationService } from './application';
import {
  DEFAULT_APPLICATION_OPTIONS,
  type ApplicationOptions,
  type ResolvedApplicationOptions,
} from './application-options';
import { shutdown } from './application-shutdown';
import { handleStopSignals } from './signal-handler';

/**
 * Starts an application from its entry class. With `@ServiceScan` on the class: scan → instantiate each
 * `@Service` class (no-argument constructor, `@Reference` properties injected from the application's client) →
 * export them and listen → publish each to the registry. Without `@ServiceScan` the application is a pure
 * consumer: a client (and registry session), no server. If any step fails, what was started is stopped again
 * and the error is thrown.
 *
 * @example
 * @ServiceScan()
 * class ProviderApp {}
 * const app = await bootstrap(ProviderApp, { registry: 'zookeeper://127.0.0.1:2181', port: 20880, handleSignals: true });
 *
 * class ConsumerApp {}
 * const consumer = await bootstrap(ConsumerApp, { registry: 'zookeeper://127.0.0.1:2181' });
 */
export async function bootstrap(entry: Function, options: ApplicationOptions = {}): Promise<Application> {
  const opts: ResolvedApplicationOptions = {
    ...DEFAULT_APPLICATION_OPTIONS,
    application: entry.name || 'courier-app',
    logger: options.logger ?? createConsoleLogger('application'),
    ...definedOnly(options),
  };
  const { logger } = opts;
  const definitions =
    readServiceScanMetadata(entry) === undefined
      ? undefined
      : scanApplication(entry, { logger, ...(opts.typescript === undefined ? {} : { typescript: opts.typescript }) })
          .services;

  const registry =
    opts.registry === undefined ? undefined : createRegistry(opts.registry, { logger, application: opts.application });
  const client = new RpcClient({
    ...opts.client,
    application: opts.application,
    logger,
    ...(registry === undefined ? {} : { registry }),
  });
  let server: RpcServer | undefined;
  const registrations: ServiceRegistration[] = [];
  try {
    const services: ApplicationService[] = [];
    if (definitions !== undefined) {
      const instances = definitions.map((definition) => instantiate(definition, client));
      server = new RpcServer({
        host: opts.host,
        port: opts.port,
        drainTimeoutMs: opts.drainTimeoutMs,
        maxFrameSize: opts.maxFrameSize,
        logger,
      });
      for (const [index, definition] of definitions.entries()) {
        server.export(instances[index]!, {
          interface: definition.interface,
          version: definition.version,
          group: definition.group,
          ...(Object.keys(definition.parameterTypes).length > 0 ? { parameterTypes: definition.parameterTypes } : {}),
          ...(definition.dedup === undefined ? {} : { dedup: definition.dedup }),
        });
      }
      await server.start();
      const host = opts.advertiseHost ?? advertisedHost(server.address.host);
      for (const [index, definition] of definitions.entries()) {
        const registration =
          registry === undefined ? undefined : await publish(registry, definition, server, host, opts.application);
        if (registration !== undefined) registrations.push(registration);
        services.push({ definition, instance: instances[index]!, registration });
      }
      logger.info(
        `${opts.application} serves ${definitions.map((d) => d.key).join(', ')} on ${host}:${server.address.port}` +
          (registry === undefined ? ' (no registry: consumers need a direct url)' : ` via ${registry.url}`),
      );
    }
    const application = new Application({
      name: opts.application,
      server,
      client,
      registry,
      services,
      drainTimeoutMs: opts.drainTimeoutMs,
      logger,
      defaultClient: opts.defaultClient,
    });
    if (opts.handleSignals) application.onStop(handleStopSignals(() => application.stop(), logger));
    return application;
  } catch (error) {
    await shutdown({ registrations, registry, server, client, drainTimeoutMs: opts.drainTimeoutMs, logger }).catch(
      (rollback: unknown) => logger.warn('Rolling back a failed start', rollback),
    );
    throw error;
  }
}

function instantiate(definition: ServiceDefinition, client: RpcClient): object {
  let instance: object;
  try {
    instance = new definition.implementation();
  } catch (error) {
    throw new RpcError(
      'CONFIG_ERROR',
      `Cannot instantiate @Service ${definition.className} (${definition.file ?? 'file unknown'}) with no ` +
        `arguments: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return inject(instance, client);
}

async function publish(
  registry: Registry,
  definition: ServiceDefinition,
  server: RpcServer,
  host: string,
  application: string,
): Promise<ServiceRegistration> {
  const exported = server.exportedServices.find(
    (s) => s.service === definition.interface && s.group === definition.group && s.version === definition.version,
  );
  const registration = providerRegistration({
    host,
    port: server.address.port,
    service: definition.interface,
    application,
    group: definition.group,
    version: definition.version,
    methods: exported?.methods ?? definition.methods,
    weight: definition.weight,
    serialization: definition.serialization,
    parameters: { ...providerParameters(definition), ...definition.parameters },
  });
  try {
    await registry.register(registration);
  } catch (error) {
    throw RpcError.is(error, 'REGISTRY_ERROR')
      ? error
      : new RpcError('REGISTRY_ERROR', `Cannot publish ${definition.key} to ${registry.url}`, { cause: error });
  }
  return registration;
}

/** The `@Service` options a consumer or an operator may want to read in the provider URL. */
function providerParameters(definition: ServiceDefinition): Record<string, string> {
  const parameters: Record<string, string> = { interface: definition.interface, side: 'provider' };
  if (definition.timeout !== undefined) parameters['timeout'] = String(definition.timeout);
  if (definition.warmup !== undefined) parameters['warmup'] = String(definition.warmup);
  if (definition.dedup !== undefined) parameters['dedup'] = String(definition.dedup);
  if (definition.idempotentMethods.length > 0) parameters['idempotent'] = definition.idempotentMethods.join(',');
  return parameters;
}

/** Drops keys whose value is undefined, so `{ port: undefined }` keeps the default. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
