import type { Logger } from '../common/logger';
import { SILENT_LOGGER } from '../common/logger';
import type { ProviderInfo } from '../common/provider-info';
import type { ProviderListener, Registry } from '../common/registry';
import { OutlierDetector, OutlierState } from './outlier-detector';
import { matchesReference } from './provider-match';

/** What a directory serves; defaulted in {@link DEFAULT_DIRECTORY_OPTIONS}. */
export interface DirectoryOptions {
  /** Interface (wire) name. */
  service: string;
  /** The reference's group: exact, '*' for any, or a comma list. */
  group: string;
  /** The reference's version: exact or '*'. */
  version: string;
  /** Shared by a client's references, normally; a private one otherwise. */
  outlierDetector: OutlierDetector;
  logger: Logger;
  /** Wall clock, ms. */
  now: () => number;
}

export const DEFAULT_DIRECTORY_OPTIONS: Omit<DirectoryOptions, 'service' | 'outlierDetector'> = {
  group: '',
  version: '',
  logger: SILENT_LOGGER,
  now: () => Date.now(),
};

/** How many providers a directory knows at each stage of filtering, for error messages. */
export interface DirectoryCounts {
  /** Registered for the interface, any group or version. */
  registered: number;
  /** Of those, enabled and matching the group and version. */
  matched: number;
  /** Of those, not marked down and not set aside as outliers. */
  available: number;
}

const EMPTY: readonly ProviderInfo[] = Object.freeze([]);

/**
 * The providers one reference may call: the registry's list for its interface, filtered by group, version and
 * `enabled`, sorted by address, minus the addresses whose connection is down and the outliers. {@link providers}
 * returns the same array instance until that set changes, so balancers can cache per array.
 * When every matched provider is down or set aside, it returns them anyway (down ones last resort): a call then
 * tries to reconnect instead of failing with NO_PROVIDER, and the outlier logic never takes the last provider away.
 *
 * @example
 * const directory = new Directory({ service: 'com.acme.UserService', version: '1.0.0' });
 * await directory.subscribe(registry);        // or directory.update([...]) for direct URLs
 * directory.providers();                      // readonly ProviderInfo[]
 */
export class Directory {
  readonly service: string;
  readonly group: string;
  readonly version: string;
  readonly outlierDetector: OutlierDetector;
  private readonly logger: Logger;
  private readonly now: () => number;
  private registered = 0;
  private matched: readonly ProviderInfo[] = EMPTY;
  private readonly down = new Set<string>();
  private available: readonly ProviderInfo[] = EMPTY;
  private availableCount = 0;
  private stale = true;
  private seenOutlierVersion = -1;
  private availableUntil = Infinity;
  private registry: Registry | undefined;
  private readonly listener: ProviderListener = (providers) => this.update(providers);

  constructor(options: Pick<DirectoryOptions, 'service'> & Partial<DirectoryOptions>) {
    const opts = { ...DEFAULT_DIRECTORY_OPTIONS, ...options };
    this.service = opts.service;
    this.group = opts.group;
    this.version = opts.version;
    this.outlierDetector = opts.outlierDetector ?? new OutlierDetector();
    this.logger = opts.logger;
    this.now = opts.now;
  }

  /** Follows the registry's provider list of the interface until {@link close}. */
  async subscribe(registry: Registry): Promise<void> {
    if (this.registry !== undefined) throw new Error(`Directory of ${this.service} is already subscribed`);
    this.registry = registry;
    await registry.subscribe(this.service, this.listener);
  }

  /** Stops following the registry. The last list stays readable. */
  async close(): Promise<void> {
    const registry = this.registry;
    this.registry = undefined;
    if (registry !== undefined) await registry.unsubscribe(this.service, this.listener);
  }

  /** Replaces the provider list of the interface (every group and version); the registry listener, or direct URLs. */
  update(providers: readonly ProviderInfo[]): void {
    this.registered = providers.length;
    const byAddress = new Map<string, ProviderInfo>();
    for (const p of providers) {
      if (!matchesReference(p, this.group, this.version)) continue;
      const seen = byAddress.get(p.address);
      // The same address registered twice (a restart racing its old ephemeral node): the newest wins.
      if (seen === undefined || p.timestamp > seen.timestamp) byAddress.set(p.address, p);
    }
    const next = [...byAddress.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    if (sameProviders(next, this.matched)) return;
    const previous = new Set(this.matched.map((p) => p.address));
    // A re-registered or departed address starts with a clean slate; the connection layer marks it down again if needed.
    for (const address of this.down) if (!byAddress.has(address) || !previous.has(address)) this.down.delete(address);
    this.matched = Object.freeze(next);
    this.stale = true;
    this.logger.info(
      `${this.describe()}: ${next.length} provider(s) of ${providers.length} registered: ${next.map((p) => p.address).join(', ') || '-'}`,
    );
  }

  /** The providers to balance over now: never empty while {@link all} is not. A stable array (see class doc). */
  providers(): readonly ProviderInfo[] {
    if (
      this.stale ||
      this.seenOutlierVersion !== this.outlierDetector.version ||
      (this.availableUntil !== Infinity && this.now() >= this.availableUntil)
    ) {
      this.refilter();
    }
    return this.available;
  }

  /** Every enabled provider matching group and version, down or not, sorted by address. */
  all(): readonly ProviderInfo[] {
    return this.matched;
  }

  /** The connection to `address` closed: stop picking it until {@link markAvailable}. */
  markUnavailable(address: string): void {
    if (this.down.has(address)) return;
    this.down.add(address);
    this.stale = true;
  }

  /** The connection to `address` is usable again. */
  markAvailable(address: string): void {
    if (this.down.delete(address)) this.stale = true;
  }

  /** Provider counts at each filtering stage. */
  counts(): DirectoryCounts {
    this.providers();
    return { registered: this.registered, matched: this.matched.length, available: this.availableCount };
  }

  /** 'com.acme.UserService (group 'a', version '1.0.0')', for messages. */
  describe(): string {
    return `${this.service} (group '${this.group}', version '${this.version}')`;
  }

  private refilter(): void {
    const now = this.now();
    const detector = this.outlierDetector;
    this.seenOutlierVersion = detector.version;
    this.stale = false;
    let until = Infinity;
    const healthy = this.matched.filter((p) => {
      if (this.down.has(p.address)) return false;
      const state = detector.state(p.address, now);
      if (state === OutlierState.EJECTED) {
        const ends = detector.ejectedUntil(p.address);
        if (ends > now) until = Math.min(until, ends);
        return false;
      }
      return true;
    });
    this.availableUntil = until;
    this.availableCount = healthy.length;
    let next = healthy;
    if (next.length === 0 && this.matched.length > 0) {
      const up = this.matched.filter((p) => !this.down.has(p.address));
      next = up.length > 0 ? up : [...this.matched];
      this.logger.warn(`${this.describe()}: every provider is down or set aside; trying them anyway`);
    }
    if (!sameProviders(next, this.available)) this.available = Object.freeze(next);
  }
}

function sameProviders(a: readonly ProviderInfo[], b: readonly ProviderInfo[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as ProviderInfo;
    const y = b[i] as ProviderInfo;
    if (x !== y && (x.address !== y.address || x.url !== y.url || x.weight !== y.weight || x.enabled !== y.enabled)) {
      return false;
    }
  }
  return true;
}
