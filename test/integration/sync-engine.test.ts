/**
 * The sync engine end to end, against the three sandboxes over real HTTP: matching without twins, idempotence,
 * propagation both ways, conflicts and their resolution, the guards, crash recovery, no ping-pong, the
 * notes-to-tasks rule, undo, and the Aimfox flow.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { duplicateEmails, norm, startBed, writesOf, type Bed } from '../support/harness.js';

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

const ghlContacts = (b: Bed) => b.boxes.ghl.admin.listContacts();
const arofloPeople = (b: Bed) => {
  const a = b.boxes.aroflo.admin;
  const clients = a.listClients();
  const contacts = a.listContacts();
  const residential = clients.filter(
    (c) =>
      !contacts.some((x) => x.clientid === c.clientid) && norm(c.clientname) === norm(`${c.firstname} ${c.surname}`),
  );
  return [
    ...residential.map((c) => ({ id: c.clientid, email: c.email, first: c.firstname, kind: 'client' as const })),
    ...contacts.map((c) => ({ id: c.userid, email: c.email, first: c.givennames, kind: 'contact' as const })),
  ];
};

/** The AroFlo person linked to a GHL contact, through the ID map. */
function linkedAroflo(b: Bed, ghlId: string): { kind: string; clientId: string; userId?: string } {
  const l = b.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', ghlId);
  expect(l, `GHL contact ${ghlId} is linked`).toBeTruthy();
  const [kind, clientId, userId] = l!.other_id!.split(':');
  return { kind: kind!, clientId: clientId!, userId };
}

function arofloFirstName(b: Bed, ghlId: string): string {
  const k = linkedAroflo(b, ghlId);
  return k.kind === 'contact'
    ? b.boxes.aroflo.admin.getContact(k.userId!)!.givennames
    : b.boxes.aroflo.admin.getClient(k.clientId)!.firstname;
}

function editArofloFirstName(b: Bed, ghlId: string, value: string): void {
  const k = linkedAroflo(b, ghlId);
  if (k.kind === 'contact') b.boxes.aroflo.admin.updateContact(k.userId!, { givennames: value });
  else
    b.boxes.aroflo.admin.updateClient(k.clientId, {
      firstname: value,
      clientname: `${value} ${b.boxes.aroflo.admin.getClient(k.clientId)!.surname}`,
    });
}

/** A GHL contact that is linked to AroFlo and has an email. */
function someLinkedContact(b: Bed, skip = 0) {
  const linked = ghlContacts(b).filter((c) => c.email && b.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', c.id));
  const c = linked[skip];
  expect(c).toBeTruthy();
  return c!;
}

/** A HighLevel contact that is an Aimfox lead and a residential AroFlo client (its own client's notes are its notes). */
function leadOfResidentialClient(b: Bed): { ghlId: string; clientId: string; leadId: string } {
  for (const l of b.svc.sync.store.links.active('ghl-aimfox', 'lead')) {
    const a = b.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', l.ghl_id!);
    if (a?.other_id?.startsWith('client:'))
      return { ghlId: l.ghl_id!, clientId: a.other_id.slice('client:'.length), leadId: l.other_id! };
  }
  throw new Error('the seed has no lead that is a residential AroFlo client');
}

describe('sync engine against the sandboxes', () => {
  it('initial sync links shared people without twins, and a second run writes nothing', async () => {
    bed = await startBed({ contacts: 40 });
    const world = bed.boxes.world;
    const r1 = await bed.run({ full: true });
    expect(r1.summary.status).toBe('ok');
    expect(r1.summary.errors).toBe(0);
    // Everyone who existed in either system now exists once in both.
    const g = ghlContacts(bed);
    const a = arofloPeople(bed);
    const seededGhlDupes = world.people.filter((p) => p.ghlDuplicateKey && p.email).map((p) => norm(p.email));
    expect(duplicateEmails(g.map((c) => c.email as string)).filter((e) => !seededGhlDupes.includes(e))).toEqual([]);
    expect(duplicateEmails(a.map((p) => p.email))).toEqual([]);
    for (const p of world.people.filter((x) => x.email && (x.in.ghl || x.in.aroflo) && !x.ghlDuplicateKey)) {
      expect(g.filter((c) => norm(c.email as string) === norm(p.email)).length, `${p.email} in GHL`).toBe(1);
    }
    // People who were in both systems (same email, or only the same phone) were linked, not copied.
    const both = world.people.filter((p) => p.in.ghl && p.in.aroflo && !p.ghlDuplicateKey);
    expect(both.length).toBeGreaterThan(5);
    expect(r1.summary.created.contact ?? 0).toBe(
      world.people.filter((p) => p.in.ghl !== p.in.aroflo && !p.ghlDuplicateKey).length,
    );

    // What crossed two pairs (an AroFlo note that became a GHL note) reached Aimfox in that same run, so the second
    // run writes nothing, and from then on nothing is written, incremental or full.
    const r2 = await bed.run();
    expect(writesOf(r2.summary)).toBe(0);
    expect(r2.items.filter((i) => i.action !== 'skip')).toEqual([]);
    const r3 = await bed.run();
    expect(writesOf(r3.summary)).toBe(0);
    expect(r3.summary.conflicts).toBe(0);
    const r4 = await bed.run({ full: true });
    expect(writesOf(r4.summary)).toBe(0);
  });

  it('an edit on either side propagates, and ten quiet cycles after it write nothing (no ping-pong)', async () => {
    bed = await startBed({ contacts: 30 });
    await bed.run({ full: true });
    await bed.run();
    const c = someLinkedContact(bed);
    bed.boxes.ghl.admin.updateContact(c.id, { firstName: 'Zoë-Updated' });
    const r = await bed.run();
    expect(r.summary.updated.contact).toBe(1);
    expect(arofloFirstName(bed, c.id)).toBe('Zoë-Updated');

    const c2 = someLinkedContact(bed, 1);
    editArofloFirstName(bed, c2.id, 'Søren-From-AroFlo');
    await bed.run();
    expect(bed.boxes.ghl.admin.getContact(c2.id)!.firstName).toBe('Søren-From-AroFlo');

    for (let i = 0; i < 10; i++) {
      const q = await bed.run({ full: i === 9 });
      expect(writesOf(q.summary), `cycle ${i}`).toBe(0);
    }
  });

  it('edits of the same field on both sides become a conflict that is resolved field by field and propagated', async () => {
    bed = await startBed({ contacts: 30 });
    await bed.run({ full: true });
    await bed.run();
    const c = someLinkedContact(bed);
    bed.boxes.ghl.admin.updateContact(c.id, { firstName: 'FromGHL' });
    editArofloFirstName(bed, c.id, 'FromAroFlo');
    const r = await bed.run();
    expect(r.summary.conflicts).toBe(1);
    // Neither side was overwritten.
    expect(bed.boxes.ghl.admin.getContact(c.id)!.firstName).toBe('FromGHL');
    expect(arofloFirstName(bed, c.id)).toBe('FromAroFlo');
    const list = await bed.svc.api.listConflicts({});
    expect(list.total).toBe(1);
    const detail = await bed.svc.api.getConflict({ id: list.items[0]!.id });
    expect(detail.diffs).toEqual([
      expect.objectContaining({ field: 'firstName', ghl: 'FromGHL', other: 'FromAroFlo' }),
    ]);
    await bed.svc.api.resolveConflict({ id: detail.id, choices: { firstName: { take: 'other' } } });
    expect(bed.boxes.ghl.admin.getContact(c.id)!.firstName).toBe('FromAroFlo');
    expect(arofloFirstName(bed, c.id)).toBe('FromAroFlo');
    expect((await bed.svc.api.listConflicts({})).total).toBe(0);
    const q = await bed.run();
    expect(writesOf(q.summary)).toBe(0);
  });

  it('the guard stops a run that would delete too much, before writing anything', async () => {
    bed = await startBed({ contacts: 60 });
    await bed.run({ full: true });
    const linked = ghlContacts(bed).filter((c) => bed!.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', c.id));
    const victims = linked.slice(0, Math.ceil(linked.length * 0.3));
    for (const v of victims) bed.boxes.ghl.admin.deleteContact(v.id);
    const before = arofloPeople(bed).length;
    const r = await bed.run({ full: true });
    expect(r.summary.status).toBe('needs_approval');
    expect(r.summary.message).toMatch(/would delete/);
    expect(arofloPeople(bed).length).toBe(before);
    const status = await bed.svc.api.getStatus();
    expect(status.attention.some((a) => a.kind === 'guard')).toBe(true);
    const approved = await bed.run({ full: true, approve: true });
    expect(approved.summary.status).toBe('ok');
    expect(approved.summary.deleted.contact).toBeGreaterThan(0);
  });

  it('a crash between any write and its confirmation leaves no twin after restart', async () => {
    bed = await startBed({ contacts: 30 });
    // Crash at the 1st, 2nd, … write batch of the initial sync, restarting each time.
    for (let crashAt = 1; crashAt <= 6; crashAt++) {
      const outcome = await bed.crashRun({ after: crashAt }, { full: true });
      expect(['crashed', 'finished']).toContain(outcome);
    }
    const done = await bed.run({ full: true });
    expect(
      bed.svc.logger
        .list({ level: 'warn' })
        .map((l) => l.message)
        .filter((m) => m.startsWith('Could not')),
    ).toEqual([]);
    expect(done.summary.errors).toBe(0);
    const seededGhlDupes = bed.boxes.world.people.filter((p) => p.ghlDuplicateKey && p.email).map((p) => norm(p.email));
    expect(
      duplicateEmails(ghlContacts(bed).map((c) => c.email as string)).filter((e) => !seededGhlDupes.includes(e)),
    ).toEqual([]);
    expect(duplicateEmails(arofloPeople(bed).map((p) => p.email))).toEqual([]);
    const tasks = bed.boxes.aroflo.admin.listTasks();
    const keys = tasks.map((t) => `${t.clientid}|${t.taskname}|${t.duedate ?? ''}`);
    expect(keys.length).toBe(new Set(keys).size);
    expect(bed.svc.sync.store.outbox.pending()).toEqual([]);
    expect(writesOf((await bed.run()).summary)).toBe(0);
  });

  it('the notes-to-tasks rule turns a new AroFlo note into one GHL task on the linked contact', async () => {
    bed = await startBed({ contacts: 40, noteToTask: true });
    await bed.run({ full: true });
    const c = someLinkedContact(bed);
    const k = linkedAroflo(bed, c.id);
    const before = bed.boxes.ghl.admin.listTasks(c.id).length;
    bed.boxes.aroflo.admin.addClientNote(k.clientId, {
      content: 'Customer asked for a quote on gutter guards',
      filter: 'Internal Only',
    });
    // Client notes have no change feed (only a created filter): the next run picks them up by creation time.
    await bed.run();
    const tasks = bed.boxes.ghl.admin.listTasks(c.id);
    const made = tasks.filter((t) => t.title.startsWith('Follow up: Customer asked for a quote'));
    if (k.kind === 'client') {
      expect(made).toHaveLength(1);
      expect(tasks.length).toBe(before + 1);
    }
    await bed.run();
    await bed.run({ full: true });
    expect(
      bed.boxes.ghl.admin.listTasks(c.id).filter((t) => t.title.startsWith('Follow up: Customer asked')).length,
    ).toBe(made.length);
  });

  it('undo of a run puts back what it changed', async () => {
    bed = await startBed({ contacts: 30 });
    await bed.run({ full: true });
    await bed.run();
    const c = someLinkedContact(bed);
    const original = arofloFirstName(bed, c.id);
    bed.boxes.ghl.admin.updateContact(c.id, { firstName: 'Temporary' });
    const r = await bed.run();
    expect(arofloFirstName(bed, c.id)).toBe('Temporary');
    const u = await bed.svc.api.undoRun({ runId: r.summary.id });
    expect(u.reverted).toBe(1);
    expect(arofloFirstName(bed, c.id)).toBe(original);
    await bed.run();
    expect(bed.boxes.ghl.admin.getContact(c.id)!.firstName).toBe(original);
    const csv = (await bed.svc.api.exportAuditCsv()).csv;
    expect(csv).toContain('Temporary');
  });

  it('one sync settles every hop: a new AroFlo note reaches HighLevel and the Aimfox lead in one run, and the next run writes nothing', async () => {
    bed = await startBed({ contacts: 40 });
    await bed.run({ full: true });
    await bed.run();
    const { ghlId, clientId, leadId } = leadOfResidentialClient(bed);
    bed.boxes.aroflo.admin.addClientNote(clientId, { content: 'Gate code 4471, dog in the yard' });
    const r = await bed.run();
    expect(r.summary.status).toBe('ok');
    expect(
      bed.boxes.ghl.admin
        .listNotes(ghlId)
        .map((n: { body: string }) => n.body)
        .join('\n'),
    ).toContain('Gate code 4471');
    const lead = bed.boxes.aimfox.admin.getLead(leadId)!;
    expect((lead.notes ?? []).map((n: { text: string }) => n.text)).toContain('Gate code 4471, dog in the yard');
    // The hop is reported apart from the plan (a preview shows the plan; the hop is what the plan's writes lead to).
    expect(r.followOn.some((i) => i.action === 'create' && i.target === 'aimfox' && i.entity === 'note')).toBe(true);
    const idle = await bed.run();
    expect(writesOf(idle.summary)).toBe(0);
    expect(
      (bed.boxes.aimfox.admin.getLead(leadId)!.notes ?? []).filter((n: { text: string }) =>
        n.text.includes('Gate code 4471'),
      ).length,
    ).toBe(1);
  });

  it('an AroFlo rename reaches the HighLevel contact of a lead in one run, and the next run writes nothing', async () => {
    bed = await startBed({ contacts: 40 });
    await bed.run({ full: true });
    await bed.run();
    const { ghlId, clientId, leadId } = leadOfResidentialClient(bed);
    const c = bed.boxes.aroflo.admin.getClient(clientId)!;
    bed.boxes.aroflo.admin.updateClient(clientId, { firstname: 'Renata', clientname: `Renata ${c.surname}` });
    const r = await bed.run();
    expect(r.summary.updated.contact).toBe(1);
    expect(bed.boxes.ghl.admin.getContact(ghlId)!.firstName).toBe('Renata');
    // The lead pair took the renamed contact from the write's answer: it is still the same lead, with nothing to change.
    expect(bed.svc.sync.store.links.byGhl('ghl-aimfox', 'lead', ghlId)?.other_id).toBe(leadId);
    expect(writesOf((await bed.run()).summary)).toBe(0);
    expect(writesOf((await bed.run({ full: true })).summary)).toBe(0);
  });

  it('GHL contacts with a LinkedIn URL become Aimfox leads once, with their tags as labels and their notes', async () => {
    bed = await startBed({ contacts: 40 });
    await bed.run({ full: true });
    const leadLinks = bed.svc.sync.store.links.active('ghl-aimfox', 'lead');
    expect(leadLinks.length).toBeGreaterThan(0);
    const audience = bed.boxes.aimfox.admin;
    const link = leadLinks[0]!;
    const lead = audience.getLead(link.other_id!);
    expect(lead).toBeTruthy();
    bed.boxes.ghl.admin.setTags(link.ghl_id!, ['vip', 'bridge-test']);
    bed.boxes.ghl.admin.createNote(link.ghl_id!, { body: 'Met at the expo' });
    await bed.run();
    const after = audience.getLead(link.other_id!)!;
    expect(after.labels.map((l: { name: string }) => l.name).sort()).toEqual(['bridge-test', 'vip']);
    expect((after.notes ?? []).map((n: { text: string }) => n.text)).toContain('Met at the expo');
    const leadsBefore = bed.svc.sync.store.links.active('ghl-aimfox', 'lead').length;
    await bed.run({ full: true });
    expect(bed.svc.sync.store.links.active('ghl-aimfox', 'lead').length).toBe(leadsBefore);
    expect(writesOf((await bed.run()).summary)).toBe(0);
  });
});

describe('hops, re-reads and the full re-read across crashes, failures and pairs left out', () => {
  const leadNotes = (b: Bed, leadId: string) =>
    (b.boxes.aimfox.admin.getLead(leadId)!.notes ?? []).map((n: { text: string }) => n.text);

  it('a hop never re-sends a create that an interrupted run left unchecked (no twin note in Aimfox)', async () => {
    bed = await startBed({ contacts: 40 });
    await bed.run({ full: true });
    await bed.run();
    const { clientId, leadId } = leadOfResidentialClient(bed);
    const note = bed.boxes.aroflo.admin.addClientNote(clientId, { content: 'Gate code 4471' }) as { noteid: string };
    // The hop creates the Aimfox note; the process dies after Aimfox answered, before the bridge confirmed it.
    expect(await bed.crashRun({ after: 1, when: (r) => r.pair === 'ghl-aimfox' && r.entity === 'note' })).toBe(
      'crashed',
    );
    const count = () => leadNotes(bed!, leadId).filter((t) => t.startsWith('Gate code 4471')).length;
    expect(count()).toBe(1);
    // The AroFlo note is edited; at the next run's start Aimfox does not answer reads of the lead's notes, so recovery
    // cannot tell whether the create went through (the entry waits). It answers again once the run writes.
    bed.boxes.aroflo.admin.updateClientNote(note.noteid, { content: 'Gate code 4471 (new lock)' });
    bed.boxes.aimfox.admin.setFaults(`system=aimfox,path=GET /api/v2/leads/${leadId}/notes,rate=1,kinds=5xx`);
    let cleared = false;
    bed.crash.tap = {
      added() {
        if (!cleared) bed!.boxes.aimfox.admin.setFaults('');
        cleared = true;
      },
    };
    const r = await bed.run();
    bed.crash.tap = undefined;
    expect(
      bed.svc.logger
        .list({ level: 'warn' })
        .some((l) => l.message.startsWith('Could not check whether an interrupted create')),
    ).toBe(true);
    // The HighLevel note reached the hop, which holds the create back as the first pass would.
    expect(
      r.followOn.filter((i) => i.action === 'create' && i.target === 'aimfox' && i.entity === 'note'),
    ).toHaveLength(0);
    expect(count(), 'one Aimfox note for the one AroFlo note').toBe(1);
  });

  it('a crash between the HighLevel note write and its confirmation still carries the note to Aimfox', async () => {
    bed = await startBed({ contacts: 40 });
    await bed.run({ full: true });
    await bed.run();
    const { ghlId, clientId, leadId } = leadOfResidentialClient(bed);
    bed.boxes.aroflo.admin.addClientNote(clientId, { content: 'Gate code 4471, dog in the yard' });
    expect(
      await bed.crashRun({
        after: 1,
        when: (r) => r.pair === 'ghl-aroflo' && r.entity === 'note' && r.system === 'ghl',
      }),
    ).toBe('crashed');
    expect(
      bed.boxes.ghl.admin
        .listNotes(ghlId)
        .map((n: { body: string }) => n.body)
        .join('\n'),
    ).toContain('Gate code 4471');
    expect((await bed.run()).summary.status).toBe('ok');
    expect((await bed.run()).summary.status).toBe('ok');
    expect(leadNotes(bed, leadId), 'the lead has the AroFlo note after two runs').toContain(
      'Gate code 4471, dog in the yard',
    );
    expect(leadNotes(bed, leadId).filter((t) => t.startsWith('Gate code 4471'))).toHaveLength(1);
  });

  it('a crash after a HighLevel note was confirmed, before the hop and the feed state, still carries it on', async () => {
    bed = await startBed({ contacts: 40 });
    await bed.run({ full: true });
    await bed.run();
    const { clientId, leadId } = leadOfResidentialClient(bed);
    bed.boxes.aroflo.admin.addClientNote(clientId, { content: 'Side gate is locked on Fridays' });
    bed.boxes.aroflo.admin.addClientNote(clientId, { content: 'Invoice to the body corporate' });
    // Die at the second HighLevel note of HighLevel ⇄ AroFlo: the first is written and confirmed, nothing hopped yet.
    expect(
      await bed.crashRun({
        after: 2,
        when: (r) => r.pair === 'ghl-aroflo' && r.entity === 'note' && r.system === 'ghl',
      }),
    ).toBe('crashed');
    await bed.run();
    await bed.run();
    expect(leadNotes(bed, leadId)).toEqual(
      expect.arrayContaining(['Side gate is locked on Fridays', 'Invoice to the body corporate']),
    );
    expect(writesOf((await bed.run()).summary)).toBe(0);
  });

  it('an AroFlo note reaches the Aimfox lead once its pair runs again, after two runs without it', async () => {
    bed = await startBed({ contacts: 40 });
    await bed.run({ full: true });
    await bed.run();
    const { ghlId, clientId, leadId } = leadOfResidentialClient(bed);
    await bed.svc.api.setSyncEnabled({ pair: 'ghl-aimfox', enabled: false });
    bed.boxes.aroflo.admin.addClientNote(clientId, { content: 'Ring the back door' });
    await bed.run();
    expect(
      bed.boxes.ghl.admin
        .listNotes(ghlId)
        .map((n: { body: string }) => n.body)
        .join('\n'),
    ).toContain('Ring the back door');
    await bed.run();
    expect(
      bed.svc.sync.store.feeds.rereads('ghl').some((r) => r.parentId === ghlId),
      'still to be re-read for HighLevel → Aimfox',
    ).toBe(true);
    await bed.svc.api.setSyncEnabled({ pair: 'ghl-aimfox', enabled: true });
    await bed.run();
    expect(leadNotes(bed, leadId)).toContain('Ring the back door');
    expect(
      bed.svc.sync.store.feeds.rereads('ghl').some((r) => r.parentId === ghlId && r.pair === 'ghl-aroflo'),
      'taken once Aimfox ran',
    ).toBe(false);
  });

  it('full re-read: approving a due full run that the guard stopped applies the deletes it showed', async () => {
    bed = await startBed({ contacts: 60 });
    await bed.run({ full: true });
    await bed.run();
    const store = bed.svc.sync.store;
    const linked = bed.boxes.ghl.admin.listContacts().filter((c) => store.links.byGhl('ghl-aroflo', 'contact', c.id));
    for (const v of linked.slice(0, Math.ceil(linked.length * 0.3))) bed.boxes.ghl.admin.deleteContact(v.id);
    // A full re-read is due (as after a preview or a mapping change: main/store/README.md).
    store.feeds.setCounter('runs_since_full', 0);
    const stopped = await bed.svc.api.syncNow({});
    expect(stopped.status).toBe('needs_approval');
    expect(stopped.message).toMatch(/would delete/);
    // What the Status screen's "Approve" button sends.
    const approved = await bed.svc.api.syncNow({ approve: true });
    expect(approved.status).toBe('ok');
    expect(approved.deleted.contact ?? 0, 'the approved run deletes what the stopped plan showed').toBeGreaterThan(0);
    expect(store.feeds.counter('runs_since_full')).toBe(1);
  });

  it('full re-read: a real run that fails right after a preview leaves the next run a full one', async () => {
    bed = await startBed({ contacts: 20 });
    const store = bed.svc.sync.store;
    await bed.run({ full: true });
    await bed.run();
    await bed.svc.api.previewMapping({ pair: 'ghl-aroflo' });
    expect(store.feeds.counter('runs_since_full')).toBe(0);
    bed.boxes.ghl.admin.setFaults('system=ghl,rate=1,kinds=5xx');
    const failed = await bed.run();
    expect(failed.summary.status).toBe('failed');
    bed.boxes.ghl.admin.setFaults('');
    expect(
      store.feeds.counter('runs_since_full'),
      'a failed run did not do the full re-read the preview asked for',
    ).toBe(0);
  });

  it('a preview with the notes-to-tasks rule on takes no baseline: the first real run does', async () => {
    // startBed previews both mappings and switches their sync on; no real run yet.
    bed = await startBed({ contacts: 20, noteToTask: true });
    expect(bed.svc.sync.store.runs.list(10).every((r) => r.dryRun)).toBe(true);
    expect(bed.svc.sync.store.rules.baselineAt('rule_task'), 'no baseline before the first real run').toBeUndefined();
    await bed.run({ full: true });
    expect(bed.svc.sync.store.rules.baselineAt('rule_task')).toBeDefined();
  });
});
