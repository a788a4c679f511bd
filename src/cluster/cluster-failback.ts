import type { Invocation } from '../rpc/invocation';
import { AbstractClusterInvoker, type MethodSettings } from './abstract-cluster-invoker';
import { isRetryable } from './retry-policy';

interface PendingRetry {
  readonly invocation: Invocation;
  readonly settings: MethodSettings;
  /** Background attempts made so far. */
  attempts: number;
  dueAt: number;
}

/**
 * `failback`: one attempt; on failure the caller gets `undefined` at once, the failure is logged, and the call is
 * retried in the background (same call id, a fresh time limit each attempt) with a doubling delay, up to
 * `failbackMaxAttempts` times. At most `failbackQueueSize` calls wait; the oldest is dropped (and logged) beyond.
 * Failback treats calls as idempotent (a timed-out call is retried): use it for notifications that may arrive twice,
 * or let the provider de-duplicate on the call id. Application errors are answers and are not retried.
 * One owned, unref'd timer; `close()` clears it and drops the queue.
 */
export class FailbackClusterInvoker extends AbstractClusterInvoker {
  private readonly queue: PendingRetry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerDueAt = Infinity;

  /** Calls waiting for a background retry. */
  get pending(): number {
    return this.queue.length;
  }

  protected async doInvoke(invocation: Invocation, settings: MethodSettings): Promise<unknown> {
    try {
      return await this.attempt(this.select(invocation, settings), invocation);
    } catch (error) {
      if (!isRetryable(error, { idempotent: true })) {
        this.logger.error(`${this.describe(invocation)} failed (failback, not retried): ${errorText(error)}`);
        return undefined;
      }
      this.logger.warn(
        `${this.describe(invocation)} failed, will retry in the background (failback): ${errorText(error)}`,
      );
      this.enqueue({ invocation, settings, attempts: 0, dueAt: this.now() + this.options.failbackIntervalMs });
      return undefined;
    }
  }

  override close(): void {
    super.close();
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDueAt = Infinity;
    if (this.queue.length > 0) this.logger.warn(`failback: closing, ${this.queue.length} call(s) not retried`);
    this.queue.length = 0;
  }

  private enqueue(retry: PendingRetry): void {
    if (this.closed) return;
    if (this.queue.length >= this.options.failbackQueueSize) {
      const dropped = this.queue.shift() as PendingRetry;
      this.logger.error(`${this.describe(dropped.invocation)}: failback queue full, call dropped`);
    }
    this.queue.push(retry);
    this.schedule();
  }

  private schedule(): void {
    if (this.closed || this.queue.length === 0) return;
    const dueAt = Math.min(...this.queue.map((r) => r.dueAt));
    if (this.timer !== undefined && this.timerDueAt <= dueAt) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerDueAt = dueAt;
    this.timer = setTimeout(() => this.runDue(), Math.max(0, dueAt - this.now()));
    this.timer.unref();
  }

  private runDue(): void {
    this.timer = undefined;
    this.timerDueAt = Infinity;
    const now = this.now();
    const due = this.queue.filter((r) => r.dueAt <= now);
    for (const retry of due) this.queue.splice(this.queue.indexOf(retry), 1);
    for (const retry of due) void this.retry(retry);
    this.schedule();
  }

  private async retry(retry: PendingRetry): Promise<void> {
    retry.attempts++;
    // Same call id, fresh time limit: the original deadline has passed.
    const invocation: Invocation = { ...retry.invocation, deadline: this.now() + this.options.failbackTimeoutMs };
    try {
      await this.attempt(this.select(invocation, retry.settings), invocation);
      this.logger.info(`${this.describe(invocation)}: background retry ${retry.attempts} succeeded (failback)`);
    } catch (error) {
      if (this.closed) return;
      if (retry.attempts >= this.options.failbackMaxAttempts || !isRetryable(error, { idempotent: true })) {
        this.logger.error(
          `${this.describe(invocation)}: giving up after ${retry.attempts} background retries (failback): ${errorText(error)}`,
        );
        return;
      }
      retry.dueAt = this.now() + this.options.failbackIntervalMs * 2 ** retry.attempts;
      this.enqueue(retry);
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
