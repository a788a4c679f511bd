import { CallStats } from '../cluster/call-stats';
import type { ClusterInvoker, ClusterOptions, InvokeProvider, MethodClusterOptions } from '../cluster/cluster';
import { createCluster } from '../cluster/cluster-registry';
import { Directory } from '../cluster/directory';
import { createLoadBalancer } from '../cluster/load-balancer-registry';
import type { OutlierDetector } from '../cluster/outlier-detector';
import { ANY } from '../cluster/provider-match';
import type { Logger } from '../common/logger';
import type { Registry } from '../common/registry';
import type { Serializer } from '../serialization/serializer';
import { getSerializerByName } from '../serialization/serializer-registry';
import type { Invocation } from './invocation';
import { MethodDeclarations } from './method-declarations';
import {
  DEFAULT_REFERENCE_OPTIONS,
  resolveMethodOptions,
  type ReferenceOptions,
  type ResolvedMethodOptions,
} from './reference-options';

/** Reference options handed to the fault-tolerance strategy as they are. */
const CLUSTER_OPTION_KEYS = [
  'retries',
  'forks',
  'failbackIntervalMs',
  'failbackMaxAttempts',
  'failbackTimeoutMs',
  'failbackQueueSize',
] as const satisfies ReadonlyArray<keyof ClusterOptions & keyof ReferenceOptions>;

/** A method's resolved options and its declarations, made on its first call. */
interface MethodState {
  readonly options: ResolvedMethodOptions;
  readonly declarations: MethodDeclarations;
}

/** What a reference borrows from its client. */
export interface ReferenceContext {
  logger: Logger;
  invokeProvider: InvokeProvider;
  stats: CallStats;
  outlierDetector: OutlierDetector;
}

/**
 * One consumer-side reference: its directory of providers (kept current by the registry), its balancer(s)
 * and fault-tolerance strategy. The proxy turns each method access into `call(method, args)`.
 */
export class Reference {
  private readonly directory: Directory;
  private readonly invoker: ClusterInvoker;
  private readonly methods = new Map<string, MethodState>();
  private readonly group: string;
  private readonly version: string;
  private readonly serializer: Serializer;
  private subscribed: Promise<void> | undefined;

  constructor(
    readonly service: string,
    private readonly options: ReferenceOptions,
    registry: Registry,
    context: ReferenceContext,
  ) {
    this.group = options.group ?? DEFAULT_REFERENCE_OPTIONS.group;
    this.version = options.version ?? DEFAULT_REFERENCE_OPTIONS.version;
    this.serializer = getSerializerByName(options.serialization ?? DEFAULT_REFERENCE_OPTIONS.serialization);
    const direct = options.url !== undefined;
    // Providers named directly are called whatever group/version their URL carries (Dubbo's point-to-point mode).
    this.directory = new Directory({
      service,
      group: direct ? ANY : this.group,
      version: direct ? ANY : this.version,
      outlierDetector: context.outlierDetector,
      logger: context.logger,
    });
    const methods: Record<string, MethodClusterOptions> = {};
    for (const [name, own] of Object.entries(options.methods ?? {})) {
      const method: MethodClusterOptions = {};
      if (own.retries !== undefined) method.retries = own.retries;
      if (own.loadbalance !== undefined) method.loadBalancer = createLoadBalancer(own.loadbalance);
      if (own.hashArguments !== undefined) method.balance = { hashArguments: own.hashArguments };
      methods[name] = method;
    }
    const clusterOptions: Partial<ClusterOptions> = {};
    for (const key of CLUSTER_OPTION_KEYS) {
      const value = options[key];
      if (value !== undefined) clusterOptions[key] = value;
    }
    this.invoker = createCluster(options.cluster ?? DEFAULT_REFERENCE_OPTIONS.cluster, {
      directory: this.directory,
      loadBalancer: createLoadBalancer(options.loadbalance ?? DEFAULT_REFERENCE_OPTIONS.loadbalance),
      stats: context.stats,
      invokeProvider: context.invokeProvider,
      options: clusterOptions,
      balance: { hashArguments: options.hashArguments ?? [...DEFAULT_REFERENCE_OPTIONS.hashArguments] },
      methods,
      logger: context.logger,
    });
    this.subscribed = this.directory.subscribe(registry).then(
      () => {
        this.subscribed = undefined;
      },
      (error: Error) => {
        this.subscribed = undefined;
        context.logger.error(`Cannot subscribe to providers of ${service}: ${error.message}`);
      },
    );
  }

  call(method: string, args: unknown[]): Promise<unknown> {
    // The first calls wait for the registry's first answer instead of failing with NO_PROVIDER.
    if (this.subscribed !== undefined) return this.subscribed.then(() => this.call(method, args));
    let state = this.methods.get(method);
    if (state === undefined) {
      state = {
        options: resolveMethodOptions(this.options, method),
        declarations: new MethodDeclarations(this.service, this.group, this.version, method),
      };
      this.methods.set(method, state);
    }
    const { options } = state;
    const declared = state.declarations.for(args);
    const invocation: Invocation = {
      service: this.service,
      group: this.group,
      version: this.version,
      method,
      args,
      parameterTypes: declared.parameterTypes,
      declared,
      callId: 0,
      deadline: Date.now() + options.timeout,
      oneWay: options.oneWay,
      serializer: this.serializer,
      idempotent: options.idempotent,
    };
    return this.invoker.invoke(invocation);
  }

  markUnavailable(address: string): void {
    this.directory.markUnavailable(address);
  }

  markAvailable(address: string): void {
    this.directory.markAvailable(address);
  }

  close(): void {
    this.invoker.close();
    void this.directory.close();
  }
}
