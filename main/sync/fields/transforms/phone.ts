/**
 * Phone in international format (E.164), national numbers read in the business's country (env.country: the mapping's
 * phoneCountry, else the HighLevel location's country, else AU — main/sync/fields/README.md, "Phones"). A national
 * number is read only when it is a valid number there; one that is not (or does not parse) is kept as typed, with a
 * warning on the record; it is never blanked.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { text } from '../canonical.js';
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
    // A national number (no '+') must be a real number of env.country: one that merely has a possible length there
    // (an Australian 04… mobile read in the US) would become another person's number. International: as before.
    const national = !s.startsWith('+');
    if (parsed && (parsed.isValid() || (!national && parsed.isPossible()))) return { value: parsed.number };
    // Kept as the bridge always kept it (the digits as typed), or the text itself when it has no digits.
    return { value: s.replace(/[^\d+]/g, '') || s, warning: `the phone "${s}" is not a number in ${env.country}: kept as typed` };
  },
  fromCanon: (c, _side, def) => (c === null ? null : cut(c, def.maxLength)),
};
