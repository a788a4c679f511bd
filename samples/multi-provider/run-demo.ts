/**
 * The demo: a real ZooKeeper, three provider processes of one service, and this process as the consumer.
 * Every answer says which provider served it; then one provider is stopped and the calls keep flowing.
 *
 * Run: npm run demo   (or: npx tsx samples/multi-provider/run-demo.ts)
 * Uses the ZooKeeper named by COURIER_ZK (host:port) when set; otherwise starts its own on a free port.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';

import { RpcClient } from '../../src/index';
import { GreeterService, type Greeting } from './contract';

const ROOT = path.resolve(__dirname, '..', '..');
const ZK_SCRIPT = path.join(ROOT, 'scripts', 'zookeeper.sh');
const PROVIDERS = ['provider-a', 'provider-b', 'provider-c'];
const children: ChildProcess[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** Starts one provider process and resolves with its ready line. */
async function startProvider(name: string, registry: string): Promise<{ name: string; port: number; pid: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'provider.ts'), registry, '0'], {
    cwd: ROOT,
    env: { ...process.env, PROVIDER_NAME: name, COURIER_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  const ready = new Promise<{ name: string; port: number; pid: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 30 s`)), 30_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as { name: string; port: number; pid: number });
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
  });
  return ready;
}

async function callMany(greeter: GreeterService, count: number, tally: Map<string, number>): Promise<number> {
  let failed = 0;
  for (let i = 0; i < count; i++) {
    try {
      const greeting: Greeting = await greeter.greet(`call ${i}`);
      tally.set(greeting.servedBy, (tally.get(greeting.servedBy) ?? 0) + 1);
    } catch (error) {
      failed++;
      console.log(`  call ${i} FAILED: ${(error as Error).message}`);
    }
  }
  return failed;
}

function show(tally: Map<string, number>): string {
  return [...tally.entries()]
    .sort()
    .map(([name, n]) => `${name}: ${n}`)
    .join(', ');
}

async function main(): Promise<number> {
  let zkDir: string | undefined;
  let zk = process.env['COURIER_ZK'];
  if (zk === undefined || zk === '') {
    const port = await freePort();
    zkDir = path.join(ROOT, '.zk', `demo-${port}`);
    zk = execFileSync('bash', [ZK_SCRIPT, 'start', '--port', String(port), '--dir', zkDir], {
      encoding: 'utf8',
    }).trim();
    console.log(`ZooKeeper started on ${zk} (data in ${path.relative(ROOT, zkDir)})`);
  } else {
    console.log(`Using ZooKeeper at ${zk} (COURIER_ZK)`);
  }
  const registry = `zookeeper://${zk}?sessionTimeout=6000`;
  const client = new RpcClient({ registry, application: 'greeter-demo-consumer' });
  try {
    console.log(`Starting ${PROVIDERS.length} providers of ${GreeterService}...`);
    const started = await Promise.all(PROVIDERS.map((name) => startProvider(name, registry)));
    for (const p of started)
      console.log(`  ${p.name} (pid ${p.pid}) listening on 127.0.0.1:${p.port}, registered in ZooKeeper`);

    const greeter = client.reference<GreeterService>(GreeterService, { version: '1.0.0', loadbalance: 'roundrobin' });
    const first = await greeter.greet('world');
    console.log(`\nFirst call: "${first.message}" served by ${first.servedBy} at ${first.at.toISOString()}`);

    // Wait (bounded) until the consumer's directory knows all three.
    const seen = new Set<string>();
    for (let i = 0; i < 200 && seen.size < PROVIDERS.length; i++) {
      seen.add((await greeter.greet('warm-up')).servedBy);
      if (seen.size < PROVIDERS.length) await new Promise((resolve) => setTimeout(resolve, 25));
    }

    const before = new Map<string, number>();
    let failed = await callMany(greeter, 30, before);
    console.log(`\n30 calls over three providers (round robin) → ${show(before)}`);

    const victim = children[1]!;
    console.log(`\nStopping ${PROVIDERS[1]} (SIGTERM: unregister, drain, close) while calls keep flowing...`);
    const during = new Map<string, number>();
    const stopped = once(victim, 'exit');
    victim.kill('SIGTERM');
    let whileStopping = 0;
    const deadline = Date.now() + 10_000;
    let done = false;
    void stopped.then(() => (done = true));
    while (!done && Date.now() < deadline) {
      failed += await callMany(greeter, 10, during);
      whileStopping += 10;
    }
    console.log(`  ${whileStopping} calls while it stopped → ${show(during)}`);

    const after = new Map<string, number>();
    failed += await callMany(greeter, 30, after);
    console.log(`30 calls after the stop → ${show(after)}`);
    console.log(`\n${failed === 0 ? 'No call failed.' : `${failed} calls FAILED.`}`);
    return failed === 0 && !after.has(PROVIDERS[1]!) ? 0 : 1;
  } finally {
    await client.close();
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.all(
      children.map((c) => (c.exitCode === null && c.signalCode === null ? once(c, 'exit') : undefined)),
    );
    if (zkDir !== undefined) {
      execFileSync('bash', [ZK_SCRIPT, 'stop', '--dir', zkDir], { stdio: 'ignore' });
      console.log('ZooKeeper stopped.');
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
