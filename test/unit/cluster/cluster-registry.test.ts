import { CallStats } from '../../../src/cluster/call-stats';
import type { ClusterContext } from '../../../src/cluster/cluster';
import { FailoverClusterInvoker } from '../../../src/cluster/cluster-failover';
import { DEFAULT_CLUSTER, clusterNames, createCluster, registerCluster } from '../../../src/cluster/cluster-registry';
import { Directory } from '../../../src/cluster/directory';
import { RandomLoadBalancer } from '../../../src/cluster/load-balancer-random';
import { RpcError } from '../../../src/errors/rpc-error';
import { invocation } from './fixtures';

const context: ClusterContext = {
  directory: new Directory({ service: 'com.acme.UserService' }),
  loadBalancer: new RandomLoadBalancer(),
  stats: new CallStats(),
  invokeProvider: (_provider, _invocation, callbacks) => callbacks.succeeded('ok'),
};

describe('cluster registry', () => {
  it('knows the six built-ins, failover by default', () => {
    expect(clusterNames()).toEqual(
      expect.arrayContaining(['broadcast', 'failback', 'failfast', 'failover', 'failsafe', 'forking']),
    );
    expect(DEFAULT_CLUSTER).toBe('failover');
    expect(createCluster('FailOver', context)).toBeInstanceOf(FailoverClusterInvoker);
  });

  it('rejects an unknown name with CONFIG_ERROR listing the known ones', () => {
    expect(() => createCluster('failnever', context)).toThrow(
      expect.objectContaining({
        code: 'CONFIG_ERROR',
        message: expect.stringMatching(/'failnever'.*broadcast, failback/),
      }),
    );
    expect(() => createCluster('failnever', context)).toThrow(RpcError);
  });

  it('accepts user strategies registered the same way', async () => {
    registerCluster('constant', () => ({ invoke: async () => 42, close: () => {} }));
    await expect(createCluster('constant', context).invoke(invocation())).resolves.toBe(42);
  });
});
