import { NamedFactories } from '../common/named-factories';
import type { LoadBalancer, LoadBalancerFactory, LoadBalancerOptions } from './load-balancer';
import { ConsistentHashLoadBalancer } from './load-balancer-consistent-hash';
import { LeastActiveLoadBalancer } from './load-balancer-least-active';
import { RandomLoadBalancer } from './load-balancer-random';
import { RoundRobinLoadBalancer } from './load-balancer-round-robin';
import { ShortestResponseLoadBalancer } from './load-balancer-shortest-response';

/** The balancer a reference uses when it names none. */
export const DEFAULT_LOAD_BALANCER = 'random';

const factories = new NamedFactories<LoadBalancerFactory>('load balancer');

/**
 * Makes `name` usable as a reference's `loadbalance` option. Registering a taken name replaces it.
 *
 * @example registerLoadBalancer('firstalive', () => ({ select: (providers) => providers[0]! }));
 */
export function registerLoadBalancer(name: string, factory: LoadBalancerFactory): void {
  factories.register(name, factory);
}

/** A new balancer of the registered `name` (case-insensitive); CONFIG_ERROR naming the known ones otherwise. */
export function createLoadBalancer(name: string = DEFAULT_LOAD_BALANCER, options?: LoadBalancerOptions): LoadBalancer {
  return factories.get(name)(options);
}

/** Registered balancer names, sorted. */
export function loadBalancerNames(): string[] {
  return factories.names();
}

// Built-ins register exactly as users' balancers do.
registerLoadBalancer('random', (options) => new RandomLoadBalancer(options));
registerLoadBalancer('roundrobin', (options) => new RoundRobinLoadBalancer(options));
registerLoadBalancer('leastactive', (options) => new LeastActiveLoadBalancer(options));
registerLoadBalancer('shortestresponse', (options) => new ShortestResponseLoadBalancer(options));
registerLoadBalancer('consistenthash', () => new ConsistentHashLoadBalancer());
