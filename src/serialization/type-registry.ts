import { RpcError } from '../errors/rpc-error';

/** Any class, abstract or not, whatever its constructor's parameters. */
export type SerializableClass = abstract new (...args: never[]) => unknown;

/**
 * Tags that name built-in kinds of value (see type-tag.ts). A registered name may not shadow them, or a
 * 'Date' argument could be revived as somebody's class.
 */
const RESERVED_NAMES: ReadonlySet<string> = new Set([
  'undefined',
  'null',
  'number',
  'string',
  'boolean',
  'bigint',
  'symbol',
  'function',
  'object',
  'Array',
  'Date',
  'Map',
  'Set',
  'Buffer',
  'Error',
  'RegExp',
  'ArrayBuffer',
  'DataView',
  'Uint8Array',
  'Uint8ClampedArray',
  'Uint16Array',
  'Uint32Array',
  'Int8Array',
  'Int16Array',
  'Int32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
]);

const classesByName = new Map<string, SerializableClass>();
const namesByClass = new Map<SerializableClass, string>();

/**
 * Registers `Class` under a stable wire name, so its instances cross the wire as instances: the receiver revives
 * them with its own class registered under the same name (prototype set, fields restored, constructor not called).
 * Nothing is ever revived from a name that was not registered on the receiving side.
 * Registering the same class under the same name again is a no-op; anything else that reuses a name or a class
 * is a CONFIG_ERROR.
 *
 * @example
 * class User { constructor(public id: number, public name: string) {} }
 * registerType(User, 'com.acme.User');
 */
export function registerType(Class: SerializableClass, name: string): void {
  if (typeof Class !== 'function' || Class.prototype === undefined) {
    throw new RpcError('CONFIG_ERROR', `registerType('${name}'): expected a class, got ${typeof Class}`);
  }
  if (typeof name !== 'string' || name.length === 0) {
    throw new RpcError('CONFIG_ERROR', `registerType(${Class.name}): the wire name must be a non-empty string`);
  }
  if (RESERVED_NAMES.has(name)) {
    throw new RpcError('CONFIG_ERROR', `registerType(${Class.name}): '${name}' is a built-in type tag`);
  }
  const taken = classesByName.get(name);
  const existingName = namesByClass.get(Class);
  if (taken === Class && existingName === name) return;
  if (taken !== undefined) {
    throw new RpcError('CONFIG_ERROR', `Type name '${name}' is already registered to class ${taken.name}`);
  }
  if (existingName !== undefined) {
    throw new RpcError('CONFIG_ERROR', `Class ${Class.name} is already registered as '${existingName}'`);
  }
  classesByName.set(name, Class);
  namesByClass.set(Class, name);
}

/** The class registered under `name`, or undefined. */
export function lookupTypeByName(name: string): SerializableClass | undefined {
  return classesByName.get(name);
}

/** The wire name `Class` was registered under (exactly that class, not a parent), or undefined. */
export function typeNameOf(Class: unknown): string | undefined {
  return namesByClass.get(Class as SerializableClass);
}

/** The wire name of `value`'s own class when that class is registered; undefined otherwise. */
export function registeredNameOf(value: object): string | undefined {
  return namesByClass.get((value as { constructor?: SerializableClass }).constructor as SerializableClass);
}
