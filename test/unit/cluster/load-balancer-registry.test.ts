import { CallStats } from '../../../src/cluster/call-stats';
import { ConsistentHashLoadBalancer } from '../../../src/cluster/load-balancer-consistent-hash';
import { RandomLoadBalancer } from '../../../src/cluster/load-balancer-random';
import {
  DEFAULT_LOAD_BALANCER,
  createLoadBalancer,
  loadBalancerNames,
  registerLoadBalancer,
} from '../../../src/cluster/load-balancer-registry';
import { RpcError } from '../../../src/errors/rpc-error';
import { invocation, providers } from './fixtures';

describe('load balancer registry', () => {
  it('knows the five built-ins, random by default', () => {
    expect(loadBalancerNames()).toEqual(
      expect.arrayContaining(['consistenthash', 'leastactive', 'random', 'roundrobin', 'shortestresponse']),
    );
    expect(DEFAULT_LOAD_BALANCER).toBe('random');
    expect(createLoadBalancer()).toBeInstanceOf(RandomLoadBalancer);
    expect(createLoadBalancer('ConsistentHash')).toBeInstanceOf(ConsistentHashLoadBalancer);
  });

  it('creates a new instance each time (balancers hold per-reference state)', () => {
    expect(createLoadBalancer('roundrobin')).not.toBe(createLoadBalancer('roundrobin'));
  });

  it('rejects an unknown name with CONFIG_ERROR listing the known ones', () => {
    let error: unknown;
    try {
      createLoadBalancer('fastest');
    } catch (e) {
      error = e;
    }
    expect(RpcError.is(error, 'CONFIG_ERROR')).toBe(true);
    expect((error as Error).message).toMatch(
      /'fastest'.*consistenthash, leastactive, random, roundrobin, shortestresponse/,
    );
  });

  it('accepts user balancers registered the same way, and passes options to factories', () => {
    registerLoadBalancer('last', () => ({ select: (list) => list[list.length - 1]! }));
    const list = providers(3);
    expect(createLoadBalancer('last').select(list, invocation(), new CallStats(), {})).toBe(list[2]);
    const seeded = createLoadBalancer('random', { random: () => 0.99 });
    expect(seeded.select(list, invocation(), new CallStats(), {})).toBe(list[2]);
  });
});
