import type { Registry, ServiceRegistration } from '../../../src/common/registry';
import { SILENT_LOGGER } from '../../../src/common/logger';
import { RpcError } from '../../../src/errors/rpc-error';
import type { RpcClient } from '../../../src/rpc/rpc-client';
import type { RpcServer } from '../../../src/rpc/rpc-server';
import { shutdown, type ShutdownParts } from '../../../src/application/application-shutdown';

function registration(service: string): ServiceRegistration {
  return { side: 'provider', protocol: 'courier', host: '127.0.0.1', port: 1, service, parameters: {} };
}

/** Fakes that write every step into one journal, so the order is the assertion. */
function parts(journal: string[], fail: ReadonlySet<string> = new Set()): ShutdownParts {
  const act = (name: string) => async () => {
    journal.push(name);
    if (fail.has(name)) throw new Error(`${name} broke`);
  };
  const registry = {
    url: 'memory://fake',
    unregister: async (r: ServiceRegistration) => act(`unregister ${r.service}`)(),
    close: act('registry.close'),
  } as unknown as Registry;
  const server = {
    stop: async (options: { drainTimeoutMs?: number }) => act(`server.stop ${options.drainTimeoutMs}`)(),
  } as unknown as RpcServer;
  const client = { close: act('client.close') } as unknown as RpcClient;
  return {
    registrations: [registration('a.A'), registration('b.B')],
    registry,
    server,
    client,
    drainTimeoutMs: 1234,
    logger: SILENT_LOGGER,
  };
}

describe('shutdown', () => {
  it('unpublishes first, then drains the server, closes the client, then the registry', async () => {
    const journal: string[] = [];
    await shutdown(parts(journal));
    expect(journal).toEqual(['unregister a.A', 'unregister b.B', 'server.stop 1234', 'client.close', 'registry.close']);
  });

  it('runs every step even when one fails, then throws one error naming the failures', async () => {
    const journal: string[] = [];
    const stopping = shutdown(parts(journal, new Set(['unregister a.A', 'client.close'])));
    await expect(stopping).rejects.toThrow(RpcError);
    await expect(stopping).rejects.toThrow('Stopped with 2 error(s): unregister a.A broke; client.close broke');
    expect(journal).toEqual(['unregister a.A', 'unregister b.B', 'server.stop 1234', 'client.close', 'registry.close']);
  });

  it('stops only what exists (a pure consumer has no server, a direct setup no registry)', async () => {
    const journal: string[] = [];
    await shutdown({ ...parts(journal), server: undefined, registry: undefined });
    expect(journal).toEqual(['client.close']);
  });
});
