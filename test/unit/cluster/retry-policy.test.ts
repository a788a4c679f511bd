import { isRetryable } from '../../../src/cluster/retry-policy';
import { ErrorCode } from '../../../src/errors/error-code';
import { RpcError } from '../../../src/errors/rpc-error';

describe('isRetryable', () => {
  const cases: [ErrorCode, boolean, boolean][] = [
    // code, retryable for a plain call, retryable for an idempotent call
    ['NO_PROVIDER', true, true],
    ['CONNECTION_REFUSED', true, true],
    ['SHUTTING_DOWN', true, true],
    ['OVERLOADED', true, true],
    ['TIMEOUT', false, true],
    ['CONNECTION_CLOSED', false, true],
    ['APPLICATION_ERROR', false, false],
    ['BAD_REQUEST', false, false],
    ['METHOD_NOT_FOUND', false, false],
    ['SERIALIZATION', false, false],
  ];

  it.each(cases)('%s: plain %s, idempotent %s', (code, plain, idempotent) => {
    expect(isRetryable(new RpcError(code, 'x'), { idempotent: false })).toBe(plain);
    expect(isRetryable(new RpcError(code, 'x'), { idempotent: true })).toBe(idempotent);
  });

  it('trusts an explicit retryable flag, except on application errors', () => {
    expect(
      isRetryable(new RpcError('CONNECTION_CLOSED', 'never written', { retryable: true }), { idempotent: false }),
    ).toBe(true);
    expect(isRetryable(new RpcError('APPLICATION_ERROR', 'x', { retryable: true }), { idempotent: true })).toBe(false);
    expect(isRetryable(new Error('bug'), { idempotent: true })).toBe(false);
  });
});
