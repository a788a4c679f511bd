/** FNV-1a 32-bit parameters (http://www.isthe.com/chongo/tech/comp/fnv/). */
export const FNV1A32_OFFSET = 0x811c9dc5;
const FNV1A32_PRIME = 0x01000193;

/**
 * FNV-1a, 32 bits, over the UTF-8 bytes of a string (or over raw bytes). Returns an unsigned 32-bit integer.
 *
 * @example fnv1a32('foobar') === 0xbf9cf968
 */
export function fnv1a32(input: string | Uint8Array): number {
  return typeof input === 'string' ? fnv1a32String(FNV1A32_OFFSET, input) : fnv1a32Bytes(FNV1A32_OFFSET, input);
}

/** Continues an FNV-1a state with raw bytes, so a key can be hashed in parts without concatenating them. */
export function fnv1a32Bytes(state: number, bytes: Uint8Array): number {
  let h = state;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ (bytes[i] as number), FNV1A32_PRIME);
  return h >>> 0;
}

/** Continues an FNV-1a state with the UTF-8 encoding of `text`, encoded on the fly (no Buffer allocated). */
export function fnv1a32String(state: number, text: string): number {
  let h = state;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      h = Math.imul(h ^ c, FNV1A32_PRIME);
      continue;
    }
    if (c < 0x800) {
      h = Math.imul(h ^ (0xc0 | (c >> 6)), FNV1A32_PRIME);
    } else {
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low < 0xe000) {
          c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
          i++;
        }
      }
      // A lone surrogate encodes as U+FFFD, as TextEncoder does.
      if (c >= 0xd800 && c < 0xe000) c = 0xfffd;
      if (c < 0x10000) {
        h = Math.imul(h ^ (0xe0 | (c >> 12)), FNV1A32_PRIME);
      } else {
        h = Math.imul(h ^ (0xf0 | (c >> 18)), FNV1A32_PRIME);
        h = Math.imul(h ^ (0x80 | ((c >> 12) & 0x3f)), FNV1A32_PRIME);
      }
      h = Math.imul(h ^ (0x80 | ((c >> 6) & 0x3f)), FNV1A32_PRIME);
    }
    h = Math.imul(h ^ (0x80 | (c & 0x3f)), FNV1A32_PRIME);
  }
  return h >>> 0;
}

/**
 * MurmurHash3's final mix: FNV-1a alone leaves near-identical inputs ('10.0.0.1:1#1', '...#2') close together on
 * the ring; the avalanche spreads them over the whole 32-bit space.
 */
export function fmix32(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
