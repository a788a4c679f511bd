import { RpcError } from '../../../src/errors/rpc-error';
import {
  MAX_DECLARATION_BYTES,
  MAX_DECLARED_BYTES,
  MAX_DECLARED_CALLS,
  declareCall,
  type CallDeclaration,
} from '../../../src/protocol/call-declaration';
import { CallTable } from '../../../src/rpc/call-table';
import { thrownRpcError } from '../../support/thrown-rpc-error';

const GET_USER: CallDeclaration = {
  service: 'com.acme.UserService',
  group: 'blue',
  version: '1.0.0',
  method: 'getUser',
  parameterTypes: ['number', 'Date'],
  consumerId: '0123456789abcdef',
};

const body = (overrides: Partial<CallDeclaration> = {}) => declareCall({ ...GET_USER, ...overrides }).encoded;
const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

/** What `fn` throws: an RpcError with code PROTOCOL_ERROR, or the test fails. */
const protocolError = (fn: () => void): RpcError => thrownRpcError(fn, 'PROTOCOL_ERROR');

describe('CallTable', () => {
  it('keeps each declared call under its reference, decoded, with its label and no target yet', () => {
    const table = new CallTable();
    table.declare(1, body());
    table.declare(2, body({ method: 'rename', parameterTypes: ['number', 'string'] }));
    expect(table.size).toBe(2);
    const first = table.get(1)!;
    expect(first.declaration).toEqual(GET_USER);
    expect(first.label).toBe('com.acme.UserService#getUser');
    expect(first.target).toBeUndefined();
    expect(table.get(2)!.declaration).toMatchObject({ method: 'rename', parameterTypes: ['number', 'string'] });
    expect(table.get(2)!.label).toBe('com.acme.UserService#rename');
    expect(table.get(3)).toBeUndefined();
    expect(table.get(0)).toBeUndefined();
  });

  it('takes any uint32 reference but 0', () => {
    const table = new CallTable();
    table.declare(0xffffffff, body());
    expect(table.get(0xffffffff)?.label).toBe('com.acme.UserService#getUser');
    const error = protocolError(() => table.declare(0, body()));
    expect(error.code).toBe('PROTOCOL_ERROR');
    expect(error.message).toContain('0');
    expect(table.size).toBe(1);
  });

  it('refuses a reference declared twice, keeping the first declaration', () => {
    const table = new CallTable();
    table.declare(5, body());
    const error = protocolError(() => table.declare(5, body({ method: 'rename' })));
    expect(error.code).toBe('PROTOCOL_ERROR');
    expect(error.message).toContain('5 declared twice');
    expect(table.get(5)!.declaration.method).toBe('getUser');
    expect(table.size).toBe(1);
  });

  it(`refuses more than MAX_DECLARED_CALLS (${MAX_DECLARED_CALLS}) references on one connection`, () => {
    const table = new CallTable();
    const encoded = body();
    for (let ref = 1; ref <= MAX_DECLARED_CALLS; ref++) table.declare(ref, encoded);
    expect(table.size).toBe(MAX_DECLARED_CALLS);
    const error = protocolError(() => table.declare(MAX_DECLARED_CALLS + 1, encoded));
    expect(error.code).toBe('PROTOCOL_ERROR');
    expect(error.message).toContain(String(MAX_DECLARED_CALLS));
    expect(table.get(MAX_DECLARED_CALLS + 1)).toBeUndefined();
    expect(table.size).toBe(MAX_DECLARED_CALLS);
  });

  it(`refuses a declaration over MAX_DECLARATION_BYTES (${MAX_DECLARATION_BYTES}) before decoding it`, () => {
    const table = new CallTable();
    const padding = 'x'.repeat(MAX_DECLARATION_BYTES);
    const error = protocolError(() => table.declare(1, body({ service: padding })));
    expect(error.code).toBe('PROTOCOL_ERROR');
    expect(error.message).toMatch(/^Call declaration of \d+ bytes exceeds 16384/);
    expect(table.size).toBe(0);
  });

  it(`refuses more than MAX_DECLARED_BYTES (${MAX_DECLARED_BYTES}) of declarations on one connection`, () => {
    const table = new CallTable();
    const large = body({ service: 'x'.repeat(MAX_DECLARATION_BYTES - 200) });
    expect(large.length).toBeLessThanOrEqual(MAX_DECLARATION_BYTES);
    const fits = Math.floor(MAX_DECLARED_BYTES / large.length);
    for (let ref = 1; ref <= fits; ref++) table.declare(ref, large);
    const error = protocolError(() => table.declare(fits + 1, large));
    expect(error.message).toBe(`More than ${MAX_DECLARED_BYTES} bytes of call declarations on one connection`);
    expect(table.size).toBe(fits);
  });

  it.each([
    ['not JSON', Buffer.from('[oops', 'utf8')],
    ['not an array', json({ service: 'S', method: 'm' })],
    ['5 elements', json(['S', '', '', 'm', []])],
    ['7 elements', json(['S', '', '', 'm', [], 'c', 'extra'])],
    ['an empty service', json(['', '', '', 'm', [], 'c'])],
    ['an empty method', json(['S', '', '', '', [], 'c'])],
    ['a numeric version', json(['S', '', 1, 'm', [], 'c'])],
    ['a null group', json(['S', null, '', 'm', [], 'c'])],
    ['types that are not an array', json(['S', '', '', 'm', 'number', 'c'])],
    ['a type tag that is not a string', json(['S', '', '', 'm', ['number', 7], 'c'])],
    ['no consumer id', json(['S', '', '', 'm', [], null])],
  ])('refuses a malformed declaration (%s) and keeps nothing of it', (_, malformed) => {
    const table = new CallTable();
    const error = protocolError(() => table.declare(1, malformed));
    expect(error.code).toBe('PROTOCOL_ERROR');
    expect(table.get(1)).toBeUndefined();
    expect(table.size).toBe(0);
  });

  it('accepts empty group, version and types', () => {
    const table = new CallTable();
    table.declare(1, json(['S', '', '', 'm', [], 'c']));
    expect(table.get(1)!.declaration).toEqual({
      service: 'S',
      group: '',
      version: '',
      method: 'm',
      parameterTypes: [],
      consumerId: 'c',
    });
  });

  it('keeps one table per connection: the same reference means different calls on two tables', () => {
    const one = new CallTable();
    const two = new CallTable();
    one.declare(1, body());
    two.declare(1, body({ method: 'rename' }));
    expect(one.get(1)!.label).toBe('com.acme.UserService#getUser');
    expect(two.get(1)!.label).toBe('com.acme.UserService#rename');
  });
});
