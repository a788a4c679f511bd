import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Node arguments that load TypeScript with tsx (esbuild: no decorator metadata, like many users' setups). */
export const TSX_LOADER: readonly string[] = ['--import', 'tsx'];

/** A child process started by a test; stopped by pid, never by name. */
export interface Child {
  process: ChildProcess;
  pid: number;
  /** The first JSON line the child printed on stdout (its "ready" message). */
  ready: Record<string, unknown>;
  /** Every stdout line after the ready line. */
  lines: string[];
  /** Resolves with the exit code (or signal name) when the child exits. */
  exited: Promise<number | string>;
  stderr(): string;
  kill(signal?: NodeJS.Signals): void;
  /** Resolves with the first `count` lines after the ready line that satisfy `match`, printed before or after. */
  waitForLines(match: (line: string) => boolean, count: number, timeoutMs?: number): Promise<string[]>;
}

export interface ChildOptions {
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Node arguments before the file (default: tsx). */
  nodeArgs?: readonly string[];
}

const started = new Set<ChildProcess>();

/**
 * Runs a TypeScript file (under tsx unless `nodeArgs` says otherwise) and waits for its first JSON line on
 * stdout. Rejects with its stderr if it exits or stays silent for `timeoutMs`.
 */
export async function startTsChild(file: string, args: string[] = [], options: ChildOptions = {}): Promise<Child> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? TSX_LOADER), file, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, COURIER_LOG_LEVEL: process.env['COURIER_LOG_LEVEL'] ?? 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = once(child, 'exit').then(([code, signal]) => {
    started.delete(child);
    return (code as number | null) ?? (signal as string);
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const reader = createInterface({ input: child.stdout! });
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${file} printed no ready line within ${timeoutMs} ms; stderr:\n${stderr}`));
    }, timeoutMs);
    let first = true;
    reader.on('line', (line) => {
      if (!first) {
        lines.push(line);
        for (const wake of [...waiters]) wake();
        return;
      }
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        first = false;
        clearTimeout(timer);
        resolve(parsed);
      } catch {
        // not the ready line (a log line): keep waiting
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited (${code}) before it was ready; stderr:\n${stderr}`));
    });
  });
  return {
    process: child,
    pid: child.pid!,
    ready,
    lines,
    exited,
    stderr: () => stderr,
    kill: (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    waitForLines: (match, count, waitMs = 10_000) =>
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
          reject(new Error(`waited ${waitMs} ms for ${count} line(s); saw:\n${lines.join('\n')}\n${stderr}`));
        }, waitMs);
        waiters.add(check);
        check();
      }),
  };
}

/** Kills every child this test file started and waits for them; for afterAll. */
export async function stopAllChildren(): Promise<void> {
  const children = [...started];
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(children.map((child) => (child.exitCode === null ? once(child, 'exit') : undefined)));
}
