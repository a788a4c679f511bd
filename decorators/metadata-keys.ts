/**
 * Every metadata key Courier's decorators write, namespaced so they never collide with another library's.
 * Decorators only record under these keys; decorators/metadata-reader.ts interprets them.
 */

/** On an implementation class: {@link ServiceMetadata}, written by `@Service`. */
export const SERVICE_METADATA = 'courier:service';

/** On an abstract contract class: {@link ContractMetadata}, written by `@Contract`. */
export const CONTRACT_METADATA = 'courier:contract';

/** On the application's entry class: {@link ServiceScanMetadata}, written by `@ServiceScan`. */
export const SERVICE_SCAN_METADATA = 'courier:service-scan';

/** On a class prototype: the `@Reference` properties declared by that class (not its parents). */
export const REFERENCE_METADATA = 'courier:reference';

/** On a class prototype: names of the methods that class marks `@Idempotent()`. */
export const IDEMPOTENT_METADATA = 'courier:idempotent';

/** On a class: the wire type name given by `@Serializable(name)`. */
export const SERIALIZABLE_METADATA = 'courier:serializable';

/** Emitted by tsc/swc under `emitDecoratorMetadata` (never by esbuild/tsx): a method's parameter constructors. */
export const DESIGN_PARAMTYPES = 'design:paramtypes';
