/**
 * courier-rpc: the one public entry. Everything a user needs is exported here, by name.
 *
 * @example
 * import { Service, ServiceScan, Reference, bootstrap, RpcClient, RpcError } from 'courier-rpc';
 */
import 'reflect-metadata';

// Built-in registries (memory://, courier:// direct, zookeeper://) register themselves on import.
import '../registry/index';

// Errors
export { ErrorCode } from './errors/error-code';
export { RpcError, type RpcErrorOptions } from './errors/rpc-error';

// Provider and consumer
export { RpcServer, DEFAULT_SERVER_OPTIONS, type RpcServerOptions, type ExportedServiceInfo } from './rpc/rpc-server';
export type { ExportOptions } from './rpc/service-map';
export { RpcClient, DEFAULT_CLIENT_OPTIONS, type RpcClientOptions } from './rpc/rpc-client';
export { DEFAULT_REFERENCE_OPTIONS, type ReferenceOptions, type MethodOptions } from './rpc/reference-options';
export type { Invocation } from './rpc/invocation';

// Application bootstrap
export {
  bootstrap,
  Application,
  DEFAULT_APPLICATION_OPTIONS,
  type ApplicationOptions,
  type ApplicationService,
  type ApplicationState,
} from './application/index';

// Decorators
export {
  Service,
  ServiceScan,
  Reference,
  Serializable,
  Idempotent,
  Contract,
  inject,
  setDefaultClient,
  getDefaultClient,
  type ServiceOptions,
  type ServiceScanOptions,
} from '../decorators/index';

// Serialization
export { registerType, lookupTypeByName, typeNameOf } from './serialization/type-registry';
export { typeTagOf } from './serialization/type-tag';
export { registerSerializer, getSerializerById, getSerializerByName } from './serialization/serializer-registry';
export type { Serializer } from './serialization/serializer';

// Cluster plug-ins
export { registerLoadBalancer, createLoadBalancer, loadBalancerNames } from './cluster/load-balancer-registry';
export type { LoadBalancer, LoadBalancerFactory, BalanceOptions } from './cluster/load-balancer';
export { registerCluster, createCluster, clusterNames } from './cluster/cluster-registry';
export type { ClusterInvoker, ClusterContext, ClusterFactory, ClusterOptions } from './cluster/cluster';

// Registries
export { createRegistry, registerRegistryType, type RegistryFactory } from './common/registry-factory';
export type { Registry, RegistryOptions, ServiceRegistration, ProviderListener } from './common/registry';
export type { ProviderInfo } from './common/provider-info';
export {
  ZookeeperRegistry,
  MemoryRegistry,
  DirectRegistry,
  SessionState,
  DEFAULT_ZOOKEEPER_OPTIONS,
  type ZookeeperRegistryOptions,
} from '../registry/index';

// Service naming and logging
export { serviceNameOf, type ServiceToken } from './common/service-name';
export { createConsoleLogger, SILENT_LOGGER, type Logger, type LogLevel } from './common/logger';
