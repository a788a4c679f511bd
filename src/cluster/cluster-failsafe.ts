import type { Invocation } from '../rpc/invocation';
import { AbstractClusterInvoker, type MethodSettings } from './abstract-cluster-invoker';

/** `failsafe`: one attempt; a failure resolves `undefined` and is logged as a warning. For calls nobody waits on (audit logs). */
export class FailsafeClusterInvoker extends AbstractClusterInvoker {
  protected async doInvoke(invocation: Invocation, settings: MethodSettings): Promise<unknown> {
    try {
      return await this.attempt(this.select(invocation, settings), invocation);
    } catch (error) {
      this.logger.warn(`${this.describe(invocation)} failed, ignored (failsafe): ${errorText(error)}`);
      return undefined;
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
