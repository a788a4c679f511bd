import type { Invocation } from '../rpc/invocation';
import { AbstractClusterInvoker, type MethodSettings } from './abstract-cluster-invoker';

/** `failfast`: one attempt on one provider; its failure is the caller's. For writes that must not repeat. */
export class FailfastClusterInvoker extends AbstractClusterInvoker {
  protected doInvoke(invocation: Invocation, settings: MethodSettings): Promise<unknown> {
    return this.attempt(this.select(invocation, settings), invocation);
  }
}
