/**
 * AroFlo's loose value shapes, turned into plain typed values (README "Facts: envelope", "Facts: incremental polling"):
 * booleans as "true"/"TRUE"/"1", numbers as strings, empty dates as " ", and several date formats.
 *
 * Dates: fields whose name ends in `utc` are UTC and become ISO-8601 with "Z". Fields AroFlo fills in the site's
 * local time (`requestdatetime`, `timeposted`, `datetimeposted`, `dateinserted`, …) have no zone information, so
 * they become `YYYY-MM-DDTHH:mm:ss` **without** a zone — "as given, site-local" — and are never compared with UTC.
 */

/** "true"/"TRUE"/"1"/1/true → true; "false"/"FALSE"/"0"/0/""/" "/undefined → false; anything else → undefined. */
export function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === undefined || v === null) return false;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if (s === 'true' || s === '1' || s === 'yes') return true;
  if (s === 'false' || s === '0' || s === 'no' || s === '') return false;
  return undefined;
}

/** "500" / 500 → 500; "" / " " / undefined → undefined; garbage → NaN (callers treat as malformed). */
export function toNum(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (!v.trim()) return undefined;
    return Number(v.trim());
  }
  return Number.NaN;
}

/** A text field: trimmed; empty or whitespace-only becomes undefined. Numbers (ids like jobnumber) become strings. */
export function toText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t ? t : undefined;
}

const pad = (n: number): string => String(n).padStart(2, '0');

interface Parts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
  /** Offset in minutes when the text carried one ("Z" = 0). */
  offset?: number;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/** Recognise the formats AroFlo uses; undefined for empty; null for text that is not a date. */
function parts(v: unknown): Parts | undefined | null {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return null;
  const s = v.trim();
  if (!s) return undefined;
  // 2022/07/18 03:47:30 · 2018-06-21 10:59:01.8 · 2024-05-13T23:14:15.000Z · 2020/11/01 · 2020-11-01
  let m =
    /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(
      s,
    );
  if (m) {
    let offset: number | undefined;
    if (m[8]) {
      if (m[8].toUpperCase() === 'Z') offset = 0;
      else {
        const sign = m[8].startsWith('-') ? -1 : 1;
        const digits = m[8].slice(1).replace(':', '');
        offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
      }
    }
    return {
      y: Number(m[1]),
      mo: Number(m[2]),
      d: Number(m[3]),
      h: Number(m[4] ?? 0),
      mi: Number(m[5] ?? 0),
      s: Number(m[6] ?? 0),
      ms: m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0,
      offset,
    };
  }
  // Nov 14, 2018 2:56:20 PM (task note timeposted, site-local)
  m = /^([A-Za-z]{3})[a-z]*\.? (\d{1,2}), (\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))? ?([AP]M))?$/i.exec(s);
  if (m) {
    const mo = MONTHS[(m[1] ?? '').toLowerCase()];
    if (!mo) return null;
    let h = Number(m[4] ?? 0);
    const ap = (m[7] ?? '').toUpperCase();
    if (ap === 'PM' && h < 12) h += 12;
    if (ap === 'AM' && h === 12) h = 0;
    return { y: Number(m[3]), mo, d: Number(m[2]), h, mi: Number(m[5] ?? 0), s: Number(m[6] ?? 0), ms: 0 };
  }
  return null;
}

function valid(p: Parts): boolean {
  if (p.mo < 1 || p.mo > 12 || p.d < 1 || p.h > 23 || p.mi > 59 || p.s > 59) return false;
  const t = new Date(Date.UTC(p.y, p.mo - 1, p.d));
  return t.getUTCDate() === p.d && t.getUTCMonth() === p.mo - 1;
}

/**
 * A UTC field (`lastupdatedutc`, `lastupdateutc`, `created_utc`, …) as ISO-8601 UTC, e.g. "2022-07-18T03:47:30.000Z".
 * undefined for an empty value; null when the text is not a date.
 */
export function parseUtc(v: unknown): string | undefined | null {
  const p = parts(v);
  if (!p) return p;
  if (!valid(p)) return null;
  const ms = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s, p.ms) - (p.offset ?? 0) * 60_000;
  return new Date(ms).toISOString();
}

/** A date-only field (`duedate`, `dateposted`) as "YYYY-MM-DD". undefined for empty; null for garbage. */
export function parseDateOnly(v: unknown): string | undefined | null {
  const p = parts(v);
  if (!p) return p;
  if (!valid(p)) return null;
  return `${p.y}-${pad(p.mo)}-${pad(p.d)}`;
}

/**
 * A site-local date-time (`requestdatetime`, `timeposted`, `datetimeposted`, `datetimeinserted`) as
 * "YYYY-MM-DDTHH:mm:ss" with no zone: it is the wall-clock time at the AroFlo site, as given.
 */
export function parseLocal(v: unknown): string | undefined | null {
  const p = parts(v);
  if (!p) return p;
  if (!valid(p)) return null;
  return `${p.y}-${pad(p.mo)}-${pad(p.d)}T${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}`;
}

/** Lenient variants for fields nothing depends on: garbage becomes undefined instead of rejecting the record. */
export const lenient =
  <T>(f: (v: unknown) => T | undefined | null) =>
  (v: unknown): T | undefined =>
    f(v) ?? undefined;
