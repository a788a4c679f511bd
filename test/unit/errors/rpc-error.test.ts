import { ErrorCode } from '../../../src/errors/error-code';
import { RpcError } from '../../../src/errors/rpc-error';

describe('RpcError', () => {
  it('is retryable by default only when the call surely did not run', () => {
    expect(new RpcError(ErrorCode.CONNECTION_REFUSED, 'x').retryable).toBe(true);
    expect(new RpcError(ErrorCode.SHUTTING_DOWN, 'x').retryable).toBe(true);
    expect(new RpcError(ErrorCode.NO_PROVIDER, 'x').retryable).toBe(true);
    expect(new RpcError(ErrorCode.TIMEOUT, 'x').retryable).toBe(false);
    expect(new RpcError(ErrorCode.CONNECTION_CLOSED, 'x').retryable).toBe(false);
    expect(new RpcError(ErrorCode.APPLICATION_ERROR, 'x').retryable).toBe(false);
  });

  it('keeps its cause, code and name', () => {
    const cause = new Error('root');
    const error = new RpcError('TIMEOUT', 'S#m timed out', { cause, address: 'h:1' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('RpcError');
    expect(error.cause).toBe(cause);
    expect(error.address).toBe('h:1');
    expect(RpcError.is(error, 'TIMEOUT')).toBe(true);
    expect(RpcError.is(error, 'NO_PROVIDER')).toBe(false);
    expect(RpcError.is(new Error('x'))).toBe(false);
  });
});
