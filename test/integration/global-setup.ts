import { ZK_ENV, ZookeeperServer } from '../support/zookeeper';

/**
 * Gives the integration tests a ZooKeeper: the one named by COURIER_ZK (e.g. 127.0.0.1:2181) when set, otherwise
 * a throwaway standalone server started here and stopped by global-teardown.ts.
 */
export default async function globalSetup(): Promise<void> {
  const named = process.env[ZK_ENV];
  if (named !== undefined && named !== '') return;
  const server = await ZookeeperServer.start();
  (globalThis as { __COURIER_ZK_SERVER__?: ZookeeperServer }).__COURIER_ZK_SERVER__ = server;
  // Jest starts its workers after global setup, so they inherit this.
  process.env[ZK_ENV] = server.connectString;
}
