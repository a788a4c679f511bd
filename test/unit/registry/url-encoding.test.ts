import { decodeJavaUrlComponent, encodeJavaUrlComponent } from '../../../registry/url-encoding';

// Expected values printed by java.net.URLEncoder.encode(s, "UTF-8") on OpenJDK 17.
const JAVA_ENCODED: ReadonlyArray<[string, string]> = [
  ["a b+c~!*'()_-.", 'a+b%2Bc%7E%21*%27%28%29_-.'],
  ['héllo wörld €', 'h%C3%A9llo+w%C3%B6rld+%E2%82%AC'],
  ['emoji 😀', 'emoji+%F0%9F%98%80'],
  ['[::1]:80/x?y=1;z=2#f"<>\\^`{|}', '%5B%3A%3A1%5D%3A80%2Fx%3Fy%3D1%3Bz%3D2%23f%22%3C%3E%5C%5E%60%7B%7C%7D'],
  ['lone\uD800x', 'lone%3Fx'],
  ['', ''],
];

describe('encodeJavaUrlComponent (java.net.URLEncoder, UTF-8)', () => {
  it.each(JAVA_ENCODED)('encodes %j exactly as Java does', (input, expected) => {
    expect(encodeJavaUrlComponent(input)).toBe(expected);
  });

  it('keeps exactly [A-Za-z0-9.*_-] and turns a space into +', () => {
    for (let code = 0; code < 128; code++) {
      const char = String.fromCharCode(code);
      const encoded = encodeJavaUrlComponent(char);
      if (/[A-Za-z0-9.*_-]/.test(char)) expect(encoded).toBe(char);
      else if (char === ' ') expect(encoded).toBe('+');
      else expect(encoded).toBe(`%${code.toString(16).toUpperCase().padStart(2, '0')}`);
    }
  });
});

describe('decodeJavaUrlComponent (java.net.URLDecoder, UTF-8)', () => {
  it('decodes + as a space and %XX runs as UTF-8', () => {
    expect(decodeJavaUrlComponent('a+b%2Bc%7E%C3%A9')).toBe('a b+c~é');
  });

  it.each(JAVA_ENCODED.filter(([input]) => !input.includes('\uD800')))('round-trips %j', (input, encoded) => {
    expect(decodeJavaUrlComponent(encoded)).toBe(input);
  });

  it('keeps characters Java would have left unescaped, including non-ASCII ones', () => {
    expect(decodeJavaUrlComponent('ok~é😀')).toBe('ok~é😀');
  });

  it('rejects a truncated or non-hex escape', () => {
    expect(() => decodeJavaUrlComponent('abc%2')).toThrow(URIError);
    expect(() => decodeJavaUrlComponent('abc%zz')).toThrow(URIError);
  });
});
