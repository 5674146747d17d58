/**
 * Opaque AroFlo-style ids: base64 of 10 bytes, e.g. "JSZaSyRQLEwgCg==". Deterministic per (kind, counter),
 * so a world always loads with the same ids. The mix makes '+', '/' and '=' appear, as in real ids, so
 * clients must URL-encode them in `where` and `postxml`.
 */
import { createHash } from 'node:crypto';

export type IdKind = 'client' | 'contact' | 'task' | 'tasknote' | 'clientnote' | 'org' | 'tasktype' | 'user' | 'location';

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
  const buf = Buffer.alloc(10);
  buf[0] = KIND_BYTE[kind];
  // An odd multiplier and a fixed mask are bijections on 32 bits: ids stay unique but do not look sequential.
  const mask = createHash('sha1').update(`${seed}:${kind}`).digest().readUInt32BE(0);
  buf.writeUInt32BE((Math.imul(n, 0x9e3779b1) ^ mask) >>> 0, 1);
  createHash('sha1').update(`${seed}:${kind}:${n}`).digest().copy(buf, 5, 0, 5);
  return buf.toString('base64');
}

/** A GUID-like username, as AroFlo shows for contacts. */
export function guidLike(seed: number, n: number): string {
  const h = createHash('sha1').update(`guid:${seed}:${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`.toUpperCase();
}
