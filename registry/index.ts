/**
 * Service discovery: the registries behind `memory://`, `courier://` (direct) and `zookeeper://` URLs, and the
 * provider URL model. Importing this module registers the three schemes with createRegistry().
 */
import { registerRegistryType } from '../src/common/registry-factory';
import { DirectRegistry } from './direct-registry';
import { MemoryRegistry } from './memory-registry';
import { ZookeeperRegistry } from './zookeeper-registry';

registerRegistryType('memory', (url, options) => new MemoryRegistry(url, options));
registerRegistryType('courier', (url, options) => new DirectRegistry(url, options));
registerRegistryType('zookeeper', (url, options) => new ZookeeperRegistry(url, options));

export { DirectRegistry, parseDirectUrl, DEFAULT_DIRECT_PORT, type DirectUrl } from './direct-registry';
export { MemoryRegistry } from './memory-registry';
export { ZookeeperRegistry, registrationNodePath } from './zookeeper-registry';
export {
  parseZookeeperUrl,
  DEFAULT_ZOOKEEPER_OPTIONS,
  type ZookeeperRegistryOptions,
  type ZookeeperConfig,
} from './zookeeper-url';
export { SessionState } from './zookeeper-session-state';
export {
  formatRegistryUrl,
  parseRegistryUrl,
  toProviderInfo,
  encodeNodeName,
  decodeNodeName,
  providerRegistration,
  consumerRegistration,
  PROVIDER_URL_DEFAULTS,
  type ParsedRegistryUrl,
  type ProviderRegistrationInput,
  type ConsumerRegistrationInput,
} from './provider-url';
export { encodeJavaUrlComponent, decodeJavaUrlComponent } from './url-encoding';
