import type { ProviderInfo } from '../common/provider-info';
import type { Invocation } from '../rpc/invocation';
import { AbstractClusterInvoker, type MethodSettings } from './abstract-cluster-invoker';
import { aggregateFailure, type ProviderFailure } from './aggregate-failure';

/**
 * `forking`: the same call (same call id) to `forks` different providers at once; the first success wins, the
 * others' outcomes are dropped. Fails only when all fail, with every address's error. For latency-critical reads.
 */
export class ForkingClusterInvoker extends AbstractClusterInvoker {
  protected doInvoke(invocation: Invocation, settings: MethodSettings): Promise<unknown> {
    const chosen = this.choose(invocation, settings);
    return new Promise((resolve, reject) => {
      const failures: ProviderFailure[] = [];
      for (const provider of chosen) {
        this.attempt(provider, invocation).then(resolve, (error: unknown) => {
          failures.push({ address: provider.address, error });
          if (failures.length === chosen.length) {
            reject(aggregateFailure(`${this.describe(invocation)} (forking)`, failures, chosen.length));
          }
        });
      }
    });
  }

  private choose(invocation: Invocation, settings: MethodSettings): readonly ProviderInfo[] {
    const providers = this.directory.providers();
    if (providers.length === 0) throw this.noProvider(invocation);
    if (settings.forks <= 0 || settings.forks >= providers.length) return providers;
    const chosen: ProviderInfo[] = [];
    const taken = new Set<string>();
    while (chosen.length < settings.forks) {
      const provider = this.select(invocation, settings, taken);
      chosen.push(provider);
      taken.add(provider.address);
    }
    return chosen;
  }
}
