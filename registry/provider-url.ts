import { RpcError } from '../src/errors/rpc-error';
import { DEFAULT_WARMUP_MS, DEFAULT_WEIGHT, type ProviderInfo } from '../src/common/provider-info';
import type { ServiceRegistration } from '../src/common/registry';
import { decodeJavaUrlComponent, encodeJavaUrlComponent } from './url-encoding';

/**
 * The provider/consumer URL model, in Dubbo's shape:
 * `courier://10.0.0.5:20880/com.acme.UserService?application=user-svc&group=&methods=getUser&...&weight=100`
 * (parameters sorted by name; a consumer is `consumer://10.0.0.9/com.acme.UserService?...&side=consumer`).
 */

/** Defaults a provider URL implies when a parameter is absent. */
export const PROVIDER_URL_DEFAULTS = {
  group: '',
  version: '',
  serialization: 'msgpack',
  weight: DEFAULT_WEIGHT,
  warmup: DEFAULT_WARMUP_MS,
} as const;

/** A URL taken apart. `port` is 0 when the URL has none (consumer URLs). */
export interface ParsedRegistryUrl {
  protocol: string;
  host: string;
  port: number;
  /** The path without its leading '/': the interface name. */
  service: string;
  parameters: Record<string, string>;
}

// Parameter values are written raw as Dubbo does; only the characters that would break parsing are escaped.
const VALUE_ESCAPES = /[%&=#\s]/g;

function escapeValue(value: string): string {
  return value.replace(VALUE_ESCAPES, (c) => encodeURIComponent(c));
}

function unescapeValue(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value; // a foreign writer's literal '%': keep it as written
  }
}

function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * Formats a registration as its URL, parameters sorted, `side` included.
 *
 * @example formatRegistryUrl({ side: 'provider', protocol: 'courier', host: '10.0.0.5', port: 20880,
 *   service: 'com.acme.UserService', parameters: { version: '1.0.0' } })
 *   // 'courier://10.0.0.5:20880/com.acme.UserService?side=provider&version=1.0.0'
 */
export function formatRegistryUrl(registration: ServiceRegistration): string {
  const parameters: Record<string, string> = { ...registration.parameters, side: registration.side };
  const query = Object.keys(parameters)
    .sort()
    .map((key) => `${escapeValue(key)}=${escapeValue(parameters[key] ?? '')}`)
    .join('&');
  const authority =
    registration.port > 0 ? `${formatHost(registration.host)}:${registration.port}` : formatHost(registration.host);
  return `${registration.protocol}://${authority}/${registration.service}${query === '' ? '' : `?${query}`}`;
}

const URL_PATTERN = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]*\]|[^/:?]*)(?::(\d+))?(?:\/([^?]*))?(?:\?(.*))?$/i;

/** Parses a URL written by formatRegistryUrl (or by Dubbo). Throws CONFIG_ERROR when it is not a URL. */
export function parseRegistryUrl(url: string): ParsedRegistryUrl {
  const match = URL_PATTERN.exec(url.trim());
  if (match === null) throw new RpcError('CONFIG_ERROR', `Not a registry URL: '${url}'`);
  const [, protocol = '', rawHost = '', rawPort, path = '', query = ''] = match;
  const port = rawPort === undefined ? 0 : Number(rawPort);
  if (port > 65535) throw new RpcError('CONFIG_ERROR', `Port out of range in registry URL '${url}'`);
  const parameters: Record<string, string> = {};
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = unescapeValue(eq < 0 ? pair : pair.slice(0, eq));
    parameters[key] = eq < 0 ? '' : unescapeValue(pair.slice(eq + 1));
  }
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  return { protocol: protocol.toLowerCase(), host, port, service: path, parameters };
}

/** The ZooKeeper node name of a URL: Java's URLEncoder over the whole URL, as Dubbo names it. */
export function encodeNodeName(url: string): string {
  return encodeJavaUrlComponent(url);
}

/** The URL a ZooKeeper node name stands for. */
export function decodeNodeName(nodeName: string): string {
  return decodeJavaUrlComponent(nodeName);
}

function numberParameter(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : fallback;
}

/**
 * The ProviderInfo a provider URL describes, with Dubbo's defaults for absent parameters
 * (weight 100, warm-up 10 minutes, enabled unless `enabled=false`, group and version '', serialization msgpack).
 */
export function toProviderInfo(url: string | ParsedRegistryUrl): ProviderInfo {
  const parsed = typeof url === 'string' ? parseRegistryUrl(url) : url;
  const p = parsed.parameters;
  return {
    address: `${formatHost(parsed.host)}:${parsed.port}`,
    host: parsed.host,
    port: parsed.port,
    service: parsed.service,
    group: p['group'] ?? PROVIDER_URL_DEFAULTS.group,
    version: p['version'] ?? PROVIDER_URL_DEFAULTS.version,
    weight: numberParameter(p['weight'], PROVIDER_URL_DEFAULTS.weight),
    timestamp: numberParameter(p['timestamp'], 0),
    warmup: numberParameter(p['warmup'], PROVIDER_URL_DEFAULTS.warmup),
    enabled: p['enabled'] !== 'false',
    serialization: p['serialization'] || PROVIDER_URL_DEFAULTS.serialization,
    parameters: Object.freeze({ ...p }),
    url: typeof url === 'string' ? url : formatParsed(parsed),
  };
}

function formatParsed(parsed: ParsedRegistryUrl): string {
  const { side, ...parameters } = parsed.parameters;
  return formatRegistryUrl({
    side: side === 'consumer' ? 'consumer' : 'provider',
    protocol: parsed.protocol,
    host: parsed.host,
    port: parsed.port,
    service: parsed.service,
    parameters,
  });
}

/** What a provider publishes; everything but host, port and service has a default. */
export interface ProviderRegistrationInput {
  host: string;
  port: number;
  service: string;
  application?: string;
  group?: string;
  version?: string;
  methods?: readonly string[];
  weight?: number;
  serialization?: string;
  /** Any further parameters (e.g. warmup, enabled); they win over the fields above. */
  parameters?: Record<string, string>;
}

/**
 * A provider registration with Dubbo's usual parameters filled in (pid, timestamp now, methods sorted).
 *
 * @example await registry.register(providerRegistration({ host: '10.0.0.5', port: 20880,
 *   service: 'com.acme.UserService', version: '1.0.0', methods: ['getUser'] }));
 */
export function providerRegistration(input: ProviderRegistrationInput): ServiceRegistration {
  return {
    side: 'provider',
    protocol: 'courier',
    host: input.host,
    port: input.port,
    service: input.service,
    parameters: {
      application: input.application ?? '',
      group: input.group ?? PROVIDER_URL_DEFAULTS.group,
      methods: [...(input.methods ?? [])].sort().join(','),
      pid: String(process.pid),
      serialization: input.serialization ?? PROVIDER_URL_DEFAULTS.serialization,
      timestamp: String(Date.now()),
      version: input.version ?? PROVIDER_URL_DEFAULTS.version,
      weight: String(input.weight ?? PROVIDER_URL_DEFAULTS.weight),
      ...input.parameters,
    },
  };
}

/** What a consumer publishes (Dubbo's `consumer://host/service?...&side=consumer`). */
export interface ConsumerRegistrationInput {
  host: string;
  service: string;
  application?: string;
  group?: string;
  version?: string;
  parameters?: Record<string, string>;
}

/** A consumer registration: protocol 'consumer', no port, pid and timestamp filled in. */
export function consumerRegistration(input: ConsumerRegistrationInput): ServiceRegistration {
  return {
    side: 'consumer',
    protocol: 'consumer',
    host: input.host,
    port: 0,
    service: input.service,
    parameters: {
      application: input.application ?? '',
      group: input.group ?? '',
      pid: String(process.pid),
      timestamp: String(Date.now()),
      version: input.version ?? '',
      ...input.parameters,
    },
  };
}
