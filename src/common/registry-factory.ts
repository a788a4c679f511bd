import { RpcError } from '../errors/rpc-error';
import type { Registry, RegistryOptions } from './registry';

export type RegistryFactory = (url: string, options: RegistryOptions) => Registry;

const factories = new Map<string, RegistryFactory>();

/**
 * Makes `scheme://...` URLs resolve to a registry. Built-ins (zookeeper, memory, courier) register themselves
 * the same way when `courier-rpc` is imported.
 */
export function registerRegistryType(scheme: string, factory: RegistryFactory): void {
  factories.set(scheme.toLowerCase(), factory);
}

export function createRegistry(url: string, options: RegistryOptions = {}): Registry {
  const match = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  const scheme = match?.[1]?.toLowerCase();
  const factory = scheme === undefined ? undefined : factories.get(scheme);
  if (factory === undefined) {
    const known = [...factories.keys()].map((s) => `${s}://`).join(', ');
    throw new RpcError(
      'CONFIG_ERROR',
      `Unknown registry URL '${url}': expected one of ${known || '(none registered)'}`,
    );
  }
  return factory(url, options);
}
