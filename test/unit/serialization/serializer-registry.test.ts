import { RpcError } from '../../../src/errors/rpc-error';
import { jsonSerializer } from '../../../src/serialization/json-serializer';
import { msgpackSerializer } from '../../../src/serialization/msgpack-serializer';
import type { Serializer } from '../../../src/serialization/serializer';
import {
  getSerializerById,
  getSerializerByName,
  registerSerializer,
} from '../../../src/serialization/serializer-registry';

function fake(id: number, name: string): Serializer {
  const fail = (): never => {
    throw new Error('unused');
  };
  return {
    id,
    name,
    encodeArguments: fail,
    decodeArguments: fail,
    encodeResponse: fail,
    decodeResponse: fail,
    encodeError: fail,
    decodeError: fail,
  };
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof RpcError ? error.code : 'not an RpcError';
  }
  return undefined;
}

describe('serializer registry', () => {
  it('has the built-ins: msgpack as 1 and json as 2', () => {
    expect(getSerializerById(1)).toBe(msgpackSerializer);
    expect(getSerializerByName('msgpack')).toBe(msgpackSerializer);
    expect(getSerializerById(2)).toBe(jsonSerializer);
    expect(getSerializerByName('json')).toBe(jsonSerializer);
  });

  it('registers a plug-in the same way', () => {
    const cbor = fake(3, 'cbor');
    registerSerializer(cbor);
    registerSerializer(cbor);
    expect(getSerializerById(3)).toBe(cbor);
    expect(getSerializerByName('cbor')).toBe(cbor);
  });

  it('refuses a taken id or name', () => {
    expect(codeOf(() => registerSerializer(fake(1, 'other')))).toBe('CONFIG_ERROR');
    expect(codeOf(() => registerSerializer(fake(9, 'json')))).toBe('CONFIG_ERROR');
    expect(codeOf(() => getSerializerById(9))).toBe('SERIALIZATION');
  });

  it.each([0, 256, 1.5, -1])('refuses id %p', (id) => {
    expect(codeOf(() => registerSerializer(fake(id, `s${id}`)))).toBe('CONFIG_ERROR');
  });

  it('answers an unknown id from a peer with SERIALIZATION, listing the known ones', () => {
    expect(codeOf(() => getSerializerById(200))).toBe('SERIALIZATION');
    expect(() => getSerializerById(200)).toThrow(/1 msgpack, 2 json/);
  });

  it('answers an unknown name in options with CONFIG_ERROR, listing the known ones', () => {
    expect(codeOf(() => getSerializerByName('hessian'))).toBe('CONFIG_ERROR');
    expect(() => getSerializerByName('hessian')).toThrow(/msgpack.*json/);
    expect(codeOf(() => getSerializerByName('toString'))).toBe('CONFIG_ERROR');
  });
});
