/**
 * The hello provider: @ServiceScan finds services/*.service.ts below this file, bootstrap listens and serves.
 * Run: npx tsx samples/hello/provider.ts [port]   (Ctrl-C stops it gracefully)
 */
import { ServiceScan, bootstrap } from '../../src/index';

@ServiceScan(['services/**/*.service.{ts,js}'])
class HelloProvider {}

async function main(): Promise<void> {
  const app = await bootstrap(HelloProvider, { port: Number(process.argv[2] ?? 20880), handleSignals: true });
  const { port } = app.server!.address;
  console.log(JSON.stringify({ port, services: app.server!.exportedServices.map((s) => `${s.service}:${s.version}`) }));
  console.error(`hello provider listening on 127.0.0.1:${port}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
