/**
 * Address parts ⇄ one multi-line address text (main/sync/fields/README.md, "Addresses"). address_join: HighLevel's
 * address parts ⇄ one text field on the other side; address_split: one HighLevel text field (a custom field
 * "Site address") ⇄ the other side's address parts. The canonical value is the multi-line text of
 * fields/canonical.ts joinAddress, so a text typed in another layout is read into parts and compared in that form.
 */
import { joinAddress, splitAddress } from '../canonical.js';
import type { AddressParts, Transform, TransformResult } from '../types.js';
import { plainFor } from './shared.js';

function toCanon(v: unknown, type: string): TransformResult {
  if (type === 'address') return { value: joinAddress(v as AddressParts) };
  const { parts, sure } = splitAddress(typeof v === 'string' ? v : v === null || v === undefined ? null : String(v));
  const value = joinAddress(parts);
  return sure ? { value } : { value, warning: 'the address has more lines than street, suburb and country: the extra lines were kept in street line 2' };
}

export const addressJoin: Transform = {
  id: 'address_join',
  label: 'Address parts ⇄ one address text',
  accepts: [
    ['address', 'text'],
    ['address', 'longtext'],
  ],
  toCanon: (v, _side, def) => toCanon(v, def.type),
  fromCanon: (c, _side, def) => plainFor(def, c),
};

export const addressSplit: Transform = {
  id: 'address_split',
  label: 'One address text ⇄ address parts',
  accepts: [
    ['text', 'address'],
    ['longtext', 'address'],
  ],
  toCanon: (v, _side, def) => toCanon(v, def.type),
  fromCanon: (c, _side, def) => plainFor(def, c),
};
