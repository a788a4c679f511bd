import { RpcError } from '../errors/rpc-error';
import type { RequestMessage } from '../protocol/message';

/**
 * Checks a decoded request body — `[service, group, version, method, parameterTypes, attachments, args]`, the
 * layout of both built-in serializers (docs/PROTOCOL.md) — field by field, so the dispatcher can trust every field's type. Throws
 * SERIALIZATION naming the serializer and, once known, the call.
 */
export function requestFromFields(decoded: unknown, serializer: string): RequestMessage {
  if (!Array.isArray(decoded) || decoded.length !== 7) {
    throw new RpcError('SERIALIZATION', `${serializer}: cannot decode request: expected a 7-element array`);
  }
  const [service, group, version, method, parameterTypes, attachments, args] = decoded as unknown[];
  if (typeof service !== 'string' || typeof method !== 'string') {
    throw new RpcError('SERIALIZATION', `${serializer}: cannot decode request: service and method must be strings`);
  }
  if (
    typeof group !== 'string' ||
    typeof version !== 'string' ||
    !isStringArray(parameterTypes) ||
    !isStringRecord(attachments) ||
    !Array.isArray(args)
  ) {
    throw new RpcError(
      'SERIALIZATION',
      `${serializer}: cannot decode request for ${service}#${method}: bad group, version, parameter types, attachments or arguments`,
    );
  }
  return { service, group, version, method, parameterTypes, attachments, args };
}

function isStringArray(value: unknown): value is string[] {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const key in value) {
    if (typeof (value as Record<string, unknown>)[key] !== 'string') return false;
  }
  return true;
}
