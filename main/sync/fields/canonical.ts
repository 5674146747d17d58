/**
 * The canonical form of each field type (main/sync/fields/README.md, "Canonical values"): what merge compares and
 * bases store. It is today's normalisation (main/sync/sides/normalize.ts) by type, so every base stored before the
 * field catalogue existed stays valid under the transform 'none'.
 */
import { getCountries } from 'libphonenumber-js';
import { formatSet } from '../engine/merge.js';
import { bool, day, email, markupOf, noteText, phone, text } from '../sides/normalize.js';
import type { FieldType } from '../../../preload/contract.js';
import { dayIn, zoneParts, zonedToUtc } from '../../connectors/shared/dates.js';
import type { AddressParts, Canon, FieldDef, PersonName, TransformEnv } from './types.js';

export { bool, day, email, markupOf, noteText, phone, text };

/** A set's elements from what a def read (an array, or one text), empty ones dropped. */
export function setItems(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  const arr = Array.isArray(v) ? v : [v];
  return arr.map((x) => (x === null || x === undefined ? '' : String(x))).filter((x) => x.length > 0);
}

/** A sorted JSON array, null when empty: the form tags and labels have always been stored in (engine/merge.ts). */
export function canonSet(v: unknown): Canon {
  return formatSet(setItems(v));
}

/** A number as text without formatting ("1,200.50" → "1200.5"); text that is not a number stays as typed. */
export function canonNumber(v: unknown): Canon {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  const s = text(v);
  if (!s) return null;
  const n = Number(s.replace(/[,\s]/g, ''));
  return Number.isFinite(n) && /\d/.test(s) ? String(n) : s;
}

/** An instant as ISO 8601 UTC; a zone-less local time is read in `timeZone`. Text that is no time stays as typed. */
export function canonInstant(v: unknown, timeZone: string): Canon {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return Number.isFinite(v) ? new Date(v).toISOString() : null;
  const s = String(v).trim();
  const local = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?$/.exec(s);
  if (local) {
    const [, y, mo, d, h = '00', mi = '00', se = '00'] = local;
    return new Date(zonedToUtc(+y!, +mo!, +d!, +h, +mi, +se, timeZone)).toISOString();
  }
  const t = Date.parse(s);
  return Number.isFinite(t) ? new Date(t).toISOString() : text(s);
}

/** Calendar days and wall-clock times in a zone: main/connectors/shared/dates.ts. */
export { dayIn, zoneParts, zonedToUtc };

/** Whether `timeZone` is an IANA zone Intl knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** A full name as one line: the parts' text joined by one space. */
export function joinName(n: PersonName | null | undefined): Canon {
  if (!n) return null;
  return text([text(n.first), text(n.last)].filter(Boolean).join(' '))?.replace(/\s+/g, ' ') ?? null;
}

/** A full name into given names and surname: the last word is the surname (what name_join writes back). */
export function splitName(full: Canon): PersonName {
  const s = text(full)?.replace(/\s+/g, ' ') ?? null;
  if (!s) return { first: null, last: null };
  const i = s.lastIndexOf(' ');
  return i < 0 ? { first: s, last: null } : { first: s.slice(0, i), last: s.slice(i + 1) };
}

/** The canonical value of one def's value by its type (the transform 'none'). */
export function canonical(type: FieldType, v: unknown, env: TransformEnv): Canon {
  switch (type) {
    case 'text':
    case 'url':
    case 'picklist':
      return text(v);
    case 'longtext':
      return noteText(v);
    case 'email':
      return email(v);
    case 'phone':
      return phone(v, env.country);
    case 'number':
      return canonNumber(v);
    case 'boolean':
      return bool(v);
    case 'date':
      return day(v);
    case 'datetime':
      return canonInstant(v, env.timeZone);
    case 'set':
      return canonSet(v);
    case 'person_name':
      return joinName(v as PersonName);
    case 'address':
      return joinAddress(v as AddressParts);
  }
}

/** A def's canonical value: its own form when it has one, else its type's. */
export function canonOf(def: FieldDef, v: unknown, env: TransformEnv): Canon {
  return def.canon ? def.canon(v, env) : canonical(def.type, v, env);
}

const EMPTY_ADDRESS: AddressParts = {
  line1: null,
  line2: null,
  city: null,
  state: null,
  postcode: null,
  country: null,
};

const REGION_NAMES = (() => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' });
  } catch {
    return undefined;
  }
})();
const loose = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
/** Country names (English, as Intl names them) → ISO 3166 alpha-2 codes, plus the names people often type instead. */
const CODE_OF_NAME = (() => {
  const m = new Map<string, string>();
  for (const code of getCountries()) {
    const name = REGION_NAMES?.of(code);
    if (name && name !== code) m.set(loose(name), code);
  }
  for (const [name, code] of [
    ['usa', 'US'],
    ['unitedstatesofamerica', 'US'],
    ['uk', 'GB'],
    ['greatbritain', 'GB'],
    ['england', 'GB'],
    ['aotearoa', 'NZ'],
  ] as const)
    m.set(name, code);
  return m;
})();
const CODES = new Set<string>(getCountries());

/**
 * A country as its ISO 3166 alpha-2 code, the canonical form (main/sync/fields/README.md, "Addresses"): HighLevel holds
 * "AU", AroFlo "Australia". A name that is no known country is kept as typed.
 */
export function countryCode(v: unknown): Canon {
  const s = text(v);
  if (!s) return null;
  if (/^[A-Za-z]{2}$/.test(s) && CODES.has(s.toUpperCase())) return s.toUpperCase();
  return CODE_OF_NAME.get(loose(s)) ?? s;
}

/** A country code as AroFlo holds it: the English name ("AU" → "Australia"); anything else as it is. */
export function countryName(v: unknown): string | null {
  const s = text(v);
  if (!s) return null;
  return /^[A-Z]{2}$/.test(s) && CODES.has(s) ? (REGION_NAMES?.of(s) ?? s) : s;
}

/** The street as one line: line 1 and line 2 joined with ", " (HighLevel has one street line). */
export function streetLine(a: Pick<Partial<AddressParts>, 'line1' | 'line2'>): string | null {
  return text([text(a.line1), text(a.line2)].filter(Boolean).join(', '));
}

/**
 * An address as one multi-line text: the street (line 1 and line 2 on one line, as HighLevel holds it), "suburb,
 * state, postcode", the country as its code — empty lines left out (main/sync/fields/README.md, "Addresses").
 */
export function joinAddress(a: Partial<AddressParts> | null | undefined): Canon {
  if (!a) return null;
  const locality = [text(a.city), text(a.state), text(a.postcode)].filter(Boolean).join(', ');
  return text([streetLine(a), locality, countryCode(a.country)].filter(Boolean).join('\n'));
}

/**
 * A multi-line address into its parts, keeping line order (so joinAddress gives the same text back): 1 line = street;
 * 2 = street + locality; 3 = street + locality + country when the last line has no digit and no comma, else street
 * + line 2 + locality; 4 = all; more = the extra lines stay in line 2 (`sure` is then false).
 */
export function splitAddress(v: Canon): { parts: AddressParts; sure: boolean } {
  const lines = (text(v) ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const a: AddressParts = { ...EMPTY_ADDRESS };
  if (!lines.length) return { parts: a, sure: true };
  a.line1 = lines[0]!;
  const sure = lines.length <= 4;
  let locality: string | undefined;
  if (lines.length === 2) locality = lines[1];
  else if (lines.length === 3) {
    const last = lines[2]!;
    if (!/[\d,]/.test(last)) [locality, a.country] = [lines[1], last];
    else [a.line2, locality] = [lines[1]!, last];
  } else if (lines.length >= 4) {
    a.line2 = lines.slice(1, -2).join('\n');
    [locality, a.country] = [lines.at(-2), lines.at(-1)!];
  }
  if (locality) Object.assign(a, splitLocality(locality));
  return { parts: a, sure };
}

function splitLocality(line: string): Pick<AddressParts, 'city' | 'state' | 'postcode'> {
  const parts = line.split(',').map((x) => x.trim());
  if (parts.length >= 3)
    return { city: parts[0] || null, state: parts[1] || null, postcode: parts.slice(2).join(', ') || null };
  if (parts.length === 2)
    return /\d/.test(parts[1]!)
      ? { city: parts[0] || null, state: null, postcode: parts[1] || null }
      : { city: parts[0] || null, state: parts[1] || null, postcode: null };
  return { city: line, state: null, postcode: null };
}
