import type { Invocation } from '../rpc/invocation';
import { AbstractClusterInvoker, type MethodSettings } from './abstract-cluster-invoker';
import { aggregateFailure, type ProviderFailure } from './aggregate-failure';

/**
 * `broadcast`: the call to every matched provider (down ones included: skipping them would hide that they missed
 * it), waiting for all. Fails if any fails, naming each failed address; else resolves the last provider's result
 * (by address order), as Dubbo does. For cache invalidation and configuration pushes.
 */
export class BroadcastClusterInvoker extends AbstractClusterInvoker {
  protected async doInvoke(invocation: Invocation, _settings: MethodSettings): Promise<unknown> {
    const providers = this.directory.all();
    if (providers.length === 0) throw this.noProvider(invocation);
    const outcomes = await Promise.allSettled(providers.map((p) => this.attempt(p, invocation)));
    const failures: ProviderFailure[] = [];
    let result: unknown;
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled') result = outcome.value;
      else failures.push({ address: (providers[i] as { address: string }).address, error: outcome.reason });
    });
    if (failures.length > 0)
      throw aggregateFailure(`${this.describe(invocation)} (broadcast)`, failures, providers.length);
    return result;
  }
}
