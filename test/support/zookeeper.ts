import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port';

export { freePort };

/**
 * Real ZooKeeper servers for tests, started and stopped through scripts/zookeeper.sh on free loopback ports.
 * Every server started here is also killed (by pid) when the process exits, so a failed test leaves nothing behind.
 */

/** The environment variable naming an existing ZooKeeper for the integration tests (e.g. '127.0.0.1:2181'). */
export const ZK_ENV = 'COURIER_ZK';

const SCRIPT = path.resolve(__dirname, '../../scripts/zookeeper.sh');
const SCRIPT_TIMEOUT_MS = 60_000;
const run = promisify(execFile);

/** The connect string of the shared test ZooKeeper (set by test/integration/global-setup.ts, or by you). */
export function zkUrl(): string {
  const value = process.env[ZK_ENV];
  if (value === undefined || value === '') {
    throw new Error(
      `${ZK_ENV} is not set: run the integration project (its global setup starts ZooKeeper) or export it`,
    );
  }
  return value;
}

/** Asks a server a four-letter word ('ruok', 'srvr', ...) on 127.0.0.1:port; '' when it does not answer. */
export function fourLetterWord(port: number, word: string, timeoutMs = 2_000): Promise<string> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(timeoutMs, () => socket.destroy());
    socket.on('connect', () => socket.end(word));
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('error', () => {});
    socket.on('close', () => resolve(answer));
  });
}

async function portsFree(first: number, count: number): Promise<boolean> {
  for (let port = first; port < first + count; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (!free) return false;
  }
  return true;
}

/** `count` consecutive free ports (bounded search in the dynamic range below the kernel's ephemeral ports). */
async function freePortBlock(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = 20_000 + Math.floor(Math.random() * 10_000);
    if (await portsFree(first, count)) return first;
  }
  throw new Error(`No block of ${count} free ports found`);
}

/** Pids started by this process, killed on exit if a test forgot (or failed before) stopping them. */
const livePids = new Set<number>();
process.once('exit', () => {
  for (const pid of livePids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

async function script(args: string[]): Promise<string> {
  const { stdout } = await run('bash', [SCRIPT, ...args], { timeout: SCRIPT_TIMEOUT_MS });
  return stdout.trim();
}

async function readPid(dir: string): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const pid = Number((await readFile(path.join(dir, 'zookeeper.pid'), 'utf8')).trim());
  livePids.add(pid);
  return pid;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills one server process by pid and waits (bounded) until it is gone. */
async function killPid(pid: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
  const deadline = Date.now() + 10_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  livePids.delete(pid);
}

/** One standalone server on its own port and data directory. */
export class ZookeeperServer {
  private pid: number | undefined;

  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  /** Starts a standalone server on a free port with a fresh data directory under os.tmpdir(). */
  static async start(): Promise<ZookeeperServer> {
    const server = new ZookeeperServer(await freePort(), mkdtempSync(path.join(os.tmpdir(), 'courier-zk-')));
    await server.restart();
    return server;
  }

  get connectString(): string {
    return `127.0.0.1:${this.port}`;
  }

  get processId(): number | undefined {
    return this.pid;
  }

  /** Stops the server but keeps its data, so restart() brings back its sessions and nodes. */
  async pause(): Promise<void> {
    await script(['stop', '--dir', this.dir, '--keep']);
    if (this.pid !== undefined) livePids.delete(this.pid);
    this.pid = undefined;
  }

  /** (Re)starts the server on the same port and data directory. */
  async restart(): Promise<void> {
    await script(['start', '--port', String(this.port), '--dir', this.dir]);
    this.pid = await readPid(this.dir);
  }

  /** Stops the server and removes its directory. Safe to call twice. */
  async stop(): Promise<void> {
    await script(['stop', '--dir', this.dir]);
    if (this.pid !== undefined) livePids.delete(this.pid);
    this.pid = undefined;
  }
}

/** One node of an ensemble. */
export interface EnsembleNode {
  readonly index: number;
  readonly port: number;
  readonly dir: string;
  pid: number | undefined;
}

/** A 3-node ensemble on loopback ports. */
export class ZookeeperEnsemble {
  private constructor(
    readonly dir: string,
    readonly nodes: readonly EnsembleNode[],
  ) {}

  /** Starts 3 nodes (9 consecutive free ports) and waits for a quorum. */
  static async start(): Promise<ZookeeperEnsemble> {
    const base = await freePortBlock(9);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'courier-zk-ensemble-'));
    const ensemble = new ZookeeperEnsemble(
      dir,
      [1, 2, 3].map((index) => ({
        index,
        port: base + index - 1,
        dir: path.join(dir, `node${index}`),
        pid: undefined,
      })),
    );
    try {
      await script(['start-ensemble', '--port', String(base), '--dir', dir]);
    } finally {
      for (const node of ensemble.nodes) node.pid = await readPid(node.dir).catch(() => undefined);
    }
    return ensemble;
  }

  get connectString(): string {
    return this.nodes.map((node) => `127.0.0.1:${node.port}`).join(',');
  }

  /** The node `srvr` reports as leader, polling (bounded) until one is elected. */
  async leader(timeoutMs = 15_000): Promise<EnsembleNode> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const node of this.nodes) {
        if (node.pid !== undefined && /^Mode: leader$/m.test(await fourLetterWord(node.port, 'srvr'))) return node;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`No leader elected within ${timeoutMs} ms`);
  }

  /** Kills one node with SIGKILL (by pid). */
  async kill(node: EnsembleNode): Promise<void> {
    if (node.pid === undefined) return;
    await killPid(node.pid);
    node.pid = undefined;
  }

  /** Stops every node and removes the directory. Safe to call twice. */
  async stop(): Promise<void> {
    await script(['stop', '--dir', this.dir]);
    for (const node of this.nodes) {
      if (node.pid !== undefined) livePids.delete(node.pid);
      node.pid = undefined;
    }
  }
}
