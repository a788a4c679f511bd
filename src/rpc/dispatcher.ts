import { formatCallId } from '../cluster/call-id';
import type { Logger } from '../common/logger';
import { toErrorPayload } from '../errors/error-payload';
import { RpcError } from '../errors/rpc-error';
import { FrameFlag, REQUEST_PREFIX_SIZE, Status, type Frame } from '../protocol/frame';
import type { Serializer } from '../serialization/serializer';
import { getSerializerById, getSerializerByName } from '../serialization/serializer-registry';
import type { Reply } from '../transport/server-connection';
import { validateArguments } from './argument-validator';
import type { CallTable, CallTarget, DeclaredEntry } from './call-table';
import { serviceKey } from './invocation';
import type { ServiceMap } from './service-map';

/** Runs a call at most once per call id (see CallDeduplicator); the dispatcher only needs this much of it. */
export interface Deduplicator {
  run(serviceKey: string, callId: string, execute: () => unknown): unknown;
}

/**
 * Provider side of a call: read the request prefix → the connection's declared call → its service and method
 * (found once per declaration) → decode the arguments → validate → run → encode. Every request gets exactly one
 * reply (a value or a coded error), except one-way requests, which get none.
 */
export class Dispatcher {
  constructor(
    private readonly services: ServiceMap,
    private readonly logger: Logger,
    private readonly deduplicator?: Deduplicator,
  ) {}

  /** Answers `frame` with `error` without running anything (the provider is shutting down, say). */
  refuse(frame: Frame, error: RpcError, reply: Reply): void {
    const serializer = answerSerializer(frame.header.serializerId);
    reply(Status.ERROR, serializer.id, frame.header.requestId, errorBody(serializer, error, false));
  }

  /** Must be called synchronously from the frame callback: the decoder reuses the Frame object. */
  dispatch(frame: Frame, reply: Reply, calls: CallTable): void {
    const { requestId, serializerId, flags } = frame.header;
    const oneWay = (flags & FrameFlag.ONE_WAY) !== 0;
    let serializer: Serializer;
    try {
      serializer = getSerializerById(serializerId);
    } catch (error) {
      if (oneWay) this.logger.warn(`A one-way call could not run: ${describe(error)}`);
      else this.refuse(frame, error as RpcError, reply);
      return;
    }
    const { source, bodyStart, bodyEnd, ownSource } = frame;
    let entry: DeclaredEntry;
    let target: CallTarget;
    let args: unknown[];
    try {
      entry = declaredEntry(frame, calls);
      target = entry.target ?? this.resolve(entry);
      const { parameterTypes } = entry.declaration;
      const argsStart = bodyStart + REQUEST_PREFIX_SIZE;
      args = serializer.decodeArguments(source, argsStart, parameterTypes, entry.label, bodyEnd, ownSource);
    } catch (error) {
      if (oneWay) this.logger.warn(`A one-way call could not run: ${describe(error)}`);
      else reply(Status.ERROR, serializer.id, requestId, errorBody(serializer, error, false));
      return;
    }

    let result: unknown;
    try {
      result = this.invoke(entry, target, args, source.readUInt32BE(bodyStart + 4));
    } catch (error) {
      this.settle(serializer, requestId, oneWay, reply, error, true, entry);
      return;
    }
    if (isThenable(result)) {
      result.then(
        (value) => this.settle(serializer, requestId, oneWay, reply, value, false, entry),
        (error) => this.settle(serializer, requestId, oneWay, reply, error, true, entry),
      );
    } else {
      this.settle(serializer, requestId, oneWay, reply, result, false, entry);
    }
  }

  /** Finds the declared call's service and method; kept on the entry once found. */
  private resolve(entry: DeclaredEntry): CallTarget {
    const { service: name, group, version, method: methodName } = entry.declaration;
    const service = this.services.find(name, group, version);
    if (service === undefined) {
      const key = serviceKey(name, group, version);
      const known = this.services.keysOf(name);
      throw new RpcError(
        'SERVICE_NOT_FOUND',
        `No service ${key} here${known.length > 0 ? `; this provider serves ${known.join(', ')}` : ''}`,
      );
    }
    const method = service.methods.get(methodName);
    if (method === undefined) {
      const known = [...service.methods.keys()].sort().join(', ');
      throw new RpcError('METHOD_NOT_FOUND', `no method '${methodName}' in ${service.key}; it has ${known}`);
    }
    const target: CallTarget = { service, method, knownTypes: service.parameterTypes.get(methodName) };
    entry.target = target;
    return target;
  }

  private invoke(entry: DeclaredEntry, target: CallTarget, args: unknown[], callId: number): unknown {
    const { declaration } = entry;
    const { service, method } = target;
    try {
      validateArguments(declaration.service, declaration.method, args, declaration.parameterTypes, target.knownTypes);
    } catch (error) {
      throw new FrameworkError(error);
    }
    if (service.dedup && this.deduplicator !== undefined && callId !== 0) {
      const id = formatCallId(declaration.consumerId, callId);
      return this.deduplicator.run(service.key, id, () => method.apply(service.instance, args));
    }
    return method.apply(service.instance, args);
  }

  private settle(
    serializer: Serializer,
    requestId: number,
    oneWay: boolean,
    reply: Reply,
    outcome: unknown,
    failed: boolean,
    entry: DeclaredEntry,
  ): void {
    if (oneWay) {
      if (failed) this.logger.warn(`One-way call ${entry.label} failed: ${describe(outcome)}`);
      return;
    }
    if (failed) {
      const framework = outcome instanceof FrameworkError;
      reply(
        Status.ERROR,
        serializer.id,
        requestId,
        errorBody(serializer, framework ? outcome.error : outcome, !framework),
      );
      return;
    }
    let body: Buffer;
    try {
      body = serializer.encodeResponse(outcome);
    } catch (error) {
      this.logger.warn(`Cannot encode the result of ${entry.label}: ${describe(error)}`);
      reply(Status.ERROR, serializer.id, requestId, errorBody(serializer, error, false));
      return;
    }
    reply(Status.OK, serializer.id, requestId, body);
  }
}

/** The connection's declared call a request names in its prefix; BAD_REQUEST when there is none. */
function declaredEntry(frame: Frame, calls: CallTable): DeclaredEntry {
  const length = frame.bodyEnd - frame.bodyStart;
  if (length < REQUEST_PREFIX_SIZE) {
    throw new RpcError(
      'BAD_REQUEST',
      `A request body of ${length} bytes is shorter than its ${REQUEST_PREFIX_SIZE}-byte prefix`,
    );
  }
  const callRef = frame.source.readUInt32BE(frame.bodyStart);
  const entry = calls.get(callRef);
  if (entry === undefined) {
    throw new RpcError('BAD_REQUEST', `The request names call reference ${callRef}, never declared on this connection`);
  }
  return entry;
}

/** Marks a failure raised by the framework itself (not the service's method), so its code is kept. */
class FrameworkError {
  constructor(readonly error: unknown) {}
}

/** An error response body; if even the error cannot be encoded, a plain-text SERIALIZATION error is sent. */
export function errorBody(serializer: Serializer, error: unknown, fromApplication: boolean): Buffer {
  try {
    return serializer.encodeError(toErrorPayload(error, fromApplication));
  } catch (encodeFailure) {
    return serializer.encodeError({
      code: 'SERIALIZATION',
      message: `The provider could not encode an error (${describe(error)}): ${describe(encodeFailure)}`,
    });
  }
}

/** The serializer to answer in: the request's, or — when this side does not know it — the default, so the caller
 * is never left hanging. */
function answerSerializer(serializerId: number): Serializer {
  try {
    return getSerializerById(serializerId);
  } catch {
    return getSerializerByName('msgpack');
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
