/**
 * Java's `URLEncoder.encode(s, "UTF-8")` and `URLDecoder.decode(s, "UTF-8")`, byte for byte, because Dubbo names
 * its ZooKeeper nodes with them and the tools people already use (Dubbo Admin, zkCli habits) expect that spelling.
 */

/** Characters URLEncoder leaves alone; everything else but the space becomes %XX. */
const UNRESERVED = /[A-Za-z0-9.*_-]/;
/** A surrogate half without its partner; Java's UTF-8 encoder writes '?' for it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Encodes like `java.net.URLEncoder.encode(value, "UTF-8")`: space → '+', `[A-Za-z0-9.*_-]` kept,
 * every other UTF-8 byte → `%XX` (upper case).
 *
 * @example encodeJavaUrlComponent('courier://a:1/S?x=1') === 'courier%3A%2F%2Fa%3A1%2FS%3Fx%3D1'
 */
export function encodeJavaUrlComponent(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value.replace(LONE_SURROGATE, '?'), 'utf8')) {
    const char = String.fromCharCode(byte);
    if (byte < 0x80 && UNRESERVED.test(char)) out += char;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Decodes like `java.net.URLDecoder.decode(value, "UTF-8")`: '+' → space, `%XX` runs → UTF-8.
 * Throws on a truncated or non-hex escape, as Java does.
 */
export function decodeJavaUrlComponent(value: string): string {
  const bytes: number[] = [];
  let i = 0;
  while (i < value.length) {
    const char = value[i];
    if (char === '+') {
      bytes.push(0x20);
      i += 1;
    } else if (char === '%') {
      const hex = value.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new URIError(`Illegal escape '%${hex}' at ${i} in '${value}'`);
      bytes.push(parseInt(hex, 16));
      i += 3;
    } else {
      // One whole code point, so a surrogate pair is encoded as its 4 UTF-8 bytes.
      const codePoint = String.fromCodePoint(value.codePointAt(i) as number);
      bytes.push(...Buffer.from(codePoint, 'utf8'));
      i += codePoint.length;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
