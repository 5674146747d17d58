/**
 * Found by fuzzing AroFlo answers: a residential customer (an AroFlo client who is the person) must stay a person when
 * someone edits the client's surname or first name without retyping the client's name — before, the client stopped
 * looking residential, the person vanished from the listing, and the linked HighLevel contact was archived.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ARCHIVED_TAG } from '../../main/sync/sides/ghl.js';
import { startBed, writesOf, type Bed } from '../support/harness.js';

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

describe('a residential AroFlo customer', () => {
  it('stays linked to its HighLevel contact when only the surname is edited in AroFlo', async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    const link = bed.svc.sync.store.links
      .active('ghl-aroflo', 'contact')
      .find((l) => l.other_id?.startsWith('client:') && bed!.boxes.ghl.admin.getContact(l.ghl_id!))!;
    const clientId = link.other_id!.split(':')[1]!;
    bed.boxes.aroflo.admin.updateClient(clientId, { surname: 'Renamed-Only-Here' });
    const r = await bed.run({ full: true });
    expect(r.summary.deleted).toEqual({});
    const c = bed.boxes.ghl.admin.getContact(link.ghl_id!)!;
    expect(c.tags).not.toContain(ARCHIVED_TAG);
    expect(c.lastName).toBe('Renamed-Only-Here');
    expect(bed.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', link.ghl_id!)?.state).toBe('active');
    expect(writesOf((await bed.run({ full: true })).summary)).toBe(0);
  });
});

describe('new HighLevel contacts whose name an AroFlo client has or gets', () => {
  it('each become their own AroFlo customer, under the name with their email when the plain name is taken', async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    // A customer the sync has not written: it is not in AroFlo's change feed, so an incremental run does not read it.
    const written = new Set(
      (
        bed.svc.db
          .prepare(`select record_id from audit where system = 'aroflo' and action not in ('link', 'unlink')`)
          .all() as Array<{ record_id: string }>
      ).map((r) => r.record_id),
    );
    const link = bed.svc.sync.store.links
      .active('ghl-aroflo', 'contact')
      .find((l) => l.other_id?.startsWith('client:') && !written.has(l.other_id))!;
    const existing = bed.boxes.aroflo.admin.getClient(link.other_id!.split(':')[1]!)!;
    // One namesake of a customer AroFlo already has, and two namesakes of each other created in one run.
    const people = [
      { firstName: existing.firstname, lastName: existing.surname, email: 'namesake.of.existing@example.com' },
      { firstName: 'Robin', lastName: 'Twofold', email: 'robin.one@example.com' },
      { firstName: 'Robin', lastName: 'Twofold', email: 'robin.two@example.com' },
    ];
    const made = people.map((p) => bed!.boxes.ghl.admin.createContact(p));
    const r = await bed.run();
    expect(r.summary.errors).toBe(0);
    const names = people.map((p) =>
      bed!.boxes.aroflo.admin
        .listClients()
        .filter((c) => c.email === p.email)
        .map((c) => c.clientname),
    );
    expect(names[0]).toEqual([`${existing.clientname} (namesake.of.existing@example.com)`.slice(0, 50)]);
    // Which of the two namesakes is written first is the order HighLevel lists them in.
    expect([...names[1]!, ...names[2]!].sort()).toEqual([
      'Robin Twofold',
      expect.stringMatching(/^Robin Twofold \(robin\.(one|two)@example\.com\)$/),
    ]);
    made.forEach((m) => expect(bed!.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', m.id)?.state).toBe('active'));
    expect(bed.boxes.aroflo.admin.getClient(existing.clientid)!.email).toBe(existing.email);
    expect(writesOf((await bed.run()).summary)).toBe(0);
    expect(writesOf((await bed.run({ full: true })).summary)).toBe(0);
  });
});

describe('an AroFlo customer numbered apart from a namesake ("Jo Bloggs 2")', () => {
  it('is the person, linked to the HighLevel contact with the same email instead of getting a twin', async () => {
    bed = await startBed({ contacts: 20, enable: false });
    const a = bed.boxes.aroflo.admin;
    const bu = a.listClients().find((c) => c.orgids.length)?.orgids[0];
    a.createClient({
      clientname: 'Robin Numbered',
      firstname: 'Robin',
      surname: 'Numbered',
      email: 'robin.first@example.com',
      ...(bu ? { orgids: [bu] } : {}),
    });
    const second = a.createClient({
      clientname: 'Robin Numbered 2',
      firstname: 'Robin',
      surname: 'Numbered',
      email: 'robin.second@example.com',
      ...(bu ? { orgids: [bu] } : {}),
    });
    const g = bed.boxes.ghl.admin.createContact({
      firstName: 'Robin',
      lastName: 'Numbered',
      email: 'robin.second@example.com',
    });
    for (const pair of ['ghl-aroflo', 'ghl-aimfox'] as const) {
      await bed.svc.api.previewMapping({ pair });
      await bed.svc.api.setSyncEnabled({ pair, enabled: true });
    }
    const r = await bed.run({ full: true });
    expect(r.summary.errors).toBe(0);
    expect(bed.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', g.id)?.other_id).toBe(`client:${second.clientid}`);
    expect(a.listClients().filter((c) => c.email === 'robin.second@example.com')).toHaveLength(1);
    expect(writesOf((await bed.run({ full: true })).summary)).toBe(0);
  });
});
