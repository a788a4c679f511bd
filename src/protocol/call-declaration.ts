import { RpcError } from '../errors/rpc-error';

/**
 * What a consumer says once per connection about a kind of call, so that its requests need not repeat it: the
 * service key, the method, the argument type tags and the consumer's id (the first half of every call id). A DECLARE
 * frame binds it to a call reference (its request id field); REQUEST bodies then name that reference in 4 bytes.
 * Body: UTF-8 JSON `[service, group, version, method, [parameterTypes], consumerId]` (docs/PROTOCOL.md).
 */
export interface CallDeclaration {
  readonly service: string;
  readonly group: string;
  readonly version: string;
  readonly method: string;
  readonly parameterTypes: readonly string[];
  readonly consumerId: string;
}

/** A consumer id is this long at most (Courier's own are 16 hex characters). */
const MAX_CONSUMER_ID_LENGTH = 64;

/** Call references one connection may declare: a provider closes a connection that declares more. */
export const MAX_DECLARED_CALLS = 65_536;
/** The largest DECLARE body a provider accepts (names and tags are short; this only stops abuse). */
export const MAX_DECLARATION_BYTES = 16 * 1024;
/** DECLARE body bytes one connection may send in all: with the count limit, what a consumer can make a provider hold. */
export const MAX_DECLARED_BYTES = 16 * 1024 * 1024;

/** A declaration with its DECLARE body encoded once; a consumer keeps one per method and argument types. */
export interface DeclaredCall extends CallDeclaration {
  /** The DECLARE frame's body, shared by every connection that declares this call. */
  readonly encoded: Buffer;
  /** 'com.acme.UserService#getUser', for messages. */
  readonly label: string;
}

/** The declaration with its wire form computed. */
export function declareCall(declaration: CallDeclaration): DeclaredCall {
  const { service, group, version, method, parameterTypes, consumerId } = declaration;
  const encoded = Buffer.from(JSON.stringify([service, group, version, method, parameterTypes, consumerId]), 'utf8');
  return { service, group, version, method, parameterTypes, consumerId, encoded, label: `${service}#${method}` };
}

/** Reads a DECLARE body. Throws PROTOCOL_ERROR when it is not the 6-element array of strings the protocol says. */
export function decodeDeclaration(body: Buffer): CallDeclaration {
  let decoded: unknown;
  try {
    decoded = JSON.parse(body.toString('utf8'));
  } catch (cause) {
    throw new RpcError('PROTOCOL_ERROR', `Call declaration is not JSON: ${(cause as Error).message}`, { cause });
  }
  if (!Array.isArray(decoded) || decoded.length !== 6) {
    throw new RpcError('PROTOCOL_ERROR', 'Call declaration must be [service, group, version, method, types, consumer]');
  }
  const [service, group, version, method, parameterTypes, consumerId] = decoded as unknown[];
  if (
    typeof service !== 'string' ||
    service === '' ||
    typeof group !== 'string' ||
    typeof version !== 'string' ||
    typeof method !== 'string' ||
    method === '' ||
    typeof consumerId !== 'string' ||
    consumerId === '' ||
    consumerId.length > MAX_CONSUMER_ID_LENGTH ||
    !Array.isArray(parameterTypes) ||
    !parameterTypes.every((tag) => typeof tag === 'string')
  ) {
    throw new RpcError(
      'PROTOCOL_ERROR',
      `Call declaration must hold non-empty service and method names, group and version strings, a consumer id of 1 to ${MAX_CONSUMER_ID_LENGTH} characters and an array of type tags`,
    );
  }
  return { service, group, version, method, parameterTypes: parameterTypes as string[], consumerId };
}
