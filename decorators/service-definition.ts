import 'reflect-metadata';
import { DEFAULT_WEIGHT } from '../src/common/provider-info';
import { RpcError } from '../src/errors/rpc-error';
import { serviceKey } from '../src/rpc/invocation';
import { DESIGN_PARAMTYPES } from './metadata-keys';
import { contractNameOf, findContract, readIdempotentMethods, readServiceMetadata } from './metadata-reader';

/** Values of the `@Service` options a class leaves unset. */
export const DEFAULT_SERVICE_OPTIONS = Object.freeze({
  version: '',
  group: '',
  weight: DEFAULT_WEIGHT,
  serialization: 'msgpack',
});

/** A class bootstrap can instantiate: `@Service` classes need a no-argument constructor. */
export type ServiceClass = new () => object;

/** Everything the bootstrap needs to export and publish one `@Service` class, defaults applied. */
export interface ServiceDefinition {
  readonly implementation: ServiceClass;
  readonly className: string;
  /** The file that declared the class, when known. */
  readonly file: string | undefined;
  /** The wire name, e.g. 'com.acme.UserService'. */
  readonly interface: string;
  readonly group: string;
  readonly version: string;
  /** `group/interface:version`, the provider's service-map key; unique within an application. */
  readonly key: string;
  readonly weight: number;
  readonly serialization: string;
  readonly timeout: number | undefined;
  readonly dedup: boolean | undefined;
  readonly warmup: number | undefined;
  /** Public methods of the class and its parents (not Object's), sorted. */
  readonly methods: readonly string[];
  /**
   * Per method, the constructors from `design:paramtypes`, for the server to validate arguments. Compilers emit
   * them only for methods that carry a decorator (`@Idempotent()` counts) and never under esbuild/tsx.
   */
  readonly parameterTypes: Readonly<Record<string, Function[]>>;
  readonly idempotentMethods: readonly string[];
  /** Extra provider URL parameters from `@Service({ parameters })`. */
  readonly parameters: Readonly<Record<string, string>>;
}

/**
 * Interprets a `@Service` class's metadata. Throws CONFIG_ERROR naming the class and its file when the class is
 * not a service, has no contract (no `interface` and extends no `@Contract` class) or has invalid options.
 *
 * @example
 * const definition = defineService(UserServiceImpl);   // { interface: 'com.acme.UserService', key: '/com.acme.UserService:1.0.0', ... }
 */
export function defineService(implementation: Function): ServiceDefinition {
  const metadata = readServiceMetadata(implementation);
  const where = `${implementation.name || '(anonymous class)'} (${metadata?.file ?? 'file unknown'})`;
  if (metadata === undefined) throw new RpcError('CONFIG_ERROR', `${where} is not decorated with @Service`);
  const options = { ...DEFAULT_SERVICE_OPTIONS, ...definedOnly(metadata.options) };

  const contract = options.interface ?? findContract(implementation);
  if (contract === undefined) {
    throw new RpcError(
      'CONFIG_ERROR',
      `@Service on ${where} names no contract: pass @Service({ interface: 'com.acme.Name' }) or extend an ` +
        'abstract class marked @Contract (TypeScript `implements` leaves no trace at run time)',
    );
  }
  let name: string;
  try {
    name = contractNameOf(contract);
  } catch (error) {
    throw new RpcError('CONFIG_ERROR', `@Service on ${where}: invalid interface`, { cause: error });
  }
  check(typeof options.version === 'string', where, 'version must be a string');
  check(typeof options.group === 'string', where, 'group must be a string');
  check(Number.isFinite(options.weight) && options.weight >= 0, where, `weight must be >= 0, got ${options.weight}`);
  check(options.timeout === undefined || options.timeout > 0, where, `timeout must be > 0 ms, got ${options.timeout}`);
  check(options.warmup === undefined || options.warmup >= 0, where, `warmup must be >= 0 ms, got ${options.warmup}`);
  check(options.serialization.trim() !== '', where, 'serialization must name a serializer');

  const methods = remoteMethodsOf(implementation);
  check(methods.length > 0, where, 'a service needs at least one method');
  return Object.freeze({
    implementation: implementation as ServiceClass,
    className: implementation.name,
    file: metadata.file,
    interface: name,
    group: options.group,
    version: options.version,
    key: serviceKey(name, options.group, options.version),
    weight: options.weight,
    serialization: options.serialization,
    timeout: options.timeout,
    dedup: options.dedup,
    warmup: options.warmup,
    methods,
    parameterTypes: parameterTypesOf(implementation, methods),
    idempotentMethods: readIdempotentMethods(implementation),
    parameters: Object.freeze({ ...options.parameters }),
  });
}

/** Public method names of a class's prototype chain, Object's excluded, getters and `constructor` skipped. */
export function remoteMethodsOf(implementation: Function): readonly string[] {
  const names = new Set<string>();
  for (let p = implementation.prototype as object | null; p !== null && p !== Object.prototype;) {
    for (const name of Object.getOwnPropertyNames(p)) {
      const descriptor = Object.getOwnPropertyDescriptor(p, name);
      if (name !== 'constructor' && typeof descriptor?.value === 'function') names.add(name);
    }
    p = Object.getPrototypeOf(p) as object | null;
  }
  return Object.freeze([...names].sort());
}

/** `design:paramtypes` per method where the compiler emitted it (tsc, swc); nothing under esbuild/tsx. */
export function parameterTypesOf(
  implementation: Function,
  methods: readonly string[],
): Readonly<Record<string, Function[]>> {
  const types: Record<string, Function[]> = {};
  for (const method of methods) {
    for (let p = implementation.prototype as object | null; p !== null && p !== Object.prototype;) {
      const found = Reflect.getOwnMetadata(DESIGN_PARAMTYPES, p, method) as Function[] | undefined;
      if (Array.isArray(found)) {
        types[method] = [...found];
        break;
      }
      if (Object.prototype.hasOwnProperty.call(p, method)) break; // the nearest definition has none
      p = Object.getPrototypeOf(p) as object | null;
    }
  }
  return Object.freeze(types);
}

function check(condition: boolean, where: string, message: string): void {
  if (!condition) throw new RpcError('CONFIG_ERROR', `@Service on ${where}: ${message}`);
}

/** Drops keys whose value is undefined, so `{ version: undefined }` keeps the default. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
