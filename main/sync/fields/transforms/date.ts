/**
 * Dates and date-times in the business's time zone (env.timeZone: the mapping's timeZone, else the HighLevel location's,
 * else the machine's — main/sync/fields/README.md, "Dates"). Intl only, no date library.
 * - 'date': the canonical value is a day (YYYY-MM-DD). A date-time is read as the day it falls on in the business's
 *   zone; a day is written into a date-time as 09:00 that day in that zone.
 * - 'datetime': the canonical value is an ISO 8601 UTC instant. A zone-less time (AroFlo's site-local times) is read
 *   in the business's zone; a date-time written into a text field is the wall-clock time there.
 */
import { canonInstant, day, dayIn, text, zoneParts, zonedToUtc } from '../canonical.js';
import type { Transform, TransformResult } from '../types.js';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayOf(v: unknown, type: string, timeZone: string): TransformResult {
  const s = typeof v === 'number' ? v : text(v);
  if (s === null) return { value: null };
  if (type === 'datetime' || (typeof s === 'string' && /\d[T ]\d/.test(s))) {
    const instant = canonInstant(s, timeZone);
    const ms = instant ? Date.parse(instant) : NaN;
    if (Number.isFinite(ms)) return { value: dayIn(ms, timeZone) };
  }
  const d = day(s);
  return d ? { value: d } : { value: String(s), warning: `"${String(s)}" is not a date: kept as typed` };
}

function nineAm(d: string, timeZone: string): string {
  const m = DAY.exec(d)!;
  return new Date(zonedToUtc(+m[1]!, +m[2]!, +m[3]!, 9, 0, 0, timeZone)).toISOString();
}

export const date: Transform = {
  id: 'date',
  label: 'Date (business time zone)',
  accepts: [
    ['date', 'date'],
    ['datetime', 'date'],
    ['date', 'datetime'],
    ['datetime', 'datetime'],
    ['date', 'text'],
    ['text', 'date'],
  ],
  toCanon: (v, _side, def, _fm, env) => dayOf(v, def.type, env.timeZone),
  fromCanon(c, _side, def, _fm, env) {
    if (c === null) return null;
    return def.type === 'datetime' && DAY.test(c) ? nineAm(c, env.timeZone) : c;
  },
};

/** Wall-clock time in `timeZone` as "YYYY-MM-DDTHH:mm:ss" (what a zone-less text field holds). */
function localText(iso: string, timeZone: string): string {
  const p = zoneParts(Date.parse(iso), timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
}

export const datetime: Transform = {
  id: 'datetime',
  label: 'Date and time (business time zone)',
  accepts: [
    ['datetime', 'datetime'],
    ['datetime', 'text'],
    ['text', 'datetime'],
  ],
  toCanon(v, _side, _def, _fm, env) {
    const value = canonInstant(v, env.timeZone);
    if (value === null || Number.isFinite(Date.parse(value))) return { value };
    return { value, warning: `"${value}" is not a date and time: kept as typed` };
  },
  fromCanon(c, _side, def, _fm, env) {
    if (c === null || !Number.isFinite(Date.parse(c))) return c;
    return def.type === 'text' ? localText(c, env.timeZone) : c;
  },
};
