import { RpcError } from '../errors/rpc-error';

/**
 * The plug-in registry behind `registerLoadBalancer`, `registerCluster` and `registerRegistryType`: factories by
 * case-insensitive name; built-ins register the same way users' plug-ins do.
 */
export class NamedFactories<F> {
  private readonly factories = new Map<string, F>();

  /** `kind` names what is registered, for errors: "Unknown load balancer 'x': expected one of ...". */
  constructor(private readonly kind: string) {}

  /** Registering a taken name replaces it. */
  register(name: string, factory: F): void {
    this.factories.set(name.toLowerCase(), factory);
  }

  /** The factory of `name`; CONFIG_ERROR naming the known ones otherwise. */
  get(name: string): F {
    const factory = this.factories.get(name.toLowerCase());
    if (factory === undefined) {
      throw new RpcError('CONFIG_ERROR', `Unknown ${this.kind} '${name}': expected one of ${this.names().join(', ')}`);
    }
    return factory;
  }

  /** Registered names, sorted. */
  names(): string[] {
    return [...this.factories.keys()].sort();
  }
}
