import type { RpcClient } from '../../../src/rpc/rpc-client';
import { User } from '../../fixtures/apps/bootstrap-provider/contracts/user';
import { consumerOf, quietClient, type Consumer } from './consumer';
import { killProviders, startProvider, type ProviderProcess } from './provider-process';

const USER_SERVICE = '/fixtures.bootstrap.UserService:1.0.0';

/** The same provider under a loader that emits decorator metadata (as tsc, ts-node or swc do). */
describe('a provider started by bootstrap() with emitDecoratorMetadata', () => {
  let provider: ProviderProcess;
  let client: RpcClient;
  let consumer: Consumer;

  beforeAll(async () => {
    provider = await startProvider('swc');
    client = quietClient();
    consumer = consumerOf(provider.ready.port, client);
  });

  afterAll(async () => {
    await client?.close();
    await killProviders();
  });

  it('exports design:paramtypes of decorated methods for the server to validate', () => {
    expect(provider.ready.parameterTypes[USER_SERVICE]).toEqual(['getUser']);
  });

  it('serves the same calls', async () => {
    await expect(consumer.users.getUser(3)).resolves.toBeInstanceOf(User);
    await expect(consumer.greetings.greet(4)).resolves.toBe('hello user-4');
  });

  it('answers BAD_REQUEST when an argument contradicts the declared type', async () => {
    const getUser = consumer.users.getUser as unknown as (id: unknown) => Promise<User>;
    await expect(getUser('not a number')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
