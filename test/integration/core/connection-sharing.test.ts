import { RpcClient, RpcServer } from '../../../src/index';
import { SILENT_LOGGER } from '../../../src/common/logger';

class Echo {
  echo(value: number): number {
    return value;
  }
}
class Clock {
  now(): Date {
    return new Date();
  }
}

describe('one multiplexed connection per provider address', () => {
  it('serves 200 racing first calls from two references over a single connect', async () => {
    const server = new RpcServer({ port: 0, logger: SILENT_LOGGER });
    server.export(new Echo(), { interface: 'Echo' });
    server.export(new Clock(), { interface: 'Clock' });
    await server.start();
    const client = new RpcClient({ logger: SILENT_LOGGER });
    try {
      const url = `courier://127.0.0.1:${server.address.port}`;
      const echo = client.reference<Echo>('Echo', { url });
      const clock = client.reference<Clock>('Clock', { url });
      const results = await Promise.all([
        ...Array.from({ length: 100 }, (_, i) => echo.echo(i)),
        ...Array.from({ length: 100 }, () => clock.now()),
      ]);
      expect(results.slice(0, 100)).toEqual(Array.from({ length: 100 }, (_, i) => i));
      expect(results.slice(100).every((d) => d instanceof Date)).toBe(true);
      expect(server.connectionCount).toBe(1);
    } finally {
      await client.close();
      await server.stop();
    }
  });

  it('rejects what is pending with CLIENT_CLOSED when the client closes', async () => {
    const server = new RpcServer({ port: 0, logger: SILENT_LOGGER });
    server.export({ wait: () => new Promise(() => {}) }, { interface: 'Slow' });
    await server.start();
    const client = new RpcClient({ logger: SILENT_LOGGER });
    try {
      const slow = client.reference<{ wait(): Promise<void> }>('Slow', {
        url: `courier://127.0.0.1:${server.address.port}`,
        timeout: 10_000,
      });
      const pending = slow.wait().catch((e: unknown) => e);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await client.close();
      await expect(pending).resolves.toMatchObject({ code: 'CLIENT_CLOSED' });
    } finally {
      await server.stop({ drainTimeoutMs: 100 });
    }
  });
});
