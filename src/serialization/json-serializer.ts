import { RpcError } from '../errors/rpc-error';
import type { ErrorPayload } from '../protocol/message';
import type { Serializer } from './serializer';
import { reviveError, reviveRegistered } from './revival';
import { lookupTypeByName, registeredNameOf } from './type-registry';
import { TYPED_ARRAYS, typeTagOf } from './type-tag';

/**
 * The JSON serializer (id 2, 'json'), for debugging and foreign clients. JSON cannot say what a value was, so
 * the type tags say it: the call's declared parameter types revive its top-level arguments, and a response carries
 * its value's tag next to it. Below the top level values keep their JSON form. Bodies (docs/PROTOCOL.md):
 *   request  [args] (after the request prefix; names and tags travel in the call's declaration)
 *   response {"t": tag, "v": value}
 *   error    {"code", "message", "name"?, "stack"?, "error"?: {"t": tag, "v": value}}
 * JSON forms: bigint → decimal string; non-finite numbers and -0 at the top level → "NaN", "Infinity",
 * "-Infinity", "-0" (null below it); undefined → null; Date → ISO string ("Invalid Date" when invalid);
 * Map → [[key, value], ...]; Set → [...]; Buffer, Uint8Array, ArrayBuffer, DataView → base64; other typed
 * arrays → arrays of numbers (decimal strings for 64-bit ones); RegExp → {"source", "flags"};
 * Error → {"name", "message", "stack", "cause"?, ...own fields}; registered class instance → its own fields.
 */
export class JsonSerializer implements Serializer {
  readonly id = 2;
  readonly name = 'json';

  encodeArguments(args: readonly unknown[], parameterTypes: readonly string[], label: string): Buffer {
    const values = new Array<unknown>(args.length);
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      const tag = typeTagOf(arg);
      const declared = parameterTypes[i];
      if (declared !== undefined && declared !== tag && arg !== null && arg !== undefined) {
        throw new RpcError(
          'SERIALIZATION',
          `json: cannot encode the arguments of ${label}: argument ${i} is ${tag} but its parameter type says ${declared}`,
        );
      }
      values[i] = toJsonTop(arg, tag);
    }
    return stringify(values, `encode the arguments of ${label}`);
  }

  decodeArguments(
    body: Buffer,
    offset: number,
    parameterTypes: readonly string[],
    label: string,
    end = body.length,
  ): unknown[] {
    const args = parse(body, offset, end, `arguments of ${label}`);
    if (!Array.isArray(args)) throw new RpcError('SERIALIZATION', `json: the arguments of ${label} are not an array`);
    for (let i = 0; i < args.length; i++) {
      const tag = parameterTypes[i];
      if (tag !== undefined) args[i] = revive(args[i], tag, `argument ${i} of ${label}`);
    }
    return args;
  }

  encodeResponse(value: unknown): Buffer {
    return stringify(typed(value), 'encode the response value');
  }

  decodeResponse(body: Buffer, start = 0, end = body.length): unknown {
    return untyped(parse(body, start, end, 'response'), 'the response value');
  }

  encodeError(error: ErrorPayload): Buffer {
    const envelope: Record<string, unknown> = { code: error.code, message: error.message };
    if (error.name !== undefined) envelope.name = error.name;
    if (error.stack !== undefined) envelope.stack = error.stack;
    if (error.error !== undefined) envelope.error = typed(error.error);
    return stringify(envelope, `encode the ${error.code} error payload`);
  }

  decodeError(body: Buffer, start = 0, end = body.length): ErrorPayload {
    const decoded = parse(body, start, end, 'error payload');
    if (!isObject(decoded) || typeof decoded.code !== 'string' || typeof decoded.message !== 'string') {
      throw new RpcError('SERIALIZATION', 'json: cannot decode error payload: expected {"code", "message", ...}');
    }
    const payload: ErrorPayload = { code: decoded.code, message: decoded.message };
    if (typeof decoded.name === 'string') payload.name = decoded.name;
    if (typeof decoded.stack === 'string') payload.stack = decoded.stack;
    if (decoded.error !== undefined) payload.error = untyped(decoded.error, 'the error payload');
    return payload;
  }
}

/** The shared instance, registered by serializer-registry. */
export const jsonSerializer = new JsonSerializer();

function typed(value: unknown): { t: string; v: unknown } {
  const tag = typeTagOf(value);
  return { t: tag, v: toJsonTop(value, tag) };
}

function untyped(envelope: unknown, what: string): unknown {
  if (!isObject(envelope) || typeof envelope.t !== 'string') {
    throw new RpcError('SERIALIZATION', `json: cannot decode ${what}: expected {"t": tag, "v": value}`);
  }
  return revive(envelope.v, envelope.t, what);
}

/** The JSON form of a top-level value whose tag travels with it (the nested forms are jsonReplacer's). */
function toJsonTop(value: unknown, tag: string): unknown {
  if (tag === 'number') {
    const n = value as number;
    if (Object.is(n, -0)) return '-0';
    return Number.isFinite(n) ? n : String(n);
  }
  if (tag === 'undefined') return null;
  if (typeof value === 'object' && value !== null && registeredNameOf(value) !== undefined) {
    // Its own fields, whatever its toJSON says: the receiver rebuilds the instance from them.
    return value instanceof Error ? errorToJson(value) : { ...value };
  }
  return value;
}

/** JSON.stringify's replacer: the nested JSON forms listed on JsonSerializer. `this` is the holder. */
function jsonReplacer(this: unknown, key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return value;
  // toJSON has already run (Date, Buffer); the holder still has the original.
  const original = (this as Record<string, unknown>)[key];
  if (value === null) return original instanceof Date ? 'Invalid Date' : null;
  if (Buffer.isBuffer(original)) return original.toString('base64');
  if (value instanceof Map || value instanceof Set) return Array.from(value);
  if (ArrayBuffer.isView(value)) {
    if (value instanceof Uint8Array || value instanceof DataView) return toBase64(value);
    return Array.from(value as unknown as ArrayLike<number | bigint>);
  }
  if (value instanceof ArrayBuffer) return Buffer.from(value).toString('base64');
  if (value instanceof Error) return errorToJson(value);
  if (value instanceof RegExp) return { source: value.source, flags: value.flags };
  return value;
}

function errorToJson(error: Error): Record<string, unknown> {
  const json: Record<string, unknown> = { ...error, name: error.name, message: error.message, stack: error.stack };
  if (error.cause !== undefined) json.cause = error.cause;
  return json;
}

function toBase64(view: ArrayBufferView): string {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('base64');
}

/** The value `json` stood for, given its tag. Never constructs anything but built-ins and registered classes. */
function revive(json: unknown, tag: string, what: string): unknown {
  try {
    return reviveTagged(json, tag);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new RpcError('SERIALIZATION', `json: cannot decode ${what} as ${tag}: ${reason}`, { cause });
  }
}

function reviveTagged(json: unknown, tag: string): unknown {
  if (tag === 'undefined') return undefined;
  if (json === null) return null;
  switch (tag) {
    case 'number':
      if (typeof json === 'number') return json;
      if (json === 'NaN' || json === 'Infinity' || json === '-Infinity' || json === '-0') return Number(json);
      throw new TypeError(`expected a number, got ${JSON.stringify(json)}`);
    case 'string':
    case 'boolean':
      if (typeof json !== tag) throw new TypeError(`expected a ${tag}, got ${typeof json}`);
      return json;
    case 'bigint':
      if (typeof json !== 'string' && typeof json !== 'number') throw new TypeError('expected a decimal string');
      return BigInt(json);
    case 'Date':
      if (typeof json !== 'string' && typeof json !== 'number') throw new TypeError('expected an ISO date string');
      return new Date(json);
    case 'Map':
      return new Map(expectArray(json).map(expectPair));
    case 'Set':
      return new Set(expectArray(json));
    case 'Array':
      return expectArray(json);
    case 'Buffer':
      return fromBase64(json);
    case 'ArrayBuffer':
      return new Uint8Array(fromBase64(json)).buffer;
    case 'DataView':
      return new DataView(new Uint8Array(fromBase64(json)).buffer);
    case 'Uint8Array':
      return new Uint8Array(fromBase64(json));
    case 'RegExp': {
      if (!isObject(json) || typeof json.source !== 'string') throw new TypeError('expected {"source", "flags"}');
      return new RegExp(json.source, typeof json.flags === 'string' ? json.flags : '');
    }
    case 'Error':
      return reviveErrorJson(json, undefined);
    default:
      return reviveOther(json, tag);
  }
}

function reviveOther(json: unknown, tag: string): unknown {
  const TypedArray = Object.prototype.hasOwnProperty.call(TYPED_ARRAYS, tag) ? TYPED_ARRAYS[tag] : undefined;
  if (TypedArray !== undefined) {
    const items = expectArray(json);
    return TypedArray === BigInt64Array || TypedArray === BigUint64Array
      ? (TypedArray as BigInt64ArrayConstructor).from(items, toBigInt)
      : (TypedArray as Float64ArrayConstructor).from(items as number[]);
  }
  const Class = lookupTypeByName(tag);
  // 'object' and names not registered here stay what JSON made them: plain data.
  if (Class === undefined || !isObject(json)) return json;
  if (Class.prototype instanceof Error) return reviveErrorJson(json, tag);
  return reviveRegistered(tag, json, undefined);
}

function reviveErrorJson(json: unknown, registeredName: string | undefined): unknown {
  if (!isObject(json)) throw new TypeError('expected an error object');
  // `name` stays among the fields: a registered error may hold it as an own field.
  const { message, stack, cause, ...fields } = json;
  const parts = {
    message: typeof message === 'string' ? message : '',
    stack: typeof stack === 'string' ? stack : undefined,
    cause,
  };
  if (registeredName !== undefined) return reviveRegistered(registeredName, fields, parts);
  const { name, ...rest } = fields;
  return reviveError(typeof name === 'string' ? name : 'Error', rest, parts);
}

function toBigInt(item: unknown): bigint {
  if (typeof item !== 'string' && typeof item !== 'number') throw new TypeError('expected a decimal string');
  return BigInt(item);
}

function fromBase64(json: unknown): Buffer {
  if (typeof json !== 'string') throw new TypeError('expected a base64 string');
  return Buffer.from(json, 'base64');
}

function expectArray(json: unknown): unknown[] {
  if (!Array.isArray(json)) throw new TypeError(`expected an array, got ${typeof json}`);
  return json;
}

function expectPair(entry: unknown): [unknown, unknown] {
  if (!Array.isArray(entry) || entry.length !== 2) throw new TypeError('expected [key, value] pairs');
  return entry as [unknown, unknown];
}

function stringify(envelope: unknown, action: string): Buffer {
  try {
    return Buffer.from(JSON.stringify(envelope, jsonReplacer), 'utf8');
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new RpcError('SERIALIZATION', `json: cannot ${action}: ${reason}`, { cause });
  }
}

function parse(body: Buffer, start: number, end: number, what: string): unknown {
  try {
    return JSON.parse(body.toString('utf8', start, end));
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new RpcError('SERIALIZATION', `json: cannot decode the ${what} (${end - start} bytes): ${reason}`, {
      cause,
    });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
