/**
 * Three shard processes named by a direct URL list (no registry needed) and one consumer
 * using consistent hashing on the key. Shows that every key sticks to one shard and keys spread over all three.
 * Run: npx tsx samples/kv-store/run.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';

import { RpcClient } from '../../src/index';
import { KvStore } from './contract';

const children: ChildProcess[] = [];

async function startShard(name: string): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'shard.ts')], {
    env: { ...process.env, SHARD_NAME: name, COURIER_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return (JSON.parse(line) as { port: number }).port;
}

async function main(): Promise<void> {
  const ports = await Promise.all(['shard-a', 'shard-b', 'shard-c'].map(startShard));
  const client = new RpcClient({ application: 'kv-demo' });
  try {
    const kv = client.reference<KvStore>(KvStore, {
      url: `courier://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`,
      version: '1.0.0',
      loadbalance: 'consistenthash', // key = first argument
      methods: { size: { loadbalance: 'roundrobin' } },
    });
    const placement = new Map<string, string>();
    for (let i = 0; i < 300; i++) placement.set(`user:${i}`, (await kv.put(`user:${i}`, `value ${i}`)).shard);
    let sticky = 0;
    for (const [key, shard] of placement) {
      const read = await kv.get(key);
      if (read.shard === shard && read.value === `value ${key.slice(5)}`) sticky++;
    }
    const perShard = new Map<string, number>();
    for (const shard of placement.values()) perShard.set(shard, (perShard.get(shard) ?? 0) + 1);
    console.log(`300 keys written; ${sticky}/300 read back from the shard that holds them`);
    console.log(
      `keys per shard: ${[...perShard.entries()]
        .sort()
        .map(([s, n]) => `${s}=${n}`)
        .join(', ')}`,
    );
  } finally {
    await client.close();
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? once(c, 'exit') : undefined)));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
