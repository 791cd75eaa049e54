import ipaddr from 'ipaddr.js';
import { LRUCache } from 'lru-cache';

/** A health sweep compares the same few CIDRs for every connection. */
const ranges = new LRUCache<string, readonly [number, number]>({ max: 1000 });

function range(cidr: string): readonly [number, number] {
  let known = ranges.get(cidr);
  if (!known) {
    const [address, prefix] = ipaddr.IPv4.parseCIDR(cidr);
    const start = address.toByteArray().reduce((n, byte) => n * 256 + byte, 0);
    const size = 2 ** (32 - prefix);
    const first = start - (start % size);
    known = [first, first + size - 1] as const;
    ranges.set(cidr, known);
  }
  return known;
}

/** True when two IPv4 CIDR blocks share at least one address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const [aStart, aEnd] = range(a);
  const [bStart, bEnd] = range(b);
  return aStart <= bEnd && bStart <= aEnd;
}

/** True when `outer` contains every address of `inner`. */
export function cidrContains(outer: string, inner: string): boolean {
  const [oStart, oEnd] = range(outer);
  const [iStart, iEnd] = range(inner);
  return oStart <= iStart && iEnd <= oEnd;
}
