/**
 * Appointments read through HighLevel's calendars API, over real HTTP against the three sandboxes
 * (main/sync/README.md, "Appointments to notes"; main/connectors/ghl/README.md, "Calendars"): a full read costs the
 * calendar list and each calendar's windows, not a call per contact; every incremental run lists the events from a
 * day back, so a new appointment on a contact nothing else changed on becomes a note on the next sync; a reschedule
 * and a cancel still edit the same note; a sign-in without `calendars/events.readonly` reads per contact and the
 * Connections screen says so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { eventWindows } from '../../main/connectors/ghl/index.js';
import { PRIVATE_TOKEN_SCOPES } from '../../main/sandbox/ghl/options.js';
import { SANDBOX_CALENDARS, calendarIds } from '../../main/sandbox/ghl/routes-calendars.js';
import { APPOINTMENTS_PER_CONTACT } from '../../main/service/connections.js';
import { APPOINTMENT_WINDOW } from '../../main/sync/rules/appointment-notes.js';
import { startBed, writesOf, type Bed } from '../support/harness.js';

const DAY = 86_400_000;
/** An instant `days` from now, to the minute: an appointment that is current whenever the test runs. */
const inDays = (days: number) => new Date(Math.floor((Date.now() + days * DAY) / 60_000) * 60_000).toISOString();

const CALENDARS = 'GET /calendars/';
const EVENTS = 'GET /calendars/events';
const PER_CONTACT = 'GET /contacts/:contactId/appointments';
const calls = (b: Bed, endpoint: string) => b.boxes.ghl.stats().byEndpoint[endpoint] ?? 0;
const counts = (b: Bed) => ({
  calendars: calls(b, CALENDARS),
  events: calls(b, EVENTS),
  perContact: calls(b, PER_CONTACT),
});
const delta = (b: Bed, before: ReturnType<typeof counts>) => {
  const now = counts(b);
  return {
    calendars: now.calendars - before.calendars,
    events: now.events - before.events,
    perContact: now.perContact - before.perContact,
  };
};

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

/** A HighLevel contact that is an Aimfox lead and a residential AroFlo client. */
function leadOfResidentialClient(b: Bed): { ghlId: string; clientId: string; leadId: string } {
  const store = b.svc.sync.store;
  for (const l of store.links.active('ghl-aimfox', 'lead')) {
    const a = store.links.byGhl('ghl-aroflo', 'contact', l.ghl_id!);
    if (a?.other_id?.startsWith('client:'))
      return { ghlId: l.ghl_id!, clientId: a.other_id.slice('client:'.length), leadId: l.other_id! };
  }
  throw new Error('the seed has no lead that is a residential AroFlo client');
}

const arofloNotes = (b: Bed, clientId: string, appointmentId: string) =>
  (b.boxes.aroflo.admin.listClientNotes({ clientid: clientId }) as Array<{ content: string }>)
    .map((n) => n.content)
    .filter((c) => c.includes(`HighLevel appointment ${appointmentId}`));
const aimfoxNotes = (b: Bed, leadId: string, appointmentId: string) =>
  (b.boxes.aimfox.admin.getLead(leadId)!.notes ?? [])
    .map((n: { text: string }) => n.text)
    .filter((t: string) => t.includes(`HighLevel appointment ${appointmentId}`));

/** The windows one calendar's read takes over a span (the client's own split, GHL_CALENDAR_EVENTS). */
const windowsOver = (spanMs: number) => eventWindows(0, spanMs).length;

describe('appointments through the calendars API', () => {
  it('a full read costs the calendar list and each calendar’s windows, not a call per contact', async () => {
    bed = await startBed({ contacts: 100 });
    const before = counts(bed);
    const r = await bed.run({ full: true });
    expect(r.summary.status).toBe('ok');
    const linked = bed.svc.sync.store.links.active('ghl-aroflo', 'contact').length;
    expect(linked).toBeGreaterThan(80);
    // Both pairs share one read: 1 calendar list + calendars × windows over a year back and a year ahead. The only
    // per-contact lists are the activity feed's, outside sync (at most 20 a run: Connections.collectActivity).
    const d = delta(bed, before);
    expect({ calendars: d.calendars, events: d.events }).toEqual({
      calendars: 1,
      events: SANDBOX_CALENDARS.length * windowsOver(APPOINTMENT_WINDOW.pastMs + APPOINTMENT_WINDOW.aheadMs),
    });
    expect(d.perContact).toBeLessThanOrEqual(20);
    // An idle incremental run reads the calendars from a day back to `recentAheadMs` ahead (one window each), and no
    // contact's list.
    await bed.run();
    const idle0 = counts(bed);
    expect(writesOf((await bed.run()).summary)).toBe(0);
    expect(delta(bed, idle0)).toEqual({
      calendars: 1,
      events: SANDBOX_CALENDARS.length * windowsOver(APPOINTMENT_WINDOW.recentMs + APPOINTMENT_WINDOW.recentAheadMs),
      perContact: 0,
    });
  });

  it('a new appointment on an unchanged contact is a note after the next incremental sync; reschedule and cancel edit it', async () => {
    bed = await startBed({ contacts: 40 });
    await bed.run({ full: true });
    await bed.run();
    await bed.run();
    const { ghlId, clientId, leadId } = leadOfResidentialClient(bed);
    const calendarId = calendarIds(11, bed.boxes.ghl.credentials.locationId)[2]!;
    const ev = bed.boxes.ghl.admin.addAppointment(ghlId, {
      title: 'Boiler service',
      startTime: inDays(3),
      endTime: inDays(3 + 1 / 24),
      status: 'confirmed',
      calendarId,
    });
    // The contact itself did not change: only the calendar read can find it.
    const before = counts(bed);
    const r1 = await bed.run();
    expect(r1.summary.status).toBe('ok');
    expect(r1.summary.created.appointment).toBe(2);
    expect(delta(bed, before).perContact).toBe(0);
    for (const notes of [arofloNotes(bed, clientId, ev.id), aimfoxNotes(bed, leadId, ev.id)]) {
      expect(notes).toHaveLength(1);
      expect(notes[0]).toContain('Appointment: Boiler service');
      expect(notes[0]).toContain('Status: confirmed');
    }
    const firstText = arofloNotes(bed, clientId, ev.id)[0]!;

    bed.boxes.ghl.admin.updateAppointment(ghlId, ev.id, { startTime: inDays(4) });
    const r2 = await bed.run();
    expect(r2.summary.updated.appointment).toBe(2);
    expect(r2.summary.created.appointment ?? 0).toBe(0);
    const moved = arofloNotes(bed, clientId, ev.id);
    expect(moved).toHaveLength(1);
    expect(moved[0]).not.toBe(firstText);

    bed.boxes.ghl.admin.updateAppointment(ghlId, ev.id, { status: 'cancelled' });
    await bed.run();
    for (const notes of [arofloNotes(bed, clientId, ev.id), aimfoxNotes(bed, leadId, ev.id)]) {
      expect(notes).toHaveLength(1);
      expect(notes[0]).toContain('Status: cancelled');
    }
    // Nothing changed since: an incremental and a full run write nothing (the same text on either path).
    expect(writesOf((await bed.run()).summary)).toBe(0);
    expect(writesOf((await bed.run({ full: true })).summary)).toBe(0);
  });

  it('without calendars/events.readonly: appointments are read per contact, still written, and the connection says so', async () => {
    bed = await startBed({ contacts: 30, enable: false });
    bed.boxes.ghl.admin.setPrivateTokenScopes(PRIVATE_TOKEN_SCOPES.filter((s) => s !== 'calendars/events.readonly'));
    for (const pair of ['ghl-aroflo', 'ghl-aimfox'] as const) {
      await bed.svc.api.previewMapping({ pair });
      await bed.svc.api.setSyncEnabled({ pair, enabled: true });
    }
    await bed.run({ full: true });
    const { ghlId, clientId } = leadOfResidentialClient(bed);
    const ev = bed.boxes.ghl.admin.addAppointment(ghlId, { title: 'Quote visit', startTime: inDays(2) });
    const before = counts(bed);
    const r = await bed.run({ full: true });
    expect(r.summary.errors).toBe(0);
    expect(arofloNotes(bed, clientId, ev.id)).toHaveLength(1);
    const d = delta(bed, before);
    expect(d.perContact).toBeGreaterThan(0);
    // Refused once, then never asked again for the client's lifetime.
    expect(d.events).toBe(0);
    const listed = (await bed.svc.api.getConnections()).find((c) => c.system === 'ghl')!;
    expect(listed.notices).toContain(APPOINTMENTS_PER_CONTACT);
  });

  it('with the calendar scopes: the connection shows no appointment notice', async () => {
    bed = await startBed({ contacts: 10 });
    await bed.run({ full: true });
    const listed = (await bed.svc.api.getConnections()).find((c) => c.system === 'ghl')!;
    expect(listed.notices ?? []).not.toContain(APPOINTMENTS_PER_CONTACT);
  });
});
