import type { ErrorPayload } from '../protocol/message';
import { typeNameOf } from '../serialization/type-registry';
import { ErrorCode, isErrorCode } from './error-code';
import { RpcError } from './rpc-error';

/** Where a failure happened, for messages a user can read without a debugger. */
export interface CallSite {
  service: string;
  method: string;
  address: string;
}

/**
 * What a provider sends back for a failure. A framework failure (RpcError) keeps its code; anything the
 * service's own method threw becomes APPLICATION_ERROR with the remote name, message and stack — and, when its
 * class is registered (@Serializable), the error itself, so the caller can catch it as that class.
 */
export function toErrorPayload(error: unknown, fromApplication: boolean): ErrorPayload {
  if (!fromApplication && error instanceof RpcError) return { code: error.code, message: error.message };
  if (error instanceof Error) {
    const payload: ErrorPayload = { code: ErrorCode.APPLICATION_ERROR, name: error.name, message: error.message };
    if (error.stack !== undefined) payload.stack = error.stack;
    if (typeNameOf(error.constructor) !== undefined) payload.error = error;
    return payload;
  }
  return { code: ErrorCode.APPLICATION_ERROR, name: typeof error, message: String(error) };
}

/** Turns a received ErrorPayload into what the caller's promise rejects with. */
export function fromErrorPayload(payload: ErrorPayload, site: CallSite): Error {
  if (payload.error instanceof Error) return payload.error;
  const code = isErrorCode(payload.code) ? payload.code : ErrorCode.INTERNAL;
  const where = `${site.service}#${site.method} on ${site.address}`;
  if (code === ErrorCode.APPLICATION_ERROR) {
    const name = payload.name ?? 'Error';
    const options: ConstructorParameters<typeof RpcError>[2] = { address: site.address, remoteName: name };
    if (payload.stack !== undefined) options.remoteStack = payload.stack;
    return new RpcError(code, `${where} threw ${name}: ${payload.message}`, options);
  }
  return new RpcError(code, `${where}: ${payload.message}`, { address: site.address });
}
