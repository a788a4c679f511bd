import { inspect } from 'node:util';

/** Sends one remote call; the proxy turns property accesses into calls of this. */
export type RemoteCall = (method: string, args: unknown[]) => Promise<unknown>;

/**
 * Properties that are never remote: promise detection (`await ref`), JSON, inspection, and the
 * Object.prototype names a provider would refuse anyway (METHOD_NOT_FOUND).
 */
const NOT_REMOTE = new Set([
  'then',
  'catch',
  'finally',
  'toJSON',
  'inspect',
  'constructor',
  'asymmetricMatch',
  '$$typeof',
  'nodeType',
  'tagName',
  '__proto__',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

/**
 * A Proxy on which any method name is a remote call returning a Promise.
 *
 * @example
 * const users = createReferenceProxy<UserService>('com.acme.UserService', call);
 * await users.getUser(42);
 */
export function createReferenceProxy<T>(service: string, call: RemoteCall): T {
  const description = `[Reference ${service}]`;
  const methods = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  const local = new Map<string | symbol, unknown>([
    ['toString', () => description],
    ['valueOf', () => description],
    ['toLocaleString', () => description],
    ['toJSON', () => ({ reference: service })],
    [inspect.custom, () => description],
    [Symbol.toStringTag, 'Reference'],
  ]);
  // util.inspect looks at a proxy's target, not its traps: the target carries the custom inspector.
  const target = Object.create(null) as object;
  Object.defineProperty(target, inspect.custom, { value: () => description });
  return new Proxy(target, {
    get(_target, property) {
      // Remote methods already handed out first: the per-call path is one lookup.
      let method = methods.get(property as string);
      if (method !== undefined) return method;
      if (local.has(property)) return local.get(property);
      if (typeof property === 'symbol' || NOT_REMOTE.has(property)) return undefined;
      method = (...args: unknown[]) => call(property, args);
      methods.set(property, method);
      return method;
    },
    set() {
      return false;
    },
    has(_target, property) {
      return typeof property === 'string' && !NOT_REMOTE.has(property);
    },
  }) as T;
}
