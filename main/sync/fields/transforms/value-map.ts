/**
 * The value map ('status_map'): HighLevel value → the other system's value, with a default for values the map does not
 * name (main/sync/fields/README.md, "Value maps"). The canonical value is the HighLevel-side value. The other side's
 * values are compared loosely (case, spaces and punctuation ignored), so "Not Started", "not started" and AroFlo's
 * status code "notstarted" are one value; a def with `options` (AroFlo's task status codes) is written as its option.
 * Towards a HighLevel yes/no field, a value the map does not name is "no" (a task is completed only in the status
 * mapped to true — what the bridge has always done), unless `valueMapDefault.toGhl` says otherwise.
 */
import { bool, canonOf, text } from '../canonical.js';
import type { FieldType } from '../../../../preload/contract.js';
import type { Transform } from '../types.js';
import { cut, pairsOf, plainFor } from './shared.js';

/** A value as a loose key: "Not Started" → "notstarted". */
export const slug = (v: unknown): string => (text(v) ?? '').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

const OTHER: FieldType[] = ['picklist', 'text', 'boolean'];

export const valueMap: Transform = {
  id: 'status_map',
  label: 'Value map',
  accepts: pairsOf(['boolean', 'picklist', 'text'], OTHER).filter(([g, o]) => !(g === 'boolean' && o === 'boolean')),
  toCanon(v, side, def, fm, env, partner) {
    if (side === 'ghl') return { value: canonOf(def, v, env) };
    const s = text(v);
    if (s === null) return { value: null };
    const key = slug(s);
    const hit = Object.entries(fm.valueMap ?? {}).find(([, o]) => slug(o) === key);
    if (hit) return { value: partner?.type === 'boolean' ? bool(hit[0]) : hit[0] };
    const fallback = fm.valueMapDefault?.toGhl;
    if (fallback !== undefined) return { value: partner?.type === 'boolean' ? bool(fallback) : text(fallback) };
    if (partner?.type === 'boolean') return { value: 'false' };
    return { value: s, warning: `"${s}" is not in the value map of "${fm.label}": kept as it is` };
  },
  fromCanon(c, side, def, fm) {
    if (side === 'ghl') return plainFor(def, c);
    if (c === null) return null;
    const mapped = fm.valueMap?.[c] ?? fm.valueMapDefault?.toOther ?? c;
    const option = def.options?.find((o) => slug(o) === slug(mapped));
    return option ?? cut(mapped, def.maxLength);
  },
};
