/**
 * GHL sandbox — the calendars API (main/sandbox/ghl/README.md "Calendars"): GET /calendars/?locationId= and
 * GET /calendars/events as calendars.json describes them: the location's calendars, each calendar's events with their
 * contactId in a time window (ms), the seeded appointments spread over the calendars, and the scopes
 * `calendars.readonly` / `calendars/events.readonly` checked like every other scope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALENDAR_EVENTS, SANDBOX_CALENDARS, calendarIds } from '../../main/sandbox/ghl/routes-calendars.js';
import { type Harness, startHarness } from './fixtures/ghl/harness.js';
import { oauthTokens } from './fixtures/ghl/oauth.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ contacts: 120 });
});
afterAll(async () => {
  await h.close();
});

const V = '2021-04-15';
type Ev = {
  id: string;
  calendarId: string;
  contactId: string;
  startTime: string;
  appointmentStatus: string;
  title: string;
};
const calendars = (o: { token?: string; loc?: string } = {}) =>
  h.get<{ calendars: Array<{ id: string; name: string; locationId: string }>; message?: unknown }>('/calendars/', {
    version: V,
    query: { locationId: o.loc ?? h.loc },
    ...(o.token ? { token: o.token } : {}),
  });
const events = (q: Record<string, string | number | undefined>, o: { token?: string } = {}) =>
  h.get<{ events: Ev[]; message?: unknown }>('/calendars/events', {
    version: V,
    query: { locationId: h.loc, ...q },
    ...(o.token ? { token: o.token } : {}),
  });

describe('GET /calendars/', () => {
  it("lists the location's calendars", async () => {
    const r = await calendars();
    expect(r.status).toBe(200);
    expect(r.body.calendars.map((c) => c.id)).toEqual(calendarIds(11, h.loc));
    expect(r.body.calendars.map((c) => c.name)).toEqual([...SANDBOX_CALENDARS]);
    for (const c of r.body.calendars) expect(c.locationId).toBe(h.loc);
    expect((await calendars({ loc: h.creds.otherLocationId })).status).toBe(403);
  });
});

describe('GET /calendars/events', () => {
  it('lists one calendar’s events starting in the window, each with its contactId, times in ISO with the offset', async () => {
    const [first, second] = (await calendars()).body.calendars.map((c) => c.id);
    const contact = h.sb.admin.listContacts()[3]!;
    const at = Date.UTC(2031, 4, 5, 0, 0, 0); // 10:00 in Melbourne (AEST, +10:00)
    const a = h.sb.admin.addAppointment(contact.id, { title: 'In', startTime: at, calendarId: second });
    const b = h.sb.admin.addAppointment(contact.id, {
      title: 'Later',
      startTime: at + 10 * 86_400_000,
      calendarId: second,
    });
    const c = h.sb.admin.addAppointment(contact.id, { title: 'Other calendar', startTime: at, calendarId: first });
    const d = h.sb.admin.addAppointment(contact.id, {
      title: 'Cancelled',
      startTime: at + 3_600_000,
      status: 'cancelled',
      calendarId: second,
    });
    const r = await events({ calendarId: second, startTime: at - 1, endTime: at + 86_400_000 });
    expect(r.status).toBe(200);
    expect(r.body.events.map((e) => e.id)).toEqual([a.id, d.id]);
    expect(r.body.events[0]).toMatchObject({
      id: a.id,
      calendarId: second,
      contactId: contact.id,
      locationId: h.loc,
      title: 'In',
      appointmentStatus: 'booked',
      startTime: '2031-05-05T10:00:00+10:00',
      endTime: '2031-05-05T11:00:00+10:00',
    });
    // A cancelled appointment stays listed with its status (unverified, README "Calendars").
    expect(r.body.events[1]!.appointmentStatus).toBe('cancelled');
    expect(r.body.events.map((e) => e.id)).not.toContain(b.id);
    expect(r.body.events.map((e) => e.id)).not.toContain(c.id);
    // Both ends are included.
    const edge = await events({ calendarId: second, startTime: at, endTime: at });
    expect(edge.body.events.map((e) => e.id)).toEqual([a.id]);
  });

  it('the seeded appointments are spread over the calendars, and every one is listed by exactly one calendar', async () => {
    const perContact = new Map<string, string>();
    for (const c of h.sb.admin.listContacts()) {
      const r = await h.get<{ events: Ev[] }>(`/contacts/${c.id}/appointments`);
      for (const e of r.body.events) if (e.title.startsWith('Site visit')) perContact.set(e.id, c.id);
    }
    expect(perContact.size).toBeGreaterThan(5);
    const seen = new Map<string, Ev>();
    const byCalendar = new Map<string, number>();
    const ids = (await calendars()).body.calendars.map((c) => c.id);
    const span = CALENDAR_EVENTS.maxSpanMs;
    for (const calendarId of ids)
      for (let t = Date.UTC(2000, 0, 1); t < Date.UTC(2040, 0, 1); t += span + 1) {
        const r = await events({ calendarId, startTime: t, endTime: t + span });
        expect(r.status).toBe(200);
        for (const e of r.body.events) {
          expect(seen.has(e.id)).toBe(false);
          seen.set(e.id, e);
          byCalendar.set(calendarId, (byCalendar.get(calendarId) ?? 0) + 1);
        }
      }
    for (const [id, contactId] of perContact) expect(seen.get(id)?.contactId).toBe(contactId);
    expect([...byCalendar.keys()].sort()).toEqual([...ids].sort());
  });

  it('answers 422 without a calendar, user or group, without times, or for a window longer than allowed', async () => {
    const cal = calendarIds(11, h.loc)[0]!;
    expect((await events({ startTime: 0, endTime: 1000 })).status).toBe(422);
    expect((await events({ calendarId: cal, endTime: 1000 })).status).toBe(422);
    expect((await events({ calendarId: cal, startTime: 'soon', endTime: 1000 })).status).toBe(422);
    expect((await events({ calendarId: cal, startTime: 0, endTime: CALENDAR_EVENTS.maxSpanMs + 1 })).status).toBe(422);
  });
});

describe('who may read calendars', () => {
  it('a token without the calendar scopes gets 401 "not authorized for this scope", each scope for its own endpoint', async () => {
    const cal = calendarIds(11, h.loc)[0]!;
    const q = { calendarId: cal, startTime: 0, endTime: 1000 };
    const none = await oauthTokens(h, { scope: 'contacts.readonly contacts.write locations/customFields.readonly' });
    for (const r of [await calendars({ token: none.access_token }), await events(q, { token: none.access_token })]) {
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ statusCode: 401, message: 'The token is not authorized for this scope.' });
    }
    const listOnly = await oauthTokens(h, { scope: 'contacts.readonly calendars.readonly' });
    expect((await calendars({ token: listOnly.access_token })).status).toBe(200);
    expect((await events(q, { token: listOnly.access_token })).status).toBe(401);
    const eventsOnly = await oauthTokens(h, { scope: 'contacts.readonly calendars/events.readonly' });
    expect((await events(q, { token: eventsOnly.access_token })).status).toBe(200);
    // The Private Integration token carries both.
    expect((await calendars()).status).toBe(200);
    expect((await events(q)).status).toBe(200);
  });
});
