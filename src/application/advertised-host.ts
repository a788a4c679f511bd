import { networkInterfaces } from 'node:os';

const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/**
 * The host consumers should connect to: the bound host, unless it is a wildcard (which no consumer can dial),
 * then this machine's first non-internal IPv4 address, else loopback.
 */
export function advertisedHost(boundHost: string): string {
  if (!WILDCARDS.has(boundHost)) return boundHost;
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return '127.0.0.1';
}
