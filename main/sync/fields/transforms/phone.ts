/**
 * Phone in international format (E.164), national numbers read in the business's country (env.country: the mapping's
 * phoneCountry, else the HighLevel location's country, else AU — main/sync/fields/README.md, "Phones"). A number that
 * does not parse is kept as typed, with a warning on the record; it is never blanked.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { phone, text } from '../canonical.js';
import type { Transform } from '../types.js';
import { cut } from './shared.js';

export const phoneE164: Transform = {
  id: 'phone_e164',
  label: 'Phone in international format',
  accepts: [
    ['phone', 'phone'],
    ['phone', 'text'],
    ['text', 'phone'],
  ],
  toCanon(v, _side, _def, _fm, env) {
    const s = text(v);
    if (!s) return { value: null };
    const parsed = parsePhoneNumberFromString(s, env.country);
    if (parsed && (parsed.isValid() || parsed.isPossible())) return { value: parsed.number };
    // Kept as the bridge always kept it (the digits as typed), or the text itself when it has no digits.
    return { value: phone(s, env.country) ?? s, warning: `the phone "${s}" is not a number in ${env.country}: kept as typed` };
  },
  fromCanon: (c, _side, def) => (c === null ? null : cut(c, def.maxLength)),
};
