import { validateArguments } from '../../../src/rpc/argument-validator';

describe('validateArguments', () => {
  it('accepts arguments that match the declared and known types', () => {
    expect(() =>
      validateArguments('S', 'm', [1, 'a', new Date()], ['number', 'string', 'Date'], [Number, String, Date]),
    ).not.toThrow();
  });

  it('accepts null and undefined as absent values', () => {
    expect(() => validateArguments('S', 'm', [null, undefined], ['null', 'undefined'], [Number, String])).not.toThrow();
  });

  it('names the argument whose type contradicts the method', () => {
    expect(() => validateArguments('S', 'getUser', ['42'], ['string'], [Number])).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST', message: expect.stringContaining('argument #0 must be Number') }),
    );
  });

  it('rejects a request whose declared types disagree with its values', () => {
    expect(() => validateArguments('S', 'm', ['x'], ['number'], undefined)).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST' }),
    );
  });

  it('rejects more arguments than the method declares, and a mismatched type list', () => {
    expect(() => validateArguments('S', 'm', [1, 2], ['number', 'number'], [Number])).toThrow(/takes 1 arguments/);
    expect(() => validateArguments('S', 'm', [1, 2], ['number'], undefined)).toThrow(
      /declares 1 parameter types for 2/,
    );
  });
});
