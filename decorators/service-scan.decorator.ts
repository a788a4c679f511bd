import 'reflect-metadata';
import * as path from 'node:path';
import { RpcError } from '../src/errors/rpc-error';
import { declaringFile } from './call-site';
import { SERVICE_SCAN_METADATA } from './metadata-keys';

/** Every .ts/.js file below the scan root; test files, .d.ts and node_modules are always excluded. */
export const DEFAULT_SCAN_PATTERNS: readonly string[] = Object.freeze(['**/*.{ts,js}']);

export interface ServiceScanOptions {
  /** The scan root; a relative path is resolved against the entry file's folder. Default: that folder. */
  readonly cwd?: string;
}

/** What `@ServiceScan` records on the application's entry class. */
export interface ServiceScanMetadata {
  /** fast-glob patterns, relative to `root`. */
  readonly patterns: readonly string[];
  /** Absolute scan root; undefined when neither `cwd` nor the declaring file is known (the scan then fails). */
  readonly root: string | undefined;
  /** The file that declares the entry class; never scanned itself. */
  readonly entryFile: string | undefined;
}

/**
 * Marks the application's entry class and says where its `@Service` classes live. With no argument the scan
 * root is the folder of the file declaring the entry class (found from the call stack when the decorator runs)
 * and every .ts/.js file below it is loaded. `.d.ts`, `node_modules`, test files (`*.test.*`, `*.spec.*`,
 * `__tests__`) and the entry file itself are never loaded.
 *
 * @example
 * @ServiceScan()                                           // every .ts/.js under this file's folder
 * class ProviderApp {}
 *
 * @ServiceScan(['services/**\/*.service.{ts,js}'])         // relative to this file's folder
 * class ProviderApp {}
 *
 * @ServiceScan('**\/*.js', { cwd: '../dist/services' })
 * class ProviderApp {}
 */
export function ServiceScan(patterns?: string | readonly string[], options: ServiceScanOptions = {}): ClassDecorator {
  const list = patterns === undefined ? DEFAULT_SCAN_PATTERNS : typeof patterns === 'string' ? [patterns] : patterns;
  return (target) => {
    if (list.length === 0 || list.some((p) => typeof p !== 'string' || p.trim() === '')) {
      throw new RpcError('CONFIG_ERROR', `@ServiceScan on ${target.name}: patterns must be non-empty strings`);
    }
    const entryFile = declaringFile();
    const base = entryFile === undefined ? undefined : path.dirname(entryFile);
    const root =
      options.cwd === undefined
        ? base
        : path.isAbsolute(options.cwd)
          ? path.normalize(options.cwd)
          : path.resolve(base ?? process.cwd(), options.cwd);
    const metadata: ServiceScanMetadata = Object.freeze({ patterns: Object.freeze([...list]), root, entryFile });
    Reflect.defineMetadata(SERVICE_SCAN_METADATA, metadata, target);
  };
}
