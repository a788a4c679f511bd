import { RpcError } from '../../../src/errors/rpc-error';
import {
  MAX_DECLARED_CALLS,
  declareCall,
  decodeDeclaration,
  type CallDeclaration,
} from '../../../src/protocol/call-declaration';
import { GREET_DECLARATION } from '../../support/protocol-examples';
import { thrownRpcError } from '../../support/thrown-rpc-error';

const GREET: CallDeclaration = GREET_DECLARATION;

/** A DECLARE body holding exactly `text`. */
const body = (text: string): Buffer => Buffer.from(text, 'utf8');

/** What decodeDeclaration throws for `bytes`: an RpcError with code PROTOCOL_ERROR, or the test fails. */
const protocolError = (bytes: Buffer): RpcError => thrownRpcError(() => decodeDeclaration(bytes), 'PROTOCOL_ERROR');

describe('declareCall', () => {
  it('encodes the declaration as the documented UTF-8 JSON array, byte for byte', () => {
    const declared = declareCall(GREET);
    expect(declared.encoded).toEqual(body('["com.acme.Greeter","","1.0.0","greet",["string"],"0123456789abcdef"]'));
    expect(declared.encoded.length).toBe(69);
  });

  it('keeps the declaration’s fields and labels the call service#method', () => {
    const declared = declareCall(GREET);
    expect(declared).toMatchObject(GREET);
    expect(declared.label).toBe('com.acme.Greeter#greet');
  });

  it('encodes non-ASCII names as UTF-8 and escapes what JSON must escape', () => {
    const declared = declareCall({
      ...GREET,
      service: 'com.ácme.Grüße',
      group: 'a"b\\c',
      parameterTypes: ['日本', 'line\nbreak'],
    });
    expect(declared.encoded).toEqual(
      body('["com.ácme.Grüße","a\\"b\\\\c","1.0.0","greet",["日本","line\\nbreak"],"0123456789abcdef"]'),
    );
    expect(declared.encoded.length).toBeGreaterThan(declared.encoded.toString('utf8').length); // multi-byte
  });
});

describe('decodeDeclaration', () => {
  it.each<[string, CallDeclaration]>([
    ['the worked example', GREET],
    ['no arguments, empty group and version', { ...GREET, version: '', parameterTypes: [] }],
    [
      'many argument types, a group and registered class tags',
      { ...GREET, group: 'blue', parameterTypes: ['number', 'Buffer', 'com.acme.User', 'undefined', 'Map'] },
    ],
    [
      'non-ASCII and JSON-escaped text',
      { ...GREET, service: 'com.ácme.Grüße', method: 'grüß\u2028"dich"', parameterTypes: ['日本', '\\'] },
    ],
  ])('reads back what declareCall encoded: %s', (_name, declaration) => {
    const decoded = decodeDeclaration(declareCall(declaration).encoded);
    expect(decoded).toEqual(declaration);
    expect(Object.keys(decoded).sort()).toEqual(
      ['consumerId', 'group', 'method', 'parameterTypes', 'service', 'version'].sort(),
    );
  });

  it('reads a declaration from a view into a larger buffer', () => {
    const encoded = declareCall(GREET).encoded;
    const chunk = Buffer.concat([Buffer.from('garbage['), encoded, Buffer.from(']garbage')]);
    expect(decodeDeclaration(chunk.subarray(8, 8 + encoded.length))).toEqual(GREET);
  });

  it('accepts JSON whitespace between the elements', () => {
    expect(decodeDeclaration(body(' [ "s" , "" , "" , "m" , [ ] , "c" ] \n'))).toEqual({
      service: 's',
      group: '',
      version: '',
      method: 'm',
      parameterTypes: [],
      consumerId: 'c',
    });
  });

  describe('refuses a malformed declaration with PROTOCOL_ERROR', () => {
    it.each([
      ['an empty body', body('')],
      ['text that is not JSON', body('com.acme.Greeter#greet')],
      ['truncated JSON', body('["com.acme.Greeter","","1.0.0","greet",["string"],"0123')],
      ['trailing bytes after the JSON', body('["s","","","m",[],"c"]x')],
      ['a msgpack array', Buffer.from('96a173a0a0a16d90a163', 'hex')],
      ['bytes that are not UTF-8', Buffer.from([0xff, 0xfe, 0xfd])],
    ])('that is not JSON: %s', (_name, bytes) => {
      expect(protocolError(bytes).message).toMatch(/^Call declaration is not JSON: /);
    });

    it.each([
      ['an object', '{"service":"s","group":"","version":"","method":"m","parameterTypes":[],"consumerId":"c"}'],
      ['a string', '"com.acme.Greeter"'],
      ['a number', '6'],
      ['null', 'null'],
      ['an empty array', '[]'],
      ['5 elements (no consumer id)', '["s","","","m",[]]'],
      ['7 elements (a version 1 request head with attachments)', '["s","","","m",[],{},"c"]'],
    ])('that is not a 6-element array: %s', (_name, text) => {
      expect(protocolError(body(text)).message).toBe(
        'Call declaration must be [service, group, version, method, types, consumer]',
      );
    });

    it.each([
      ['an empty service', '["","","","m",[],"c"]'],
      ['a numeric service', '[1,"","","m",[],"c"]'],
      ['a null service', '[null,"","","m",[],"c"]'],
      ['a null group', '["s",null,"","m",[],"c"]'],
      ['a numeric group', '["s",0,"","m",[],"c"]'],
      ['a numeric version', '["s","",1,"m",[],"c"]'],
      ['an array as version', '["s","",["1.0.0"],"m",[],"c"]'],
      ['an empty method', '["s","","","",[],"c"]'],
      ['an object as method', '["s","","",{},[],"c"]'],
      ['parameter types as a string', '["s","","","m","string","c"]'],
      ['parameter types as an object', '["s","","","m",{"0":"string"},"c"]'],
      ['null parameter types', '["s","","","m",null,"c"]'],
      ['a numeric type tag', '["s","","","m",["string",1],"c"]'],
      ['a null type tag', '["s","","","m",[null],"c"]'],
      ['a nested array as type tag', '["s","","","m",[["string"]],"c"]'],
      ['a numeric consumer id', '["s","","","m",[],12345]'],
      ['a null consumer id', '["s","","","m",[],null]'],
      ['a boolean consumer id', '["s","","","m",[],true]'],
      ['an empty consumer id (consumers would share one de-duplication space)', '["s","","","m",[],""]'],
      ['a consumer id of 65 characters', `["s","","","m",[],"${'c'.repeat(65)}"]`],
    ])('whose elements have the wrong types: %s', (_name, text) => {
      expect(protocolError(body(text)).message).toMatch(/^Call declaration must hold non-empty service and method/);
    });
  });

  it('allows a connection 65536 declared calls (MAX_DECLARED_CALLS, shared by both sides)', () => {
    expect(MAX_DECLARED_CALLS).toBe(65_536);
  });
});
