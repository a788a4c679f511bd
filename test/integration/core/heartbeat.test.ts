import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';

import { RpcClient, RpcServer } from '../../../src/index';
import { ConnectionState } from '../../../src/transport/connection-state';
import { ClientConnection, DEFAULT_CLIENT_CONNECTION_OPTIONS } from '../../../src/transport/client-connection';
import { SILENT_LOGGER } from '../../../src/common/logger';

class Echo {
  echo(value: string): string {
    return value;
  }
}

function waitForState(connection: ClientConnection, state: ConnectionState, withinMs: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${state} within ${withinMs} ms`)), withinMs);
    const listener = (next: ConnectionState) => {
      if (next !== state) return;
      clearTimeout(timer);
      connection.off('state', listener);
      resolve(Date.now() - started);
    };
    connection.on('state', listener);
  });
}

describe('heartbeats and idle connections', () => {
  it('keeps an idle connection alive past the server idle limit thanks to pings', async () => {
    const server = new RpcServer({ port: 0, idleTimeoutMs: 600, logger: SILENT_LOGGER });
    server.export(new Echo(), { interface: 'Echo' });
    await server.start();
    const client = new RpcClient({ logger: SILENT_LOGGER, connection: { heartbeatIntervalMs: 150 } });
    try {
      const echo = client.reference<Echo>('Echo', { url: `courier://127.0.0.1:${server.address.port}` });
      await expect(echo.echo('a')).resolves.toBe('a');
      await new Promise((resolve) => setTimeout(resolve, 1500)); // idle on purpose: longer than the server's limit
      expect(server.connectionCount).toBe(1);
      await expect(echo.echo('b')).resolves.toBe('b');
    } finally {
      await client.close();
      await server.stop();
    }
  });

  it('lets the server close a connection that stays silent', async () => {
    const server = new RpcServer({ port: 0, idleTimeoutMs: 300, logger: SILENT_LOGGER });
    server.export(new Echo(), { interface: 'Echo' });
    await server.start();
    const connection = new ClientConnection('127.0.0.1', server.address.port, {
      ...DEFAULT_CLIENT_CONNECTION_OPTIONS,
      heartbeatIntervalMs: 0,
      logger: SILENT_LOGGER,
    });
    try {
      await connection.whenReady();
      await waitForState(connection, ConnectionState.CLOSED, 3000);
    } finally {
      connection.close();
      await server.stop();
    }
  });

  it('closes a connection whose peer stops answering pings, rejecting its pending calls', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket)); // accepts, reads, never answers
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const port = (silent.address() as { port: number }).port;
    const client = new RpcClient({
      logger: SILENT_LOGGER,
      connection: { heartbeatIntervalMs: 100, heartbeatMisses: 3 },
    });
    try {
      const echo = client.reference<Echo>('Echo', {
        url: `courier://127.0.0.1:${port}`,
        timeout: 10_000,
        cluster: 'failfast',
      });
      const started = Date.now();
      await expect(echo.echo('lost')).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await client.close();
      sockets.forEach((s) => s.destroy());
      silent.close();
    }
  });
});
