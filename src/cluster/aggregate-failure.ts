import { ErrorCode } from '../errors/error-code';
import { RpcError } from '../errors/rpc-error';

/** One provider's failure within a call that went to several. */
export interface ProviderFailure {
  readonly address: string;
  readonly error: unknown;
}

/**
 * One RpcError for failures on several providers (forking, broadcast): its message names each address with its
 * code and message, its code is the first failure's, it is retryable only if all are,
 * and its cause is an AggregateError of the originals.
 *
 * @example 'com.acme.Cache#evict (broadcast): 2 of 3 providers failed: 10.0.0.5:20880 TIMEOUT (...); 10.0.0.6:20880 ...'
 */
export function aggregateFailure(what: string, failures: readonly ProviderFailure[], attempted: number): RpcError {
  const codes = failures.map((f) => (f.error instanceof RpcError ? f.error.code : ErrorCode.INTERNAL));
  // When codes differ the first failure's wins: callers switch on one code, and the message lists them all.
  const code = codes[0] ?? ErrorCode.INTERNAL;
  const details = failures
    .map((f, i) => `${f.address} ${codes[i]} (${f.error instanceof Error ? f.error.message : String(f.error)})`)
    .join('; ');
  return new RpcError(code, `${what}: ${failures.length} of ${attempted} providers failed: ${details}`, {
    retryable: failures.every((f) => f.error instanceof RpcError && f.error.retryable),
    cause: new AggregateError(
      failures.map((f) => f.error),
      what,
    ),
  });
}
