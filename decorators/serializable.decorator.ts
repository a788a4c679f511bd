import 'reflect-metadata';
import { RpcError } from '../src/errors/rpc-error';
import { registerType } from '../src/serialization/type-registry';
import { SERIALIZABLE_METADATA } from './metadata-keys';

/**
 * Registers a class with the serializers under a wire name, so its instances cross the wire as instances of
 * that class (only registered names are ever revived). The one decorator with an effect beyond metadata:
 * a type must be known before the first value arrives, which may be long before any bootstrap.
 *
 * @example
 * @Serializable('com.acme.User')
 * export class User { constructor(public id: number, public name: string, public born: Date) {} }
 */
export function Serializable(name: string): ClassDecorator {
  return (target) => {
    if (typeof name !== 'string' || name.trim() === '') {
      throw new RpcError('CONFIG_ERROR', `@Serializable on ${target.name}: the type name must be a non-empty string`);
    }
    Reflect.defineMetadata(SERIALIZABLE_METADATA, name, target);
    registerType(target as unknown as new (...args: never[]) => object, name);
  };
}
