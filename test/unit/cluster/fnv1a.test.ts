import { fmix32, fnv1a32, fnv1a32String } from '../../../src/cluster/fnv1a';

describe('fnv1a32', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('matches the published test vector for %j', (input, expected) => {
    expect(fnv1a32(input)).toBe(expected);
    expect(fnv1a32(Buffer.from(input))).toBe(expected);
  });

  it('hashes strings as their UTF-8 bytes, surrogate pairs and lone surrogates included', () => {
    for (const text of ['é', 'naïve café', '日本語', '😀 emoji', 'x\ud800y', '\udc00']) {
      expect(fnv1a32(text)).toBe(fnv1a32(new TextEncoder().encode(text)));
    }
  });

  it('can be continued: hashing in parts equals hashing the concatenation', () => {
    expect(fnv1a32String(fnv1a32('10.0.0.1:20880#'), '17')).toBe(fnv1a32('10.0.0.1:20880#17'));
  });

  it('returns unsigned 32-bit integers', () => {
    for (const text of ['a', 'b', 'foobar', 'zzzz']) {
      const h = fnv1a32(text);
      expect(Number.isInteger(h) && h >= 0 && h <= 0xffffffff).toBe(true);
    }
  });
});

describe('fmix32', () => {
  it('is murmur3 fmix32 (0 → 0, known value for 1)', () => {
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
  });

  it('avalanches: near-identical FNV hashes end about 16 bits apart', () => {
    let changed = 0;
    const samples = 1000;
    for (let i = 0; i < samples; i++) {
      const a = fmix32(fnv1a32(`10.0.0.1:20880#${i}`));
      const b = fmix32(fnv1a32(`10.0.0.1:20880#${i + 1}`));
      changed += popcount(a ^ b);
    }
    expect(changed / samples).toBeGreaterThan(14);
    expect(changed / samples).toBeLessThan(18);
  });
});

function popcount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v >>>= 1) n += v & 1;
  return n;
}
