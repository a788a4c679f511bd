import { HashRing } from '../../../src/cluster/hash-ring';
import { fmix32, fnv1a32 } from '../../../src/cluster/fnv1a';

describe('HashRing', () => {
  const ring = new HashRing(['10.0.0.2:1', '10.0.0.1:1', '10.0.0.3:1', '10.0.0.1:1'], 160);

  it('holds each member once, sorted, with its virtual nodes', () => {
    expect(ring.members).toEqual(['10.0.0.1:1', '10.0.0.2:1', '10.0.0.3:1']);
    expect(ring.hashes.length).toBe(480);
    expect(ring.owners.length).toBe(480);
  });

  it('keeps node hashes sorted as unsigned numbers, each paired with its owner', () => {
    for (let i = 1; i < ring.hashes.length; i++) {
      expect(ring.hashes[i - 1] as number).toBeLessThanOrEqual(ring.hashes[i] as number);
    }
    const nodes = new Set<string>();
    ring.members.forEach((m) => {
      for (let v = 0; v < 160; v++) nodes.add(`${fmix32(fnv1a32(`${m}#${v}`))}/${ring.memberIndex.get(m)}`);
    });
    for (let i = 0; i < ring.hashes.length; i++) expect(nodes.has(`${ring.hashes[i]}/${ring.owners[i]}`)).toBe(true);
  });

  it('finds the first node at or above a hash, else wraps to the first', () => {
    const first = ring.hashes[0] as number;
    const last = ring.hashes[ring.hashes.length - 1] as number;
    const middle = ring.hashes[100] as number;
    expect(ring.locate(0)).toBe(0);
    expect(ring.locate(first)).toBe(0);
    expect(ring.locate(middle)).toBe(ring.hashes.indexOf(middle));
    expect(ring.locate(middle + 1)).toBeGreaterThan(100);
    expect(ring.locate(last)).toBe(ring.hashes.length - 1);
    expect(ring.locate(last + 1)).toBe(0);
  });
});
