import * as path from 'node:path';
import type FastGlob from 'fast-glob';

/** fast-glob, loaded on the first scan: a process that never scans (a plain RpcClient) never loads it. */
let fastGlob: typeof FastGlob | undefined;
function glob(): typeof FastGlob {
  fastGlob ??= require('fast-glob') as typeof FastGlob;
  return fastGlob;
}

/** Never loaded, whatever the patterns say: declarations, dependencies, tests and source maps. */
export const ALWAYS_IGNORED: readonly string[] = Object.freeze([
  '**/node_modules/**',
  '**/*.d.ts',
  '**/*.d.mts',
  '**/*.d.cts',
  '**/*.test.*',
  '**/*.spec.*',
  '**/__tests__/**',
  '**/*.map',
]);

/** Extensions the scanner can require(); anything else a pattern matches is ignored. */
const LOADABLE = new Set(['.js', '.cjs', '.ts', '.cts']);
const TYPESCRIPT = new Set(['.ts', '.cts']);

export interface ScanFilesRequest {
  /** Absolute folder the patterns are relative to. */
  readonly root: string;
  readonly patterns: readonly string[];
  /** Absolute paths never to return (the entry file, the main module). */
  readonly exclude?: readonly string[];
  /** When a foo.ts and a foo.js sit side by side, return the .ts (under a TypeScript loader) or the .js. */
  readonly preferTypeScript: boolean;
}

/**
 * The files a scan loads, absolute and sorted by code unit (not locale) so every machine loads them in the
 * same order. Of a source and its compiled twin in the same folder only one is returned, so a class is never
 * loaded twice under two identities.
 */
export function findScanFiles(request: ScanFilesRequest): string[] {
  const excluded = new Set((request.exclude ?? []).map((file) => path.normalize(file)));
  const matches = glob().sync([...request.patterns], {
    cwd: request.root,
    absolute: true,
    onlyFiles: true,
    dot: false,
    followSymbolicLinks: true,
    unique: true,
    ignore: [...ALWAYS_IGNORED],
  });
  const byStem = new Map<string, string>();
  for (const match of matches) {
    const file = path.normalize(match);
    const extension = path.extname(file);
    if (!LOADABLE.has(extension) || excluded.has(file)) continue;
    const stem = file.slice(0, -extension.length);
    const other = byStem.get(stem);
    if (other === undefined || TYPESCRIPT.has(extension) === request.preferTypeScript) byStem.set(stem, file);
  }
  return [...byStem.values()].sort(byCodeUnit);
}

export function isTypeScriptFile(file: string): boolean {
  return TYPESCRIPT.has(path.extname(file));
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
