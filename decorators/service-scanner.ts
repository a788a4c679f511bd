import * as path from 'node:path';
import { SILENT_LOGGER, type Logger } from '../src/common/logger';
import { RpcError } from '../src/errors/rpc-error';
import { readServiceMetadata, readServiceScanMetadata } from './metadata-reader';
import { loadModule, typeScriptLoaderActive } from './module-loader';
import { findScanFiles, isTypeScriptFile } from './scan-files';
import { defineService, type ServiceDefinition } from './service-definition';

export interface ScanRequest {
  /** Absolute folder the patterns are relative to. */
  readonly root: string;
  readonly patterns: readonly string[];
  /** Absolute paths never to load (the entry file). */
  readonly exclude?: readonly string[];
  /** Whether .ts files can be loaded; detected (jest, ts-node, tsx) when unset. */
  readonly typescript?: boolean;
  readonly logger?: Logger;
}

export interface ScanResult {
  readonly root: string;
  readonly patterns: readonly string[];
  /** Files loaded, in load order. */
  readonly files: readonly string[];
  /** .ts files skipped because no TypeScript loader runs. */
  readonly skipped: readonly string[];
  /** One per `@Service` class found, in file order then export order. */
  readonly services: readonly ServiceDefinition[];
}

/**
 * Loads every file the patterns match below `root` (sorted, one of each .ts/.js twin) and collects the
 * `@Service` classes they export. Throws SCAN_ERROR when a file fails to load (naming it and the cause), when
 * two classes claim the same `group/interface:version` (naming both files), or when nothing is found (saying
 * where it looked); CONFIG_ERROR when a service's metadata is invalid.
 *
 * @example
 * const { services } = scanServices({ root: path.join(__dirname, 'services'), patterns: ['**\/*.js'] });
 */
export function scanServices(request: ScanRequest): ScanResult {
  const logger = request.logger ?? SILENT_LOGGER;
  const typescript = request.typescript ?? typeScriptLoaderActive();
  const root = path.resolve(request.root);
  const patterns = Object.freeze([...request.patterns]);
  const candidates = findScanFiles({ root, patterns, preferTypeScript: typescript, ...optional(request.exclude) });

  const files: string[] = [];
  const skipped: string[] = [];
  const byKey = new Map<string, ServiceDefinition>();
  const seen = new Set<Function>();
  for (const file of candidates) {
    if (isTypeScriptFile(file) && !typescript) {
      skipped.push(file);
      continue;
    }
    let exported: unknown;
    try {
      exported = loadModule(file);
    } catch (error) {
      throw new RpcError('SCAN_ERROR', `Scanning ${root}: cannot load ${file}: ${describe(error)}`, { cause: error });
    }
    files.push(file);
    for (const candidate of exportedValues(exported)) {
      if (seen.has(candidate as Function) || readServiceMetadata(candidate) === undefined) continue;
      seen.add(candidate as Function);
      const definition = defineService(candidate as Function);
      const previous = byKey.get(definition.key);
      if (previous !== undefined) {
        throw new RpcError(
          'SCAN_ERROR',
          `Two @Service classes export ${definition.key}: ${previous.className} (${previous.file ?? 'file unknown'}) ` +
            `and ${definition.className} (${definition.file ?? file}); give one another group or version`,
        );
      }
      byKey.set(definition.key, definition);
    }
  }
  if (skipped.length > 0) {
    logger.info(
      `Skipped ${skipped.length} .ts file(s) under ${root}: no TypeScript loader in this process ` +
        `(run under tsx/ts-node, or scan the compiled .js): ${skipped.join(', ')}`,
    );
  }
  if (byKey.size === 0) {
    throw new RpcError(
      'SCAN_ERROR',
      `No @Service class found under ${root} with patterns ${JSON.stringify(patterns)}: ` +
        `${candidates.length} file(s) matched, ${files.length} loaded, ${skipped.length} .ts skipped` +
        (skipped.length > 0 ? ' (no TypeScript loader)' : ''),
    );
  }
  logger.debug(`Scanned ${files.length} file(s) under ${root}: ${[...byKey.keys()].join(', ')}`);
  return Object.freeze({ root, patterns, files, skipped, services: [...byKey.values()] });
}

/**
 * Scans what an entry class's `@ServiceScan` names, never loading the entry file itself nor the process's main
 * module (loading the script that called bootstrap() would run it a second time).
 */
export function scanApplication(entry: Function, options: Pick<ScanRequest, 'typescript' | 'logger'> = {}): ScanResult {
  const scan = readServiceScanMetadata(entry);
  if (scan === undefined) throw new RpcError('SCAN_ERROR', `${entry.name} is not decorated with @ServiceScan`);
  if (scan.root === undefined) {
    throw new RpcError(
      'SCAN_ERROR',
      `@ServiceScan on ${entry.name}: cannot tell which file declares it (no file in the call stack); ` +
        "pass a root: @ServiceScan(patterns, { cwd: '/abs/path' })",
    );
  }
  const exclude = [scan.entryFile, require.main?.filename, process.argv[1]].filter(
    (file): file is string => typeof file === 'string' && path.isAbsolute(file),
  );
  return scanServices({ ...options, root: scan.root, patterns: scan.patterns, exclude });
}

/** A module's export object itself (module.exports = Class) and each of its exports, default included. */
function exportedValues(exported: unknown): unknown[] {
  if (typeof exported === 'function') return [exported, ...Object.values(exported)];
  if (typeof exported !== 'object' || exported === null) return [];
  return Object.values(exported);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function optional(exclude: readonly string[] | undefined): { exclude?: readonly string[] } {
  return exclude === undefined ? {} : { exclude };
}
