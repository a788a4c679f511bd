import { RpcError } from '../errors/rpc-error';
import type { Invocation } from '../rpc/invocation';
import { AbstractClusterInvoker, type MethodSettings } from './abstract-cluster-invoker';
import { isRetryable } from './retry-policy';

/**
 * `failover` (the default): on a failure that may be retried (see {@link isRetryable}: the call surely did not run,
 * or it is idempotent and timed out / lost its connection) try another provider, up to `retries` more times,
 * never past the call's deadline and never on a provider already tried. The final error says where it tried.
 */
export class FailoverClusterInvoker extends AbstractClusterInvoker {
  protected async doInvoke(invocation: Invocation, settings: MethodSettings): Promise<unknown> {
    const attempts = Math.max(0, settings.retries) + 1;
    let tried: Set<string> | undefined;
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) {
        if (this.closed || this.now() >= invocation.deadline) break;
        this.logger.debug(`${this.describe(invocation)}: retry ${attempt} of ${attempts - 1} after`, lastError);
      }
      let provider;
      try {
        provider = this.select(invocation, settings, tried);
      } catch (error) {
        if (attempt === 0) throw error;
        break; // every provider tried
      }
      try {
        return await this.attempt(provider, invocation);
      } catch (error) {
        if (!isRetryable(error, invocation)) throw error;
        lastError = error;
        (tried ??= new Set()).add(provider.address);
      }
    }
    throw this.exhausted(invocation, lastError, tried);
  }

  private exhausted(invocation: Invocation, error: unknown, tried: ReadonlySet<string> | undefined): unknown {
    if (!(error instanceof RpcError) || tried === undefined || tried.size < 2) return error;
    const deadline = this.now() >= invocation.deadline ? ', deadline reached' : '';
    return new RpcError(error.code, `${error.message} (failover: tried ${[...tried].join(', ')}${deadline})`, {
      retryable: error.retryable,
      cause: error,
      ...(error.address === undefined ? {} : { address: error.address }),
    });
  }
}
