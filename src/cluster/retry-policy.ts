import { ErrorCode, NOT_EXECUTED_CODES } from '../errors/error-code';
import { RpcError } from '../errors/rpc-error';

/** Failures after which the call may have run: safe to repeat only for idempotent calls. */
const MAYBE_EXECUTED_CODES: ReadonlySet<string> = new Set([ErrorCode.TIMEOUT, ErrorCode.CONNECTION_CLOSED]);

/**
 * May `error` be retried on another provider? Yes when the call surely did not run (the error says so, or its code
 * is one of NOT_EXECUTED_CODES); for idempotent calls also after a timeout or a closed connection. Never for an
 * application error (the provider answered) nor for errors that are not RpcErrors (a bug is not a network failure).
 */
export function isRetryable(error: unknown, invocation: { readonly idempotent: boolean }): boolean {
  if (!(error instanceof RpcError) || error.code === ErrorCode.APPLICATION_ERROR) return false;
  if (error.retryable || NOT_EXECUTED_CODES.has(error.code)) return true;
  return invocation.idempotent && MAYBE_EXECUTED_CODES.has(error.code);
}
