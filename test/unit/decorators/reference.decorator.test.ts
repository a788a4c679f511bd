import type { ServiceToken } from '../../../src/common/service-name';
import { RpcError } from '../../../src/errors/rpc-error';
import type { ReferenceOptions } from '../../../src/rpc/reference-options';
import { Contract } from '../../../decorators/contract.decorator';
import { setDefaultClient, type ReferenceClient } from '../../../decorators/default-client';
import { Idempotent } from '../../../decorators/idempotent.decorator';
import { REFERENCE_METADATA } from '../../../decorators/metadata-keys';
import { Reference } from '../../../decorators/reference.decorator';
import { inject } from '../../../decorators/reference-injector';
import type { ReferenceMetadata } from '../../../decorators/reference-metadata';

interface FakeProxy {
  client: string;
  service: ServiceToken;
  options: ReferenceOptions | undefined;
}

/** A client whose "proxies" tell which client made them and with what. */
function fakeClient(name: string): ReferenceClient & { calls: number } {
  const client = {
    calls: 0,
    reference<T>(service: ServiceToken, options?: ReferenceOptions): T {
      client.calls += 1;
      return { client: name, service, options } as FakeProxy as T;
    },
  };
  return client;
}

interface UserService {
  getUser(id: number): Promise<string>;
}

@Contract('com.acme.Orders')
@Idempotent('find')
abstract class Orders {
  abstract find(id: number): Promise<string>;
  abstract place(item: string): Promise<string>;
}

/** `declare`: no class field is emitted, so the prototype accessor is what instances see. */
class Controller {
  @Reference('com.acme.UserService', { version: '1.0.0', timeout: 500 })
  declare users: UserService;

  @Reference(Orders, { idempotent: ['place'] })
  declare orders: Orders;
}

afterEach(() => setDefaultClient(undefined));

describe('@Reference', () => {
  it('records one entry per property on the declaring prototype', () => {
    const recorded = Reflect.getOwnMetadata(REFERENCE_METADATA, Controller.prototype) as ReferenceMetadata[];
    expect(recorded.map((r) => [r.property, r.service, r.owner])).toEqual([
      ['users', 'com.acme.UserService', 'Controller'],
      ['orders', Orders, 'Controller'],
    ]);
    expect(recorded[0]?.options).toEqual({ version: '1.0.0', timeout: 500 });
  });

  it('resolves lazily through the default client, one proxy per client and property', () => {
    const client = fakeClient('default');
    setDefaultClient(client);
    const a = new Controller();
    const b = new Controller();
    const proxy = a.users as unknown as FakeProxy;
    expect(proxy).toEqual({
      client: 'default',
      service: 'com.acme.UserService',
      options: { version: '1.0.0', timeout: 500 },
    });
    expect(b.users).toBe(a.users);
    expect(client.calls).toBe(1);
  });

  it('passes the contract’s @Idempotent methods merged with the option’s list', () => {
    setDefaultClient(fakeClient('default'));
    expect((new Controller().orders as unknown as FakeProxy).options).toEqual({ idempotent: ['find', 'place'] });
  });

  it('follows the default client when it changes (an application restarted)', () => {
    const controller = new Controller();
    setDefaultClient(fakeClient('first'));
    expect((controller.users as unknown as FakeProxy).client).toBe('first');
    setDefaultClient(fakeClient('second'));
    expect((controller.users as unknown as FakeProxy).client).toBe('second');
  });

  it('throws CONFIG_ERROR naming the property when there is no client at all', () => {
    const read = () => new Controller().users;
    expect(read).toThrow(RpcError);
    expect(read).toThrow(/Controller\.users \(@Reference com\.acme\.UserService\) has no RpcClient/);
  });

  it('lets an assignment (a test double) replace the accessor on that instance only', () => {
    setDefaultClient(fakeClient('default'));
    const double = { getUser: async () => 'double' };
    const controller = new Controller();
    controller.users = double;
    expect(controller.users).toBe(double);
    expect((new Controller().users as unknown as FakeProxy).client).toBe('default');
  });

  it('works with a plain `users!:` field under this project’s useDefineForClassFields: false', () => {
    class Plain {
      @Reference('com.acme.UserService')
      users!: UserService;
    }
    setDefaultClient(fakeClient('default'));
    expect((new Plain().users as unknown as FakeProxy).client).toBe('default');
  });

  it('refuses a static property', () => {
    expect(() => Reference('com.acme.X')(class Static {}, 'x')).toThrow(/static Static\.x/);
  });
});

describe('inject', () => {
  /**
   * What a class field compiles to under `useDefineForClassFields` (TypeScript's default for target ES2022+,
   * swc's and esbuild's): an own `undefined` defined on the instance, hiding the prototype accessor. Written out
   * so the test does not depend on this project's compiler settings.
   */
  class FieldController {
    @Reference('com.acme.UserService')
    declare users: UserService;

    constructor() {
      Object.defineProperty(this, 'users', { value: undefined, writable: true, enumerable: true, configurable: true });
    }
  }

  it('replaces the class field that hides the accessor, binding the given client', () => {
    setDefaultClient(fakeClient('default'));
    const controller = new FieldController();
    expect(controller.users).toBeUndefined(); // the problem inject() solves
    inject(controller, fakeClient('explicit'));
    expect((controller.users as unknown as FakeProxy).client).toBe('explicit');
  });

  it('without a client resolves through the default client at read time', () => {
    const controller = inject(new FieldController());
    setDefaultClient(fakeClient('later'));
    expect((controller.users as unknown as FakeProxy).client).toBe('later');
  });

  it('covers references declared by parent classes and keeps values already assigned', () => {
    class Child extends Controller {
      @Reference('com.acme.Audit')
      declare audit: unknown;
    }
    const child = new Child();
    const double = { getUser: async () => 'double' };
    child.users = double;
    inject(child, fakeClient('explicit'));
    expect(child.users).toBe(double);
    expect((child.audit as FakeProxy).service).toBe('com.acme.Audit');
    expect((child.orders as unknown as FakeProxy).client).toBe('explicit');
  });
});
