import 'reflect-metadata';
import type { ServiceToken } from '../src/common/service-name';
import { declaringFile } from './call-site';
import { SERVICE_METADATA } from './metadata-keys';

/** Options of `@Service`. Unset values take DEFAULT_SERVICE_OPTIONS (decorators/service-definition.ts). */
export interface ServiceOptions {
  /**
   * The contract: a wire name ('com.acme.UserService') or an abstract class token. Default: the nearest
   * `@Contract` class (or class with a `static serviceName`) that the implementation extends.
   */
  readonly interface?: ServiceToken;
  /** Default ''. Consumers must ask for the same version. */
  readonly version?: string;
  /** Default ''. Consumers must ask for the same group. */
  readonly group?: string;
  /** Relative share of the calls among providers, default 100. */
  readonly weight?: number;
  /** Advertised per-call timeout in ms, published in the provider URL for consumers that set none. */
  readonly timeout?: number;
  /** Preferred serializer advertised to consumers, default 'msgpack'. */
  readonly serialization?: string;
  /** Ask the server to answer a retried request id once (see RpcServer export options). */
  readonly dedup?: boolean;
  /** Warm-up period in ms advertised to consumers (weight ramps up over it). */
  readonly warmup?: number;
  /** Extra URL parameters published with the provider (e.g. `{ region: 'eu-1' }`). */
  readonly parameters?: Readonly<Record<string, string>>;
}

/** What `@Service` records on an implementation class. */
export interface ServiceMetadata {
  readonly options: Readonly<ServiceOptions>;
  /** The file that declared the class (from the call stack), for error messages; undefined under eval. */
  readonly file: string | undefined;
}

/**
 * Exposes a class as a remote service. The class needs a no-argument constructor; bootstrap() instantiates it,
 * injects its `@Reference` properties, exports it, and publishes it once the server listens.
 *
 * @example
 * @Service({ interface: 'com.acme.UserService', version: '1.0.0', weight: 100 })
 * export class UserServiceImpl implements UserService { async getUser(id: number) { ... } }
 */
export function Service(options: ServiceOptions = {}): ClassDecorator {
  const recorded: Readonly<ServiceOptions> = Object.freeze({
    ...options,
    ...(options.parameters === undefined ? {} : { parameters: Object.freeze({ ...options.parameters }) }),
  });
  return (target) => {
    const metadata: ServiceMetadata = Object.freeze({ options: recorded, file: declaringFile() });
    Reflect.defineMetadata(SERVICE_METADATA, metadata, target);
  };
}
