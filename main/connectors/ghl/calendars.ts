/**
 * HighLevel's calendars API (README "Calendars"): GET /calendars/?locationId= (scope `calendars.readonly`) lists a
 * location's calendars; GET /calendars/events (scope `calendars/events.readonly`) lists the events of one calendar
 * that fall in a time window (`startTime`/`endTime` in ms). Both need the `Version: 2021-04-15` header. Every event
 * carries its `contactId`, so a location's appointments are read a calendar and a window at a time instead of one
 * call per contact. No "updated since" filter, no documented paging, no documented longest window.
 */
import { z } from 'zod';
import type { GhlAppointment, GhlList } from './records.js';
import { envelopes, normalizeAppointment, rawAppointmentSchema, splitItems } from './schemas.js';
import type { GhlTransport } from './transport.js';

/** The `Version` header the calendars API documents (calendars.json: enum ["2021-04-15"]). */
export const GHL_CALENDARS_VERSION = '2021-04-15';

/**
 * Unverified — change here (README "Calendars"): the longest window one GET /calendars/events asks for. The spec
 * names no limit and no paging; a shorter window costs more calls, a longer one risks a refused or cut-short answer.
 */
export const GHL_CALENDAR_EVENTS = { windowMs: 90 * 86_400_000 } as const;

export interface GhlCalendar {
  id: string;
  name: string | null;
  isActive: boolean | null;
}

const rawCalendarSchema = z
  .object({ id: z.string().min(1), name: z.string().nullish(), isActive: z.boolean().nullish() })
  .loose();
const calendarsEnvelope = z.object({ calendars: z.array(z.unknown()) }).loose();

/** GET /calendars/?locationId=: the location's calendars. */
export async function listCalendars(t: GhlTransport, locationId: string): Promise<GhlList<GhlCalendar>> {
  const r = await t.request(
    {
      method: 'GET',
      path: '/calendars/',
      operation: 'GET /calendars/',
      searchParams: { locationId },
      version: GHL_CALENDARS_VERSION,
    },
    calendarsEnvelope,
  );
  return splitItems(r.calendars, rawCalendarSchema, (c) => ({
    id: c.id,
    name: c.name ?? null,
    isActive: c.isActive ?? null,
  }));
}

/** GET /calendars/events: one calendar's events starting in [startMs, endMs] (one call; the caller keeps it short). */
export async function listCalendarEvents(
  t: GhlTransport,
  locationId: string,
  p: { calendarId: string; startMs: number; endMs: number },
): Promise<GhlList<GhlAppointment>> {
  const r = await t.request(
    {
      method: 'GET',
      path: '/calendars/events',
      operation: 'GET /calendars/events',
      searchParams: {
        locationId,
        calendarId: p.calendarId,
        startTime: String(Math.floor(p.startMs)),
        endTime: String(Math.floor(p.endMs)),
      },
      version: GHL_CALENDARS_VERSION,
    },
    envelopes.events,
  );
  return splitItems(r.events, rawAppointmentSchema, normalizeAppointment);
}

/** The windows [start, end] (ms, ends included, never overlapping) that cover [fromMs, toMs] at `windowMs` each. */
export function eventWindows(
  fromMs: number,
  toMs: number,
  windowMs: number = GHL_CALENDAR_EVENTS.windowMs,
): Array<{ startMs: number; endMs: number }> {
  const out: Array<{ startMs: number; endMs: number }> = [];
  for (let s = Math.floor(fromMs); s <= toMs; s += windowMs)
    out.push({ startMs: s, endMs: Math.min(s + windowMs - 1, toMs) });
  return out;
}
