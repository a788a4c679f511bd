import { encodeStable, hashArguments } from '../../../src/cluster/argument-key';
import { fmix32, fnv1a32 } from '../../../src/cluster/fnv1a';

describe('encodeStable', () => {
  it('tags primitives by type, so 1, "1", 1n and true differ', () => {
    const forms = [1, '1', 1n, true, null, undefined].map(encodeStable);
    expect(new Set(forms).size).toBe(forms.length);
  });

  it('length-prefixes strings, so neighbouring arguments cannot run together', () => {
    expect(encodeStable(['ab', 'c'])).not.toBe(encodeStable(['a', 'bc']));
  });

  it('encodes objects by sorted keys, recursively, whatever their key order or identity', () => {
    const a = { id: 7, name: 'ann', tags: { x: 1, y: [1, 2] } };
    const b = { tags: { y: [1, 2], x: 1 }, name: 'ann', id: 7 };
    expect(encodeStable(a)).toBe(encodeStable(b));
    expect(encodeStable({ b: 1, a: 'x' })).toBe('{s1:as1:xs1:bn1;}');
  });

  it('encodes Dates by time, bigints by value, bytes by content', () => {
    expect(encodeStable(new Date(1000))).toBe(encodeStable(new Date(1000)));
    expect(encodeStable(new Date(1000))).not.toBe(encodeStable(new Date(1001)));
    expect(encodeStable(12345678901234567890n)).toBe('g12345678901234567890;');
    expect(encodeStable(Buffer.from([1, 2]))).toBe(encodeStable(new Uint8Array([1, 2])));
  });

  it('encodes Maps and Sets independently of insertion order', () => {
    expect(
      encodeStable(
        new Map([
          ['a', 1],
          ['b', 2],
        ]),
      ),
    ).toBe(
      encodeStable(
        new Map([
          ['b', 2],
          ['a', 1],
        ]),
      ),
    );
    expect(encodeStable(new Set([3, 1, 2]))).toBe(encodeStable(new Set([1, 2, 3])));
  });

  it('never encodes identity: functions and symbols are their type only; cycles terminate', () => {
    expect(encodeStable(() => 1)).toBe(encodeStable(() => 2));
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(encodeStable(cyclic)).toBe('{s1:an1;s4:selfc}');
  });
});

describe('hashArguments', () => {
  it('is the mixed FNV-1a of the chosen arguments’ stable forms (the streamed and the text paths agree)', () => {
    const args: unknown[] = ['user-42', 7, { z: 1, a: [new Date(5), 3n] }, -0, 'é'];
    for (const indexes of [[0], [1], [2], [0, 1], [3], [4], [0, 2, 4], [9]]) {
      const text = indexes.map((i) => encodeStable(args[i])).join('');
      expect(hashArguments(args, indexes)).toBe(fmix32(fnv1a32(text)));
    }
  });

  it('depends only on the chosen arguments', () => {
    expect(hashArguments([1, 'a'], [0])).toBe(hashArguments([1, 'b'], [0]));
    expect(hashArguments([1, 'a'], [1])).not.toBe(hashArguments([1, 'b'], [1]));
  });
});
