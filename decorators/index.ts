/** The annotation layer, re-exported by src/index.ts. */

// Decorators
export { Contract, type ContractMetadata } from './contract.decorator';
export { Idempotent } from './idempotent.decorator';
export { Reference } from './reference.decorator';
export { Serializable } from './serializable.decorator';
export { Service, type ServiceMetadata, type ServiceOptions } from './service.decorator';
export {
  DEFAULT_SCAN_PATTERNS,
  ServiceScan,
  type ServiceScanMetadata,
  type ServiceScanOptions,
} from './service-scan.decorator';

// Reference resolution
export { getDefaultClient, setDefaultClient, type ReferenceClient } from './default-client';
export { inject } from './reference-injector';

// Reading metadata and scanning
export * from './metadata-keys';
export {
  contractNameOf,
  findContract,
  isContractClass,
  readContractMetadata,
  readIdempotentMethods,
  readSerializableName,
  readServiceMetadata,
  readServiceScanMetadata,
} from './metadata-reader';
export { readReferences, type ReferenceMetadata } from './reference-metadata';
export {
  DEFAULT_SERVICE_OPTIONS,
  defineService,
  type ServiceClass,
  type ServiceDefinition,
} from './service-definition';
export { scanApplication, scanServices, type ScanRequest, type ScanResult } from './service-scanner';
export { ALWAYS_IGNORED } from './scan-files';
export { typeScriptLoaderActive } from './module-loader';
