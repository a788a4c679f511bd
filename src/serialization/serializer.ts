import type { ErrorPayload, RequestMessage } from '../protocol/message';

/**
 * Turns messages into frame bodies and back. One instance per kind, chosen per reference and named by `id`
 * in every frame header, so a provider answers in the serializer it was asked in.
 * Every method throws RpcError('SERIALIZATION') on failure, never anything else.
 */
export interface Serializer {
  /** The byte in the frame header (1..255). */
  readonly id: number;
  /** The name used in options and provider URLs ('msgpack', 'json'). */
  readonly name: string;
  encodeRequest(request: RequestMessage): Buffer;
  /** Every field of the result has its declared type (checked here, so the dispatcher need not check again). */
  decodeRequest(body: Buffer): RequestMessage;
  encodeResponse(value: unknown): Buffer;
  decodeResponse(body: Buffer): unknown;
  encodeError(error: ErrorPayload): Buffer;
  decodeError(body: Buffer): ErrorPayload;
}
