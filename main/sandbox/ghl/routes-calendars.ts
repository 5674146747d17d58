/**
 * The calendars API (`calendars.json`): GET /calendars/?locationId= (scope `calendars.readonly`, operation
 * `get-calendars`, 200 `{calendars}`) and GET /calendars/events (scope `calendars/events.readonly`, operation
 * `get-calendar-events`, 200 `{events}`; `locationId`, one of `calendarId`/`userId`/`groupId`, `startTime`/`endTime`
 * in ms). A token without the scope gets the guard's 401 "The token is not authorized for this scope.", as for every
 * other scope. What the spec leaves open is decided in CALENDAR_EVENTS below and nowhere else (README "Calendars").
 */
import type { FastifyInstance } from 'fastify';
import { type GhlContext, type GuardConfig, assertLocation, principalOf, q, send } from './context.js';
import { unprocessable } from './errors.js';
import { id20 } from './ids.js';
import type { EventRec, LocationRec } from './records.js';
import { eventView, wallClock } from './render.js';

/** The spec's `security` for each operation (a write scope also lets a token read, as elsewhere in the sandbox). */
export const CALENDARS_READ = { scopes: ['calendars.readonly', 'calendars.write'] } satisfies GuardConfig;
export const CALENDAR_EVENTS_READ = {
  scopes: ['calendars/events.readonly', 'calendars/events.write'],
} satisfies GuardConfig;

/** Every location's calendars (names only; the first keeps the id appointments were always given). */
export const SANDBOX_CALENDARS = ['Site visits', 'Quotes', 'Service calls'] as const;

/** The calendar ids of a location, in SANDBOX_CALENDARS order. */
export function calendarIds(seed: number, locationId: string): string[] {
  return SANDBOX_CALENDARS.map((_, i) =>
    id20(seed, i === 0 ? `calendar:${locationId}` : `calendar:${locationId}:${i}`),
  );
}

/** Unverified — change here (README "Calendars"). */
export const CALENDAR_EVENTS = {
  /** An event is listed when it starts within [startTime, endTime] (both ends included; the spec says nothing). */
  inWindow: (e: EventRec, from: number, to: number): boolean => e.startTime >= from && e.startTime <= to,
  /** Largest span one call may ask for; wider → 422 (unverified: the spec names no limit). */
  maxSpanMs: 366 * 86_400_000,
  // Cancelled events stay listed, with appointmentStatus 'cancelled' (as the per-contact list keeps them); no paging:
  // every event of the window in one answer, in start order.
} as const;

/** "2023-09-25T16:00:00+05:30": the instant in the location's zone with its offset, as the spec's example shows. */
export function isoWithOffset(ms: number, timeZone: string): string {
  const wall = wallClock(ms, timeZone);
  const asUtc = Date.parse(`${wall.replace(' ', 'T')}Z`);
  const off = Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${wall.replace(' ', 'T')}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

function calendarView(seed: number, loc: LocationRec, i: number): Record<string, unknown> {
  return {
    id: calendarIds(seed, loc.id)[i],
    locationId: loc.id,
    name: SANDBOX_CALENDARS[i],
    description: '',
    isActive: true,
    calendarType: 'event',
    eventType: 'RoundRobin_OptimizeForAvailability',
    teamMembers: loc.userIds.map((userId) => ({ userId, priority: 0.5, isPrimary: true })),
    slotDuration: 60,
    slotDurationUnit: 'mins',
  };
}

export function calendarRoutes(app: FastifyInstance, ctx: GhlContext): void {
  const { store } = ctx;
  const seed = ctx.opts.seed;

  // The spec's path is `/calendars/`; the server ignores a trailing slash, so `/calendars` is the same route.
  app.get('/calendars/', { config: { guard: CALENDARS_READ } }, async (request, reply) => {
    const locationId = q(request, 'locationId');
    if (!locationId) throw unprocessable(['locationId should not be empty', 'locationId must be a string']);
    assertLocation(request, locationId);
    const loc = store.location(locationId)!;
    return send(reply, 200, { calendars: SANDBOX_CALENDARS.map((_, i) => calendarView(seed, loc, i)) });
  });

  app.get('/calendars/events', { config: { guard: CALENDAR_EVENTS_READ } }, async (request, reply) => {
    const errors: string[] = [];
    const locationId = q(request, 'locationId');
    if (!locationId) errors.push('locationId should not be empty');
    const calendarId = q(request, 'calendarId');
    const userId = q(request, 'userId');
    const groupId = q(request, 'groupId');
    if (!calendarId && !userId && !groupId) errors.push('Either of calendarId, userId or groupId is required');
    const ms = (name: string): number | undefined => {
      const v = q(request, name);
      if (v === undefined || v === '') errors.push(`${name} should not be empty`);
      else if (!/^\d+$/.test(v)) errors.push(`${name} must be a number string (milliseconds)`);
      else return Number(v);
      return undefined;
    };
    const from = ms('startTime');
    const to = ms('endTime');
    if (from !== undefined && to !== undefined) {
      if (to < from) errors.push('endTime must not be before startTime');
      else if (to - from > CALENDAR_EVENTS.maxSpanMs)
        errors.push(`the time range must not be longer than ${CALENDAR_EVENTS.maxSpanMs / 86_400_000} days`);
    }
    if (errors.length) throw unprocessable(errors);
    assertLocation(request, locationId!);
    const loc = store.location(principalOf(request).locationId)!;
    const out: EventRec[] = [];
    for (const list of store.events.values())
      for (const e of list) {
        if (e.locationId !== loc.id || !CALENDAR_EVENTS.inWindow(e, from!, to!)) continue;
        if (calendarId && e.calendarId !== calendarId) continue;
        if (userId && e.assignedUserId !== userId && !e.users.includes(userId)) continue;
        // The sandbox's calendars belong to no group: a groupId lists nothing.
        if (groupId && !calendarId && !userId) continue;
        out.push(e);
      }
    out.sort((a, b) => a.startTime - b.startTime || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const tz = loc.timezone;
    return send(reply, 200, {
      events: out.map((e) => {
        // The calendar event shape (CalendarEventDTO): times as ISO with the location's offset; no `status` field.
        const { status: _status, ...v } = eventView(e, tz);
        return {
          ...v,
          startTime: isoWithOffset(e.startTime, tz),
          endTime: isoWithOffset(e.endTime, tz),
          dateAdded: isoWithOffset(e.dateAdded, tz),
          dateUpdated: isoWithOffset(e.dateUpdated, tz),
          groupId: '',
          description: e.notes ?? '',
          isRecurring: false,
        };
      }),
    });
  });
}
