import * as os from 'node:os';
import * as path from 'node:path';
import type { RegistryOptions } from '../src/common/registry';
import { RpcError } from '../src/errors/rpc-error';

/** Port of a ZooKeeper host written without one. */
export const DEFAULT_ZOOKEEPER_PORT = 2181;

/** Tuning of the ZooKeeper registry; every field may also be given as a URL query parameter. */
export interface ZookeeperRegistryOptions extends RegistryOptions {
  /** The znode under which services live (Dubbo uses '/dubbo'). */
  root?: string;
  /** Requested session timeout in ms; the server clamps it to its [minSessionTimeout, maxSessionTimeout]. */
  sessionTimeout?: number;
  /** Upper bound of the random pause between rounds of reconnection attempts, in ms. */
  spinDelay?: number;
  /** How often this process checks that its ephemeral nodes exist and belong to its current session, in ms. */
  reconcileInterval?: number;
  /** Bound on each ZooKeeper operation register/unregister/subscribe waits for, in ms. */
  operationTimeout?: number;
  /**
   * How long register() and subscribe() wait for an unconnected session before falling back (the registration is
   * then made when ZooKeeper is back; the subscriber gets the cached providers), in ms.
   */
  connectWait?: number;
  /** After a new session (expiry), how long an empty provider list is held back for providers to re-register, in ms. */
  emptyListGrace?: number;
  /** Cache file of the last provider lists; '' disables it. Default: <os.tmpdir()>/courier-registry/<servers>.json. */
  cacheFile?: string;
  /** Digest credentials 'user:password'; nodes are then created with a creator-all ACL. */
  auth?: string;
}

/** Defaults merged under the URL's and the caller's options, once. */
export const DEFAULT_ZOOKEEPER_OPTIONS = {
  root: '/courier',
  sessionTimeout: 30_000,
  spinDelay: 250,
  reconcileInterval: 15_000,
  operationTimeout: 10_000,
  connectWait: 3_000,
  emptyListGrace: 3_000,
} as const;

/** A parsed `zookeeper://` URL merged with options: everything the registry needs, resolved. */
export interface ZookeeperConfig {
  /** 'h1:2181,h2:2181' plus the chroot, as node-zookeeper-client takes it. */
  connectString: string;
  servers: readonly string[];
  /** '' when there is none. */
  chroot: string;
  root: string;
  sessionTimeout: number;
  spinDelay: number;
  reconcileInterval: number;
  operationTimeout: number;
  connectWait: number;
  emptyListGrace: number;
  cacheFile: string;
  auth?: string;
  /** The URL with the password masked, for logs. */
  displayUrl: string;
}

const NUMERIC_OPTIONS = [
  'sessionTimeout',
  'spinDelay',
  'reconcileInterval',
  'operationTimeout',
  'connectWait',
  'emptyListGrace',
] as const;

/**
 * Parses `zookeeper://h1:2181,h2:2181,h3:2181/chroot?root=/courier&sessionTimeout=6000&auth=user:pass`.
 * Explicit options win over URL parameters, which win over DEFAULT_ZOOKEEPER_OPTIONS. Throws CONFIG_ERROR.
 */
export function parseZookeeperUrl(url: string, options: ZookeeperRegistryOptions = {}): ZookeeperConfig {
  const match = /^zookeeper:\/\/([^/?]+)(\/[^?]*)?(?:\?(.*))?$/i.exec(url.trim());
  if (match === null) throw new RpcError('CONFIG_ERROR', `Not a ZooKeeper registry URL: '${maskAuth(url)}'`);
  const [, hostList = '', rawChroot = '', query = ''] = match;
  const servers = hostList
    .split(',')
    .map((host) => host.trim())
    .filter((host) => host !== '')
    .map((host) => (/:\d+$/.test(host) ? host : `${host}:${DEFAULT_ZOOKEEPER_PORT}`));
  if (servers.length === 0) throw new RpcError('CONFIG_ERROR', `No ZooKeeper server in '${maskAuth(url)}'`);
  const chroot = normalizePath(rawChroot);
  const params = new URLSearchParams(query);

  const numbers = {} as Record<(typeof NUMERIC_OPTIONS)[number], number>;
  for (const key of NUMERIC_OPTIONS) {
    const raw = options[key] ?? params.get(key) ?? DEFAULT_ZOOKEEPER_OPTIONS[key];
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) {
      throw new RpcError('CONFIG_ERROR', `Option ${key}=${String(raw)} of '${maskAuth(url)}' is not a duration in ms`);
    }
    numbers[key] = value;
  }
  const root = normalizePath(options.root ?? params.get('root') ?? DEFAULT_ZOOKEEPER_OPTIONS.root);
  if (root === '') throw new RpcError('CONFIG_ERROR', `The registry root of '${maskAuth(url)}' cannot be '/'`);
  const auth = options.auth ?? params.get('auth') ?? undefined;
  if (auth !== undefined && !/^[^:]+:.+$/.test(auth)) {
    throw new RpcError('CONFIG_ERROR', `auth of '${maskAuth(url)}' must be 'user:password'`);
  }
  const connectString = servers.join(',') + chroot;
  const cacheFile = options.cacheFile ?? params.get('cacheFile') ?? defaultCacheFile(connectString);
  return {
    connectString,
    servers,
    chroot,
    root,
    ...numbers,
    cacheFile,
    ...(auth === undefined ? {} : { auth }),
    displayUrl: maskAuth(url),
  };
}

/** '/a/b/' → '/a/b', '/' or '' → ''. Rejects '.', '..' and empty segments, which ZooKeeper refuses. */
function normalizePath(value: string): string {
  const trimmed = value.trim().replace(/\/+$/, '');
  if (trimmed === '') return '';
  const withSlash = trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
  if (
    withSlash
      .split('/')
      .slice(1)
      .some((segment) => segment === '' || segment === '.' || segment === '..')
  ) {
    throw new RpcError('CONFIG_ERROR', `Invalid ZooKeeper path '${value}'`);
  }
  return withSlash;
}

/** The URL with the password of `auth=user:password` replaced by '***'. */
export function maskAuth(url: string): string {
  return url.replace(/([?&]auth=[^:&]*:)[^&]*/i, '$1***');
}

function defaultCacheFile(connectString: string): string {
  const name = connectString.replace(/[^A-Za-z0-9.-]+/g, '_');
  return path.join(os.tmpdir(), 'courier-registry', `${name}.json`);
}
