import type { ProviderInfo } from '../src/common/provider-info';
import type { ProviderListener, Registry, RegistryOptions, ServiceRegistration } from '../src/common/registry';
import { RpcError } from '../src/errors/rpc-error';
import { toProviderInfo } from './provider-url';

/** Port of a direct address written without one (Dubbo's default). */
export const DEFAULT_DIRECT_PORT = 20880;

/** A direct URL taken apart: its addresses and the parameters every listed provider gets. */
export interface DirectUrl {
  addresses: ReadonlyArray<{ host: string; port: number }>;
  /** The path, when the URL names a service (`courier://h:p/com.acme.UserService`); '' otherwise. */
  service: string;
  parameters: Readonly<Record<string, string>>;
}

/** Parses `courier://127.0.0.1:20880,127.0.0.1:20881/[service]?weight=..&version=..`. Throws CONFIG_ERROR. */
export function parseDirectUrl(url: string): DirectUrl {
  const match = /^courier:\/\/([^/?]*)(?:\/([^?]*))?(?:\?(.*))?$/i.exec(url.trim());
  if (match === null) throw new RpcError('CONFIG_ERROR', `Not a direct provider URL: '${url}'`);
  const [, hostList = '', service = '', query = ''] = match;
  const addresses = hostList
    .split(',')
    .filter((entry) => entry !== '')
    .map((entry) => parseAddress(entry, url));
  if (addresses.length === 0) throw new RpcError('CONFIG_ERROR', `Direct URL '${url}' names no provider address`);
  return { addresses, service, parameters: Object.fromEntries(new URLSearchParams(query)) };
}

function parseAddress(entry: string, url: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry.trim());
  const port = match?.[2] === undefined ? DEFAULT_DIRECT_PORT : Number(match[2]);
  if (match?.[1] === undefined || port < 1 || port > 65535) {
    throw new RpcError('CONFIG_ERROR', `Bad address '${entry}' in direct URL '${url}'`);
  }
  const host = match[1].startsWith('[') ? match[1].slice(1, -1) : match[1];
  return { host, port };
}

/**
 * Registry-less discovery: the providers are the addresses in the URL, for whatever service is subscribed.
 * register() and unregister() do nothing (nobody discovers a directly addressed provider).
 * Every provider carries the URL's parameters plus `direct=true`, so a directory can tell them apart.
 *
 * @example createRegistry('courier://127.0.0.1:20880,127.0.0.1:20881/?version=1.0.0')
 */
export class DirectRegistry implements Registry {
  readonly url: string;
  private readonly parsed: DirectUrl;
  private readonly listeners = new Set<ProviderListener>();
  private closed = false;

  constructor(url: string, _options: RegistryOptions = {}) {
    this.url = url;
    this.parsed = parseDirectUrl(url);
  }

  /** The providers of `service` this URL names. */
  providersOf(service: string): readonly ProviderInfo[] {
    return Object.freeze(
      this.parsed.addresses.map(({ host, port }) =>
        toProviderInfo({
          protocol: 'courier',
          host,
          port,
          service,
          parameters: { ...this.parsed.parameters, direct: 'true', side: 'provider' },
        }),
      ),
    );
  }

  async register(_registration: ServiceRegistration): Promise<void> {}

  async unregister(_registration: ServiceRegistration): Promise<void> {}

  async subscribe(service: string, listener: ProviderListener): Promise<void> {
    if (this.closed) throw new RpcError('REGISTRY_ERROR', `Cannot subscribe: registry ${this.url} is closed`);
    this.listeners.add(listener);
    const providers = this.providersOf(service);
    // Asynchronous like every other registry, so callers never depend on re-entrancy.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.listeners.has(listener)) listener(providers);
  }

  async unsubscribe(_service: string, listener: ProviderListener): Promise<void> {
    this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
  }
}
