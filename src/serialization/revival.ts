import { lookupTypeByName } from './type-registry';

/**
 * How both serializers bring class instances and errors back without running code chosen by the sender:
 * a registered class is revived with Object.create (its constructor never runs), built-in errors from a fixed
 * table, and every other name yields a plain object or a plain Error.
 */

/** The parts of an Error that are own but not enumerable, so they travel apart from the fields. */
export interface ErrorParts {
  message: string;
  stack: string | undefined;
  cause: unknown;
}

/** Error classes any receiver may construct: the language's own, looked up here, never on globalThis. */
const BUILT_IN_ERRORS: ReadonlyMap<string, ErrorConstructor> = new Map<string, ErrorConstructor>([
  ['Error', Error],
  ['TypeError', TypeError],
  ['RangeError', RangeError],
  ['SyntaxError', SyntaxError],
  ['ReferenceError', ReferenceError],
  ['EvalError', EvalError],
  ['URIError', URIError],
]);

/** Fields that would change an object's prototype if assigned, and so are dropped. */
const FORBIDDEN_FIELD = '__proto__';

/**
 * An instance of the class registered under `name`, with `fields` as own properties; for errors `error` holds
 * message, stack and cause. An unknown name gives a plain Error (when `error` is given) or a plain object.
 */
export function reviveRegistered(name: string, fields: unknown, error: ErrorParts | undefined): object {
  const Class = lookupTypeByName(name);
  if (Class === undefined) {
    return error === undefined ? assignFields({}, fields) : reviveError(name, fields, error);
  }
  const instance = Object.create(Class.prototype as object) as Record<string, unknown>;
  assignFields(instance, fields);
  if (error !== undefined) setErrorParts(instance, error);
  return instance;
}

/**
 * An Error named `name`: a built-in class when the name is one (TypeError, RangeError, ...), otherwise a plain
 * Error whose `name` says what the sender threw.
 */
export function reviveError(name: string, fields: unknown, parts: ErrorParts): Error {
  const Builtin = BUILT_IN_ERRORS.get(name);
  // The receiver's stack is about to be replaced by the sender's, so don't pay for capturing it.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let error: Error;
  try {
    error = new (Builtin ?? Error)(parts.message);
  } finally {
    Error.stackTraceLimit = limit;
  }
  assignFields(error as unknown as Record<string, unknown>, fields);
  if (error.name !== name) setHidden(error, 'name', name);
  setErrorParts(error, parts);
  return error;
}

/** Copies the own enumerable properties of `fields` (when it is an object) onto `target`, minus `__proto__`. */
export function assignFields<T extends object>(target: T, fields: unknown): T {
  if (typeof fields !== 'object' || fields === null) return target;
  const source = fields as Record<string, unknown>;
  const into = target as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    if (key !== FORBIDDEN_FIELD) into[key] = source[key];
  }
  return target;
}

function setErrorParts(target: object, parts: ErrorParts): void {
  setHidden(target, 'message', parts.message);
  if (parts.stack !== undefined) setHidden(target, 'stack', parts.stack);
  if (parts.cause !== undefined) setHidden(target, 'cause', parts.cause);
}

/** Defines `key` the way Error defines message and stack: own, writable, not enumerable. */
function setHidden(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: false, configurable: true });
}
