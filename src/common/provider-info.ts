/**
 * One provider of one service, as discovery reports it. Registries build these from their URLs
 * (registry/provider-url.ts); the cluster layer balances over them.
 */
export interface ProviderInfo {
  /** 'host:port', the key of the provider's connection. */
  readonly address: string;
  readonly host: string;
  readonly port: number;
  /** Interface (wire) name. */
  readonly service: string;
  readonly group: string;
  readonly version: string;
  /** Relative weight for balancing, default 100. */
  readonly weight: number;
  /** When the provider registered (ms since epoch), for warm-up; 0 when unknown. */
  readonly timestamp: number;
  /** Warm-up period in ms (default 10 minutes). */
  readonly warmup: number;
  /** False when an operator disabled the provider (URL parameter enabled=false). */
  readonly enabled: boolean;
  /** Serializer the provider prefers ('msgpack' by default). */
  readonly serialization: string;
  /** Every URL parameter, as registered. */
  readonly parameters: Readonly<Record<string, string>>;
  /** The full provider URL (unencoded), for logs. */
  readonly url: string;
}

export const DEFAULT_WEIGHT = 100;
export const DEFAULT_WARMUP_MS = 10 * 60 * 1000;
