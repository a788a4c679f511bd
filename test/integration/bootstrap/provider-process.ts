import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import * as path from 'node:path';
import { createInterface } from 'node:readline';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/apps/bootstrap-provider');

/** tsx: esbuild, no decorator metadata. swc: a require hook emitting it, as ts-node or tsc would. */
export type Loader = 'tsx' | 'swc';

const LOADER_ARGS: Record<Loader, string[]> = {
  tsx: ['--import', 'tsx'],
  swc: ['--require', path.join(FIXTURE, 'swc-register.js')],
};

export interface ProviderReady {
  pid: number;
  port: number;
  services: string[];
  parameterTypes: Record<string, string[]>;
}

export interface ProviderProcess {
  readonly ready: ProviderReady;
  /** Resolves with the exit code, or the signal's name. */
  readonly exited: Promise<number | string>;
  /** Resolves with the first stdout line after the ready line that satisfies `match`, past or future. */
  waitForLines(match: (line: string) => boolean, count: number, timeoutMs?: number): Promise<string[]>;
  signal(signal: NodeJS.Signals): void;
  stderr(): string;
}

/** Children still running, with the promise of their exit. */
const started = new Map<ChildProcess, Promise<unknown>>();

/** Starts the bootstrap-provider fixture in its own process and waits for its JSON ready line. */
export async function startProvider(loader: Loader, env: Record<string, string> = {}): Promise<ProviderProcess> {
  const child = spawn(process.execPath, [...LOADER_ARGS[loader], path.join(FIXTURE, 'main.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, COURIER_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = once(child, 'exit').then(([code, signal]) => {
    started.delete(child);
    return (code as number | null) ?? (signal as string);
  });
  started.set(child, exited);
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let ready: ProviderReady | undefined;
  const readyPromise = new Promise<ProviderReady>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`provider (${loader}) not ready in 20 s:\n${stderr}`)), 20_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (ready === undefined && line.startsWith('{"pid"')) {
        ready = JSON.parse(line) as ProviderReady;
        clearTimeout(timer);
        resolve(ready);
        return;
      }
      lines.push(line);
      for (const wake of [...waiters]) wake();
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`provider (${loader}) exited (${code}) before it was ready:\n${stderr}`));
    });
  });
  return {
    ready: await readyPromise,
    exited,
    stderr: () => stderr,
    signal: (signal) => {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, signal);
    },
    waitForLines: (match, count, timeoutMs = 10_000) =>
      new Promise<string[]>((resolve, reject) => {
        const check = () => {
          const found = lines.filter(match);
          if (found.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found.slice(0, count));
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`waited ${timeoutMs} ms for ${count} line(s); saw:\n${lines.join('\n')}\n${stderr}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
  };
}

/** Kills (by pid) every provider this test file started and waits for them to exit; for afterAll. */
export async function killProviders(): Promise<void> {
  const running = [...started];
  for (const [child] of running)
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
  await Promise.all(running.map(([, exited]) => exited));
}
