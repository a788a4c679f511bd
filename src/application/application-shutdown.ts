import type { Logger } from '../common/logger';
import type { Registry, ServiceRegistration } from '../common/registry';
import { RpcError } from '../errors/rpc-error';
import type { RpcClient } from '../rpc/rpc-client';
import type { RpcServer } from '../rpc/rpc-server';

/** Whatever part of an application exists: a stop, or the rollback of a start that failed half-way. */
export interface ShutdownParts {
  readonly registrations: readonly ServiceRegistration[];
  readonly registry: Registry | undefined;
  readonly server: RpcServer | undefined;
  readonly client: RpcClient | undefined;
  readonly drainTimeoutMs: number;
  readonly logger: Logger;
}

/**
 * Stops in the order that loses no call: unpublish first (consumers stop choosing this provider), then the
 * server (GOAWAY, refuse new calls, drain in-flight ones within `drainTimeoutMs`), then the client, then the
 * registry session. Every step runs even when an earlier one failed; failures are logged and thrown together
 * at the end as one RpcError.
 */
export async function shutdown(parts: ShutdownParts): Promise<void> {
  const { registry, server, client, logger } = parts;
  const failures: unknown[] = [];
  const step = async (what: string, run: () => Promise<unknown>): Promise<void> => {
    try {
      await run();
    } catch (error) {
      failures.push(error);
      logger.warn(`Stopping: ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  if (registry !== undefined) {
    for (const registration of parts.registrations) {
      await step(`unregistering ${registration.service}`, () => registry.unregister(registration));
    }
  }
  if (server !== undefined)
    await step('stopping the server', () => server.stop({ drainTimeoutMs: parts.drainTimeoutMs }));
  if (client !== undefined) await step('closing the client', () => client.close());
  if (registry !== undefined) await step(`closing the registry ${registry.url}`, () => registry.close());
  if (failures.length > 0) {
    const reasons = failures.map((f) => (f instanceof Error ? f.message : String(f))).join('; ');
    throw new RpcError('INTERNAL', `Stopped with ${failures.length} error(s): ${reasons}`, {
      cause: new AggregateError(failures),
    });
  }
}
