import { RpcError } from '../errors/rpc-error';
import type { Invocation } from '../rpc/invocation';
import { AbstractClusterInvoker, type MethodSettings } from './abstract-cluster-invoker';
import { isRetryable } from './retry-policy';

/**
 * `failover` (the default): on a failure that may be retried (see {@link isRetryable}: the call surely did not run,
 * or it is idempotent and timed out / lost its connection) try another provider, up to `retries` more times,
 * never past the call's deadline and never on a provider already tried. The final error says where it tried.
 * An idempotent call's attempt gets an equal share of the time left (split over the attempts that remain possible),
 * so a provider that does not answer in time leaves room for a retry elsewhere; otherwise an attempt may use all of it.
 */
export class FailoverClusterInvoker extends AbstractClusterInvoker {
  protected doInvoke(invocation: Invocation, settings: MethodSettings): Promise<unknown> {
    const attempts = Math.max(0, settings.retries) + 1;
    // The first attempt outside any async frame: most calls succeed at once and pay for one promise only.
    const provider = this.select(invocation, settings);
    const first = this.attemptOf(invocation, attempts, undefined);
    if (attempts === 1) return this.attempt(provider, first);
    return this.attempt(provider, first, settings, invocation);
  }

  /** The first attempt failed: retry elsewhere when the failure allows it. */
  override recover(error: unknown, failedAddress: string, settings: MethodSettings, invocation: Invocation): unknown {
    if (!isRetryable(error, invocation)) throw error;
    return this.retry(invocation, settings, Math.max(0, settings.retries) + 1, failedAddress, error);
  }

  private async retry(
    invocation: Invocation,
    settings: MethodSettings,
    attempts: number,
    firstAddress: string,
    firstError: unknown,
  ): Promise<unknown> {
    const tried = new Set<string>([firstAddress]);
    let lastError = firstError;
    for (let attempt = 1; attempt < attempts; attempt++) {
      if (this.closed || this.now() >= invocation.deadline) break;
      this.logger.debug(`${this.describe(invocation)}: retry ${attempt} of ${attempts - 1} after`, lastError);
      let provider;
      try {
        provider = this.select(invocation, settings, tried);
      } catch {
        break; // every provider tried
      }
      try {
        return await this.attempt(provider, this.attemptOf(invocation, attempts - attempt, tried));
      } catch (error) {
        if (!isRetryable(error, invocation)) throw error;
        lastError = error;
        tried.add(provider.address);
      }
    }
    throw this.exhausted(invocation, lastError, tried);
  }

  /**
   * The invocation one attempt sends. An idempotent call that could still be retried elsewhere gets a share of the
   * remaining time (its deadline shortened; the call id, a field of the copy, stays): a timeout is only retried
   * for idempotent calls, and a timed-out attempt that used the whole deadline would leave nothing for the retry.
   */
  private attemptOf(invocation: Invocation, attemptsLeft: number, tried: ReadonlySet<string> | undefined): Invocation {
    if (!invocation.idempotent || attemptsLeft < 2) return invocation;
    let untried = 0;
    for (const p of this.directory.providers()) if (tried === undefined || !tried.has(p.address)) untried++;
    const shares = Math.min(attemptsLeft, untried);
    const now = this.now();
    const remaining = invocation.deadline - now;
    if (shares < 2 || remaining <= 0) return invocation;
    return { ...invocation, deadline: now + Math.ceil(remaining / shares) };
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
