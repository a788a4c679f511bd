import 'reflect-metadata';
import type { ServiceToken } from '../src/common/service-name';
import type { ReferenceOptions } from '../src/rpc/reference-options';
import { REFERENCE_METADATA } from './metadata-keys';

/** What `@Reference` records, one per decorated property, on the prototype of the class declaring it. */
export interface ReferenceMetadata {
  readonly property: string | symbol;
  readonly service: ServiceToken;
  readonly options: Readonly<ReferenceOptions>;
  /** The declaring class's name, for error messages. */
  readonly owner: string;
}

/** The references declared by exactly this prototype (not its parents). */
export function readOwnReferences(prototype: object): readonly ReferenceMetadata[] {
  return (Reflect.getOwnMetadata(REFERENCE_METADATA, prototype) as readonly ReferenceMetadata[] | undefined) ?? [];
}

/**
 * Every reference an instance's class and its parents declare, the most derived declaration of each property
 * first. Unlike `@Service`, references are inherited on purpose: a subclass's instances have the properties too.
 */
export function readReferences(instance: object): readonly ReferenceMetadata[] {
  const seen = new Set<string | symbol>();
  const result: ReferenceMetadata[] = [];
  for (let p = Object.getPrototypeOf(instance) as object | null; p !== null && p !== Object.prototype;) {
    for (const reference of readOwnReferences(p)) {
      if (seen.has(reference.property)) continue;
      seen.add(reference.property);
      result.push(reference);
    }
    p = Object.getPrototypeOf(p) as object | null;
  }
  return result;
}
