import type { RpcClient } from '../../../src/rpc/rpc-client';
import { User } from '../../fixtures/apps/bootstrap-provider/contracts/user';
import { consumerOf, quietClient, type Consumer } from './consumer';
import { killProviders, startProvider, type ProviderProcess } from './provider-process';

const USER_SERVICE = '/fixtures.bootstrap.UserService:1.0.0';

/**
 * The provider runs bootstrap() in its own process under tsx — esbuild emits no decorator metadata, so this
 * proves scanning, contract inference, injection and serving depend on none.
 */
describe('a provider started by bootstrap() under tsx, called through @Reference', () => {
  let provider: ProviderProcess;
  let client: RpcClient;
  let consumer: Consumer;

  beforeAll(async () => {
    provider = await startProvider('tsx');
    client = quietClient();
    consumer = consumerOf(provider.ready.port, client);
  });

  afterAll(async () => {
    await client?.close();
    await killProviders();
  });

  it('found every @Service below its patterns, with no design:paramtypes at all', () => {
    expect(provider.ready.services).toEqual(['/fixtures.bootstrap.GreetingService:', USER_SERVICE]);
    expect(provider.ready.parameterTypes).toEqual({ '/fixtures.bootstrap.GreetingService:': [], [USER_SERVICE]: [] });
  });

  it('returns registered classes with their Dates as instances', async () => {
    const user = await consumer.users.getUser(42);
    expect(user).toBeInstanceOf(User);
    expect(user).toEqual(new User(42, 'user-42', new Date(Date.UTC(1990, 4, 17))));
    expect(user.born).toBeInstanceOf(Date);
  });

  it('receives registered classes and Dates as instances (the provider checks instanceof)', async () => {
    const born = new Date(Date.UTC(2001, 0, 2, 3, 4, 5, 6));
    const renamed = await consumer.users.rename(new User(1, 'old', born), 'new');
    expect(renamed).toEqual(new User(1, 'new', born));
    const at = new Date(Date.UTC(2031, 6, 1));
    await expect(consumer.users.ageAt(new User(1, 'x', born), at)).resolves.toEqual({ age: 30, at });
  });

  it('serves a service that calls another service through its own @Reference', async () => {
    await expect(consumer.greetings.greet(5)).resolves.toBe('hello user-5');
  });

  it('runs in its own process', async () => {
    await expect(consumer.users.whoami()).resolves.toEqual({ pid: provider.ready.pid });
    expect(provider.ready.pid).not.toBe(process.pid);
  });
});
