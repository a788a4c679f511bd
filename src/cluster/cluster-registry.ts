import { NamedFactories } from '../common/named-factories';
import type { ClusterContext, ClusterFactory, ClusterInvoker } from './cluster';
import { BroadcastClusterInvoker } from './cluster-broadcast';
import { FailbackClusterInvoker } from './cluster-failback';
import { FailfastClusterInvoker } from './cluster-failfast';
import { FailoverClusterInvoker } from './cluster-failover';
import { FailsafeClusterInvoker } from './cluster-failsafe';
import { ForkingClusterInvoker } from './cluster-forking';

/** The strategy a reference uses when it names none. */
export const DEFAULT_CLUSTER = 'failover';

const factories = new NamedFactories<ClusterFactory>('cluster strategy');

/**
 * Makes `name` usable as a reference's `cluster` option. Registering a taken name replaces it.
 *
 * @example registerCluster('mine', (context) => new MyClusterInvoker(context));
 */
export function registerCluster(name: string, factory: ClusterFactory): void {
  factories.register(name, factory);
}

/** A new invoker of the registered strategy `name` (case-insensitive); CONFIG_ERROR naming the known ones otherwise. */
export function createCluster(name: string, context: ClusterContext): ClusterInvoker {
  return factories.get(name)(context);
}

/** Registered strategy names, sorted. */
export function clusterNames(): string[] {
  return factories.names();
}

// Built-ins register exactly as users' strategies do.
registerCluster('failover', (context) => new FailoverClusterInvoker(context));
registerCluster('failfast', (context) => new FailfastClusterInvoker(context));
registerCluster('failsafe', (context) => new FailsafeClusterInvoker(context));
registerCluster('failback', (context) => new FailbackClusterInvoker(context));
registerCluster('forking', (context) => new ForkingClusterInvoker(context));
registerCluster('broadcast', (context) => new BroadcastClusterInvoker(context));
