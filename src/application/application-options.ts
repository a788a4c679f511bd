import type { Logger } from '../common/logger';
import type { RpcClientOptions } from '../rpc/rpc-client';
import { DEFAULT_SERVER_OPTIONS } from '../rpc/rpc-server';

/** Options of `bootstrap()`. Unset values take DEFAULT_APPLICATION_OPTIONS. */
export interface ApplicationOptions {
  /** Where providers are published and found: 'zookeeper://127.0.0.1:2181', 'memory://'. None: direct URLs only. */
  registry?: string;
  /** Interface the server binds. Default '127.0.0.1'; '0.0.0.0' to serve other machines. */
  host?: string;
  /** Port the server binds; 0 picks a free one (read it from `app.server.address`). Default 20880. */
  port?: number;
  /** Host written in the provider URLs. Default: the bound host, or this machine's first external IPv4 for a wildcard. */
  advertiseHost?: string;
  /** Application name published in provider and consumer URLs. Default: the entry class's name. */
  application?: string;
  /** Stop once on the first SIGTERM/SIGINT, then re-raise the signal so the process ends as it would have. */
  handleSignals?: boolean;
  /** How long stop() lets in-flight calls finish before closing connections anyway. */
  drainTimeoutMs?: number;
  /** Largest frame body the server accepts. */
  maxFrameSize?: number;
  /** Make this application's client the one `@Reference` properties resolve through by default. */
  defaultClient?: boolean;
  /** Whether the scan may load .ts files; detected (jest, ts-node, tsx) when unset. */
  typescript?: boolean;
  logger?: Logger;
  /** Defaults of every reference of the application's client (timeout, retries, loadbalance, ...). */
  client?: Partial<Omit<RpcClientOptions, 'registry' | 'application' | 'logger'>>;
}

/** Resolved options: what the application actually runs with. */
export type ResolvedApplicationOptions = Required<
  Omit<ApplicationOptions, 'registry' | 'advertiseHost' | 'typescript'>
> &
  Pick<ApplicationOptions, 'registry' | 'advertiseHost' | 'typescript'>;

export const DEFAULT_APPLICATION_OPTIONS = Object.freeze({
  host: DEFAULT_SERVER_OPTIONS.host,
  port: DEFAULT_SERVER_OPTIONS.port,
  handleSignals: false,
  drainTimeoutMs: DEFAULT_SERVER_OPTIONS.drainTimeoutMs,
  maxFrameSize: DEFAULT_SERVER_OPTIONS.maxFrameSize,
  defaultClient: true,
  client: Object.freeze({}),
});
