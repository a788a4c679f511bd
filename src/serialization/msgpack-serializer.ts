import { Packr } from 'msgpackr';
import { RpcError } from '../errors/rpc-error';
import type { ErrorPayload } from '../protocol/message';
import type { Serializer } from './serializer';
import { prepareArray, prepareValue } from './msgpack-extensions';

/**
 * Plain mode (no records): fastest for one-off messages (DESIGN §7). moreTypes brings Set, typed arrays,
 * ArrayBuffer and RegExp; big integers beyond 64 bits use msgpackr's bigint extension; structured-clone
 * references are refused on input; binary values are copied out of a shared socket chunk so they never pin it.
 */
const OPTIONS = {
  useRecords: false,
  mapsAsObjects: true,
  moreTypes: true,
  useBigIntExtension: true,
  int64AsType: 'bigint',
  structuredClone: false,
} as const;
const packr = new Packr({ ...OPTIONS, copyBuffers: true });
/** For bodies that hold one message alone (a large frame collected over chunks): binary values are views, no copy. */
const viewingPackr = new Packr({ ...OPTIONS, copyBuffers: false });

/** msgpackr reads the range synchronously: one object reused instead of one per call. */
const UNPACK_RANGE = { start: 0, end: 0 };

/**
 * The default serializer (id 1, 'msgpack'), on msgpackr, "Kryo-like": the bytes say what each value was, so
 * -0/NaN/±Infinity, undefined, Date, Map, Set, BigInt, Buffer and typed arrays, Error and instances of registered
 * classes come back as themselves. Bodies (docs/PROTOCOL.md):
 *   request  the argument array (after the request prefix; the call's names travel in its declaration)
 *   response the value
 *   error    [code, message, name, stack, error]
 */
export class MsgpackSerializer implements Serializer {
  readonly id = 1;
  readonly name = 'msgpack';

  encodeArguments(args: readonly unknown[], _parameterTypes: readonly string[], label: string): Buffer {
    try {
      return packr.pack(prepareArray(args));
    } catch (cause) {
      throw failure(`encode the arguments of ${label}`, cause);
    }
  }

  decodeArguments(
    body: Buffer,
    offset: number,
    _parameterTypes: readonly string[],
    label: string,
    end = body.length,
    ownBody = false,
  ): unknown[] {
    const args = unpack(body, offset, end, ownBody, `the arguments of ${label}`);
    if (!Array.isArray(args))
      throw new RpcError('SERIALIZATION', `msgpack: the arguments of ${label} are not an array`);
    return args;
  }

  encodeResponse(value: unknown): Buffer {
    try {
      return packr.pack(prepareValue(value));
    } catch (cause) {
      throw failure('encode the response value', cause);
    }
  }

  decodeResponse(body: Buffer, start = 0, end = body.length, ownBody = false): unknown {
    return unpack(body, start, end, ownBody, 'the response');
  }

  encodeError(error: ErrorPayload): Buffer {
    try {
      return packr.pack([error.code, error.message, error.name, error.stack, prepareValue(error.error)]);
    } catch (cause) {
      throw failure(`encode the ${error.code} error payload`, cause);
    }
  }

  decodeError(body: Buffer, start = 0, end = body.length): ErrorPayload {
    const decoded = unpack(body, start, end, false, 'the error payload');
    if (!Array.isArray(decoded) || typeof decoded[0] !== 'string' || typeof decoded[1] !== 'string') {
      throw new RpcError('SERIALIZATION', 'Cannot decode error payload: expected [code, message, ...]');
    }
    const [code, message, name, stack, error] = decoded as [string, string, unknown, unknown, unknown];
    const payload: ErrorPayload = { code, message };
    if (typeof name === 'string') payload.name = name;
    if (typeof stack === 'string') payload.stack = stack;
    if (error !== undefined) payload.error = error;
    return payload;
  }
}

/** The shared instance, registered by serializer-registry. */
export const msgpackSerializer = new MsgpackSerializer();

/**
 * Decodes `body` from `start` to `end` in place: no view per message, and msgpackr keeps one DataView per buffer (a
 * socket chunk shared by many frames) instead of one per message. Binary values are copied out of a shared chunk
 * (a view would pin it) and viewed in a body of its own.
 */
function unpack(body: Buffer, start: number, end: number, ownBody: boolean, what: string): unknown {
  try {
    UNPACK_RANGE.start = start;
    UNPACK_RANGE.end = end;
    return (ownBody ? viewingPackr : packr).unpack(body, UNPACK_RANGE);
  } catch (cause) {
    throw failure(`decode ${what} (${end - start} bytes)`, cause);
  }
}

function failure(action: string, cause: unknown): RpcError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new RpcError('SERIALIZATION', `msgpack: cannot ${action}: ${reason}`, { cause });
}
