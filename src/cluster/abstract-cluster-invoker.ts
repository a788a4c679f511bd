import type { Logger } from '../common/logger';
import { SILENT_LOGGER } from '../common/logger';
import type { ProviderInfo } from '../common/provider-info';
import { RpcError } from '../errors/rpc-error';
import type { Invocation } from '../rpc/invocation';
import { nextCallId } from './call-id';
import type { CallStats, MethodCounters } from './call-stats';
import {
  DEFAULT_CLUSTER_OPTIONS,
  type ClusterContext,
  type AttemptCallbacks,
  type ClusterInvoker,
  type ClusterOptions,
  type InvokeProvider,
} from './cluster';
import type { Directory } from './directory';
import type { BalanceOptions, LoadBalancer } from './load-balancer';

/** A method's settings, the reference's merged with the method's overrides once. */
export interface MethodSettings {
  readonly retries: number;
  readonly forks: number;
  readonly loadBalancer: LoadBalancer;
  readonly balance: BalanceOptions;
}

/**
 * What every strategy shares: the call id, per-method settings, picking a provider (NO_PROVIDER explained), and
 * one attempt wrapped with call stats and outlier feedback. Subclasses implement {@link doInvoke}.
 */
export abstract class AbstractClusterInvoker implements ClusterInvoker {
  protected readonly directory: Directory;
  protected readonly stats: CallStats;
  protected readonly logger: Logger;
  protected readonly options: ClusterOptions;
  protected readonly now: () => number;
  protected closed = false;
  private readonly invokeProvider: InvokeProvider;
  private readonly context: ClusterContext;
  private readonly settings = new Map<string, MethodSettings>();

  constructor(context: ClusterContext) {
    this.context = context;
    this.directory = context.directory;
    this.stats = context.stats;
    this.invokeProvider = context.invokeProvider;
    this.logger = context.logger ?? SILENT_LOGGER;
    this.options = { ...DEFAULT_CLUSTER_OPTIONS, ...context.options };
    this.now = context.now ?? (() => Date.now());
    const methodBalancers = Object.values(context.methods ?? {}).map((method) => method.loadBalancer);
    if ([context.loadBalancer, ...methodBalancers].some((balancer) => balancer?.readsResponseTimes === true)) {
      this.stats.measureResponseTimes();
    }
  }

  invoke(invocation: Invocation): Promise<unknown> {
    if (this.closed) {
      return Promise.reject(new RpcError('CLIENT_CLOSED', `${this.describe(invocation)}: the reference is closed`));
    }
    if (invocation.callId === 0) invocation.callId = nextCallId();
    try {
      return this.doInvoke(invocation, this.settingsOf(invocation.method));
    } catch (error) {
      return Promise.reject(error); // a strategy's synchronous throw (NO_PROVIDER) still settles the promise
    }
  }

  close(): void {
    this.closed = true;
  }

  /** The strategy. `invocation` already carries its call id. */
  protected abstract doInvoke(invocation: Invocation, settings: MethodSettings): Promise<unknown>;

  /** A provider for `invocation` among the directory's, minus `excluded`; NO_PROVIDER when none is left. */
  protected select(invocation: Invocation, settings: MethodSettings, excluded?: ReadonlySet<string>): ProviderInfo {
    const all = this.directory.providers();
    const candidates =
      excluded === undefined || excluded.size === 0 ? all : all.filter((p) => !excluded.has(p.address));
    if (candidates.length === 0) throw this.noProvider(invocation, excluded);
    if (candidates.length === 1) return candidates[0] as ProviderInfo;
    return settings.loadBalancer.select(candidates, invocation, this.stats, settings.balance);
  }

  /**
   * One attempt on one provider, recorded in the call stats and the outlier detector; the transport settles its
   * promise directly. Given `recoverWith` (the method's settings), a failure goes to {@link recover} (a retry, say)
   * instead of rejecting; `original` is the call as the caller made it, when `invocation` is a copy with a shorter
   * deadline. No closure or token is made per attempt: the Attempt object carries it all.
   */
  protected attempt(
    provider: ProviderInfo,
    invocation: Invocation,
    recoverWith?: MethodSettings,
    original: Invocation = invocation,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const address = provider.address;
      const counters = this.stats.countersOf(address, invocation.declared.label);
      const startedAt = this.stats.enter(counters);
      this.directory.outlierDetector.beginAttempt(address);
      const attempt = new Attempt(this, counters, startedAt, resolve, reject, recoverWith, original);
      try {
        this.invokeProvider(provider, invocation, attempt);
      } catch (error) {
        attempt.failed(error); // a transport bug still settles the attempt (once: later reports are ignored)
      }
    });
  }

  /**
   * What a failed attempt made with `recover` becomes: its result settles the attempt's promise (a value, or a promise
   * of the retry), a throw rejects it. Strategies that recover override this; by default the failure stands.
   * @internal called by Attempt
   */
  recover(error: unknown, _failedAddress: string, _settings: MethodSettings, _original: Invocation): unknown {
    throw error;
  }

  /** @internal called by Attempt when it ends */
  attemptEnded(attempt: Attempt, error?: unknown): void {
    this.stats.leave(attempt.counters, attempt.startedAt, error === undefined);
    if (error === undefined) this.directory.outlierDetector.record(attempt.counters.address);
    else this.directory.outlierDetector.record(attempt.counters.address, error);
  }

  /** NO_PROVIDER, saying how many providers were registered, matched and excluded, and why that may be. */
  protected noProvider(invocation: Invocation, excluded?: ReadonlySet<string>): RpcError {
    const { registered, matched } = this.directory.counts();
    let reason: string;
    if (registered === 0) {
      reason = 'no provider is registered for the interface (is one running, on the same registry and root?)';
    } else if (matched === 0) {
      reason = `${registered} registered for the interface, none enabled with this group and version`;
    } else {
      const tried = excluded === undefined ? [] : [...excluded];
      reason = `${matched} known, ${tried.length} excluded after failing (${tried.join(', ') || '-'})`;
    }
    return new RpcError('NO_PROVIDER', `No provider available for ${this.describe(invocation)}: ${reason}`);
  }

  /** 'com.acme.UserService#getUser (group 'a', version '1.0.0')'. */
  protected describe(invocation: Invocation): string {
    return `${invocation.service}#${invocation.method} (group '${invocation.group}', version '${invocation.version}')`;
  }

  private settingsOf(method: string): MethodSettings {
    let settings = this.settings.get(method);
    if (settings === undefined) {
      const methods = this.context.methods;
      // hasOwn: a method named 'constructor' or '__proto__' must not find Object.prototype's members.
      const own = methods !== undefined && Object.hasOwn(methods, method) ? methods[method] : undefined;
      settings = {
        retries: own?.retries ?? this.options.retries,
        forks: own?.forks ?? this.options.forks,
        loadBalancer: own?.loadBalancer ?? this.context.loadBalancer,
        balance: { ...this.context.balance, ...own?.balance },
      };
      this.settings.set(method, settings);
    }
    return settings;
  }
}

/** One attempt in flight: ends its stats, tells the outlier detector, settles the attempt's promise — once. */
class Attempt implements AttemptCallbacks {
  private done = false;

  constructor(
    private readonly invoker: AbstractClusterInvoker,
    readonly counters: MethodCounters,
    readonly startedAt: number,
    private readonly resolve: (value: unknown) => void,
    private readonly reject: (error: unknown) => void,
    private readonly recoverWith: MethodSettings | undefined,
    private readonly original: Invocation,
  ) {}

  succeeded(value: unknown): void {
    if (this.done) return;
    this.done = true;
    this.invoker.attemptEnded(this);
    this.resolve(value);
  }

  failed(error: unknown): void {
    if (this.done) return;
    this.done = true;
    this.invoker.attemptEnded(this, error);
    if (this.recoverWith === undefined) {
      this.reject(error);
      return;
    }
    try {
      this.resolve(this.invoker.recover(error, this.counters.address, this.recoverWith, this.original));
    } catch (next) {
      this.reject(next);
    }
  }
}
