import * as path from 'node:path';
import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import '../../../registry';
import { SILENT_LOGGER } from '../../../src/common/logger';
import type { ProviderInfo } from '../../../src/common/provider-info';
import { createRegistry } from '../../../src/common/registry-factory';
import { RpcError } from '../../../src/errors/rpc-error';
import { bootstrap } from '../../../src/application/bootstrap';
import type { Application } from '../../../src/application/application';
import { getDefaultClient } from '../../../decorators/default-client';
import { Reference } from '../../../decorators/reference.decorator';
import { ServiceScan } from '../../../decorators/service-scan.decorator';
import { ProviderFixtureApp } from '../../fixtures/apps/bootstrap-provider/app';
import { User } from '../../fixtures/apps/bootstrap-provider/contracts/user';
import { GreetingService, UserService } from '../../fixtures/apps/bootstrap-provider/contracts/user-service';

const REGISTRY = 'memory://unit-bootstrap';
const quiet = { logger: SILENT_LOGGER };

/** A class the user instantiates after bootstrap: resolves through the running application's client. */
class Controller {
  @Reference(UserService, { version: '1.0.0' })
  declare users: UserService;

  @Reference(GreetingService)
  declare greetings: GreetingService;
}

async function providersOf(service: string): Promise<readonly ProviderInfo[]> {
  const registry = createRegistry(REGISTRY, quiet);
  let seen: readonly ProviderInfo[] = [];
  const listener = (list: readonly ProviderInfo[]) => (seen = list);
  await registry.subscribe(service, listener);
  await registry.close();
  return seen;
}

describe('bootstrap', () => {
  let app: Application;

  beforeAll(async () => {
    app = await bootstrap(ProviderFixtureApp, { port: 0, registry: REGISTRY, application: 'unit-provider', ...quiet });
  });

  afterAll(() => app.stop());

  it('scans, exports and listens: every @Service under the entry’s patterns', () => {
    expect(app.server?.address.port).toBeGreaterThan(0);
    expect(app.services.map((s) => s.definition.key)).toEqual([
      '/fixtures.bootstrap.GreetingService:',
      '/fixtures.bootstrap.UserService:1.0.0',
    ]);
    expect(app.server?.exportedServices.map((s) => s.service).sort()).toEqual([
      'fixtures.bootstrap.GreetingService',
      'fixtures.bootstrap.UserService',
    ]);
  });

  it('publishes each service with Dubbo’s provider parameters', async () => {
    const [provider] = await providersOf('fixtures.bootstrap.UserService');
    expect(provider).toMatchObject({
      host: '127.0.0.1',
      port: app.server?.address.port,
      version: '1.0.0',
      weight: 50,
      serialization: 'msgpack',
    });
    expect(provider?.parameters).toMatchObject({
      application: 'unit-provider',
      group: '',
      methods: 'ageAt,getUser,rename,slow,whoami',
      pid: String(process.pid),
      side: 'provider',
      timeout: '2000',
      idempotent: 'getUser',
    });
    expect(Number(provider?.parameters['timestamp'])).toBeGreaterThan(0);
  });

  it('serves calls with registered classes and Dates, and services calling services', async () => {
    expect(getDefaultClient()).toBe(app.client);
    const controller = new Controller();
    const user = await controller.users.getUser(7);
    expect(user).toBeInstanceOf(User);
    expect(user.born).toEqual(new Date(Date.UTC(1990, 4, 17)));
    const renamed = await controller.users.rename(user, 'ada');
    expect(renamed).toEqual(new User(7, 'ada', user.born));
    await expect(controller.greetings.greet(3)).resolves.toBe('hello user-3');
  });
});

describe('bootstrap lifecycle', () => {
  it('stops by unpublishing, then closing; a second stop is the same promise', async () => {
    const app = await bootstrap(ProviderFixtureApp, { port: 0, registry: REGISTRY, ...quiet });
    expect(await providersOf('fixtures.bootstrap.GreetingService')).toHaveLength(1);
    const stopping = app.stop();
    expect(app.stop()).toBe(stopping);
    await stopping;
    expect(await providersOf('fixtures.bootstrap.GreetingService')).toHaveLength(0);
    expect(app.state).toBe('STOPPED');
  });

  it('gives a class without @ServiceScan (a pure consumer) a client and no server', async () => {
    class ConsumerApp {}
    const app = await bootstrap(ConsumerApp, { registry: REGISTRY, ...quiet });
    expect(app.server).toBeUndefined();
    expect(app.services).toEqual([]);
    expect(getDefaultClient()).toBe(app.client);
    await app.stop();
    expect(getDefaultClient()).toBeUndefined();
  });

  it('fails before starting anything when the scan fails', async () => {
    @ServiceScan(undefined, { cwd: path.resolve(__dirname, '../../fixtures/scan/empty') })
    class EmptyApp {}
    await expect(bootstrap(EmptyApp, { port: 0, ...quiet })).rejects.toMatchObject({ code: 'SCAN_ERROR' });
    expect(getDefaultClient()).toBeUndefined();
  });

  it('rolls back when the port is taken: nothing stays published', async () => {
    const blocker: Server = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as { port: number }).port;
    try {
      const start = bootstrap(ProviderFixtureApp, { port, registry: REGISTRY, ...quiet });
      await expect(start).rejects.toThrow(RpcError);
      expect(await providersOf('fixtures.bootstrap.UserService')).toHaveLength(0);
      expect(getDefaultClient()).toBeUndefined();
    } finally {
      blocker.close();
    }
  });
});
