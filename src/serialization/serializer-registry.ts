import { RpcError } from '../errors/rpc-error';
import type { Serializer } from './serializer';
import { jsonSerializer } from './json-serializer';
import { msgpackSerializer } from './msgpack-serializer';

const byId = new Map<number, Serializer>();
const byName = new Map<string, Serializer>();

/**
 * Makes a serializer available by its id (the frame header byte) and its name (options, provider URLs).
 * Re-registering the same instance is a no-op; another serializer under a taken id or name is a CONFIG_ERROR.
 * The built-ins ('msgpack' id 1, 'json' id 2) register themselves the same way when this module loads.
 *
 * @example
 * registerSerializer({ id: 3, name: 'cbor', encodeArguments, decodeArguments, ... });
 */
export function registerSerializer(serializer: Serializer): void {
  const { id, name } = serializer;
  if (!Number.isInteger(id) || id < 1 || id > 255) {
    throw new RpcError('CONFIG_ERROR', `Serializer '${name}': id must be an integer from 1 to 255, got ${id}`);
  }
  if (typeof name !== 'string' || name.length === 0) {
    throw new RpcError('CONFIG_ERROR', `Serializer ${id}: name must be a non-empty string`);
  }
  const sameId = byId.get(id);
  const sameName = byName.get(name);
  if (sameId === serializer && sameName === serializer) return;
  if (sameId !== undefined) {
    throw new RpcError('CONFIG_ERROR', `Serializer id ${id} is already taken by '${sameId.name}'`);
  }
  if (sameName !== undefined) {
    throw new RpcError('CONFIG_ERROR', `Serializer name '${name}' is already taken by id ${sameName.id}`);
  }
  byId.set(id, serializer);
  byName.set(name, serializer);
}

/**
 * The serializer a frame header names. An unknown id comes from the peer, so it is a SERIALIZATION error
 * (the provider answers it), not a configuration mistake.
 */
export function getSerializerById(id: number): Serializer {
  const serializer = byId.get(id);
  if (serializer === undefined) {
    throw new RpcError('SERIALIZATION', `Unknown serializer id ${id} (known: ${knownSerializers()})`);
  }
  return serializer;
}

/** The serializer named in options or a provider URL; an unknown name is a CONFIG_ERROR listing the known ones. */
export function getSerializerByName(name: string): Serializer {
  const serializer = byName.get(name);
  if (serializer === undefined) {
    throw new RpcError('CONFIG_ERROR', `Unknown serialization '${name}' (known: ${knownSerializers()})`);
  }
  return serializer;
}

function knownSerializers(): string {
  return Array.from(byId.values(), (s) => `${s.id} ${s.name}`).join(', ');
}

registerSerializer(msgpackSerializer);
registerSerializer(jsonSerializer);
