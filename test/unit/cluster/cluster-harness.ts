import { CallStats } from '../../../src/cluster/call-stats';
import { formatCallId } from '../../../src/cluster/call-id';
import type { ClusterContext, ClusterInvoker, InvokeProvider } from '../../../src/cluster/cluster';
import { createCluster } from '../../../src/cluster/cluster-registry';
import { Directory } from '../../../src/cluster/directory';
import { RoundRobinLoadBalancer } from '../../../src/cluster/load-balancer-round-robin';
import { OutlierDetector } from '../../../src/cluster/outlier-detector';
import type { Logger } from '../../../src/common/logger';
import type { ProviderInfo } from '../../../src/common/provider-info';
import type { Invocation } from '../../../src/rpc/invocation';
import { providers as makeProviders } from './fixtures';

/**
 * What a scripted provider does with one attempt: return a value or throw (reported synchronously, as a transport
 * may), or return a promise (reported when it settles).
 */
export type Behaviour = (invocation: Invocation, attempt: number) => unknown;

export interface Call {
  readonly address: string;
  /** The attempt's call id, as the request prefix carries it (0: none). */
  readonly callId: number;
  /** The same, as a provider keys its de-duplication memory. */
  readonly formattedCallId: string;
  readonly deadline: number;
}

/**
 * A cluster invoker of strategy `name` over `count` scripted providers 10.0.0.1:20880, ... (round robin, so the
 * order of attempts is predictable). Each provider answers 'ok@<address>' unless scripted otherwise. `context`
 * overrides any part of the cluster's context (`stats` included: the one returned is the one used).
 */
export function harness(
  name: string,
  count: number,
  script: Record<string, Behaviour> = {},
  context: Partial<ClusterContext> = {},
) {
  const calls: Call[] = [];
  const logs: { level: keyof Logger; message: string }[] = [];
  const logger: Logger = {
    debug: (message) => logs.push({ level: 'debug', message }),
    info: (message) => logs.push({ level: 'info', message }),
    warn: (message) => logs.push({ level: 'warn', message }),
    error: (message) => logs.push({ level: 'error', message }),
  };
  const attempts = new Map<string, number>();
  const directory = new Directory({
    service: 'com.acme.UserService',
    version: '1.0.0',
    outlierDetector: new OutlierDetector(),
  });
  const list: ProviderInfo[] = makeProviders(count);
  directory.update(list);
  const stats = context.stats ?? new CallStats();
  const invokeProvider: InvokeProvider = (provider, invocation, callbacks) => {
    const attempt = attempts.get(provider.address) ?? 0;
    attempts.set(provider.address, attempt + 1);
    calls.push({
      address: provider.address,
      callId: invocation.callId,
      formattedCallId: formatCallId(invocation.declared.consumerId, invocation.callId),
      deadline: invocation.deadline,
    });
    const behaviour = script[provider.address];
    let result: unknown;
    try {
      result = behaviour === undefined ? `ok@${provider.address}` : behaviour(invocation, attempt);
    } catch (error) {
      callbacks.failed(error);
      return;
    }
    if (isThenable(result)) {
      result.then(
        (value) => callbacks.succeeded(value),
        (error: unknown) => callbacks.failed(error),
      );
    } else {
      callbacks.succeeded(result);
    }
  };
  const invoker: ClusterInvoker = createCluster(name, {
    directory,
    loadBalancer: new RoundRobinLoadBalancer(),
    invokeProvider,
    logger,
    ...context,
    stats,
  });
  return { invoker, directory, stats, calls, logs, providers: list, address: (i: number) => list[i]!.address };
}

/** The settled outcome of a promise, for assertions on rejections with their fields. */
export async function outcome(promise: Promise<unknown>): Promise<{ value?: unknown; error?: any }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

export function delay<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}
