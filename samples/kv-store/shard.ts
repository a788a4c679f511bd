/** One shard process: scans services/, listens on a free port, prints {"port": N}. */
import { ServiceScan, bootstrap } from '../../src/index';

@ServiceScan(['services/**/*.service.{ts,js}'])
class KvShard {}

bootstrap(KvShard, { port: 0, handleSignals: true }).then(
  (app) => console.log(JSON.stringify({ port: app.server!.address.port })),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
