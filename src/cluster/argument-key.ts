import { FNV1A32_OFFSET, fmix32, fnv1a32String } from './fnv1a';

/**
 * A canonical, value-based text form of an argument, for consistent hashing: equal values give equal text in every
 * process, whatever their object identity or key order. Primitives are tagged by type (so 1 and '1' differ), strings
 * are length-prefixed (so ['ab','c'] and ['a','bc'] differ), Dates encode their time, objects and Maps their sorted
 * keys, Sets their sorted members. Functions and symbols encode as their type only, never as an identity.
 *
 * @example encodeStable({ b: 1, a: 'x' }) === '{s1:as1:xs1:bn1;}' // and the same for { a: 'x', b: 1 }
 */
export function encodeStable(value: unknown): string {
  return encode(value, undefined);
}

/**
 * Hash of the arguments at `indexes` (missing ones count as undefined): FNV-1a over their {@link encodeStable}
 * forms, then an avalanche mix. Primitives are streamed into the hash without building the text.
 */
export function hashArguments(args: readonly unknown[], indexes: readonly number[]): number {
  let h = FNV1A32_OFFSET;
  for (let i = 0; i < indexes.length; i++) h = hashValue(h, args[indexes[i] as number]);
  return fmix32(h);
}

function hashValue(state: number, value: unknown): number {
  switch (typeof value) {
    case 'string':
      return fnv1a32String(fnv1a32String(fnv1a32String(fnv1a32String(state, 's'), String(value.length)), ':'), value);
    case 'number':
      return fnv1a32String(fnv1a32String(state, 'n'), numberText(value));
    default:
      return fnv1a32String(state, encode(value, undefined));
  }
}

function numberText(value: number): string {
  return (Object.is(value, -0) ? '0' : String(value)) + ';';
}

function encode(value: unknown, seen: Set<object> | undefined): string {
  switch (typeof value) {
    case 'undefined':
      return 'u';
    case 'boolean':
      return value ? 't' : 'f';
    case 'number':
      return 'n' + numberText(value);
    case 'bigint':
      return 'g' + value.toString() + ';';
    case 'string':
      return 's' + value.length + ':' + value;
    case 'symbol':
    case 'function':
      return 'x';
    default:
      return value === null ? 'z' : encodeObject(value as object, seen);
  }
}

function encodeObject(value: object, seenBefore: Set<object> | undefined): string {
  if (value instanceof Date) return 'd' + numberText(value.getTime());
  if (ArrayBuffer.isView(value))
    return 'y' + bytesHex(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  if (value instanceof ArrayBuffer) return 'y' + bytesHex(new Uint8Array(value));
  const seen = seenBefore ?? new Set<object>();
  if (seen.has(value)) return 'c';
  seen.add(value);
  let text: string;
  if (Array.isArray(value)) {
    text = '[' + value.map((item) => encode(item, seen)).join('') + ']';
  } else if (value instanceof Map) {
    const entries = [...value].map(([k, v]) => '(' + encode(k, seen) + encode(v, seen) + ')');
    text = 'M' + entries.sort().join('') + ']';
  } else if (value instanceof Set) {
    text =
      'S' +
      [...value]
        .map((item) => encode(item, seen))
        .sort()
        .join('') +
      ']';
  } else {
    const keys = Object.keys(value).sort();
    text = '{' + keys.map((k) => encode(k, seen) + encode((value as Record<string, unknown>)[k], seen)).join('') + '}';
  }
  seen.delete(value);
  return text;
}

function bytesHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex') + ';';
}
