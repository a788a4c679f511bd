import { CALL_ID_ATTACHMENT } from '../cluster/call-id';
import type { Logger } from '../common/logger';
import { toErrorPayload } from '../errors/error-payload';
import { RpcError } from '../errors/rpc-error';
import { FrameFlag, MessageType, Status, type Frame } from '../protocol/frame';
import { SEPARATE_BODY_THRESHOLD, encodeFrame, encodeHeader } from '../protocol/frame-encoder';
import type { RequestMessage } from '../protocol/message';
import type { Serializer } from '../serialization/serializer';
import { getSerializerById, getSerializerByName } from '../serialization/serializer-registry';
import { validateArguments } from './argument-validator';
import { serviceKey } from './invocation';
import type { ServiceMap } from './service-map';

/** Runs a call at most once per call id (see CallDeduplicator); the dispatcher only needs this much of it. */
export interface Deduplicator {
  run(serviceKey: string, callId: string, execute: () => unknown): unknown;
}

/** Writes one response: a whole frame, or a header followed by its large body (never copied). */
export type Reply = (frame: Buffer, body?: Buffer) => void;

/**
 * Provider side of a call: decode → find service → find method → validate → run → encode.
 * Every request gets exactly one reply (a value or a coded error), except one-way requests, which get none.
 */
export class Dispatcher {
  constructor(
    private readonly services: ServiceMap,
    private readonly logger: Logger,
    private readonly deduplicator?: Deduplicator,
  ) {}

  /** An error answer to `frame` without running anything (the provider is shutting down, say). */
  refuse(frame: Frame, error: RpcError): Buffer {
    return errorFrame(answerSerializer(frame.header.serializerId), frame.header.requestId, error, false);
  }

  /** Must be called synchronously from the frame callback: the frame body may be a view into a reused buffer. */
  dispatch(frame: Frame, reply: Reply): void {
    const { requestId, serializerId, flags } = frame.header;
    const oneWay = (flags & FrameFlag.ONE_WAY) !== 0;
    let serializer: Serializer;
    try {
      serializer = getSerializerById(serializerId);
    } catch (error) {
      if (!oneWay) reply(errorFrame(answerSerializer(serializerId), requestId, error, false));
      return;
    }
    let request: RequestMessage;
    try {
      request = serializer.decodeRequest(frame.body);
    } catch (error) {
      if (!oneWay) reply(errorFrame(serializer, requestId, error, false));
      return;
    }

    let result: unknown;
    try {
      result = this.invoke(request);
    } catch (error) {
      this.settle(serializer, requestId, oneWay, reply, error, true, request);
      return;
    }
    if (isThenable(result)) {
      result.then(
        (value) => this.settle(serializer, requestId, oneWay, reply, value, false, request),
        (error) => this.settle(serializer, requestId, oneWay, reply, error, true, request),
      );
    } else {
      this.settle(serializer, requestId, oneWay, reply, result, false, request);
    }
  }

  private invoke(request: RequestMessage): unknown {
    const service = this.services.find(request.service, request.group, request.version);
    if (service === undefined) {
      const key = serviceKey(request.service, request.group, request.version);
      const known = this.services.keysOf(request.service);
      throw new FrameworkError(
        new RpcError(
          'SERVICE_NOT_FOUND',
          `No service ${key} here${known.length > 0 ? `; this provider serves ${known.join(', ')}` : ''}`,
        ),
      );
    }
    const method = service.methods.get(request.method);
    if (method === undefined) {
      const known = [...service.methods.keys()].sort().join(', ');
      throw new FrameworkError(
        new RpcError('METHOD_NOT_FOUND', `no method '${request.method}' in ${service.key}; it has ${known}`),
      );
    }
    const args = request.args;
    try {
      validateArguments(
        request.service,
        request.method,
        args,
        request.parameterTypes,
        service.parameterTypes.get(request.method),
      );
    } catch (error) {
      throw new FrameworkError(error);
    }
    const callId = request.attachments[CALL_ID_ATTACHMENT];
    if (service.dedup && this.deduplicator !== undefined && typeof callId === 'string' && callId !== '') {
      return this.deduplicator.run(service.key, callId, () => method.apply(service.instance, args));
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
    request: RequestMessage,
  ): void {
    if (oneWay) {
      if (failed) this.logger.warn(`One-way call ${request.service}#${request.method} failed: ${describe(outcome)}`);
      return;
    }
    if (failed) {
      const framework = outcome instanceof FrameworkError;
      reply(errorFrame(serializer, requestId, framework ? outcome.error : outcome, !framework));
      return;
    }
    let body: Buffer;
    try {
      body = serializer.encodeResponse(outcome);
    } catch (error) {
      this.logger.warn(`Cannot encode the result of ${request.service}#${request.method}: ${describe(error)}`);
      reply(errorFrame(serializer, requestId, error, false));
      return;
    }
    if (body.length >= SEPARATE_BODY_THRESHOLD) {
      reply(encodeHeader(MessageType.RESPONSE, FrameFlag.NONE, serializer.id, Status.OK, requestId, body.length), body);
    } else {
      reply(encodeFrame(MessageType.RESPONSE, FrameFlag.NONE, serializer.id, Status.OK, requestId, body));
    }
  }
}

/** Marks a failure raised by the framework itself (not the service's method), so its code is kept. */
class FrameworkError {
  constructor(readonly error: unknown) {}
}

/** An error response frame; if even the error cannot be encoded, a plain-text SERIALIZATION error is sent. */
export function errorFrame(
  serializer: Serializer,
  requestId: number,
  error: unknown,
  fromApplication: boolean,
): Buffer {
  let body: Buffer;
  try {
    body = serializer.encodeError(toErrorPayload(error, fromApplication));
  } catch (encodeFailure) {
    body = serializer.encodeError({
      code: 'SERIALIZATION',
      message: `The provider could not encode an error (${describe(error)}): ${describe(encodeFailure)}`,
    });
  }
  return encodeFrame(MessageType.RESPONSE, FrameFlag.NONE, serializer.id, Status.ERROR, requestId, body);
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
