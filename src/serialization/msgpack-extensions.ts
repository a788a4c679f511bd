import { addExtension } from 'msgpackr';
import { types } from 'node:util';
import { registeredNameOf } from './type-registry';
import { TYPED_ARRAYS } from './type-tag';
import { reviveError, reviveRegistered } from './revival';
import type { ErrorParts } from './revival';

/**
 * What msgpackr's plain mode does not keep by itself, and how Courier adds it. msgpackr writes -0 as 0 and a Map
 * like a plain object (both checked before any extension), so `prepareValue` walks a value before packing and
 * swaps those for marker objects that extensions encode. Everything else is an extension msgpackr finds by
 * `instanceof` while packing. Extension type codes (docs/PROTOCOL.md):
 *
 *   0x43 registered class instance  [wireName, fields] or, for errors, [wireName, fields, message, stack, cause]
 *   0x45 error (unregistered)       [name, fields, message, stack, cause]
 *   0x4D Map                        [key0, value0, key1, value1, ...]
 *   0x74 typed array                msgpackr's own layout: one byte naming the kind, then the raw bytes
 *   -0 is written as a float64 (0xcb 80 00 00 00 00 00 00 00), which every msgpack decoder reads as -0.
 *
 * Errors and typed arrays are recognised without `instanceof` against this realm's classes, so values made in
 * another realm (Node internals under jest's vm sandbox) keep their type too.
 * msgpackr keeps extensions process-wide, so these apply to every Packr in the process.
 */
export const EXT_REGISTERED = 0x43;
export const EXT_ERROR = 0x45;
export const EXT_MAP = 0x4d;
export const EXT_TYPED_ARRAY = 0x74;
/** Never written (see above); its reader only makes the code well-defined if a peer sends it. */
const EXT_NEGATIVE_ZERO = 0x5a;

/** msgpackr's typed array codes (the index), kept so its other decoders read ours. 16/17: ArrayBuffer/DataView. */
const TYPED_ARRAY_CODES = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];
const CODE_ARRAY_BUFFER = 16;
const CODE_DATA_VIEW = 17;

/** Stands for -0 inside a value being packed. */
class NegativeZero {}
const NEGATIVE_ZERO = new NegativeZero();

/** Stands for a Map inside a value being packed. */
class MapBox {
  constructor(readonly map: Map<unknown, unknown>) {}
}

function isError(value: object): value is Error {
  return value instanceof Error || types.isNativeError(value);
}

/** Matches errors from any realm. */
class ErrorInstance {
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && isError(value);
  }
}

/** Matches typed arrays from any realm, except Buffers (msgpack bin, revived as Buffer). */
class TypedArrayInstance {
  static [Symbol.hasInstance](value: unknown): boolean {
    return ArrayBuffer.isView(value) && !Buffer.isBuffer(value) && !(value instanceof DataView);
  }
}

/** Matches instances of registered classes by their own constructor, so one extension serves them all. */
class RegisteredInstance {
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && registeredNameOf(value) !== undefined;
  }
}

/** `value` with every -0 and Map (at any depth) replaced by markers; copies only the containers it changes. */
export function prepareValue(value: unknown): unknown {
  // Primitives first and cheapest: this walk runs over every value of every message.
  if (typeof value !== 'object') return value === 0 && 1 / value < 0 ? NEGATIVE_ZERO : value;
  return value === null ? value : prepareObject(value);
}

/** `prepareValue` for an array: copied only if an element changes. */
export function prepareArray(array: readonly unknown[]): unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < array.length; i++) {
    const element = array[i];
    const prepared = prepareValue(element);
    if (prepared === element) continue;
    copy ??= array.slice();
    copy[i] = prepared;
  }
  return copy ?? (array as unknown[]);
}

function prepareObject(value: object): unknown {
  const ctor = value.constructor;
  if (ctor === Object || ctor === undefined) return prepareFields(value);
  if (ctor === Array) return prepareArray(value as unknown[]);
  // Registered instances and errors are walked by their extension's writer.
  if (registeredNameOf(value) !== undefined) return value;
  // The common built-ins by their exact class first: no native isError call for every Date.
  if (ctor === Date) return value;
  if (ctor === Map) return new MapBox(value as Map<unknown, unknown>);
  if (isError(value)) return value;
  if (value instanceof Map) return new MapBox(value);
  if (Array.isArray(value)) return prepareArray(value);
  if (value instanceof Set) return prepareSet(value);
  if (ArrayBuffer.isView(value) || value instanceof Date || value instanceof RegExp || value instanceof ArrayBuffer) {
    return value;
  }
  // An unregistered class instance: it travels as a plain object of its own fields.
  return prepareFields(value);
}

/** The fields of a plain object, prepared: copied only if a field changes. */
function prepareFields(object: object): object {
  const source = object as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key in source) {
    const field = source[key];
    const prepared = prepareValue(field);
    if (prepared === field) continue;
    copy ??= { ...source };
    copy[key] = prepared;
  }
  return copy ?? object;
}

function prepareSet(set: Set<unknown>): Set<unknown> {
  for (const element of set) {
    // Rare (a Set holding a Map or -0): rebuild it once, in order.
    if (prepareValue(element) !== element) return new Set(prepareArray(Array.from(set)));
  }
  return set;
}

/** A fresh plain object of `value`'s own enumerable fields, prepared (the instance itself would recurse). */
function ownFields(value: object): Record<string, unknown> {
  const source = value as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(source)) fields[key] = prepareValue(source[key]);
  return fields;
}

function errorTuple(name: string, error: Error): unknown[] {
  return [name, ownFields(error), error.message, error.stack, prepareValue(error.cause)];
}

function errorParts(data: unknown[]): ErrorParts {
  const [, , message, stack, cause] = data;
  return {
    message: typeof message === 'string' ? message : String(message),
    stack: typeof stack === 'string' ? stack : undefined,
    cause,
  };
}

function expectTuple(data: unknown, what: string, minLength: number): unknown[] {
  if (!Array.isArray(data) || data.length < minLength || typeof data[0] !== 'string') {
    throw new TypeError(`Malformed ${what} extension`);
  }
  return data;
}

/** The Error extension; registered first so the registered-class extension, added after, is checked before it. */
addExtension({
  Class: ErrorInstance,
  type: EXT_ERROR,
  write: (error: Error) => errorTuple(error.name, error),
  read: (data: unknown) => {
    const tuple = expectTuple(data, 'error', 5);
    return reviveError(tuple[0] as string, tuple[1], errorParts(tuple));
  },
});

addExtension({
  Class: RegisteredInstance,
  type: EXT_REGISTERED,
  write: (value: object) => {
    const name = registeredNameOf(value) as string;
    return value instanceof Error ? errorTuple(name, value) : [name, ownFields(value)];
  },
  read: (data: unknown) => {
    const tuple = expectTuple(data, 'registered class', 2);
    return reviveRegistered(tuple[0] as string, tuple[1], tuple.length >= 5 ? errorParts(tuple) : undefined);
  },
});

addExtension({
  Class: MapBox,
  type: EXT_MAP,
  write: (box: MapBox) => {
    const flat = new Array<unknown>(box.map.size * 2);
    let i = 0;
    for (const [key, value] of box.map) {
      flat[i++] = prepareValue(key);
      flat[i++] = prepareValue(value);
    }
    return flat;
  },
  read: (data: unknown) => {
    if (!Array.isArray(data) || data.length % 2 !== 0) throw new TypeError('Malformed Map extension');
    const map = new Map<unknown, unknown>();
    for (let i = 0; i < data.length; i += 2) map.set(data[i], data[i + 1]);
    return map;
  },
});

addExtension({
  Class: TypedArrayInstance,
  type: EXT_TYPED_ARRAY,
  pack: (view: ArrayBufferView) => {
    const code = TYPED_ARRAY_CODES.indexOf((view as unknown as { [Symbol.toStringTag]: string })[Symbol.toStringTag]);
    const data = Buffer.allocUnsafe(1 + view.byteLength);
    data[0] = code;
    data.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), 1);
    return data;
  },
  unpack: (data: Uint8Array) => {
    const code = data[0] as number;
    // A copy of exactly the bytes: aligned for the element size, and not a view of the frame.
    const bytes = new ArrayBuffer(data.length - 1);
    new Uint8Array(bytes).set(data.subarray(1));
    if (code === CODE_ARRAY_BUFFER) return bytes;
    if (code === CODE_DATA_VIEW) return new DataView(bytes);
    const TypedArray = TYPED_ARRAYS[TYPED_ARRAY_CODES[code] ?? ''];
    if (TypedArray === undefined) throw new TypeError(`Unknown typed array code ${code}`);
    return new TypedArray(bytes);
  },
});

/** msgpackr passes pack-form extensions an allocator into its own output buffer (the typings omit it). */
type AllocateForWrite = (size: number) => { target: Buffer; position: number };

addExtension({
  Class: NegativeZero,
  type: EXT_NEGATIVE_ZERO,
  // Writes a plain float64 -0 in place and returns nothing, so no extension header is emitted.
  pack: ((_value: NegativeZero, allocateForWrite: AllocateForWrite) => {
    const { target, position } = allocateForWrite(9);
    target[position] = 0xcb;
    target.writeDoubleBE(-0, position + 1);
  }) as unknown as (value: unknown) => Buffer,
  unpack: () => -0,
});
