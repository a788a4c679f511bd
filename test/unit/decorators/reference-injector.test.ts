import type { ServiceToken } from '../../../src/common/service-name';
import { RpcError } from '../../../src/errors/rpc-error';
import type { ReferenceOptions } from '../../../src/rpc/reference-options';
import { Contract } from '../../../decorators/contract.decorator';
import { setDefaultClient, type ReferenceClient } from '../../../decorators/default-client';
import { Idempotent } from '../../../decorators/idempotent.decorator';
import { Reference } from '../../../decorators/reference.decorator';
import { inject, referenceAccessor, referenceOptionsOf } from '../../../decorators/reference-injector';
import type { ReferenceMetadata } from '../../../decorators/reference-metadata';

interface Made {
  client: string;
  service: ServiceToken;
  options: ReferenceOptions | undefined;
}

function fakeClient(name: string): ReferenceClient & { made: Made[] } {
  const made: Made[] = [];
  return {
    made,
    reference<T>(service: ServiceToken, options?: ReferenceOptions): T {
      const proxy = { client: name, service, options };
      made.push(proxy);
      return proxy as T;
    },
  };
}

@Contract('com.acme.Orders')
@Idempotent('list', 'find')
abstract class Orders {
  abstract find(id: number): Promise<string>;
  abstract list(): Promise<string[]>;
  abstract place(item: string): Promise<string>;
}

abstract class Unmarked {
  static readonly serviceName = 'com.acme.Unmarked';
}

const metadata = (overrides: Partial<ReferenceMetadata>): ReferenceMetadata => ({
  property: 'p',
  service: 'com.acme.S',
  options: {},
  owner: 'Owner',
  ...overrides,
});

afterEach(() => setDefaultClient(undefined));

describe('referenceOptionsOf', () => {
  it('passes a string token’s options as a copy', () => {
    const options = { timeout: 100, idempotent: ['a'] };
    const resolved = referenceOptionsOf(metadata({ options }));
    expect(resolved).toEqual(options);
    expect(resolved).not.toBe(options);
  });

  it('adds a contract’s @Idempotent methods, merged with the option’s list, sorted and without duplicates', () => {
    expect(referenceOptionsOf(metadata({ service: Orders })).idempotent).toEqual(['find', 'list']);
    expect(referenceOptionsOf(metadata({ service: Orders, options: { idempotent: ['place', 'find'] } }))).toEqual({
      idempotent: ['find', 'list', 'place'],
    });
  });

  it('lets idempotent: true or false override the contract', () => {
    expect(referenceOptionsOf(metadata({ service: Orders, options: { idempotent: false } })).idempotent).toBe(false);
    expect(referenceOptionsOf(metadata({ service: Orders, options: { idempotent: true } })).idempotent).toBe(true);
  });

  it('adds no idempotent key when neither the contract nor the options name any method', () => {
    expect(referenceOptionsOf(metadata({ service: Unmarked, options: { timeout: 5 } }))).toEqual({ timeout: 5 });
  });
});

describe('referenceAccessor', () => {
  it('resolves through the default client once per client, and assigning replaces it on that instance', () => {
    const reference = metadata({ property: 'users', service: 'com.acme.UserService' });
    const a = {};
    const b = {};
    Object.defineProperty(a, 'users', referenceAccessor(reference));
    Object.defineProperty(b, 'users', referenceAccessor(reference));
    const client = fakeClient('default');
    setDefaultClient(client);
    expect((a as { users: Made }).users).toBe((b as { users: Made }).users);
    expect(client.made).toHaveLength(1);

    (a as { users: unknown }).users = 'double';
    expect((a as { users: unknown }).users).toBe('double');
    expect(Object.getOwnPropertyDescriptor(a, 'users')).toMatchObject({ value: 'double', writable: true });
    expect((b as { users: Made }).users.client).toBe('default');
  });

  it('is not enumerable, so a proxy is not created by spreading or JSON', () => {
    const accessor = referenceAccessor(metadata({}));
    expect(accessor.enumerable).toBe(false);
    expect(accessor.configurable).toBe(true);
  });

  it('throws CONFIG_ERROR naming owner, property and service when no client is available', () => {
    const instance = {};
    Object.defineProperty(instance, 'orders', referenceAccessor(metadata({ property: 'orders', service: Orders })));
    const read = () => (instance as { orders: unknown }).orders;
    expect(read).toThrow(RpcError);
    expect(read).toThrow('Owner.orders (@Reference com.acme.Orders) has no RpcClient');
  });
});

describe('inject', () => {
  class Controller {
    @Reference('com.acme.UserService')
    declare users: unknown;
  }

  it('returns the instance, bound to its client ahead of the default client', () => {
    setDefaultClient(fakeClient('default'));
    const controller = new Controller();
    expect(inject(controller, fakeClient('bound'))).toBe(controller);
    expect((controller.users as Made).client).toBe('bound');
    expect((new Controller().users as Made).client).toBe('default');
  });

  it('creates one proxy per client and property, shared by the instances bound to it', () => {
    const client = fakeClient('bound');
    const a = inject(new Controller(), client);
    const b = inject(new Controller(), client);
    expect(a.users).toBe(b.users);
    expect(client.made).toHaveLength(1);
  });

  it('keeps falsy values other than undefined that an instance already holds', () => {
    const controller = new Controller();
    Object.defineProperty(controller, 'users', { value: null, writable: true, configurable: true });
    inject(controller, fakeClient('bound'));
    expect(controller.users).toBeNull();
  });

  it('keeps an own accessor the instance already defines', () => {
    const controller = new Controller();
    Object.defineProperty(controller, 'users', { get: () => 'own getter', configurable: true });
    inject(controller, fakeClient('bound'));
    expect(controller.users).toBe('own getter');
  });

  it('leaves an instance without references untouched', () => {
    const plain = { a: 1 };
    expect(inject(plain, fakeClient('bound'))).toEqual({ a: 1 });
  });
});
