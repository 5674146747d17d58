/**
 * Address parts ⇄ one multi-line address text (main/sync/fields/README.md, "Addresses"). address_join: HighLevel's
 * address parts ⇄ one text field on the other side; address_split: one HighLevel text field (a custom field
 * "Site address") ⇄ the other side's address parts. The canonical value is the multi-line text of
 * fields/canonical.ts joinAddress, so a text typed in another layout is read into parts and compared in that form.
 */
import { countryName, joinAddress, splitAddress } from '../canonical.js';
import type { AddressParts, Canon, Transform, TransformResult } from '../types.js';
import { plainFor } from './shared.js';

function toCanon(v: unknown, type: string): TransformResult {
  if (type === 'address') return { value: joinAddress(v as AddressParts) };
  const { parts, sure } = splitAddress(typeof v === 'string' ? v : v === null || v === undefined ? null : String(v));
  const value = joinAddress(parts);
  return sure
    ? { value }
    : {
        value,
        warning:
          'the address has more lines than street, suburb and country: the extra lines were kept in street line 2',
      };
}

/**
 * The canonical text as a person reads it in a text field: the country line spelled out ("AU" → "Australia"), which
 * reads back to the same canonical text (the country line is compared as its code).
 */
function readable(c: Canon): Canon {
  if (!c) return c;
  const lines = c.split('\n');
  const last = lines[lines.length - 1]!;
  if (lines.length >= 2 && /^[A-Z]{2}$/.test(last)) lines[lines.length - 1] = countryName(last) ?? last;
  return lines.join('\n');
}

const fromCanon: Transform['fromCanon'] = (c, _side, def) => plainFor(def, def.type === 'address' ? c : readable(c));

export const addressJoin: Transform = {
  id: 'address_join',
  label: 'Address parts ⇄ one address text',
  accepts: [
    ['address', 'text'],
    ['address', 'longtext'],
  ],
  toCanon: (v, _side, def) => toCanon(v, def.type),
  fromCanon,
};

export const addressSplit: Transform = {
  id: 'address_split',
  label: 'One address text ⇄ address parts',
  accepts: [
    ['text', 'address'],
    ['longtext', 'address'],
  ],
  toCanon: (v, _side, def) => toCanon(v, def.type),
  fromCanon,
};
