/**
 * One provider process: scans services/, listens, registers in ZooKeeper; SIGTERM stops it gracefully
 * (unregister first, then drain in-flight calls).
 * Run: PROVIDER_NAME=a npx tsx samples/multi-provider/provider.ts zookeeper://127.0.0.1:2181 [port]
 */
import { ServiceScan, bootstrap } from '../../src/index';

@ServiceScan(['services/**/*.service.{ts,js}'])
class GreeterProvider {}

async function main(): Promise<void> {
  const registry = process.argv[2] ?? 'zookeeper://127.0.0.1:2181';
  const app = await bootstrap(GreeterProvider, {
    registry,
    port: Number(process.argv[3] ?? 0),
    handleSignals: true,
    application: 'greeter-provider',
  });
  console.log(JSON.stringify({ name: process.env['PROVIDER_NAME'], port: app.server!.address.port, pid: process.pid }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
