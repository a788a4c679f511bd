import 'reflect-metadata';
import { RpcError } from '../src/errors/rpc-error';
import { IDEMPOTENT_METADATA } from './metadata-keys';

/**
 * Declares methods safe to run more than once, so the cluster layer may retry them after a timeout or a
 * closed connection (other methods are retried only when the call surely did not run). `@Reference` reads
 * these names from the contract class it is given and passes them as `ReferenceOptions.idempotent`.
 *
 * On a concrete method: `@Idempotent()`. On a class, naming methods — the only way for an abstract
 * contract, since TypeScript allows no decorator on an abstract method: `@Idempotent('getUser', 'find')`.
 *
 * @example
 * @Contract('com.acme.UserService')
 * @Idempotent('getUser')
 * export abstract class UserService { abstract getUser(id: number): Promise<User>; abstract rename(...): Promise<User>; }
 */
export function Idempotent(): MethodDecorator;
export function Idempotent(...methods: [string, ...string[]]): ClassDecorator;
export function Idempotent(...methods: string[]): MethodDecorator | ClassDecorator {
  if (methods.length > 0) {
    const classDecorator: ClassDecorator = (target) => record(target.prototype as object, methods, target.name);
    return classDecorator;
  }
  const methodDecorator: MethodDecorator = (target, key) => {
    const owner = typeof target === 'function' ? target : target.constructor;
    if (typeof target === 'function' || typeof key === 'symbol') {
      throw new RpcError(
        'CONFIG_ERROR',
        `@Idempotent() on ${owner.name}.${String(key)}: only instance methods with string names are remote methods`,
      );
    }
    record(target, [key], owner.name);
  };
  return methodDecorator;
}

function record(prototype: object, methods: readonly string[], className: string): void {
  for (const method of methods) {
    if (method.trim() === '') throw new RpcError('CONFIG_ERROR', `@Idempotent on ${className}: empty method name`);
  }
  const existing = (Reflect.getOwnMetadata(IDEMPOTENT_METADATA, prototype) as readonly string[] | undefined) ?? [];
  const merged = Object.freeze([...new Set([...existing, ...methods])].sort());
  Reflect.defineMetadata(IDEMPOTENT_METADATA, merged, prototype);
}
