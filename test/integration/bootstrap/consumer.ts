import '../../../registry';
import { SILENT_LOGGER } from '../../../src/common/logger';
import { RpcClient } from '../../../src/rpc/rpc-client';
import type { ReferenceOptions } from '../../../src/rpc/reference-options';
import { Reference } from '../../../decorators/reference.decorator';
import { inject } from '../../../decorators/reference-injector';
import { GreetingService, UserService } from '../../fixtures/apps/bootstrap-provider/contracts/user-service';

export interface Consumer {
  users: UserService;
  greetings: GreetingService;
  /** failfast, so a refused call shows its own code rather than failover's verdict. */
  probe: UserService;
}

/**
 * A consumer of the provider fixture through @Reference with a direct url: the class is declared once the
 * provider's port is known, then bound to `client` with inject().
 */
export function consumerOf(port: number, client: RpcClient, options: ReferenceOptions = {}): Consumer {
  const url = `courier://127.0.0.1:${port}`;
  class FixtureConsumer implements Consumer {
    @Reference(UserService, { url, version: '1.0.0', ...options })
    declare users: UserService;

    @Reference(GreetingService, { url, ...options })
    declare greetings: GreetingService;

    @Reference(UserService, { url, version: '1.0.0', cluster: 'failfast', retries: 0, timeout: 2000 })
    declare probe: UserService;
  }
  return inject(new FixtureConsumer(), client);
}

export function quietClient(): RpcClient {
  return new RpcClient({ logger: SILENT_LOGGER, application: 'bootstrap-it' });
}
