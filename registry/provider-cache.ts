import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../src/common/logger';

/** The cache file's shape: the last provider URLs seen per `<root>/<service>`. */
interface CacheContent {
  version: 1;
  entries: Record<string, { urls: string[]; savedAt: number }>;
}

/** One cached list. */
export interface CachedProviders {
  urls: readonly string[];
  savedAt: number;
}

/**
 * The last provider lists a consumer saw, on disk, so a consumer that starts while ZooKeeper is unreachable can
 * still find providers. Writes are atomic (temp file + rename) and serialized; a missing or corrupt file is an
 * empty cache, never an error. Instances are shared per file within a process (see acquireProviderCache).
 */
export class ProviderCache {
  private content: CacheContent = { version: 1, entries: {} };
  private loaded: Promise<void> | undefined;
  private writing: Promise<void> = Promise.resolve();
  references = 0;

  constructor(
    readonly file: string,
    private readonly logger: Logger,
  ) {}

  /** The cached list of `key`, or undefined. */
  async get(key: string): Promise<CachedProviders | undefined> {
    await this.load();
    return this.content.entries[key];
  }

  /** Records `urls` as the current list of `key` and writes the file (serialized, atomic). */
  save(key: string, urls: readonly string[]): Promise<void> {
    this.content.entries[key] = { urls: [...urls], savedAt: Date.now() };
    this.writing = this.writing.then(() => this.load()).then(() => this.write());
    return this.writing;
  }

  /** Resolves when every write so far has landed. */
  flush(): Promise<void> {
    return this.writing;
  }

  private load(): Promise<void> {
    this.loaded ??= this.read();
    return this.loaded;
  }

  private async read(): Promise<void> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.logger.warn(`Ignoring unreadable provider cache ${this.file}`, error);
      }
      return;
    }
    try {
      const parsed = JSON.parse(text) as Partial<CacheContent>;
      if (parsed.version === 1 && typeof parsed.entries === 'object' && parsed.entries !== null) {
        // Entries saved by this process before the file was read win over the file's.
        this.content = { version: 1, entries: { ...parsed.entries, ...this.content.entries } };
      }
    } catch (error) {
      this.logger.warn(`Ignoring corrupt provider cache ${this.file}`, error);
    }
  }

  private async write(): Promise<void> {
    const temp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    try {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      await fs.writeFile(temp, JSON.stringify(this.content, null, 2));
      await fs.rename(temp, this.file);
    } catch (error) {
      this.logger.warn(`Could not write provider cache ${this.file}`, error);
      await fs.rm(temp, { force: true }).catch(() => {});
    }
  }
}

const caches = new Map<string, ProviderCache>();

/** The process's cache for `file` (shared, ref-counted so registries of one file never overwrite each other). */
export function acquireProviderCache(file: string, logger: Logger): ProviderCache {
  const resolved = path.resolve(file);
  let cache = caches.get(resolved);
  if (cache === undefined) {
    cache = new ProviderCache(resolved, logger);
    caches.set(resolved, cache);
  }
  cache.references += 1;
  return cache;
}

/** Gives back a cache from acquireProviderCache; the last holder's writes are flushed. */
export async function releaseProviderCache(cache: ProviderCache): Promise<void> {
  cache.references -= 1;
  if (cache.references > 0) return;
  if (caches.get(cache.file) === cache) caches.delete(cache.file);
  await cache.flush();
}
