import * as zookeeper from 'node-zookeeper-client';
import type { Logger } from '../../src/common/logger';
import type { ProviderInfo } from '../../src/common/provider-info';
import { closeClient } from '../../registry/zookeeper-session';

/**
 * Test tools for the ZooKeeper registry: a raw node-zookeeper-client with promises (to read back what the registry
 * wrote, or to act as another process), a listener recorder, and a logger that keeps its lines.
 */

/** A raw client, connected; every call bounded so a broken test fails instead of hanging. */
export class RawZookeeper {
  private constructor(readonly client: zookeeper.Client) {}

  static async connect(
    connectString: string,
    options: { sessionTimeout?: number; sessionId?: Buffer; sessionPassword?: Buffer; auth?: string } = {},
  ): Promise<RawZookeeper> {
    const client = zookeeper.createClient(connectString, {
      sessionTimeout: options.sessionTimeout ?? 10_000,
      spinDelay: 100,
      ...(options.sessionId === undefined
        ? {}
        : { sessionId: options.sessionId, sessionPassword: options.sessionPassword }),
    } as Partial<zookeeper.Option>);
    if (options.auth !== undefined) client.addAuthInfo('digest', Buffer.from(options.auth));
    const raw = new RawZookeeper(client);
    await bounded('connect', 10_000, (done) => {
      client.once('connected', () => done(null));
      client.connect();
    });
    return raw;
  }

  get sessionId(): string {
    return `0x${this.client
      .getSessionId()
      .toString('hex')
      .replace(/^0+(?=.)/, '')}`;
  }

  children(path: string, watcher?: (event: zookeeper.Event) => void): Promise<string[]> {
    return bounded(`getChildren ${path}`, 5_000, (done) =>
      watcher === undefined
        ? this.client.getChildren(path, (e, children) => done(e, children))
        : this.client.getChildren(path, watcher, (e, children) => done(e, children)),
    );
  }

  /** The node's Stat, or null when absent. */
  stat(path: string): Promise<zookeeper.Stat | null> {
    return bounded(`exists ${path}`, 5_000, (done) => this.client.exists(path, (e, stat) => done(e, stat ?? null)));
  }

  /** Resolves when `path` exists (an exists-watch, re-armed), or rejects after `timeoutMs`. */
  async waitForNode(path: string, timeoutMs: number): Promise<zookeeper.Stat> {
    const stat = await this.waitForStat(path, (s) => s !== null, timeoutMs);
    if (stat === null) throw new Error(`${path} did not appear within ${timeoutMs} ms`);
    return stat;
  }

  /** Resolves when `path` is gone (an exists-watch, re-armed), or rejects after `timeoutMs`. */
  async waitForNoNode(path: string, timeoutMs: number): Promise<void> {
    await this.waitForStat(path, (s) => s === null, timeoutMs);
  }

  private async waitForStat(
    path: string,
    accept: (stat: zookeeper.Stat | null) => boolean,
    timeoutMs: number,
  ): Promise<zookeeper.Stat | null> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const changed = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.client.exists(
          path,
          () => resolve(),
          () => {},
        );
      });
      const stat = await this.stat(path);
      if (accept(stat)) {
        clearTimeout(timer);
        return stat;
      }
      await changed;
      clearTimeout(timer);
    }
    throw new Error(`${path} did not reach the expected state within ${timeoutMs} ms`);
  }

  acl(path: string): Promise<zookeeper.ACL[]> {
    return bounded(`getACL ${path}`, 5_000, (done) => this.client.getACL(path, (e, acls) => done(e, acls)));
  }

  mkdirp(path: string): Promise<void> {
    return bounded(`mkdirp ${path}`, 5_000, (done) => this.client.mkdirp(path, (e) => done(e)));
  }

  createEphemeral(path: string): Promise<void> {
    return bounded(`create ${path}`, 5_000, (done) =>
      this.client.create(path, zookeeper.CreateMode.EPHEMERAL, (e) => done(e)),
    );
  }

  remove(path: string): Promise<void> {
    return bounded(`delete ${path}`, 5_000, (done) => this.client.remove(path, (e) => done(e)));
  }

  /** Closes the session (its ephemeral nodes go at once). */
  close(): Promise<void> {
    return closeClient(this.client, this.client.getState() === zookeeper.State.SYNC_CONNECTED);
  }
}

/** The ZooKeeper error code of a raw-client failure. */
export function errorCode(error: unknown): number | undefined {
  return error instanceof zookeeper.Exception ? error.getCode() : undefined;
}

function bounded<T>(
  what: string,
  timeoutMs: number,
  start: (done: (error: unknown, value?: T) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${timeoutMs} ms`)), timeoutMs);
    start((error, value) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(value as T);
    });
  });
}

/** Records every list a provider listener receives; tests await a list that satisfies a predicate. */
export class ProviderRecorder {
  readonly lists: Array<readonly ProviderInfo[]> = [];
  private readonly waiters = new Set<() => void>();

  readonly listener = (providers: readonly ProviderInfo[]): void => {
    this.lists.push(providers);
    for (const wake of [...this.waiters]) wake();
  };

  get last(): readonly ProviderInfo[] | undefined {
    return this.lists.at(-1);
  }

  /** Ports of the last list, sorted. */
  ports(): number[] {
    return (this.last ?? []).map((p) => p.port).sort((a, b) => a - b);
  }

  /** True when some list received was empty. */
  sawEmpty(): boolean {
    return this.lists.some((list) => list.length === 0);
  }

  /** Resolves with the first list (already received last, or coming) that satisfies `accept`. */
  waitFor(
    accept: (providers: readonly ProviderInfo[]) => boolean,
    timeoutMs: number,
  ): Promise<readonly ProviderInfo[]> {
    const last = this.last;
    if (last !== undefined && accept(last)) return Promise.resolve(last);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(new Error(`No matching provider list within ${timeoutMs} ms; last: ${JSON.stringify(this.ports())}`));
      }, timeoutMs);
      const wake = () => {
        const list = this.last;
        if (list !== undefined && accept(list)) {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve(list);
        }
      };
      this.waiters.add(wake);
    });
  }

  /** Waits for a list whose ports are exactly `ports`. */
  waitForPorts(ports: number[], timeoutMs: number): Promise<readonly ProviderInfo[]> {
    const want = [...ports].sort((a, b) => a - b).join(',');
    return this.waitFor(
      (list) =>
        list
          .map((p) => p.port)
          .sort((a, b) => a - b)
          .join(',') === want,
      timeoutMs,
    );
  }
}

/** A logger that keeps every line (and prints warnings when COURIER_TEST_VERBOSE is set). */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const verbose = process.env['COURIER_TEST_VERBOSE'] !== undefined;
  const at =
    (level: string) =>
    (message: string): void => {
      lines.push(`${level} ${message}`);
      if (verbose && level !== 'debug') console.log(`[registry ${level}] ${message}`);
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A root unique to one test, so tests sharing a ZooKeeper never see each other's nodes. */
export function uniqueRoot(name: string): string {
  return `/courier-test-${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/** `promise`, or a rejection naming `what` after `timeoutMs`; the timer never outlives the race. */
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: () => string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what()} (after ${timeoutMs} ms)`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Ends someone else's session the standard way: attach a second client with its id and password, then close that
 * client at once (before the owner, kicked off, takes the session back). One attempt; callers retry until the owner
 * reports EXPIRED.
 */
export function killSession(
  connectString: string,
  sessionId: Buffer,
  sessionPassword: Buffer,
  timeoutMs = 5_000,
): Promise<void> {
  const client = zookeeper.createClient(connectString, {
    sessionTimeout: 10_000,
    spinDelay: 100,
    sessionId,
    sessionPassword,
  } as Partial<zookeeper.Option>);
  return new Promise<void>((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      void closeClient(client, false).then(resolve);
    };
    const timer = setTimeout(finish, timeoutMs);
    client.once('connected', () => {
      client.once('disconnected', finish);
      client.close();
    });
    client.connect();
  });
}
