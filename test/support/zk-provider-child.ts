/**
 * A provider process for integration tests: registers one provider in ZooKeeper, prints `{"sessionId": …}`,
 * then either waits to be killed (mode 'hang') or closes its registry and must exit on its own (mode 'close').
 * Usage: node --import tsx zk-provider-child.ts <zookeeper url> <service> <port> <hang|close>
 */
import { SILENT_LOGGER } from '../../src/common/logger';
import { providerRegistration } from '../../registry/provider-url';
import { ZookeeperRegistry } from '../../registry/zookeeper-registry';

async function main(): Promise<void> {
  const [url, service, port, mode] = process.argv.slice(2);
  if (url === undefined || service === undefined || port === undefined)
    throw new Error('usage: <url> <service> <port> <mode>');
  const registry = new ZookeeperRegistry(url, { logger: SILENT_LOGGER, cacheFile: '' });
  await registry.whenConnected(10_000);
  await registry.register(providerRegistration({ host: '127.0.0.1', port: Number(port), service }));
  process.stdout.write(`${JSON.stringify({ sessionId: registry.sessionId })}\n`);
  if (mode === 'close') await registry.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
