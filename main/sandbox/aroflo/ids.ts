/**
 * Opaque AroFlo-style ids: base64 of 10 bytes, e.g. "JSZaSyRQLEwgCg==". Deterministic per (seed, kind, counter),
 * so a world always loads with the same ids. The bytes are mixed so '+', '/' and '=' appear, as in real ids, and
 * clients must URL-encode them in `where` and `postxml`. Cheap integer mixing (no hashing): 100,000 ids load fast.
 */
export type IdKind =
  'client' | 'contact' | 'task' | 'tasknote' | 'clientnote' | 'org' | 'tasktype' | 'user' | 'location';

const KIND_BYTE: Record<IdKind, number> = {
  client: 0x25,
  contact: 0x26,
  task: 0x27,
  tasknote: 0x28,
  clientnote: 0x29,
  org: 0x2a,
  tasktype: 0x2b,
  user: 0x2c,
  location: 0x2d,
};

/** murmur3 finaliser: a bijection on 32-bit integers. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class IdMaker {
  private readonly counters = new Map<IdKind, number>();

  constructor(private readonly seed: number) {}

  next(kind: IdKind): string {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return makeId(this.seed, kind, n);
  }
}

export function makeId(seed: number, kind: IdKind, n: number): string {
  const k = KIND_BYTE[kind];
  const buf = Buffer.alloc(10);
  buf[0] = k;
  // Unique: fmix32 is a bijection, so distinct n (below 2^32) give distinct bytes 1..4.
  buf.writeUInt32BE(fmix32((n ^ fmix32(seed * 131 + k)) >>> 0), 1);
  const tail = fmix32((n * 2654435761 + seed + k * 97) >>> 0);
  buf.writeUInt32BE(tail, 5);
  buf[9] = fmix32(tail ^ 0x9e3779b9) & 0xff;
  return buf.toString('base64');
}

/** A GUID-like username, as AroFlo shows for contacts. */
export function guidLike(seed: number, n: number): string {
  const h = [1, 2, 3, 4]
    .map((i) =>
      fmix32((n * 0x27d4eb2d + seed * 0x165667b1 + i * 0x9e3779b9) >>> 0)
        .toString(16)
        .padStart(8, '0'),
    )
    .join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`.toUpperCase();
}
