import { serviceNameOf, type ServiceToken } from '../common/service-name';
import { RpcError } from '../errors/rpc-error';
import { serviceKey } from './invocation';

/** How a service instance is published on an RpcServer. */
export interface ExportOptions {
  /** Wire name: a string, or an abstract class token (see serviceNameOf). */
  interface: ServiceToken;
  version?: string;
  group?: string;
  /**
   * Declared parameter types per method, used to validate arguments. Defaults to `design:paramtypes`
   * when the compiler emitted it (tsc, swc, ts-node); esbuild/tsx emit none, and then nothing is checked.
   */
  parameterTypes?: Record<string, readonly Function[]>;
  /** Remember recent call ids and run a retried call at most once (see CallDeduplicator). */
  dedup?: boolean;
}

/** A published service: its key, its instance and the table of its callable methods. */
export interface ExportedService {
  readonly key: string;
  readonly service: string;
  readonly group: string;
  readonly version: string;
  readonly instance: object;
  readonly methods: ReadonlyMap<string, Function>;
  readonly parameterTypes: ReadonlyMap<string, readonly Function[]>;
  readonly dedup: boolean;
}

/** Names never callable remotely even when an instance defines them. */
const FORBIDDEN = new Set(['constructor', '__proto__', 'prototype', 'then']);

/**
 * The provider's service map, keyed `group/interface:version`. Methods are collected once at export time
 * into a Map, so a request can only reach the instance's own methods: nothing from Object.prototype
 * (toString, hasOwnProperty, __proto__, valueOf ...) is ever a key.
 */
export class ServiceMap {
  private readonly services = new Map<string, ExportedService>();
  /** Per interface name, for the per-request lookup: no key string is built on the hot path. */
  private readonly byInterface = new Map<string, ExportedService[]>();

  add(instance: object, options: ExportOptions): ExportedService {
    if (instance === null || typeof instance !== 'object') {
      throw new RpcError('CONFIG_ERROR', `Only objects can be exported, got ${typeof instance}`);
    }
    const service = serviceNameOf(options.interface);
    const group = options.group ?? '';
    const version = options.version ?? '';
    const key = serviceKey(service, group, version);
    if (this.services.has(key)) throw new RpcError('CONFIG_ERROR', `Service ${key} is already exported`);
    const methods = collectMethods(instance);
    if (methods.size === 0) throw new RpcError('CONFIG_ERROR', `Service ${key} has no methods to export`);
    const exported: ExportedService = {
      key,
      service,
      group,
      version,
      instance,
      methods,
      parameterTypes: collectParameterTypes(instance, methods, options.parameterTypes),
      dedup: options.dedup ?? false,
    };
    this.services.set(key, exported);
    const siblings = this.byInterface.get(service);
    if (siblings === undefined) this.byInterface.set(service, [exported]);
    else siblings.push(exported);
    return exported;
  }

  get(key: string): ExportedService | undefined {
    return this.services.get(key);
  }

  /** The service for one request, without building its key. */
  find(service: string, group: string, version: string): ExportedService | undefined {
    const candidates = this.byInterface.get(service);
    if (candidates === undefined) return undefined;
    for (const candidate of candidates) {
      if (candidate.group === group && candidate.version === version) return candidate;
    }
    return undefined;
  }

  /** For SERVICE_NOT_FOUND messages: what this provider does serve under that interface name. */
  keysOf(service: string): string[] {
    return [...this.services.values()].filter((s) => s.service === service).map((s) => s.key);
  }

  all(): ExportedService[] {
    return [...this.services.values()];
  }
}

function collectMethods(instance: object): Map<string, Function> {
  const methods = new Map<string, Function>();
  const consider = (owner: object, name: string) => {
    if (FORBIDDEN.has(name) || methods.has(name)) return;
    const descriptor = Object.getOwnPropertyDescriptor(owner, name);
    if (descriptor !== undefined && typeof descriptor.value === 'function') methods.set(name, descriptor.value);
  };
  // Own function-valued fields (arrow-function properties) first, then the prototype chain up to Object.prototype.
  for (const name of Object.getOwnPropertyNames(instance)) consider(instance, name);
  for (let proto = Object.getPrototypeOf(instance); proto !== null && proto !== Object.prototype;) {
    for (const name of Object.getOwnPropertyNames(proto)) consider(proto, name);
    proto = Object.getPrototypeOf(proto);
  }
  return methods;
}

function collectParameterTypes(
  instance: object,
  methods: ReadonlyMap<string, Function>,
  declared: Record<string, readonly Function[]> | undefined,
): Map<string, readonly Function[]> {
  const types = new Map<string, readonly Function[]>();
  const reflect = Reflect as unknown as { getMetadata?: (key: string, target: object, property: string) => unknown };
  for (const name of methods.keys()) {
    const explicit = declared?.[name];
    if (explicit !== undefined) {
      types.set(name, explicit);
      continue;
    }
    const emitted = reflect.getMetadata?.('design:paramtypes', instance, name);
    if (Array.isArray(emitted)) types.set(name, emitted as Function[]);
  }
  return types;
}
