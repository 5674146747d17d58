/**
 * HighLevel appointments become notes on the linked AroFlo client and Aimfox lead, over real HTTP against the three
 * sandboxes (main/sync/README.md, "Appointments to notes"): created, rescheduled and cancelled, always the same note,
 * nothing written twice, nothing written when the pair's setting is off.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startBed, writesOf, type Bed } from '../support/harness.js';

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

/** A HighLevel contact that is an Aimfox lead and a residential AroFlo client. */
function leadOfResidentialClient(b: Bed): { ghlId: string; clientId: string; leadId: string } {
  for (const l of b.svc.sync.store.links.active('ghl-aimfox', 'lead')) {
    const a = b.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', l.ghl_id!);
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
      startTime: '2026-12-10T23:00:00.000Z',
      endTime: '2026-12-11T00:00:00.000Z',
      status: 'confirmed',
    });
    // The contact itself did not change: the new appointment is found by the full re-read (README, "Appointments to notes").
    const r1 = await bed.run({ full: true });
    expect(r1.summary.status).toBe('ok');
    for (const notes of [arofloNotes(bed, clientId, ev.id), aimfoxNotes(bed, leadId, ev.id)]) {
      expect(notes).toHaveLength(1);
      expect(notes[0]).toContain('Appointment: Site inspection');
      expect(notes[0]).toContain('Fri, 11 Dec 2026, 10:00 – 11:00 (Australia/Melbourne)');
      expect(notes[0]).toContain('Status: confirmed');
      expect(notes[0]).toContain('not copied back');
    }
    // The note is not a person's note: it never comes back into HighLevel as a note.
    expect(
      bed.boxes.ghl.admin.listNotes(ghlId).filter((n: { body: string }) => n.body.includes('Site inspection')),
    ).toEqual([]);

    // Rescheduled an hour and a half later: the same notes change (an incremental run sees it).
    bed.boxes.ghl.admin.updateAppointment(ghlId, ev.id, { startTime: '2026-12-11T00:30:00.000Z' });
    const r2 = await bed.run();
    expect(r2.summary.updated.appointment).toBe(2);
    expect(r2.summary.created.appointment ?? 0).toBe(0);
    for (const notes of [arofloNotes(bed, clientId, ev.id), aimfoxNotes(bed, leadId, ev.id)]) {
      expect(notes).toHaveLength(1);
      expect(notes[0]).toContain('Fri, 11 Dec 2026, 11:30 – 12:30 (Australia/Melbourne)');
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
      startTime: '2026-12-14T22:00:00.000Z',
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
      startTime: '2026-12-10T23:00:00Z',
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
    const ev = bed.boxes.ghl.admin.addAppointment(ghlId, { title: 'Measure up', startTime: '2026-12-10T23:00:00Z' });
    const preview = await bed.svc.api.previewMapping({ pair: 'ghl-aroflo' });
    const planned = preview.items.filter((i) => i.entity === 'appointment' && i.action === 'create');
    expect(planned.map((i) => i.target)).toEqual(['aroflo']);
    expect(planned[0]!.label).toContain('Measure up');
    const r = await bed.run({ full: true });
    expect(r.summary.created.appointment).toBe(2);
    expect(bed.svc.sync.store.links.byGhl('ghl-aroflo', 'appointment', ev.id)?.state).toBe('active');
    expect(bed.svc.sync.store.links.byGhl('ghl-aimfox', 'appointment', ev.id)?.state).toBe('active');
  });
});
