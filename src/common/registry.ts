import type { Logger } from './logger';
import type { ProviderInfo } from './provider-info';

/** What a process publishes about itself: a provider of a service, or a consumer of one. */
export interface ServiceRegistration {
  side: 'provider' | 'consumer';
  /** 'courier' for providers, 'consumer' for consumers (Dubbo's convention). */
  protocol: string;
  host: string;
  port: number;
  /** Interface (wire) name. */
  service: string;
  /** group, version, application, methods, weight, serialization, pid, timestamp, ... (sorted when formatted). */
  parameters: Record<string, string>;
}

/** Receives the full provider list of one interface (every group and version) each time it changes. */
export type ProviderListener = (providers: readonly ProviderInfo[]) => void;

/**
 * Service discovery. Implementations are chosen by URL scheme (`zookeeper://`, `memory://`, `courier://` direct).
 * subscribe() calls the listener with the current list as soon as it is known, then on every change.
 */
export interface Registry {
  readonly url: string;
  register(registration: ServiceRegistration): Promise<void>;
  unregister(registration: ServiceRegistration): Promise<void>;
  subscribe(service: string, listener: ProviderListener): Promise<void>;
  unsubscribe(service: string, listener: ProviderListener): Promise<void>;
  close(): Promise<void>;
}

export interface RegistryOptions {
  logger?: Logger;
  /** The application name published in URLs. */
  application?: string;
}
