import type { ErrorPayload } from '../protocol/message';

/**
 * Turns call arguments, results and errors into frame bodies and back. One instance per kind, chosen per reference
 * and named by `id` in every frame header, so a provider answers in the serializer it was asked in. The service,
 * method and argument type tags travel apart, in the connection's call declarations (docs/PROTOCOL.md).
 * Every method throws RpcError('SERIALIZATION') on failure, never anything else.
 */
export interface Serializer {
  /** The byte in the frame header (1..255). */
  readonly id: number;
  /** The name used in options and provider URLs ('msgpack', 'json'). */
  readonly name: string;
  /** The arguments of one call; `parameterTypes` are the declared tags, `label` ('service#method') names the call in errors. */
  encodeArguments(args: readonly unknown[], parameterTypes: readonly string[], label: string): Buffer;
  /**
   * Decodes `body` from `offset` to `end` (default: its end) into the argument array (an array, or it throws).
   * `ownBody`: `body` holds this message alone, so binary values may be views of it instead of copies (default false).
   */
  decodeArguments(
    body: Buffer,
    offset: number,
    parameterTypes: readonly string[],
    label: string,
    end?: number,
    ownBody?: boolean,
  ): unknown[];
  encodeResponse(value: unknown): Buffer;
  /** Decodes the bytes of `body` from `start` to `end` (default: all of it); `ownBody` as for decodeArguments. */
  decodeResponse(body: Buffer, start?: number, end?: number, ownBody?: boolean): unknown;
  encodeError(error: ErrorPayload): Buffer;
  /** Decodes the bytes of `body` from `start` to `end` (default: all of it). */
  decodeError(body: Buffer, start?: number, end?: number): ErrorPayload;
}
