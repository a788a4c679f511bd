import type { ZookeeperServer } from '../support/zookeeper';
import { ZK_ENV } from '../support/zookeeper';

/** Stops the ZooKeeper global-setup.ts started (by pid, through the script), and only that one. */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { __COURIER_ZK_SERVER__?: ZookeeperServer };
  const server = holder.__COURIER_ZK_SERVER__;
  if (server === undefined) return;
  delete holder.__COURIER_ZK_SERVER__;
  delete process.env[ZK_ENV];
  await server.stop();
}
