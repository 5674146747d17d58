/**
 * Three-way merge of one linked record, field by field, against per-side base snapshots.
 *
 * Each side has its own base (the value it held when we last agreed), so a side that stores what we wrote a
 * little differently (truncation, formatting) is not seen as changed next time: no ping-pong.
 *  - only one side changed        → propagate (if the field's direction allows it), else accept the divergence
 *  - both changed to equal values → settle
 *  - both changed differently     → the direction or the field's conflict default decides; otherwise a conflict,
 *                                   holding base and both values, and the field stays frozen (bases unchanged)
 *  - no base yet (first link)     → equal settles; one side empty takes the other's value; else as "both changed"
 * Set-valued fields (tags ↔ labels) merge element by element: adds and removes from both sides are combined.
 * Empty never blanks (per field, README.md "Empty never blanks"): a side that is empty while the other is filled does
 * not count as changed — its empty value is not carried over, and its base stays where it was, so a later fill still
 * flows; an edit on the filled side fills it. Update switches (per entity and direction, README.md "Create and update
 * switches"): a side whose updates are off is not written, and the bases of what would have been written stay, so
 * switching updates on later carries the difference. A person's resolution of a conflict is applied regardless.
 * A field absent from either record (not on that kind of record) is skipped.
 * Pure: no I/O, no clock.
 */
import type { ConflictDefault, Direction } from '../../../preload/contract.js';
import type { FieldValue, Fields } from './types.js';

export interface MergeField {
  key: string;
  direction: Direction;
  conflictDefault: ConflictDefault;
  /** 'set' = a sorted JSON array of strings. */
  kind?: 'scalar' | 'set';
  /** An empty value never overwrites a filled one (missing = false here; the mapping's default is true). */
  emptyNeverBlanks?: boolean;
}

export interface MergeOptions {
  /** Whether linked records may be written on each side (missing = both). */
  update?: { ghl: boolean; other: boolean };
}

export interface FieldConflict {
  field: string;
  base: FieldValue;
  ghl: FieldValue;
  other: FieldValue;
}

export interface MergeResult {
  toGhl: Fields;
  toOther: Fields;
  /** Bases to store once the writes are confirmed (the executor replaces them with what the targets really hold). */
  baseGhl: Fields;
  baseOther: Fields;
  conflicts: FieldConflict[];
}

const flowsToOther = (d: Direction) => d === 'both' || d === 'to_other';
const flowsToGhl = (d: Direction) => d === 'both' || d === 'to_ghl';

export function parseSet(v: FieldValue | undefined): string[] {
  if (!v) return [];
  try {
    const arr = JSON.parse(v) as unknown;
    return Array.isArray(arr) ? arr.map(String) : [];
  } catch {
    return [];
  }
}

export function formatSet(items: Iterable<string>): FieldValue {
  const arr = [...new Set(items)].sort();
  return arr.length ? JSON.stringify(arr) : null;
}

/** `has` tells whether a base exists at all (a linked record) as opposed to a first link. */
export function mergeRecord(
  fields: MergeField[],
  base: { ghl: Fields; other: Fields } | undefined,
  ghl: Fields,
  other: Fields,
  /** Field values a person chose while resolving a conflict: they win over both sides. */
  resolved: Fields = {},
  opts: MergeOptions = {},
): MergeResult {
  const out: MergeResult = {
    toGhl: {},
    toOther: {},
    baseGhl: { ...(base?.ghl ?? {}) },
    baseOther: { ...(base?.other ?? {}) },
    conflicts: [],
  };
  for (const f of fields) {
    if (f.direction === 'off') continue;
    // A field a record does not have (not on this kind of record, or a custom field deleted in HighLevel) is left
    // alone: nothing is read from it, nothing written to it, its bases stay.
    if (!(f.key in ghl) || !(f.key in other)) continue;
    const vg = ghl[f.key] ?? null;
    const vo = other[f.key] ?? null;

    if (Object.prototype.hasOwnProperty.call(resolved, f.key)) {
      const v = resolved[f.key] ?? null;
      if (vg !== v) out.toGhl[f.key] = v;
      if (vo !== v) out.toOther[f.key] = v;
      out.baseGhl[f.key] = v;
      out.baseOther[f.key] = v;
      continue;
    }

    if (f.kind === 'set') {
      mergeSet(f, base, vg, vo, out);
      continue;
    }

    const firstLink = !base || !(f.key in base.ghl) || !(f.key in base.other);
    const bg = base?.ghl[f.key] ?? null;
    const bo = base?.other[f.key] ?? null;
    // Empty never blanks: an empty side facing a filled one has not changed anything that may be carried over.
    const guard = f.emptyNeverBlanks === true;
    const gChanged = (firstLink ? vg !== null : vg !== bg) && !(guard && vg === null && vo !== null);
    const oChanged = (firstLink ? vo !== null : vo !== bo) && !(guard && vo === null && vg !== null);

    if (vg === vo) {
      // Equal now: settle whatever happened.
      out.baseGhl[f.key] = vg;
      out.baseOther[f.key] = vo;
      continue;
    }
    if (!gChanged && !oChanged) {
      // Neither side moved since we last agreed to differ (a one-way field): nothing to do.
      continue;
    }
    if (gChanged && !oChanged) {
      if (flowsToOther(f.direction)) {
        out.toOther[f.key] = vg;
        out.baseOther[f.key] = vg;
      } else if (firstLink) {
        out.baseOther[f.key] = vo;
      }
      out.baseGhl[f.key] = vg;
      continue;
    }
    if (oChanged && !gChanged) {
      if (flowsToGhl(f.direction)) {
        out.toGhl[f.key] = vo;
        out.baseGhl[f.key] = vo;
      } else if (firstLink) {
        out.baseGhl[f.key] = vg;
      }
      out.baseOther[f.key] = vo;
      continue;
    }
    // Both changed, differently (or first link with two different non-empty values).
    const winner: 'ghl' | 'other' | undefined =
      f.direction === 'to_other'
        ? 'ghl'
        : f.direction === 'to_ghl'
          ? 'other'
          : f.conflictDefault === 'prefer_ghl'
            ? 'ghl'
            : f.conflictDefault === 'prefer_other'
              ? 'other'
              : undefined;
    if (winner === 'ghl') {
      out.toOther[f.key] = vg;
      out.baseGhl[f.key] = vg;
      out.baseOther[f.key] = vg;
    } else if (winner === 'other') {
      out.toGhl[f.key] = vo;
      out.baseGhl[f.key] = vo;
      out.baseOther[f.key] = vo;
    } else {
      out.conflicts.push({ field: f.key, base: firstLink ? null : bg, ghl: vg, other: vo });
      // Frozen: keep the old bases (or none) so the conflict is still seen until a person settles it.
      if (firstLink) {
        delete out.baseGhl[f.key];
        delete out.baseOther[f.key];
      }
    }
  }
  holdBack(out, fields, base, resolved, opts.update);
  return out;
}

/** Update switches: writes towards a side whose updates are off are dropped, with both bases of those fields kept. */
function holdBack(
  out: MergeResult,
  fields: MergeField[],
  base: { ghl: Fields; other: Fields } | undefined,
  resolved: Fields,
  update: MergeOptions['update'],
): void {
  if (!update || (update.ghl && update.other)) return;
  const restore = (key: string) => {
    for (const [b, old] of [
      [out.baseGhl, base?.ghl],
      [out.baseOther, base?.other],
    ] as const) {
      if (old && key in old) b[key] = old[key] ?? null;
      else delete b[key];
    }
  };
  for (const f of fields) {
    if (Object.prototype.hasOwnProperty.call(resolved, f.key)) continue;
    for (const [on, writes] of [
      [update.ghl, out.toGhl],
      [update.other, out.toOther],
    ] as const) {
      if (on || !(f.key in writes)) continue;
      delete writes[f.key];
      restore(f.key);
    }
  }
}

function mergeSet(
  f: MergeField,
  base: { ghl: Fields; other: Fields } | undefined,
  vg: FieldValue,
  vo: FieldValue,
  out: MergeResult,
): void {
  const g = new Set(parseSet(vg));
  const o = new Set(parseSet(vo));
  const hasBase = !!base && f.key in base.ghl && f.key in base.other;
  const bg = new Set(parseSet(base?.ghl[f.key]));
  const bo = new Set(parseSet(base?.other[f.key]));
  // Empty never blanks: a set emptied on one side does not empty the other.
  const guard = f.emptyNeverBlanks === true;
  const emptyG = guard && !g.size && o.size > 0;
  const emptyO = guard && !o.size && g.size > 0;
  const addedG = [...g].filter((x) => !hasBase || !bg.has(x));
  const removedG = hasBase && !emptyG ? [...bg].filter((x) => !g.has(x)) : [];
  const addedO = [...o].filter((x) => !hasBase || !bo.has(x));
  const removedO = hasBase && !emptyO ? [...bo].filter((x) => !o.has(x)) : [];
  const nextG = new Set(g);
  const nextO = new Set(o);
  if (flowsToGhl(f.direction)) {
    for (const x of addedO) nextG.add(x);
    for (const x of removedO) nextG.delete(x);
  }
  if (flowsToOther(f.direction)) {
    for (const x of addedG) nextO.add(x);
    for (const x of removedG) nextO.delete(x);
  }
  const ng = formatSet(nextG);
  const no = formatSet(nextO);
  if (ng !== formatSet(g)) out.toGhl[f.key] = ng;
  if (no !== formatSet(o)) out.toOther[f.key] = no;
  // An emptied side left empty keeps its base (a later fill is then seen against what it held before).
  if (!(emptyG && ng === null && hasBase)) out.baseGhl[f.key] = ng;
  if (!(emptyO && no === null && hasBase)) out.baseOther[f.key] = no;
}
