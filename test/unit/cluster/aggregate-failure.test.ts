import { aggregateFailure } from '../../../src/cluster/aggregate-failure';
import { RpcError } from '../../../src/errors/rpc-error';

describe('aggregateFailure', () => {
  const timeout = new RpcError('TIMEOUT', 'timed out after 1000 ms');
  const refused = new RpcError('CONNECTION_REFUSED', 'ECONNREFUSED');
  const shutting = new RpcError('SHUTTING_DOWN', 'bye');

  it('names each address with its code and message, and how many of how many failed', () => {
    const error = aggregateFailure(
      'com.acme.Cache#evict (broadcast)',
      [
        { address: '10.0.0.5:20880', error: timeout },
        { address: '10.0.0.6:20880', error: refused },
      ],
      3,
    );
    expect(error).toBeInstanceOf(RpcError);
    expect(error.message).toBe(
      'com.acme.Cache#evict (broadcast): 2 of 3 providers failed: ' +
        '10.0.0.5:20880 TIMEOUT (timed out after 1000 ms); 10.0.0.6:20880 CONNECTION_REFUSED (ECONNREFUSED)',
    );
  });

  it('takes the first failure’s code', () => {
    const failures = [
      { address: 'a:1', error: refused },
      { address: 'b:1', error: timeout },
    ];
    expect(aggregateFailure('x', failures, 2).code).toBe('CONNECTION_REFUSED');
    expect(aggregateFailure('x', [...failures].reverse(), 2).code).toBe('TIMEOUT');
  });

  it('calls anything that is not an RpcError INTERNAL, and shows a non-Error as text', () => {
    const error = aggregateFailure(
      'x',
      [
        { address: 'a:1', error: new TypeError('bad') },
        { address: 'b:1', error: 'a string' },
      ],
      2,
    );
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toBe('x: 2 of 2 providers failed: a:1 INTERNAL (bad); b:1 INTERNAL (a string)');
  });

  it('is retryable only when every failure is', () => {
    expect(
      aggregateFailure(
        'x',
        [
          { address: 'a:1', error: refused },
          { address: 'b:1', error: shutting },
        ],
        2,
      ).retryable,
    ).toBe(true);
    expect(
      aggregateFailure(
        'x',
        [
          { address: 'a:1', error: refused },
          { address: 'b:1', error: timeout },
        ],
        2,
      ).retryable,
    ).toBe(false);
    expect(aggregateFailure('x', [{ address: 'a:1', error: new Error('plain') }], 1).retryable).toBe(false);
  });

  it('keeps the originals, in order, in an AggregateError cause', () => {
    const plain = new Error('plain');
    const error = aggregateFailure(
      'what',
      [
        { address: 'a:1', error: timeout },
        { address: 'b:1', error: plain },
      ],
      2,
    );
    expect(error.cause).toBeInstanceOf(AggregateError);
    expect((error.cause as AggregateError).errors).toEqual([timeout, plain]);
    expect((error.cause as AggregateError).message).toBe('what');
  });
});
