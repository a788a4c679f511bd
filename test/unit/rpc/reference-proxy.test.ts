import { inspect } from 'node:util';

import { createReferenceProxy } from '../../../src/rpc/reference-proxy';

describe('createReferenceProxy', () => {
  const calls: Array<[string, unknown[]]> = [];
  const proxy = createReferenceProxy<Record<string, any>>('com.acme.UserService', async (method, args) => {
    calls.push([method, args]);
    return `${method}(${args.join(',')})`;
  });

  beforeEach(() => (calls.length = 0));

  it('turns any property into a remote method returning a promise', async () => {
    await expect(proxy['getUser'](42)).resolves.toBe('getUser(42)');
    await expect(proxy['rename'](1, 'x')).resolves.toBe('rename(1,x)');
    expect(calls).toEqual([
      ['getUser', [42]],
      ['rename', [1, 'x']],
    ]);
  });

  it('returns the same function for the same method', () => {
    expect(proxy['getUser']).toBe(proxy['getUser']);
  });

  it('is not a thenable, so await returns the proxy itself', async () => {
    expect(proxy['then']).toBeUndefined();
    expect(await Promise.resolve(proxy)).toBe(proxy);
    expect(calls).toEqual([]);
  });

  it('prints and serializes locally', () => {
    expect(String(proxy)).toBe('[Reference com.acme.UserService]');
    expect(inspect(proxy)).toBe('[Reference com.acme.UserService]');
    expect(JSON.stringify({ users: proxy })).toBe('{"users":{"reference":"com.acme.UserService"}}');
    expect(`${proxy}`).toBe('[Reference com.acme.UserService]');
    expect(calls).toEqual([]);
  });

  it('never sends symbols or Object.prototype names', () => {
    for (const name of ['constructor', 'hasOwnProperty', '__proto__', 'isPrototypeOf', 'toJSON']) {
      expect(typeof proxy[name] === 'function' && name !== 'toJSON').toBe(false);
    }
    expect(proxy[Symbol.iterator as unknown as string]).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('cannot be assigned to', () => {
    expect(() => {
      'use strict';
      proxy['getUser'] = 1;
    }).toThrow(TypeError);
  });
});
