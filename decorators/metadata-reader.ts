import 'reflect-metadata';
import { serviceNameOf, type ServiceToken } from '../src/common/service-name';
import type { ContractMetadata } from './contract.decorator';
import {
  CONTRACT_METADATA,
  IDEMPOTENT_METADATA,
  SERIALIZABLE_METADATA,
  SERVICE_METADATA,
  SERVICE_SCAN_METADATA,
} from './metadata-keys';
import type { ServiceMetadata } from './service.decorator';
import type { ServiceScanMetadata } from './service-scan.decorator';

/*
 * Typed reads of what the decorators record. Always getOwnMetadata: a subclass of a @Service class is not a
 * service, nor is a subclass of the entry class an entry, unless decorated itself.
 */

/** Metadata recorded on exactly this class (never inherited). */
function readOwn<T>(key: string, target: unknown): T | undefined {
  return typeof target === 'function' ? (Reflect.getOwnMetadata(key, target) as T | undefined) : undefined;
}

/** `@Service` metadata of exactly this class. */
export function readServiceMetadata(target: unknown): ServiceMetadata | undefined {
  return readOwn<ServiceMetadata>(SERVICE_METADATA, target);
}

/** `@Contract` metadata of exactly this class. */
export function readContractMetadata(target: unknown): ContractMetadata | undefined {
  return readOwn<ContractMetadata>(CONTRACT_METADATA, target);
}

/** `@ServiceScan` metadata of exactly this class. */
export function readServiceScanMetadata(target: unknown): ServiceScanMetadata | undefined {
  return readOwn<ServiceScanMetadata>(SERVICE_SCAN_METADATA, target);
}

/** The wire type name `@Serializable` gave exactly this class. */
export function readSerializableName(target: unknown): string | undefined {
  return readOwn<string>(SERIALIZABLE_METADATA, target);
}

/**
 * Methods marked `@Idempotent` by a class or any class it extends (a contract's declaration holds for its
 * implementations), sorted.
 */
export function readIdempotentMethods(target: Function): readonly string[] {
  const names = new Set<string>();
  for (let p = target.prototype as object | null; p !== null && p !== undefined && p !== Object.prototype;) {
    for (const name of (Reflect.getOwnMetadata(IDEMPOTENT_METADATA, p) as readonly string[] | undefined) ?? []) {
      names.add(name);
    }
    p = Object.getPrototypeOf(p) as object | null;
  }
  return [...names].sort();
}

/** A contract class: marked `@Contract`, or declaring its own `static serviceName`. */
export function isContractClass(target: unknown): target is Function {
  if (typeof target !== 'function') return false;
  if (readContractMetadata(target) !== undefined) return true;
  return typeof Object.getOwnPropertyDescriptor(target, 'serviceName')?.value === 'string';
}

/** The wire name of a contract token: a string as is, a class by its `@Contract` name or `serviceNameOf`. */
export function contractNameOf(token: ServiceToken): string {
  return readContractMetadata(token)?.name ?? serviceNameOf(token);
}

/** The nearest contract class `implementation` extends, as the seed finds a class's implemented interface. */
export function findContract(implementation: Function): Function | undefined {
  for (let p = Object.getPrototypeOf(implementation) as unknown; typeof p === 'function';) {
    if (p === Function.prototype) return undefined;
    if (isContractClass(p)) return p;
    p = Object.getPrototypeOf(p) as unknown;
  }
  return undefined;
}
