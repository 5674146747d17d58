/**
 * HighLevel appointments become notes on the linked AroFlo client and Aimfox lead, over real HTTP against the three
 * sandboxes (main/sync/README.md, "Appointments to notes"): created, rescheduled and cancelled, always the same note,
 * nothing written twice, nothing written when the pair's setting is off.
 *
 * These run on a sign-in without the calendar scopes: appointments read one contact at a time, the path an install
 * that never granted `calendars/events.readonly` takes (the calendar path: appointments-calendar.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PRIVATE_TOKEN_SCOPES } from '../../main/sandbox/ghl/options.js';
import { startBed as startAnyBed, writesOf, type Bed } from '../support/harness.js';

/** A bed whose HighLevel token lacks the calendar scopes (ticked off in HighLevel's Private Integration settings). */
async function startBed(o: Parameters<typeof startAnyBed>[0]): Promise<Bed> {
  const b = await startAnyBed(o);
  b.boxes.ghl.admin.setPrivateTokenScopes(PRIVATE_TOKEN_SCOPES.filter((s) => !s.startsWith('calendars')));
  return b;
}

const DAY = 86_400_000;
/** An instant `days` from now (negative: past), to the minute: appointments are current or long over whenever the test runs. */
const inDays = (days: number) => new Date(Math.floor((Date.now() + days * DAY) / 60_000) * 60_000).toISOString();

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

/** A HighLevel contact that is an Aimfox lead and a residential AroFlo client. */
function leadOfResidentialClient(
  b: Bed,
  o: { noAppointments?: boolean } = {},
): { ghlId: string; clientId: string; leadId: string } {
  const store = b.svc.sync.store;
  // People whose seeded appointments already have a note (links.active lists in no set order, so the first such
  // person may have some).
  const withAppointments = new Set(store.links.active('ghl-aroflo', 'appointment').map((l) => l.ghl_parent));
  for (const l of store.links.active('ghl-aimfox', 'lead')) {
    const a = store.links.byGhl('ghl-aroflo', 'contact', l.ghl_id!);
    if (o.noAppointments && withAppointments.has(l.ghl_id)) continue;
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

const ghlNotesWith = (b: Bed, ghlId: string, s: string) =>
  b.boxes.ghl.admin.listNotes(ghlId).filter((n: { body: string }) => n.body.includes(s));

async function setAppointmentNotes(b: Bed, enabled: boolean) {
  for (const pair of ['ghl-aroflo', 'ghl-aimfox'] as const) {
    const m = structuredClone((await b.svc.api.getMappings()).find((x) => x.pair === pair)!);
    m.appointmentNotes = { enabled };
    await b.svc.api.saveMapping({ mapping: m });
    await b.svc.api.previewMapping({ pair });
    await b.svc.api.setSyncEnabled({ pair, enabled: true });
  }
}

describe('appointments to notes', () => {
  it('an appointment becomes one note on the AroFlo client and the Aimfox lead, kept up to date on reschedule and cancel', async () => {
    bed = await startBed({ contacts: 40 });
    await bed.run({ full: true });
    const { ghlId, clientId, leadId } = leadOfResidentialClient(bed);
    // 10:00–11:00 on Friday 11 December in Melbourne (the sandbox location's zone), written as an instant.
    const ev = bed.boxes.ghl.admin.addAppointment(ghlId, {
      title: 'Site inspection',
      startTime: '2037-12-10T23:00:00.000Z',
      endTime: '2037-12-11T00:00:00.000Z',
      status: 'confirmed',
    });
    // The contact itself did not change: the new appointment is found by the full re-read (README, "Appointments to notes").
    const r1 = await bed.run({ full: true });
    expect(r1.summary.status).toBe('ok');
    for (const notes of [arofloNotes(bed, clientId, ev.id), aimfoxNotes(bed, leadId, ev.id)]) {
      expect(notes).toHaveLength(1);
      expect(notes[0]).toContain('Appointment: Site inspection');
      expect(notes[0]).toContain('Fri, 11 Dec 2037, 10:00 – 11:00 (Australia/Melbourne)');
      expect(notes[0]).toContain('Status: confirmed');
      expect(notes[0]).toContain('not copied back');
    }
    // The note is not a person's note: it never comes back into HighLevel as a note.
    expect(
      bed.boxes.ghl.admin.listNotes(ghlId).filter((n: { body: string }) => n.body.includes('Site inspection')),
    ).toEqual([]);

    // Rescheduled an hour and a half later: the same notes change (an incremental run sees it).
    bed.boxes.ghl.admin.updateAppointment(ghlId, ev.id, { startTime: '2037-12-11T00:30:00.000Z' });
    const r2 = await bed.run();
    expect(r2.summary.updated.appointment).toBe(2);
    expect(r2.summary.created.appointment ?? 0).toBe(0);
    for (const notes of [arofloNotes(bed, clientId, ev.id), aimfoxNotes(bed, leadId, ev.id)]) {
      expect(notes).toHaveLength(1);
      expect(notes[0]).toContain('Fri, 11 Dec 2037, 11:30 – 12:30 (Australia/Melbourne)');
    }

    // Cancelled: the same notes say so.
    bed.boxes.ghl.admin.updateAppointment(ghlId, ev.id, { status: 'cancelled' });
    await bed.run();
    for (const notes of [arofloNotes(bed, clientId, ev.id), aimfoxNotes(bed, leadId, ev.id)]) {
      expect(notes).toHaveLength(1);
      expect(notes[0]).toContain('Status: cancelled');
    }

    // Nothing changed since: an incremental and a full run write nothing.
    expect(writesOf((await bed.run()).summary)).toBe(0);
    expect(writesOf((await bed.run({ full: true })).summary)).toBe(0);
    // Nor did the notes-to-tasks rule take it for a new AroFlo note.
    expect(
      bed.boxes.ghl.admin
        .listTasks(ghlId)
        .filter((t: { title: string; body?: string }) => `${t.title} ${t.body ?? ''}`.includes('Site inspection')),
    ).toEqual([]);
  });

  it('an edit made to the note in AroFlo is not carried back to HighLevel, and the next change of the appointment wins', async () => {
    bed = await startBed({ contacts: 40 });
    await bed.run({ full: true });
    const { ghlId, clientId } = leadOfResidentialClient(bed);
    const ev = bed.boxes.ghl.admin.addAppointment(ghlId, {
      title: 'Quote visit',
      startTime: '2037-12-14T22:00:00.000Z',
    });
    await bed.run({ full: true });
    const note = (
      bed.boxes.aroflo.admin.listClientNotes({ clientid: clientId }) as Array<{ noteid: string; content: string }>
    ).find((n) => n.content.includes(ev.id))!;
    bed.boxes.aroflo.admin.updateClientNote(note.noteid, { content: `${note.content}\nCall first` });
    const before = bed.boxes.ghl.admin.getContact(ghlId);
    await bed.run();
    expect(bed.boxes.ghl.admin.listNotes(ghlId).some((n: { body: string }) => n.body.includes('Call first'))).toBe(
      false,
    );
    expect(bed.boxes.ghl.admin.getContact(ghlId)).toEqual(before);
    bed.boxes.ghl.admin.updateAppointment(ghlId, ev.id, { status: 'cancelled' });
    await bed.run();
    const after = arofloNotes(bed, clientId, ev.id);
    expect(after).toHaveLength(1);
    expect(after[0]).toContain('Status: cancelled');
  });

  it('switched off for both pairs: an appointment writes nothing, and the preview plans nothing for it', async () => {
    bed = await startBed({ contacts: 40 });
    await setAppointmentNotes(bed, false);
    await bed.run({ full: true });
    const { ghlId, clientId, leadId } = leadOfResidentialClient(bed);
    const ev = bed.boxes.ghl.admin.addAppointment(ghlId, {
      title: 'Site inspection',
      startTime: '2037-12-10T23:00:00Z',
    });
    const preview = await bed.svc.api.previewMapping({ pair: 'ghl-aroflo' });
    expect(preview.items.filter((i) => i.entity === 'appointment')).toEqual([]);
    const r = await bed.run({ full: true });
    expect(r.summary.created.appointment ?? 0).toBe(0);
    expect(arofloNotes(bed, clientId, ev.id)).toEqual([]);
    expect(aimfoxNotes(bed, leadId, ev.id)).toEqual([]);
    expect(bed.svc.sync.store.links.active('ghl-aroflo', 'appointment')).toEqual([]);
  });

  it('switched on, the preview shows the notes the run writes', async () => {
    bed = await startBed({ contacts: 40 });
    await bed.run({ full: true });
    const { ghlId } = leadOfResidentialClient(bed);
    const ev = bed.boxes.ghl.admin.addAppointment(ghlId, { title: 'Measure up', startTime: '2037-12-10T23:00:00Z' });
    const preview = await bed.svc.api.previewMapping({ pair: 'ghl-aroflo' });
    const planned = preview.items.filter((i) => i.entity === 'appointment' && i.action === 'create');
    expect(planned.map((i) => i.target)).toEqual(['aroflo']);
    expect(planned[0]!.label).toContain('Measure up');
    const r = await bed.run({ full: true });
    expect(r.summary.created.appointment).toBe(2);
    expect(bed.svc.sync.store.links.byGhl('ghl-aroflo', 'appointment', ev.id)?.state).toBe('active');
    expect(bed.svc.sync.store.links.byGhl('ghl-aimfox', 'appointment', ev.id)?.state).toBe('active');
  });

  it('an appointment long over costs no HighLevel read on an incremental run; one that is still to come is re-read', async () => {
    bed = await startBed({ contacts: 40 });
    await bed.run({ full: true });
    await bed.run();
    const base = (await bed.run()).summary.requests.ghl;
    const contacts = bed.svc.sync.store.links
      .active('ghl-aroflo', 'contact')
      .filter((l) => l.other_id?.startsWith('client:'))
      .slice(0, 6);
    for (const l of contacts)
      bed.boxes.ghl.admin.addAppointment(l.ghl_id!, {
        title: 'Long over',
        startTime: inDays(-400),
        endTime: inDays(-400 + 1 / 24),
        status: 'showed',
      });
    const soon = bed.boxes.ghl.admin.addAppointment(contacts[0]!.ghl_id!, {
      title: 'Still to come',
      startTime: inDays(3),
      endTime: inDays(3 + 1 / 24),
    });
    const first = await bed.run({ full: true });
    expect(first.summary.created.appointment).toBeGreaterThanOrEqual(contacts.length + 1);
    await bed.run();
    // Idle: the long-over appointments' contacts are not read again; the one with an appointment to come is.
    const idle = (await bed.run()).summary;
    expect(idle.requests.ghl).toBe(base + 1);
    // That one is still followed: a reschedule reaches its note on an incremental run.
    bed.boxes.ghl.admin.updateAppointment(contacts[0]!.ghl_id!, soon.id, { status: 'cancelled' });
    const r = await bed.run();
    expect(r.summary.updated.appointment).toBeGreaterThanOrEqual(1);
  });

  it('a run whose HighLevel location read fails writes no appointment note (no note moves to another time zone)', async () => {
    bed = await startBed({ contacts: 40 });
    // The business's zone set in the mapping (Perth); the location's own zone is Melbourne.
    for (const pair of ['ghl-aroflo', 'ghl-aimfox'] as const) {
      const m = structuredClone((await bed.svc.api.getMappings()).find((x) => x.pair === pair)!);
      m.defaults = { ...m.defaults, phoneCountry: 'AU', timeZone: 'Australia/Perth' };
      await bed.svc.api.saveMapping({ mapping: m });
      await bed.svc.api.previewMapping({ pair });
      await bed.svc.api.setSyncEnabled({ pair, enabled: true });
    }
    await bed.run({ full: true });
    const { ghlId, clientId } = leadOfResidentialClient(bed);
    const ev = bed.boxes.ghl.admin.addAppointment(ghlId, {
      title: 'Zone visit',
      startTime: '2037-12-10T23:00:00.000Z',
      endTime: '2037-12-11T00:00:00.000Z',
    });
    await bed.run({ full: true });
    const note = () => arofloNotes(bed!, clientId, ev.id)[0];
    const before = note();
    expect(before).toContain('07:00 – 08:00 (Australia/Perth)');
    // HighLevel answers 500 to the location read for one run.
    bed.boxes.ghl.faults.set([
      { system: 'ghl', path: '/locations/', rate: 1, kinds: ['5xx'], seed: 1, latencyMs: 0, burst: 0 },
    ] as never);
    const r = await bed.run();
    bed.boxes.ghl.faults.clear();
    expect(r.summary.updated.appointment ?? 0).toBe(0);
    expect(note()).toBe(before);
    const next = await bed.run();
    expect(next.summary.updated.appointment ?? 0).toBe(0);
    expect(note()).toBe(before);
  });

  for (const pair of ['ghl-aroflo', 'ghl-aimfox'] as const)
    it(`${pair}: a crash between a note's create and its link leaves one note, never copied into HighLevel`, async () => {
      bed = await startBed({ contacts: 40 });
      await bed.run({ full: true });
      const { ghlId, clientId, leadId } = leadOfResidentialClient(bed);
      const ev = bed.boxes.ghl.admin.addAppointment(ghlId, { title: 'Crash visit', startTime: '2037-12-10T23:00:00Z' });
      expect(
        await bed.crashRun({ after: 1, when: (r) => r.pair === pair && r.entity === 'appointment' }, { full: true }),
      ).toBe('crashed');
      for (let i = 0; i < 3; i++) await bed.run({ full: i !== 1 });
      expect(arofloNotes(bed, clientId, ev.id)).toHaveLength(1);
      expect(aimfoxNotes(bed, leadId, ev.id)).toHaveLength(1);
      expect(ghlNotesWith(bed, ghlId, 'Crash visit')).toEqual([]);
    });

  it('switched off after notes were written: those notes are not copied into HighLevel as notes', async () => {
    bed = await startBed({ contacts: 40 });
    await bed.run({ full: true });
    const { ghlId, clientId } = leadOfResidentialClient(bed);
    const ev = bed.boxes.ghl.admin.addAppointment(ghlId, { title: 'Off later', startTime: '2037-12-10T23:00:00Z' });
    await bed.run({ full: true });
    expect(arofloNotes(bed, clientId, ev.id)).toHaveLength(1);
    await setAppointmentNotes(bed, false);
    await bed.run({ full: true });
    await bed.run({ full: true });
    expect(ghlNotesWith(bed, ghlId, 'Off later')).toEqual([]);
  });

  it('a crash left a note unlinked and the setting was then switched off: that note is not copied into HighLevel', async () => {
    bed = await startBed({ contacts: 40, noteToTask: true });
    await bed.run({ full: true });
    const { ghlId, clientId } = leadOfResidentialClient(bed);
    const ev = bed.boxes.ghl.admin.addAppointment(ghlId, { title: 'Orphan visit', startTime: '2037-12-10T23:00:00Z' });
    expect(
      await bed.crashRun(
        { after: 1, when: (r) => r.pair === 'ghl-aroflo' && r.entity === 'appointment' },
        { full: true },
      ),
    ).toBe('crashed');
    expect(arofloNotes(bed, clientId, ev.id)).toHaveLength(1);
    await setAppointmentNotes(bed, false);
    await bed.run({ full: true });
    await bed.run({ full: true });
    expect(ghlNotesWith(bed, ghlId, 'Orphan visit')).toEqual([]);
    // Nor did the notes-to-tasks rule take it for a person's new AroFlo note.
    expect(
      bed.boxes.ghl.admin
        .listTasks(ghlId)
        .filter((t: { title: string; body?: string }) => `${t.title} ${t.body ?? ''}`.includes('Orphan visit')),
    ).toEqual([]);
  });

  it('a contact linked to another AroFlo client since: its appointment note is written again on that client', async () => {
    bed = await startBed({ contacts: 40 });
    await bed.run({ full: true });
    const { ghlId, clientId } = leadOfResidentialClient(bed, { noAppointments: true });
    // (A person with no other appointment: every appointment of a relinked contact is written again, counted below.)
    const ev = bed.boxes.ghl.admin.addAppointment(ghlId, { title: 'Moved visit', startTime: '2037-12-10T23:00:00Z' });
    await bed.run({ full: true });
    expect(arofloNotes(bed, clientId, ev.id)).toHaveLength(1);
    // The contact's link now points at another client (as after a relink).
    const other = bed.boxes.aroflo.admin.createClient({
      clientname: 'Moved Client',
      firstname: 'Moved',
      surname: 'Client',
    });
    const store = bed.svc.sync.store;
    store.links.update(store.links.byGhl('ghl-aroflo', 'contact', ghlId)!.id, { other_id: `client:${other.clientid}` });
    const r = await bed.run({ full: true });
    expect(r.summary.created.appointment).toBe(1);
    expect(arofloNotes(bed, other.clientid, ev.id)).toHaveLength(1);
    // The note on the first client stays as last written; nothing is written twice after.
    expect(arofloNotes(bed, clientId, ev.id)).toHaveLength(1);
    expect((await bed.run({ full: true })).summary.created.appointment ?? 0).toBe(0);
    expect(arofloNotes(bed, other.clientid, ev.id)).toHaveLength(1);
  });
});
