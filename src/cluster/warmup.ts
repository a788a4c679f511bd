import type { ProviderInfo } from '../common/provider-info';

/**
 * The weight a provider gets at `now` (Date.now() ms): its configured weight, ramped up linearly over its warm-up
 * period from its registration timestamp, so a freshly started process (cold JIT, empty caches) is not flooded.
 * A warming provider gets at least 1; a weight of 0 (or an invalid one) stays 0.
 *
 * @example warmupWeight({ weight: 100, timestamp: now - 60_000, warmup: 600_000, ... }, now) === 10
 */
export function warmupWeight(provider: ProviderInfo, now: number): number {
  const weight = provider.weight > 0 ? provider.weight : 0;
  if (weight === 0 || provider.timestamp <= 0 || provider.warmup <= 0) return weight;
  const uptime = now - provider.timestamp;
  // A provider clock ahead of ours looks "not started yet": treat it as just started, as Dubbo does.
  if (uptime <= 0) return 1;
  if (uptime >= provider.warmup) return weight;
  return Math.max(1, (weight * uptime) / provider.warmup);
}

/** When `provider` finishes warming up (ms since epoch), or 0 when it never warms up. */
export function warmupEndsAt(provider: ProviderInfo): number {
  return provider.timestamp > 0 && provider.warmup > 0 && provider.weight > 0
    ? provider.timestamp + provider.warmup
    : 0;
}
