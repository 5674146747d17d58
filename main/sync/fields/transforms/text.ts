/**
 * Text transforms: none (each type's canonical form, fields/canonical.ts), trim, lower case, upper case.
 * 'none' is exactly the normalisation the bridge has always applied, so stored bases stay valid
 * (main/sync/fields/README.md, "Canonical values").
 */
import type { FieldType } from '../../../../preload/contract.js';
import { canonOf, day, noteText, text } from '../canonical.js';
import type { Transform } from '../types.js';
import { pairsOf, plainFor } from './shared.js';

const TEXTS: FieldType[] = ['text', 'longtext', 'url', 'email', 'picklist'];
const SCALARS: FieldType[] = [
  'text',
  'longtext',
  'email',
  'phone',
  'url',
  'number',
  'boolean',
  'date',
  'datetime',
  'set',
  'picklist',
];

/** Text by the def's type: markup is turned into text in long text (notes, descriptions), plain trim elsewhere. */
const plain = (type: FieldType, v: unknown) => (type === 'longtext' ? noteText(v) : text(v));

export const none: Transform = {
  id: 'none',
  label: 'None',
  accepts: [
    ...SCALARS.map((t) => [t, t] as const),
    ...pairsOf(['text', 'longtext']),
    ...pairsOf(['text'], ['url', 'email', 'phone', 'picklist', 'number']),
    ...pairsOf(['url', 'email', 'phone', 'picklist', 'number'], ['text']),
    ['date', 'datetime'],
    ['datetime', 'date'],
    ['person_name', 'person_name'],
    ['address', 'address'],
  ],
  toCanon(v, _side, def, _fm, env, partner) {
    // A date-time paired with a date compares as the day it falls on: its UTC day, as the bridge has always read task
    // due dates (the 'date' transform reads it in the business's time zone instead).
    if (def.type === 'datetime' && partner?.type === 'date') return { value: day(v) };
    return { value: canonOf(def, v, env) };
  },
  fromCanon(c, _side, def) {
    return plainFor(def, c);
  },
};

export const trim: Transform = {
  id: 'trim',
  label: 'Trim spaces',
  accepts: pairsOf(TEXTS),
  toCanon: (v, _side, def) => ({ value: plain(def.type, v) }),
  fromCanon: (c, _side, def) => plainFor(def, c),
};

export const lowercase: Transform = {
  id: 'lowercase',
  label: 'Lower case',
  accepts: pairsOf(TEXTS),
  toCanon: (v, _side, def) => ({ value: plain(def.type, v)?.toLowerCase() ?? null }),
  fromCanon: (c, _side, def) => plainFor(def, c),
};

export const uppercase: Transform = {
  id: 'uppercase',
  label: 'Upper case',
  accepts: pairsOf(TEXTS),
  toCanon: (v, _side, def) => ({ value: plain(def.type, v)?.toUpperCase() ?? null }),
  fromCanon: (c, _side, def) => plainFor(def, c),
};
