import { ErrorCode, NOT_EXECUTED_CODES } from './error-code';

export interface RpcErrorOptions {
  /** May the call be retried on another provider? Defaults to true for codes where the call surely did not run. */
  retryable?: boolean;
  /** The underlying error. */
  cause?: unknown;
  /** For APPLICATION_ERROR: the remote error's class name (e.g. 'TypeError', 'InsufficientFunds'). */
  remoteName?: string;
  /** For APPLICATION_ERROR: the remote stack, as text. */
  remoteStack?: string;
  /** The provider address (host:port) the failure is about, when there is one. */
  address?: string;
}

/**
 * The one error type Courier throws. Switch on `code`; `retryable` says whether the call surely did not run.
 *
 * @example
 * try { await users.getUser(1); } catch (e) { if (e instanceof RpcError && e.code === 'TIMEOUT') ... }
 */
export class RpcError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly remoteName?: string;
  readonly remoteStack?: string;
  readonly address?: string;

  constructor(code: ErrorCode, message: string, options: RpcErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RpcError';
    this.code = code;
    this.retryable = options.retryable ?? NOT_EXECUTED_CODES.has(code);
    if (options.remoteName !== undefined) this.remoteName = options.remoteName;
    if (options.remoteStack !== undefined) this.remoteStack = options.remoteStack;
    if (options.address !== undefined) this.address = options.address;
  }

  /** True when `error` is an RpcError with one of `codes` (or any code when none is given). */
  static is(error: unknown, ...codes: ErrorCode[]): error is RpcError {
    return error instanceof RpcError && (codes.length === 0 || codes.includes(error.code));
  }
}
