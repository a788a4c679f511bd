import type { CallDeclaration } from '../../src/protocol/call-declaration';
import { REQUEST_PREFIX_SIZE } from '../../src/protocol/frame';
import { encodeRequestPrefixInto } from '../../src/protocol/frame-encoder';

/** The call of the worked example in docs/PROTOCOL.md: greet(string) on com.acme.Greeter 1.0.0, consumer 0123456789abcdef. */
export const GREET_DECLARATION: CallDeclaration = {
  service: 'com.acme.Greeter',
  group: '',
  version: '1.0.0',
  method: 'greet',
  parameterTypes: ['string'],
  consumerId: '0123456789abcdef',
};

/** A REQUEST body as the protocol defines it: the 8-byte prefix (call reference, call id), then the arguments. */
export function requestBody(callRef: number, callId: number, args: Buffer | string): Buffer {
  const bytes = typeof args === 'string' ? Buffer.from(args, 'latin1') : args;
  const body = Buffer.alloc(REQUEST_PREFIX_SIZE + bytes.length);
  encodeRequestPrefixInto(body, 0, callRef, callId);
  bytes.copy(body, REQUEST_PREFIX_SIZE);
  return body;
}

/** A heartbeat ping as it travels: a bare header (no body, no serializer, request id 0). */
export const PING_BYTES: Buffer = Buffer.from('c0de0203000000000000000000000000', 'hex');
