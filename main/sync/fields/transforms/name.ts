/**
 * Full name ⇄ given names + surname (main/sync/fields/README.md, "Names"). name_join: HighLevel's first and last name
 * ⇄ one full-name field on the other side; name_split: one HighLevel full-name field ⇄ the other side's given names and
 * surname. The canonical value is the full name on one line; written into parts, the last word is the surname.
 */
import { joinName, text } from '../canonical.js';
import type { PersonName, Transform, TransformResult } from '../types.js';
import { plainFor } from './shared.js';

const fullName = (v: unknown): TransformResult => ({ value: text(v)?.replace(/\s+/g, ' ') ?? null });

function toCanon(v: unknown, type: string): TransformResult {
  return type === 'person_name' ? { value: joinName(v as PersonName) } : fullName(v);
}

export const nameJoin: Transform = {
  id: 'name_join',
  label: 'First + last name ⇄ full name',
  accepts: [
    ['person_name', 'text'],
    ['person_name', 'longtext'],
  ],
  toCanon: (v, _side, def) => toCanon(v, def.type),
  fromCanon: (c, _side, def) => plainFor(def, c),
};

export const nameSplit: Transform = {
  id: 'name_split',
  label: 'Full name ⇄ first + last name',
  accepts: [
    ['text', 'person_name'],
    ['longtext', 'person_name'],
  ],
  toCanon: (v, _side, def) => toCanon(v, def.type),
  fromCanon: (c, _side, def) => plainFor(def, c),
};
