/**
 * Every failure a caller can see carries one of these codes. The string is what travels on the wire,
 * so codes are never renamed, only added.
 */
export const ErrorCode = {
  /** No provider of the service is known, or every known one was excluded. */
  NO_PROVIDER: 'NO_PROVIDER',
  /** The call's deadline passed before a response arrived. */
  TIMEOUT: 'TIMEOUT',
  /** A TCP connect to the provider failed (refused, unreachable). The call surely did not run. */
  CONNECTION_REFUSED: 'CONNECTION_REFUSED',
  /** The connection closed while the call was pending. The call may or may not have run. */
  CONNECTION_CLOSED: 'CONNECTION_CLOSED',
  /** The provider has no service under that group/interface:version. */
  SERVICE_NOT_FOUND: 'SERVICE_NOT_FOUND',
  /** The service has no callable method of that name. */
  METHOD_NOT_FOUND: 'METHOD_NOT_FOUND',
  /** The request was understood but its arguments are wrong (count, types). */
  BAD_REQUEST: 'BAD_REQUEST',
  /** A value could not be encoded or decoded. */
  SERIALIZATION: 'SERIALIZATION',
  /** The provider's own method threw; the remote error's name and message are kept. */
  APPLICATION_ERROR: 'APPLICATION_ERROR',
  /** The provider is stopping and takes no new calls. The call did not run. */
  SHUTTING_DOWN: 'SHUTTING_DOWN',
  /** The provider refused the call because it is overloaded. The call did not run. */
  OVERLOADED: 'OVERLOADED',
  /** The peer broke the wire protocol (bad magic, unknown version, oversized frame). */
  PROTOCOL_ERROR: 'PROTOCOL_ERROR',
  /** The client (or reference) was closed by its owner. */
  CLIENT_CLOSED: 'CLIENT_CLOSED',
  /** The registry (ZooKeeper) failed or is unreachable. */
  REGISTRY_ERROR: 'REGISTRY_ERROR',
  /** Options or metadata are invalid (a bad URL, an unknown load balancer, a duplicate service). */
  CONFIG_ERROR: 'CONFIG_ERROR',
  /** The @ServiceScan glob scan failed. */
  SCAN_ERROR: 'SCAN_ERROR',
  /** Anything else: a bug or an unexpected state. */
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && KNOWN_CODES.has(value);
}

/** Codes whose call surely did not execute on the provider, so any call may be retried elsewhere. */
export const NOT_EXECUTED_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ErrorCode.NO_PROVIDER,
  ErrorCode.CONNECTION_REFUSED,
  ErrorCode.SHUTTING_DOWN,
  ErrorCode.OVERLOADED,
]);
