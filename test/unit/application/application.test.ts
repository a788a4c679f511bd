import { SILENT_LOGGER } from '../../../src/common/logger';
import type { RpcClient } from '../../../src/rpc/rpc-client';
import { Application } from '../../../src/application/application';
import { getDefaultClient, setDefaultClient } from '../../../decorators/default-client';

function fakeClient(): RpcClient & { closes: number } {
  const client = {
    closes: 0,
    async close() {
      client.closes += 1;
    },
    reference() {
      return {};
    },
  };
  return client as unknown as RpcClient & { closes: number };
}

function application(client: RpcClient, defaultClient = true): Application {
  return new Application({
    name: 'test-app',
    server: undefined,
    client,
    registry: undefined,
    services: [],
    drainTimeoutMs: 10,
    logger: SILENT_LOGGER,
    defaultClient,
  });
}

afterEach(() => setDefaultClient(undefined));

describe('Application', () => {
  it('stop() is idempotent: every call returns the same promise and stops once', async () => {
    const client = fakeClient();
    const app = application(client);
    expect(app.state).toBe('RUNNING');
    const first = app.stop();
    expect(app.state).toBe('STOPPING');
    expect(app.stop()).toBe(first);
    await first;
    expect(app.state).toBe('STOPPED');
    expect(client.closes).toBe(1);
  });

  it('runs its stop hooks first, once', async () => {
    const app = application(fakeClient());
    let hooks = 0;
    app.onStop(() => (hooks += 1));
    await Promise.all([app.stop(), app.stop()]);
    expect(hooks).toBe(1);
  });

  it('stops once even when a stop hook calls stop() again', async () => {
    const client = fakeClient();
    const app = application(client);
    let again: Promise<void> | undefined;
    app.onStop(() => (again = app.stop()));
    const first = app.stop();
    await first;
    expect(again).toBe(first);
    expect(client.closes).toBe(1);
  });

  it('offers its client as the default @Reference client, and hands it back to the previous app on stop', async () => {
    const firstClient = fakeClient();
    const secondClient = fakeClient();
    const first = application(firstClient);
    expect(getDefaultClient()).toBe(firstClient);
    const second = application(secondClient);
    expect(getDefaultClient()).toBe(secondClient);
    await second.stop();
    expect(getDefaultClient()).toBe(firstClient);
    await first.stop();
    expect(getDefaultClient()).toBeUndefined();
  });

  it('leaves the default client alone when asked to', async () => {
    const app = application(fakeClient(), false);
    expect(getDefaultClient()).toBeUndefined();
    await app.stop();
  });
});
