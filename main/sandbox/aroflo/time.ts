/**
 * Date/time helpers for the AroFlo sandbox: the several formats AroFlo writes, site-local time (default
 * Australia/Melbourne) via a cached per-hour UTC offset, and parsing of `where` date values.
 */

const HOUR = 3_600_000;
export const DAY_MS = 86_400_000;

export interface Parts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
}

function partsOfShifted(ms: number): Parts {
  const dt = new Date(ms);
  return {
    y: dt.getUTCFullYear(),
    mo: dt.getUTCMonth() + 1,
    d: dt.getUTCDate(),
    h: dt.getUTCHours(),
    mi: dt.getUTCMinutes(),
    s: dt.getUTCSeconds(),
    ms: dt.getUTCMilliseconds(),
  };
}

/** A time zone, with its UTC offset cached per hour (offsets only change on whole hours in AU zones). */
export class SiteZone {
  private readonly fmt: Intl.DateTimeFormat | undefined;
  private readonly cache = new Map<number, number>();

  constructor(readonly name: string) {
    this.fmt =
      name === 'UTC'
        ? undefined
        : new Intl.DateTimeFormat('en-US', {
            timeZone: name,
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
          });
  }

  /** Local time minus UTC, in ms, at the instant `ms`. */
  offset(ms: number): number {
    if (!this.fmt) return 0;
    const hour = Math.floor(ms / HOUR);
    const hit = this.cache.get(hour);
    if (hit !== undefined) return hit;
    const at = hour * HOUR;
    const p: Record<string, number> = {};
    for (const part of this.fmt.formatToParts(new Date(at)))
      if (part.type !== 'literal') p[part.type] = Number(part.value);
    const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!);
    const off = asUtc - at;
    if (this.cache.size > 20_000) this.cache.clear();
    this.cache.set(hour, off);
    return off;
  }

  parts(ms: number): Parts {
    return partsOfShifted(ms + this.offset(ms));
  }

  /** The UTC instant of a local wall-clock time. */
  toUtc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, msec = 0): number {
    const wall = Date.UTC(y, mo - 1, d, h, mi, s, msec);
    let guess = wall - this.offset(wall);
    guess = wall - this.offset(guess);
    return guess;
  }

  /** "YYYY-MM-DD" of the local day containing `ms`. */
  dayKey(ms: number): string {
    const p = this.parts(ms);
    return `${p.y}-${pad(p.mo)}-${pad(p.d)}`;
  }

  /** Milliseconds since local midnight. */
  sinceMidnight(ms: number): number {
    const p = this.parts(ms);
    return ((p.h * 60 + p.mi) * 60 + p.s) * 1000 + p.ms;
  }

  /** UTC instant of local midnight starting the day "YYYY-MM-DD" (or the day after, with `plusDays`). */
  startOfDay(dayKey: string, plusDays = 0): number {
    const [y, mo, d] = dayKey.split('-').map(Number) as [number, number, number];
    const base = new Date(Date.UTC(y, mo - 1, d + plusDays));
    return this.toUtc(base.getUTCFullYear(), base.getUTCMonth() + 1, base.getUTCDate());
  }
}

export const UTC_ZONE = new SiteZone('UTC');

export function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** "YYYY/MM/DD" */
export function slashDate(p: Parts): string {
  return `${p.y}/${pad(p.mo)}/${pad(p.d)}`;
}

/** "YYYY/MM/DD HH:mm:ss" */
export function slashDateTime(p: Parts): string {
  return `${slashDate(p)} ${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}`;
}

/** Client dates look like "2018-06-21 10:59:01.8" (tenths of a second). */
export function dashDateTimeTenth(p: Parts): string {
  return `${p.y}-${pad(p.mo)}-${pad(p.d)} ${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}.${Math.floor(p.ms / 100)}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Task note `timeposted`: "Nov 14, 2018 2:56:20 PM". */
export function timePosted(p: Parts): string {
  const h12 = p.h % 12 === 0 ? 12 : p.h % 12;
  return `${MONTHS[p.mo - 1]} ${p.d}, ${p.y} ${h12}:${pad(p.mi)}:${pad(p.s)} ${p.h < 12 ? 'AM' : 'PM'}`;
}

/**
 * A date value as written in a `where` clause: "YYYY-MM-DD", "YYYY/MM/DD", either with " HH:mm[:ss[.fff]]",
 * or an ISO string with "T" (and optional "Z", which forces UTC). Interpreted in `zone` unless it ends in Z.
 */
export function parseWhereDate(
  value: string,
  zone: SiteZone,
): { ms: number; dayKey: string; dateOnly: boolean } | undefined {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z)?$/.exec(
    value.trim(),
  );
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCMonth() !== mo - 1) return undefined;
  const dateOnly = m[4] === undefined;
  const h = Number(m[4] ?? 0);
  const mi = Number(m[5] ?? 0);
  const s = Number(m[6] ?? 0);
  const frac = Number((m[7] ?? '0').padEnd(3, '0'));
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const z = m[8] ? UTC_ZONE : zone;
  const ms = z.toUtc(y, mo, d, h, mi, s, frac);
  return { ms, dayKey: `${y}-${pad(mo)}-${pad(d)}`, dateOnly };
}

/** A task due date as posted: "YYYY-MM-DD" (also "YYYY/MM/DD"); returns "YYYY-MM-DD" or undefined. */
export function parseDueDate(value: string): string | undefined {
  const m = /^(\d{4})[-/](\d{2})[-/](\d{2})$/.exec(value.trim());
  if (!m) return undefined;
  const dt = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (dt.getUTCDate() !== Number(m[3]) || dt.getUTCMonth() !== Number(m[2]) - 1) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}`;
}
