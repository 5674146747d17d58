/**
 * The record-level change stream (main/store/README.md, "The change stream") against the three sandboxes over real
 * HTTP: a change a person made in one system is recorded once, with its before and after, where the engine compares
 * the record with its base; the bridge's write that carries it across is recorded as the bridge's, its fields read
 * from the audit; the echo of that write is nobody's new change.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startBed, type Bed } from '../support/harness.js';

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

function linkedContact(b: Bed) {
  const c = b.boxes.ghl.admin
    .listContacts()
    .find(
      (x) =>
        x.email &&
        b.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', x.id) &&
        b.svc.sync.store.links.byGhl('ghl-aimfox', 'lead', x.id),
    );
  expect(c, 'a HighLevel contact linked to AroFlo and to Aimfox').toBeTruthy();
  return c!;
}

describe('change stream', () => {
  it('a HighLevel edit appears once as a person in HighLevel, with before and after; the copy as the bridge', async () => {
    bed = await startBed({ contacts: 30 });
    await bed.run({ full: true });
    await bed.run();
    const store = bed.svc.sync.store;
    const c = linkedContact(bed);
    const oldFirst = c.firstName ?? null;
    bed.boxes.ghl.admin.updateContact(c.id, { firstName: 'Zoë-Seen' });
    const r = await bed.run();
    expect(r.summary.status).toBe('ok');

    const seen = store.changes.list({ system: 'ghl', recordId: c.id, who: 'person' }).items;
    // Both pairs compare this contact with their base; the edit is one change.
    expect(seen).toHaveLength(1);
    expect(seen[0]!.action).toBe('update');
    expect(seen[0]!.fields.filter((f) => f.after === 'Zoë-Seen')).toEqual([
      { field: expect.any(String) as string, before: oldFirst, after: 'Zoë-Seen' },
    ]);
    expect(seen[0]!.runId).toBe(r.summary.id);

    // The bridge's writes that carried it: AroFlo and Aimfox, each under its link, with the audit's before/after.
    const arofloLink = store.links.byGhl('ghl-aroflo', 'contact', c.id)!;
    const made = store.changes.list({ linkId: arofloLink.id, who: 'bridge' }).items;
    expect(made).toHaveLength(1);
    expect(made[0]!.system).toBe('aroflo');
    expect(made[0]!.fields.some((f) => f.after === 'Zoë-Seen' && f.before === oldFirst)).toBe(true);
    // The echo of that write in AroFlo (and in Aimfox) is nobody's change: this run saw one change by a person.
    const thisRun = store.changes.list({ who: 'person', limit: 500 }).items.filter((i) => i.runId === r.summary.id);
    expect(thisRun.map((i) => [i.system, i.recordId])).toEqual([['ghl', c.id]]);

    // Found by email, and a quiet run adds nothing.
    const byEmail = store.changes.list({ query: String(c.email).toUpperCase() });
    expect(byEmail.items.some((i) => i.recordId === c.id && i.who === 'person')).toBe(true);
    const before = store.changes.list({}).total;
    await bed.run();
    await bed.run({ full: true });
    expect(store.changes.list({}).total).toBe(before);
  });

  it('an AroFlo edit is a person in AroFlo; a new HighLevel contact is a person creating it; the copies are the bridge', async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    const store = bed.svc.sync.store;
    const c = linkedContact(bed);
    const link = store.links.byGhl('ghl-aroflo', 'contact', c.id)!;
    const [kind, clientId, userId] = link.other_id!.split(':');
    if (kind === 'contact') bed.boxes.aroflo.admin.updateContact(userId!, { givennames: 'Renata' });
    else
      bed.boxes.aroflo.admin.updateClient(clientId!, {
        firstname: 'Renata',
        clientname: `Renata ${bed.boxes.aroflo.admin.getClient(clientId!)!.surname}`,
      });
    const made = bed.boxes.ghl.admin.createContact({
      firstName: 'Newby',
      lastName: 'Person',
      email: 'newby@example.com',
    });
    const r = await bed.run({ full: true });

    const seen = store.changes.list({ who: 'person', limit: 500 }).items.filter((i) => i.runId === r.summary.id);
    const aro = seen.filter((i) => i.system === 'aroflo');
    expect(aro).toHaveLength(1);
    expect(aro[0]!.linkId).toBe(link.id);
    expect(aro[0]!.fields.some((f) => f.after === 'Renata')).toBe(true);
    const toGhl = store.changes.list({ system: 'ghl', recordId: c.id, who: 'bridge' }).items;
    expect(toGhl.some((i) => i.fields.some((f) => f.after === 'Renata'))).toBe(true);

    const created = store.changes.list({ query: 'newby@example.com' }).items;
    const person = created.filter((i) => i.who === 'person');
    expect(seen).toHaveLength(aro.length + person.length);
    expect(person).toHaveLength(1);
    expect(person[0]).toMatchObject({ system: 'ghl', recordId: made.id, action: 'create' });
    expect(created.filter((i) => i.who === 'bridge' && i.action === 'create').map((i) => i.system)).toContain('aroflo');
  });
});
