import type * as Zookeeper from 'node-zookeeper-client';

let library: typeof Zookeeper | undefined;

/**
 * node-zookeeper-client, loaded on first use: a process that never names a `zookeeper://` registry (direct URLs,
 * `memory://`) never loads it, and starts with a smaller heap.
 */
export function zookeeperLibrary(): typeof Zookeeper {
  library ??= require('node-zookeeper-client') as typeof Zookeeper;
  return library;
}
