import { ErrorCode } from '../../../src/errors/error-code';
import { fromErrorPayload, toErrorPayload, type CallSite } from '../../../src/errors/error-payload';
import { RpcError } from '../../../src/errors/rpc-error';
import { registerType } from '../../../src/serialization/type-registry';

class InsufficientFunds extends Error {
  constructor(readonly missing: number) {
    super(`missing ${missing}`);
    this.name = 'InsufficientFunds';
  }
}
registerType(InsufficientFunds, 'test.error-payload.InsufficientFunds');

const site: CallSite = { service: 'com.acme.Bank', method: 'withdraw', address: '10.0.0.5:20880' };

describe('toErrorPayload', () => {
  it('keeps a framework RpcError’s code and message', () => {
    const error = new RpcError(ErrorCode.BAD_REQUEST, 'withdraw expects 1 argument');
    expect(toErrorPayload(error, false)).toEqual({ code: 'BAD_REQUEST', message: 'withdraw expects 1 argument' });
  });

  it('treats an RpcError thrown by the service’s own method as an application error', () => {
    const payload = toErrorPayload(new RpcError(ErrorCode.TIMEOUT, 'downstream timed out'), true);
    expect(payload).toMatchObject({ code: 'APPLICATION_ERROR', name: 'RpcError', message: 'downstream timed out' });
  });

  it('sends an application error’s name, message and stack, but not the error of an unregistered class', () => {
    const error = new TypeError('id must be a number');
    const payload = toErrorPayload(error, true);
    expect(payload).toEqual({
      code: 'APPLICATION_ERROR',
      name: 'TypeError',
      message: 'id must be a number',
      stack: error.stack,
    });
    expect(payload).not.toHaveProperty('error');
  });

  it('leaves out a stack the error does not have', () => {
    const error = new Error('no stack');
    delete error.stack;
    expect(toErrorPayload(error, true)).not.toHaveProperty('stack');
  });

  it('sends the error itself when its class is registered', () => {
    const error = new InsufficientFunds(42);
    expect(toErrorPayload(error, true)).toMatchObject({
      code: 'APPLICATION_ERROR',
      name: 'InsufficientFunds',
      message: 'missing 42',
      error,
    });
  });

  it('does not send a subclass of a registered class as itself', () => {
    class Overdrawn extends InsufficientFunds {}
    expect(toErrorPayload(new Overdrawn(1), true)).not.toHaveProperty('error');
  });

  it.each([
    ['a string', 'out of stock', 'string', 'out of stock'],
    ['a number', 404, 'number', '404'],
    ['undefined', undefined, 'undefined', 'undefined'],
  ])('turns a thrown %s into an application error named by its type', (_, thrown, name, message) => {
    expect(toErrorPayload(thrown, true)).toEqual({ code: 'APPLICATION_ERROR', name, message });
  });
});

describe('fromErrorPayload', () => {
  it('names service#method and the address, and keeps the code', () => {
    const error = fromErrorPayload({ code: 'SERVICE_NOT_FOUND', message: 'no such service' }, site);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({
      code: 'SERVICE_NOT_FOUND',
      address: '10.0.0.5:20880',
      message: 'com.acme.Bank#withdraw on 10.0.0.5:20880: no such service',
    });
  });

  it('keeps a code’s default retryability (SHUTTING_DOWN did not run)', () => {
    expect(fromErrorPayload({ code: 'SHUTTING_DOWN', message: 'bye' }, site)).toMatchObject({ retryable: true });
    expect(fromErrorPayload({ code: 'BAD_REQUEST', message: 'no' }, site)).toMatchObject({ retryable: false });
  });

  it('says what the remote method threw, with its name and stack', () => {
    const error = fromErrorPayload(
      { code: 'APPLICATION_ERROR', name: 'TypeError', message: 'bad id', stack: 'TypeError: bad id\n    at x' },
      site,
    );
    expect(error).toMatchObject({
      code: 'APPLICATION_ERROR',
      message: 'com.acme.Bank#withdraw on 10.0.0.5:20880 threw TypeError: bad id',
      remoteName: 'TypeError',
      remoteStack: 'TypeError: bad id\n    at x',
      address: '10.0.0.5:20880',
      retryable: false,
    });
  });

  it('calls a nameless application error an Error', () => {
    const error = fromErrorPayload({ code: 'APPLICATION_ERROR', message: 'boom' }, site);
    expect(error.message).toBe('com.acme.Bank#withdraw on 10.0.0.5:20880 threw Error: boom');
    expect((error as RpcError).remoteStack).toBeUndefined();
  });

  it('turns an unknown code into INTERNAL', () => {
    const error = fromErrorPayload({ code: 'FROM_THE_FUTURE', message: 'what' }, site);
    expect(error).toMatchObject({ code: 'INTERNAL', message: 'com.acme.Bank#withdraw on 10.0.0.5:20880: what' });
  });

  it('returns a revived registered error as itself, so callers catch it by class', () => {
    const sent = new InsufficientFunds(7);
    const received = fromErrorPayload(toErrorPayload(sent, true), site);
    expect(received).toBe(sent);
    expect(received).toBeInstanceOf(InsufficientFunds);
  });

  it('ignores an `error` field that is not an Error', () => {
    const error = fromErrorPayload({ code: 'APPLICATION_ERROR', message: 'x', error: { not: 'an error' } }, site);
    expect(error).toBeInstanceOf(RpcError);
  });
});
