/**
 * Crash recovery on the way to Aimfox (main/sync/README.md, "Crash safety"; main/sync/sides/README.md, "Finding an
 * interrupted create"), over real HTTP against the sandboxes:
 *
 * - an interrupted note create is found among the notes made since it went out: a note with the same text that was
 *   already on the lead (or the HighLevel contact) is never taken for it, so the one it made is not left behind as a
 *   twin that nothing links;
 * - a lead create interrupted after the lead joined the campaign, before its labels were attached, still gets them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../main/sandbox/faults.js';
import { startBed, type Bed } from '../support/harness.js';

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

/** The sandboxes' clock: this computer's, shifted while a test dates a person's record in the past. */
let shift = 0;
const clock = () => Date.now() + shift;
/** A record a person made an hour ago. */
function anHourAgo<T>(make: () => T): T {
  shift = -3_600_000;
  try {
    return make();
  } finally {
    shift = 0;
  }
}

function leadOfResidentialClient(b: Bed): { ghlId: string; clientId: string; leadId: string } {
  for (const l of b.svc.sync.store.links.active('ghl-aimfox', 'lead')) {
    const a = b.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', l.ghl_id!);
    if (a?.other_id?.startsWith('client:'))
      return { ghlId: l.ghl_id!, clientId: a.other_id.slice('client:'.length), leadId: l.other_id! };
  }
  throw new Error('the seed has no lead that is a residential AroFlo client');
}

/** The answers of one kind of create come back cut off (the create is made; the bridge cannot know which record). */
function cutOffAnswers(b: Bed, pair: string, entity: string, faults: string) {
  b.crash.tap = {
    added: (r) => {
      if (r.pair === pair && r.entity === entity && r.action === 'create') b.boxes.setFaults(faults);
    },
    answered: () => b.boxes.setFaults(''),
  };
}

const TEXT = 'Paid deposit by bank transfer.';
const EDITED = 'Paid deposit by bank transfer. Receipt 5521.';

describe('an interrupted note create', () => {
  it('in Aimfox links the note it made, not an older note with the same text a person left on the lead', async () => {
    bed = await startBed({ contacts: 40, now: clock });
    await bed.run({ full: true });
    await bed.run();
    const { ghlId, leadId } = leadOfResidentialClient(bed);
    const af = bed.boxes.aimfox.admin;
    // Someone typed the note on the lead an hour ago, and now types the same note in HighLevel.
    const theirs = anHourAgo(() => af.addNote(leadId, TEXT));
    const ghlNote = bed.boxes.ghl.admin.createNote(ghlId, { body: TEXT }) as { id: string };
    cutOffAnswers(bed, 'ghl-aimfox', 'note', 'system=aimfox,path=/notes,rate=1,kinds=truncated');
    await bed.run({ full: true });
    bed.crash.tap = undefined;
    bed.boxes.setFaults('');
    const withText = (t: string) => (af.getLead(leadId)!.notes ?? []).filter((n: { text: string }) => n.text === t);
    expect(withText(TEXT)).toHaveLength(2);
    expect(bed.svc.sync.store.outbox.pending('ghl-aimfox', 'note')).toHaveLength(1);

    await bed.run({ full: true });
    expect(bed.svc.sync.store.outbox.pending()).toEqual([]);
    const made = withText(TEXT).find((n: { id: string }) => n.id !== theirs.id)!;
    expect(bed.svc.sync.store.links.byGhl('ghl-aimfox', 'note', `${ghlId}/${ghlNote.id}`)?.other_id).toBe(
      `${leadId}/${made.id}`,
    );
    // An edit in HighLevel reaches the copy the bridge made; the person's own note is left as they wrote it.
    bed.boxes.ghl.admin.updateNote(ghlId, ghlNote.id, { body: EDITED });
    await bed.run({ full: true });
    expect(withText(TEXT).map((n: { id: string }) => n.id)).toEqual([theirs.id]);
    expect(withText(EDITED)).toHaveLength(1);
    expect(bed.svc.sync.store.conflicts.openRows()).toEqual([]);
  });

  it('that never reached Aimfox is sent again: an older note with the same text on the lead is not taken for it', async () => {
    bed = await startBed({ contacts: 40, now: clock });
    await bed.run({ full: true });
    await bed.run();
    const { ghlId, leadId } = leadOfResidentialClient(bed);
    const af = bed.boxes.aimfox.admin;
    const theirs = anHourAgo(() => af.addNote(leadId, TEXT));
    const ghlNote = bed.boxes.ghl.admin.createNote(ghlId, { body: TEXT }) as { id: string };
    // Aimfox answers the note create with a server error before making it: the bridge cannot be sure, so it waits.
    cutOffAnswers(bed, 'ghl-aimfox', 'note', 'system=aimfox,path=/notes,rate=1,kinds=5xx');
    await bed.run({ full: true });
    bed.crash.tap = undefined;
    bed.boxes.setFaults('');
    const withText = () => (af.getLead(leadId)!.notes ?? []).filter((n: { text: string }) => n.text === TEXT);
    expect(withText().map((n: { id: string }) => n.id)).toEqual([theirs.id]);
    expect(bed.svc.sync.store.outbox.pending('ghl-aimfox', 'note')).toHaveLength(1);

    await bed.run({ full: true });
    expect(bed.svc.sync.store.outbox.pending()).toEqual([]);
    // The HighLevel note reached the lead, as a note of its own.
    expect(withText()).toHaveLength(2);
    const link = bed.svc.sync.store.links.byGhl('ghl-aimfox', 'note', `${ghlId}/${ghlNote.id}`);
    expect(link?.state).toBe('active');
    expect(link?.other_id).not.toBe(`${leadId}/${theirs.id}`);
  });
});

describe('a lead create interrupted after the lead joined the campaign, before its labels were attached', () => {
  it('is linked, and its HighLevel tags still reach the lead as labels; then nothing more is written', async () => {
    bed = await startBed({ contacts: 40 });
    await bed.run({ full: true });
    await bed.run();
    const af = bed.boxes.aimfox.admin;
    af.setProfile('rowan-tagged-77', { exists: true, firstName: 'Rowan', lastName: 'Tagged' });
    const contact = bed.boxes.ghl.admin.createContact({
      firstName: 'Rowan',
      lastName: 'Tagged',
      tags: ['vip', 'roof-2026'],
      customFields: [
        { id: bed.boxes.ghl.credentials.linkedinFieldId, value: 'https://www.linkedin.com/in/rowan-tagged-77/' },
      ],
    }) as { id: string };
    // The lead is added to the campaign; attaching its labels fails (the run ends there, as a killed one would).
    cutOffAnswers(bed, 'ghl-aimfox', 'lead', 'system=aimfox,path=/labels/,rate=1,kinds=reset');
    await bed.run();
    bed.crash.tap = undefined;
    bed.boxes.setFaults('');
    const lead = () => af.findLeadByPublicIdentifier('rowan-tagged-77');
    expect(lead()).toBeTruthy();
    expect(lead()!.labels).toEqual([]);
    expect(bed.svc.sync.store.outbox.pending('ghl-aimfox', 'lead')).toHaveLength(1);

    await bed.run();
    expect(bed.svc.sync.store.outbox.pending()).toEqual([]);
    expect(bed.svc.sync.store.links.byGhl('ghl-aimfox', 'lead', contact.id)?.other_id).toBe(lead()!.id);
    await bed.run({ full: true });
    expect(
      lead()!
        .labels.map((l: { name: string }) => l.name)
        .sort(),
    ).toEqual(['roof-2026', 'vip']);
    expect(bed.boxes.ghl.admin.getContact(contact.id)!.tags!.sort()).toEqual(['roof-2026', 'vip']);
    expect(bed.svc.sync.store.conflicts.openRows()).toEqual([]);
    // Settled: no echo between the tags and the labels.
    for (const full of [false, true]) {
      const r = await bed.run({ full });
      expect(r.summary.updated).toEqual({});
      expect(r.summary.created).toEqual({});
    }
  });
});

describe('an AroFlo job create interrupted between the insert and its status', () => {
  it('is linked, not made twice, and the job is then completed as the HighLevel task is', async () => {
    bed = await startBed({ contacts: 40 });
    await bed.run({ full: true });
    await bed.run();
    const { ghlId, clientId } = leadOfResidentialClient(bed);
    const a = bed.boxes.aroflo.admin;
    bed.boxes.ghl.admin.createTask(ghlId, {
      title: 'Sign off the roof inspection',
      dueDate: '2026-12-18T09:00:00.000Z',
      completed: true,
    });
    // AroFlo takes a status only on update: the insert goes through, the connection drops on the status update.
    const faults = bed.boxes.aroflo.faults;
    const decide = faults.decide.bind(faults);
    faults.set('system=aroflo,path=(none),rate=0'); // the hooks consult the controller only while it has a rule
    let posts = -1;
    bed.crash.tap = {
      added: (r) => {
        if (r.pair === 'ghl-aroflo' && r.entity === 'task' && r.action === 'create') posts = 0;
      },
    };
    faults.decide = (line) =>
      posts >= 0 && line.startsWith('POST') && ++posts === 2
        ? { kind: 'reset', rule: parseFaultSpec('kinds=reset')[0]! }
        : decide(line);
    await bed.run({ full: true });
    bed.crash.tap = undefined;
    faults.decide = decide;
    faults.set('');
    const jobs = () => a.listTasks({ clientid: clientId }).filter((t) => t.taskname === 'Sign off the roof inspection');
    expect(jobs()).toHaveLength(1);
    expect(jobs()[0]!.status).toBe('Not Started');
    expect(bed.svc.sync.store.outbox.pending('ghl-aroflo', 'task')).toHaveLength(1);

    await bed.run();
    expect(bed.svc.sync.store.outbox.pending()).toEqual([]);
    await bed.run({ full: true });
    expect(jobs()).toHaveLength(1);
    expect(jobs()[0]!.status).toBe('Completed');
    expect(bed.svc.sync.store.conflicts.openRows()).toEqual([]);
    for (const full of [false, true]) {
      const r = await bed.run({ full });
      expect(r.summary.updated).toEqual({});
      expect(r.summary.created).toEqual({});
    }
  });
});
