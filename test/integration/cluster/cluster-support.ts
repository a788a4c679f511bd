import path from 'node:path';

import type { Logger, RpcClient } from '../../../src/index';
import { startTsChild, type Child } from '../../support/child-process';
import type { WriteResult } from '../../fixtures/apps/cluster-provider';
export { freePort } from '../../support/free-port';

export type { WriteResult };

export const CLUSTER_PROVIDER = path.join(__dirname, '../../fixtures/apps/cluster-provider.ts');

/** The remote view of test/fixtures/apps/cluster-provider.ts (`test.Cluster` and `test.ClusterDedup`). */
export interface ClusterService {
  whoami(): Promise<string>;
  echo<T>(value: T): Promise<{ name: string; value: T }>;
  write(key: string, tag: string, delays?: Record<string, number>): Promise<WriteResult>;
  notify(tag: string, failOn?: string[]): Promise<string>;
  executions(tag: string): Promise<number>;
}

/** A provider process with its identity and address. */
export interface Provider {
  name: string;
  port: number;
  address: string;
  child: Child;
}

export async function startProvider(name: string, port = 0): Promise<Provider> {
  const child = await startTsChild(CLUSTER_PROVIDER, [String(port)], { env: { NAME: name } });
  const bound = Number(child.ready['port']);
  return { name, port: bound, address: `127.0.0.1:${bound}`, child };
}

export function urlOf(providers: readonly Provider[]): string {
  return `courier://${providers.map((p) => p.address).join(',')}`;
}

/** Execution count of `tag` on each provider, in the order given (a failfast reference pinned to each address). */
export async function executionsOn(
  client: RpcClient,
  providers: readonly Provider[],
  tag: string,
  service = 'test.Cluster',
): Promise<number[]> {
  return Promise.all(
    providers.map((p) =>
      client
        .reference<ClusterService>(service, { url: urlOf([p]), version: '1.0.0', cluster: 'failfast' })
        .executions(tag),
    ),
  );
}

export const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** A logger that keeps every line and lets a test await one containing a given text. */
export class CapturingLogger implements Logger {
  readonly lines: string[] = [];
  private readonly waiters: Array<{ text: string; resolve: (line: string) => void }> = [];

  debug(message: string): void {
    this.add(`debug ${message}`);
  }
  info(message: string): void {
    this.add(`info ${message}`);
  }
  warn(message: string): void {
    this.add(`warn ${message}`);
  }
  error(message: string): void {
    this.add(`error ${message}`);
  }

  /** Resolves with the first line (already logged or to come) containing `text`; rejects after `timeoutMs`. */
  waitFor(text: string, timeoutMs: number): Promise<string> {
    const seen = this.lines.find((line) => line.includes(text));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new Error(`No log line containing '${text}' within ${timeoutMs} ms; got:\n${this.lines.join('\n')}`));
      }, timeoutMs);
      const waiter = {
        text,
        resolve: (line: string) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      this.waiters.push(waiter);
    });
  }

  private add(line: string): void {
    this.lines.push(line);
    for (const waiter of [...this.waiters]) {
      if (!line.includes(waiter.text)) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  }
}
