import { types } from 'node:util';
import { lookupTypeByName, registeredNameOf, typeNameOf } from './type-registry';

/**
 * The type tag of one value, as call declarations carry it per argument (CallDeclaration.parameterTypes):
 * 'undefined', 'null', 'number', 'string', 'boolean', 'bigint', 'Date', 'Map', 'Set', 'Buffer', a typed array's
 * constructor name ('Uint8Array', 'Float64Array', ...), 'DataView', 'ArrayBuffer', 'RegExp', 'Array', 'Error',
 * the registered wire name of a registered class's instance, and 'object' for everything else (plain objects
 * and instances of unregistered classes, which travel as plain objects).
 *
 * @example
 * typeTagOf(new Date()); // 'Date'
 * typeTagOf(new User(1, 'Ada')); // 'com.acme.User' once registerType(User, 'com.acme.User') ran
 */
export function typeTagOf(value: unknown): string {
  // 'function' and 'symbol' cannot travel, but are named anyway so a BAD_REQUEST can say what was passed.
  if (typeof value !== 'object') return typeof value;
  return value === null ? 'null' : objectTag(value);
}

function objectTag(value: object): string {
  // Registered names first: a registered Error or Map subclass is itself, not its parent.
  const registered = registeredNameOf(value);
  if (registered !== undefined) return registered;
  if (Array.isArray(value)) return 'Array';
  if (value instanceof Date) return 'Date';
  if (value instanceof Map) return 'Map';
  if (value instanceof Set) return 'Set';
  if (ArrayBuffer.isView(value)) {
    if (Buffer.isBuffer(value)) return 'Buffer';
    return value instanceof DataView ? 'DataView' : typedArrayName(value);
  }
  if (value instanceof Error || types.isNativeError(value)) return 'Error';
  if (value instanceof ArrayBuffer) return 'ArrayBuffer';
  if (value instanceof RegExp) return 'RegExp';
  return 'object';
}

/** Typed arrays by their built-in name; a subclass, or one from another realm, reports the built-in. */
function typedArrayName(view: ArrayBufferView): string {
  return (view as unknown as { [Symbol.toStringTag]: string })[Symbol.toStringTag];
}

/** The built-in typed array constructors by name: revivers look names up here, never on globalThis. */
export const TYPED_ARRAYS: Readonly<Record<string, TypedArrayConstructor>> = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
};

export type TypedArrayConstructor =
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Uint8ClampedArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor;

/** Design types that accept exactly one primitive tag. */
const PRIMITIVE_DESIGN_TYPES = new Map<Function, string>([
  [Number, 'number'],
  [String, 'string'],
  [Boolean, 'boolean'],
  [BigInt, 'bigint'],
  [Symbol, 'symbol'],
]);

/** Built-in design types and the tags they accept (a Buffer is a Uint8Array, not the other way round). */
const BUILT_IN_DESIGN_TYPES = new Map<Function, ReadonlySet<string>>([
  [Array, new Set(['Array'])],
  [Date, new Set(['Date'])],
  [Map, new Set(['Map'])],
  [Set, new Set(['Set'])],
  [RegExp, new Set(['RegExp'])],
  [ArrayBuffer, new Set(['ArrayBuffer'])],
  [DataView, new Set(['DataView'])],
  [Buffer, new Set(['Buffer'])],
  [Uint8Array, new Set(['Uint8Array', 'Buffer'])],
  ...Object.entries(TYPED_ARRAYS)
    .filter(([name]) => name !== 'Uint8Array')
    .map(([name, ctor]): [Function, ReadonlySet<string>] => [ctor, new Set([name])]),
]);

/**
 * Does an argument tagged `tag` fit a parameter whose `design:paramtypes` entry is `designType`?
 * The provider answers BAD_REQUEST when it does not. The rules:
 * - 'null' and 'undefined' always fit (an absent argument; the method decides).
 * - Number, String, Boolean, BigInt, Symbol accept only their primitive tag.
 * - Object, Function and a missing design type accept anything: TypeScript emits Object for `any`, `unknown`,
 *   interfaces, unions and type literals, so Object says nothing about the value.
 * - Array, Date, Map, Set, RegExp, ArrayBuffer, DataView and typed arrays accept their own tag; Uint8Array
 *   also accepts 'Buffer' (a Buffer is a Uint8Array).
 * - A registered class accepts its own name and the names of registered subclasses.
 * - An unregistered class accepts what its instances travel as ('object'; 'Error' for Error and its
 *   unregistered subclasses) and the names of registered subclasses.
 */
export function tagMatchesDesignType(tag: string, designType: Function | undefined | null): boolean {
  if (tag === 'null' || tag === 'undefined') return true;
  if (designType === undefined || designType === null || designType === Object || designType === Function) {
    return true;
  }
  const primitive = PRIMITIVE_DESIGN_TYPES.get(designType);
  if (primitive !== undefined) return tag === primitive;
  const builtIn = BUILT_IN_DESIGN_TYPES.get(designType);
  if (builtIn !== undefined) return builtIn.has(tag);
  const unregistered = typeNameOf(designType) === undefined;
  const isErrorType = designType === Error || designType.prototype instanceof Error;
  // What an unregistered class's instance arrives as: a plain Error for errors, a plain object otherwise.
  if (tag === 'Error') return isErrorType && unregistered;
  if (tag === 'object') return !isErrorType && unregistered;
  const tagged = lookupTypeByName(tag);
  return tagged !== undefined && (tagged === designType || tagged.prototype instanceof designType);
}
