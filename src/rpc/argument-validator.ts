import { RpcError } from '../errors/rpc-error';
import { tagMatchesDesignType, typeTagOf } from '../serialization/type-tag';

/** Tags whose decoded value must agree with what the caller declared; a disagreement means a confused client. */
const STRICT_TAGS = new Set(['number', 'string', 'boolean', 'bigint', 'Date']);

/**
 * Checks a request's arguments against what the provider knows: the caller's own parameter types (one per
 * argument) and, when present, the method's declared types (`design:paramtypes` or ExportOptions.parameterTypes).
 * Throws BAD_REQUEST naming the argument; null/undefined always pass as "absent".
 */
export function validateArguments(
  service: string,
  method: string,
  args: readonly unknown[],
  declaredTags: readonly string[],
  knownTypes: readonly Function[] | undefined,
): void {
  if (declaredTags.length !== 0 && declaredTags.length !== args.length) {
    throw new RpcError(
      'BAD_REQUEST',
      `${service}#${method}: the request declares ${declaredTags.length} parameter types for ${args.length} arguments`,
    );
  }
  if (knownTypes !== undefined && args.length > knownTypes.length) {
    throw new RpcError('BAD_REQUEST', `${service}#${method} takes ${knownTypes.length} arguments, got ${args.length}`);
  }
  for (let i = 0; i < args.length; i++) {
    const value = args[i];
    if (value === null || value === undefined) continue;
    const actual = typeTagOf(value);
    const declared = declaredTags[i];
    if (declared !== undefined && STRICT_TAGS.has(declared) && declared !== actual) {
      throw new RpcError(
        'BAD_REQUEST',
        `${service}#${method}: argument #${i} is declared ${declared} but decodes as ${actual}`,
      );
    }
    const known = knownTypes?.[i];
    if (known !== undefined && !tagMatchesDesignType(actual, known)) {
      throw new RpcError(
        'BAD_REQUEST',
        `${service}#${method}: argument #${i} must be ${known.name || 'of the declared type'}, got ${actual}`,
      );
    }
  }
}
