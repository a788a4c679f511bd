import { FNV1A32_OFFSET, fmix32, fnv1a32String } from './fnv1a';

/** Members per ring are packed next to their 32-bit hash in a float64 for sorting: 2^21 of them at most. */
const MEMBER_BITS = 2 ** 21;

/**
 * A consistent-hash ring: `virtualNodes` points per member at fmix32(fnv1a32('address#i')), kept as a sorted
 * Uint32Array of hashes with a parallel array of member indexes, searched by binary search. Immutable once built.
 * Node positions depend only on the member's address, so the ring of a subset equals this ring minus the other
 * members' nodes: a lookup that skips absent members is the same as rebuilding.
 */
export class HashRing {
  /** Member addresses, sorted, unique. */
  readonly members: readonly string[];
  readonly memberIndex: ReadonlyMap<string, number>;
  /** Sorted node hashes. */
  readonly hashes: Uint32Array;
  /** owners[k] = index in `members` of the node at hashes[k]. */
  readonly owners: Uint32Array;

  constructor(
    addresses: Iterable<string>,
    readonly virtualNodes: number,
  ) {
    const members = [...new Set(addresses)].sort();
    if (members.length >= MEMBER_BITS) throw new RangeError(`A hash ring holds at most ${MEMBER_BITS - 1} members`);
    this.members = members;
    this.memberIndex = new Map(members.map((address, i) => [address, i]));
    const packed = new Float64Array(members.length * virtualNodes);
    let k = 0;
    for (let m = 0; m < members.length; m++) {
      const prefix = fnv1a32String(FNV1A32_OFFSET, (members[m] as string) + '#');
      for (let v = 0; v < virtualNodes; v++) packed[k++] = fmix32(fnv1a32String(prefix, String(v))) * MEMBER_BITS + m;
    }
    // Numeric sort of (hash, member): equal hashes order by address, the same in every process.
    packed.sort();
    this.hashes = new Uint32Array(packed.length);
    this.owners = new Uint32Array(packed.length);
    for (let i = 0; i < packed.length; i++) {
      const value = packed[i] as number;
      const member = value % MEMBER_BITS;
      this.owners[i] = member;
      this.hashes[i] = (value - member) / MEMBER_BITS;
    }
  }

  /** Index of the first node at or above `hash`, else 0 (the ring wraps). */
  locate(hash: number): number {
    const hashes = this.hashes;
    let lo = 0;
    let hi = hashes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((hashes[mid] as number) < hash) lo = mid + 1;
      else hi = mid;
    }
    return lo === hashes.length ? 0 : lo;
  }
}
