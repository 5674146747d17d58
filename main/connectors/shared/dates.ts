/**
 * Epoch milliseconds → ISO 8601, or null when the number is not a time a Date can hold (beyond ±8.64e15 ms, e.g.
 * 1e20, `toISOString` would throw a RangeError and fail a whole run over one bad field).
 */
export function isoFromMs(ms: number): string | null {
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) ? d.toISOString() : null;
}

export type ZoneParts = Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time of the instant `ms` in `timeZone` (an IANA zone; Intl only, DST included). */
export function zoneParts(ms: number, timeZone: string): ZoneParts {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const out: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(ms))) if (part.type !== 'literal') out[part.type] = Number(part.value);
  // Some Intl versions write midnight as 24 even in h23.
  out.hour = (out.hour ?? 0) % 24;
  return out as ZoneParts;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The calendar day (YYYY-MM-DD) an instant falls on in `timeZone`. */
export function dayIn(ms: number, timeZone: string): string {
  const p = zoneParts(ms, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/**
 * The UTC ms of a wall-clock time in `timeZone` (the zone's offset at that moment, DST included). Out-of-range parts
 * roll over as in Date.UTC (day 32 is the next month's first).
 */
export function zonedToUtc(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  timeZone: string,
): number {
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  let guess = asUtc - offsetMs(asUtc, timeZone);
  // Near a DST change the offset at the guess can differ from the offset at the wall time: one correction settles it.
  guess = asUtc - offsetMs(guess, timeZone);
  return guess;
}

/** Local time minus UTC at the instant `ms`, in ms. */
function offsetMs(ms: number, timeZone: string): number {
  const p = zoneParts(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}
