/**
 * What the transform families share: cutting text to a field's length, and turning a canonical value into the
 * plain value a def holds (main/sync/fields/README.md, "Transforms").
 */
import { parseSet } from '../../engine/merge.js';
import type { FieldType } from '../../../../preload/contract.js';
import { splitAddress, splitName } from '../canonical.js';
import type { Canon, FieldDef } from '../types.js';

/** Text cut to `max` characters (code points, as AroFlo counts them; connectors/aroflo/writes.ts refuses longer). */
export function cut(v: string, max: number | undefined): string {
  if (!max) return v;
  const chars = [...v];
  return chars.length > max ? chars.slice(0, max).join('').trimEnd() : v;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A canonical value as the def's own kind of value: an array for sets, true/false for booleans, a number for numbers,
 * an ISO time for a date-time given only a day (09:00 UTC, what the bridge has always written), text cut to the
 * def's length otherwise; composites as their parts (fields/canonical.ts splitName, splitAddress).
 */
export function plainFor(def: FieldDef, canon: Canon): unknown {
  if (def.type === 'person_name') return splitName(canon);
  if (def.type === 'address') return splitAddress(canon).parts;
  if (canon === null) return def.type === 'set' ? [] : def.type === 'boolean' ? false : null;
  return plainOf(def.type, canon, def.maxLength);
}

export function plainOf(type: FieldType, canon: string, maxLength?: number): unknown {
  switch (type) {
    case 'set':
      return parseSet(canon);
    case 'boolean':
      return canon === 'true';
    case 'number': {
      const n = Number(canon);
      return Number.isFinite(n) ? n : canon;
    }
    case 'datetime':
      return DAY.test(canon) ? `${canon}T09:00:00.000Z` : canon;
    default:
      return cut(canon, maxLength);
  }
}

/** Every (a, b) pair of the given types, both ways. */
export function pairsOf(a: readonly FieldType[], b: readonly FieldType[] = a): Array<readonly [FieldType, FieldType]> {
  const out: Array<readonly [FieldType, FieldType]> = [];
  for (const x of a) for (const y of b) out.push([x, y]);
  return out;
}
