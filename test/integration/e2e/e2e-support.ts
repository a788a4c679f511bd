import type { EventEmitter } from 'node:events';
import * as path from 'node:path';
import type * as zookeeper from 'node-zookeeper-client';
import { RpcClient, RpcError, ZookeeperRegistry, type Logger } from '../../../src/index';
import { GreeterService, type Greeting } from '../../../samples/multi-provider/contract';
import { REPO_ROOT, startTsChild, type Child } from '../../support/child-process';
import { recordingLogger } from '../../support/zk-testing';

/**
 * End-to-end helpers: provider processes (test/fixtures/apps/e2e-provider.ts, bootstrap + real ZooKeeper), a
 * consumer in the test process, and a steady load that records who served every call and every failure.
 */

export { GreeterService, type Greeting };
export const SERVICE = GreeterService;
const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/apps/e2e-provider.ts');

export function zookeeperUrl(connectString: string, root: string, sessionTimeout: number, extra = ''): string {
  return `zookeeper://${connectString}/?root=${root}&sessionTimeout=${sessionTimeout}&cacheFile=${extra}`;
}

/** '0x…' as ZooKeeper prints a session id, from a Stat's ephemeralOwner. */
export function ownerOf(stat: zookeeper.Stat): string {
  return `0x${stat.ephemeralOwner.toString('hex').replace(/^0+(?=.)/, '')}`;
}

/** The 8-byte session id behind '0x…'. */
export function sessionIdBuffer(id: string): Buffer {
  return Buffer.from(id.replace(/^0x/, '').padStart(16, '0'), 'hex');
}

export interface ProviderReady {
  name: string;
  pid: number;
  port: number;
  sessionId: string;
  sessionPassword: string;
  nodes: string[];
}

/** One provider process and what it reported. */
function isSessionLine(line: string): boolean {
  return line.startsWith('{"event":"session"');
}

export class Provider {
  private constructor(
    readonly child: Child,
    readonly ready: ProviderReady,
  ) {}

  static async start(name: string, registryUrl: string, env: Record<string, string> = {}): Promise<Provider> {
    const child = await startTsChild(FIXTURE, [registryUrl, '0'], {
      env: { PROVIDER_NAME: name, ...env },
      timeoutMs: 30_000,
    });
    return new Provider(child, child.ready as unknown as ProviderReady);
  }

  get name(): string {
    return this.ready.name;
  }

  get address(): string {
    return `127.0.0.1:${this.ready.port}`;
  }

  get node(): string {
    const node = this.ready.nodes[0];
    if (node === undefined) throw new Error(`${this.name} registered no node`);
    return node;
  }

  get running(): boolean {
    return this.child.process.exitCode === null && this.child.process.signalCode === null;
  }

  /** Session lines ({event:'session', state, sessionId}) printed so far. */
  sessionEvents(): Array<{ state: string; sessionId: string; sessionPassword?: string }> {
    return this.child.lines
      .filter(isSessionLine) // log lines (info level) may share stdout
      .map((line) => JSON.parse(line) as { state: string; sessionId: string; sessionPassword?: string });
  }

  /** The session id it holds now (the ready one, or the last it reported connected). */
  currentSession(): { id: string; password: string } {
    const connected = this.sessionEvents().filter((e) => e.state === 'CONNECTED');
    const last = connected.at(-1);
    return last === undefined
      ? { id: this.ready.sessionId, password: this.ready.sessionPassword }
      : { id: last.sessionId, password: last.sessionPassword ?? '' };
  }

  /** Resolves with the first session event (past or future, from index `since` on) that satisfies `accept`. */
  async waitForSession(
    accept: (event: { state: string; sessionId: string }) => boolean,
    timeoutMs: number,
    since = 0,
  ): Promise<{ state: string; sessionId: string }> {
    const skipped = this.sessionEvents().slice(0, since).filter(accept).length;
    const lines = await this.child
      .waitForLines((line) => isSessionLine(line) && accept(JSON.parse(line)), skipped + 1, timeoutMs)
      .catch((error: Error) => {
        throw new Error(`${this.name}: no such session event within ${timeoutMs} ms; ${error.message}`);
      });
    return JSON.parse(lines[skipped]!) as { state: string; sessionId: string };
  }

  /** Sends a signal by pid and resolves with how it exited. */
  async stop(signal: NodeJS.Signals): Promise<number | string> {
    this.child.kill(signal);
    return within(this.child.exited, 15_000, `${this.name} did not exit after ${signal}`);
  }
}

/** A consumer in the test process: RpcClient over the registry, its logs kept for failure messages. */
export class Consumer {
  readonly logger: Logger & { lines: string[] };
  readonly client: RpcClient;

  constructor(registryUrl: string) {
    this.logger = recordingLogger();
    this.client = new RpcClient({ registry: registryUrl, application: 'e2e-consumer', logger: this.logger });
  }

  greeter(options: { idempotent?: boolean; retries?: number } = {}): GreeterService {
    return this.client.reference<GreeterService>(GreeterService, {
      version: '1.0.0',
      loadbalance: 'roundrobin',
      timeout: 5_000,
      ...options,
    });
  }

  get registry(): ZookeeperRegistry {
    const registry = this.client.registry;
    if (!(registry instanceof ZookeeperRegistry)) throw new Error('the consumer has no ZooKeeper registry');
    return registry;
  }

  /** The session id and password of the consumer's ZooKeeper session (internals: for a real expiry). */
  session(): { id: Buffer; password: Buffer } {
    const { client } = (this.registry as unknown as { session: { client: zookeeper.Client } }).session;
    return { id: client.getSessionId(), password: client.getSessionPassword() };
  }

  /** Resolves when the client's connection to `address` reports one of `states` (internals: the pool's events). */
  connectionState(address: string, states: readonly string[], timeoutMs: number): Promise<void> {
    const pool = (this.client as unknown as { pool: EventEmitter }).pool;
    let listener: (at: string, state: string) => void = () => {};
    const reached = new Promise<void>((resolve) => {
      listener = (at, state) => {
        if (at === address && states.includes(state)) resolve();
      };
      pool.on('state', listener);
    });
    return within(reached, timeoutMs, `connection to ${address} never became ${states.join('/')}`).finally(() =>
      pool.off('state', listener),
    );
  }

  /** Resolves on the registry's next move to `state` for which `accept()` holds. */
  nextSessionState(state: string, timeoutMs: number, accept: () => boolean = () => true): Promise<void> {
    let stop: () => void = () => {};
    const reached = new Promise<void>((resolve) => {
      stop = this.registry.onStateChange((next) => {
        if (next === state && accept()) resolve();
      });
    });
    return within(reached, timeoutMs, `consumer session never became ${state}`).finally(() => stop());
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/**
 * Calls without pause from `concurrency` workers (so that many calls are in flight at every moment), and records
 * every success (who served it) and every failure. Set E2E_VERBOSE to print a summary when it stops.
 */
export class Load {
  /** Who served each successful call, in completion order. */
  readonly servedBy: string[] = [];
  readonly failures: string[] = [];
  private running = false;
  private workers: Promise<void>[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly greeter: GreeterService,
    readonly concurrency = 16,
  ) {}

  start(): this {
    this.running = true;
    this.workers = Array.from({ length: this.concurrency }, (_, i) => this.worker(i));
    return this;
  }

  /** A position in the record; count and tally calls after it. */
  mark(): number {
    return this.servedBy.length;
  }

  /** Calls served since `mark`, per provider name. */
  tally(mark = 0): Record<string, number> {
    const counts: Record<string, number> = {};
    for (let i = mark; i < this.servedBy.length; i++) counts[this.servedBy[i]!] = (counts[this.servedBy[i]!] ?? 0) + 1;
    return counts;
  }

  /**
   * Resolves once the calls since `mark` satisfy `accept` (given the count and the tally per provider, kept up to
   * date call by call), or rejects after `timeoutMs` saying what was served meanwhile.
   */
  waitFor(
    accept: (total: number, byName: ReadonlyMap<string, number>) => boolean,
    timeoutMs: number,
    what: string,
    mark = this.mark(),
  ): Promise<void> {
    const byName = new Map<string, number>();
    let seen = mark;
    let check: () => void = () => {};
    const met = new Promise<void>((resolve) => {
      check = () => {
        for (; seen < this.servedBy.length; seen++) {
          const name = this.servedBy[seen]!;
          byName.set(name, (byName.get(name) ?? 0) + 1);
        }
        if (!accept(seen - mark, byName)) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
      check();
    });
    return within(met, timeoutMs, () => {
      this.waiters.delete(check);
      return `${what}; served since: ${JSON.stringify(Object.fromEntries(byName))}; ${this.failures.length} failed: ${this.failures.slice(0, 3).join(' | ')}`;
    });
  }

  /** Waits until `count` more calls succeeded. */
  waitForCalls(count: number, timeoutMs: number, what = `${count} more calls`): Promise<void> {
    return this.waitFor((total) => total >= count, timeoutMs, what);
  }

  /** Waits until every provider in `names` served a call (from now on) and at least `count` calls succeeded. */
  waitForServers(names: readonly string[], timeoutMs: number, count = 0): Promise<void> {
    return this.waitFor(
      (total, byName) => total >= count && names.every((name) => byName.has(name)),
      timeoutMs,
      `not every one of ${names.join(', ')} served`,
    );
  }

  async stop(): Promise<void> {
    if (process.env['E2E_VERBOSE'] !== undefined && this.running) {
      console.log(
        `load: ${this.servedBy.length} calls ${JSON.stringify(this.tally())}, ${this.failures.length} failed\n` +
          this.failures.slice(0, 3).join('\n'),
      );
    }
    this.running = false;
    await Promise.all(this.workers);
    this.workers = [];
  }

  private async worker(index: number): Promise<void> {
    let i = 0;
    while (this.running) {
      try {
        const greeting: Greeting = await this.greeter.greet(`load ${index}.${i}`);
        this.servedBy.push(greeting.servedBy);
        for (const wake of [...this.waiters]) wake();
      } catch (error) {
        const code = error instanceof RpcError ? error.code : 'NOT_RPC';
        if (this.failures.length < 1_000) {
          this.failures.push(`${new Date().toISOString()} worker ${index} call ${i}: ${code} ${String(error)}`);
        }
        // A call that fails without I/O must not turn this loop into one the event loop never leaves.
        await new Promise((resolve) => setImmediate(resolve));
      }
      i++;
    }
  }
}

/** `promise`, or a rejection naming `what` (computed then) after `timeoutMs`. */
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string | (() => string)): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`${typeof what === 'string' ? what : what()} (after ${timeoutMs} ms)`));
        }, timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Java's URLEncoder.encode(s, UTF-8), written independently of the registry's encoder. */
export function javaUrlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}
