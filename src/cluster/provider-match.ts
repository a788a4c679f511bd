import type { ProviderInfo } from '../common/provider-info';

/** The wildcard a reference uses for "any group" or "any version". */
export const ANY = '*';

/**
 * Dubbo's group rule: exact match ('' only matches ''), '*' matches any, and a comma list ('a,b') matches any of
 * its groups.
 */
export function matchesGroup(wanted: string, group: string): boolean {
  if (wanted === ANY || wanted === group) return true;
  return wanted.includes(',') && wanted.split(',').some((g) => g.trim() === group);
}

/** Dubbo's version rule: exact match ('' only matches ''), '*' matches any. */
export function matchesVersion(wanted: string, version: string): boolean {
  return wanted === ANY || wanted === version;
}

/** True when `provider` serves the reference's group and version and is not disabled. */
export function matchesReference(provider: ProviderInfo, group: string, version: string): boolean {
  return provider.enabled && matchesGroup(group, provider.group) && matchesVersion(version, provider.version);
}
