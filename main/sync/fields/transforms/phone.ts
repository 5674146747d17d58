/**
 * Phone in international format (E.164), national numbers read in the business's country (env.country: the mapping's
 * phoneCountry, else the HighLevel location's country, else AU — main/sync/fields/README.md, "Phones"). A national
 * number is read only when it is a valid number there; one that is not (or does not parse) is kept as typed, with a
 * warning on the record; it is never blanked.
 */
import { Metadata, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { text } from '../canonical.js';
import type { Transform } from '../types.js';
import { cut } from './shared.js';

const plans = new Map<CountryCode, RegExp>();
/** The country's numbering plan as libphonenumber holds it: the pattern every national number there has. */
function planOf(country: CountryCode): RegExp {
  let re = plans.get(country);
  if (!re) {
    const md = new Metadata();
    md.selectNumberingPlan(country);
    const plan = md.numberingPlan as unknown as { nationalNumberPattern(): string } | undefined;
    re = new RegExp(`^(?:${plan?.nationalNumberPattern() ?? '\\d+'})$`);
    plans.set(country, re);
  }
  return re;
}

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
    // A national number (no '+') must be a number of env.country: valid there, or — so every base stored under AU
    // stays what it was — of a possible length and inside the country's numbering plan (an unallocated 044… mobile).
    // One that merely has a possible length (an Australian 04… mobile read in the US, where no number starts with 0)
    // would become another person's number. Written with its country code: a possible length, as before.
    const national = !s.startsWith('+');
    const ok =
      parsed &&
      (parsed.isValid() || (parsed.isPossible() && (!national || planOf(env.country).test(parsed.nationalNumber))));
    if (parsed && ok) return { value: parsed.number };
    // Kept as the bridge always kept it (the digits as typed), or the text itself when it has no digits.
    return {
      value: s.replace(/[^\d+]/g, '') || s,
      warning: `the phone "${s}" is not a number in ${env.country}: kept as typed`,
    };
  },
  fromCanon: (c, _side, def) => (c === null ? null : cut(c, def.maxLength)),
};
