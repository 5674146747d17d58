/**
 * "Sync this record now" and the check after a run, over real HTTP against the sandboxes (main/sandbox): a run
 * scoped to one record reads it by id, carries a fresh edit across through the usual planner, outbox and audit,
 * touches no other record, and treats a record gone on one side by the engine's delete rules (main/sync/README.md,
 * "One record"); the check after a run names a record a side changed without the feed reporting it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startBed, type Bed } from '../support/harness.js';
import type { SandboxStats } from '../../main/sandbox/types.js';

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

/** Requests that change something (every PUT/DELETE, and POSTs other than searches). */
function writes(s: SandboxStats): number {
  return Object.entries(s.byEndpoint)
    .filter(([k]) => /^(PUT|DELETE|PATCH)\b/.test(k) || (/^POST\b/.test(k) && !/search|lastupdate/i.test(k)))
    .reduce((a, [, n]) => a + n, 0);
}
const writesOf = (s: { created: object; updated: object; deleted: object }) =>
  [s.created, s.updated, s.deleted].flatMap((c) => Object.values(c) as number[]).reduce((a, n) => a + n, 0);
const allWrites = (b: Bed) =>
  writes(b.boxes.ghl.admin.stats()) + writes(b.boxes.aroflo.admin.stats()) + writes(b.boxes.aimfox.admin.stats());

/** A linked HighLevel ⇄ AroFlo person who is an AroFlo residential client (their own client record). */
function residential(b: Bed, skip = 0, o: { childless?: boolean } = {}) {
  const store = b.svc.sync.store;
  // Contacts with a linked task or note: their children are in a record's scope too (main/sync/README.md, "One record").
  const parents = new Set(
    (['task', 'note'] as const).flatMap((e) => store.links.active('ghl-aroflo', e).map((l) => l.ghl_id?.split('/')[0])),
  );
  const links = store.links
    .active('ghl-aroflo', 'contact')
    .filter((l) => l.other_id?.startsWith('client:') && !(o.childless && parents.has(l.ghl_id!)));
  const l = links[skip];
  expect(l, 'a linked residential client').toBeTruthy();
  const clientId = l!.other_id!.slice('client:'.length);
  return { link: l!, clientId, ghlId: l!.ghl_id! };
}

/**
 * A linked AroFlo contact of a business whose client the AroFlo feed does not report right now (it still reports the
 * clients the first run wrote under, within its look-back), edited so nothing but the check can notice.
 */
async function editBehindTheFeed(b: Bed) {
  const store = b.svc.sync.store;
  const [contacts] = b.svc.sync.wireForReading(['ghl-aroflo']).filter((e) => e.wiring.entity === 'business');
  const reported = new Set(
    (await contacts!.wiring.other.fetchChanged(store.feeds.cursor('aroflo', 'ghl-aroflo:business'))).records.map(
      (r) => r.id.split(':')[1],
    ),
  );
  const link = store.links
    .active('ghl-aroflo', 'contact')
    .find((l) => l.other_id?.startsWith('contact:') && !reported.has(l.other_id.split(':')[1]));
  expect(link, 'a linked AroFlo contact of a business').toBeTruthy();
  b.boxes.aroflo.admin.updateContact(link!.other_id!.split(':')[2]!, { givennames: 'Behind' });
  return link!;
}

describe('one record', () => {
  it('"Sync this record now" carries a fresh AroFlo edit to HighLevel with one audit row and no other write', async () => {
    bed = await startBed({ contacts: 30 });
    expect((await bed.run({ full: true })).summary.status).toBe('ok');
    const { link, clientId, ghlId } = residential(bed);
    const other = residential(bed, 1);
    const c = bed.boxes.aroflo.admin.getClient(clientId)!;
    bed.boxes.aroflo.admin.updateClient(clientId, { firstname: 'Wilhelmina', clientname: `Wilhelmina ${c.surname}` });
    // A second person edited too: a targeted run leaves them for the next sync.
    const o = bed.boxes.aroflo.admin.getClient(other.clientId)!;
    bed.boxes.aroflo.admin.updateClient(other.clientId, { firstname: 'Otto', clientname: `Otto ${o.surname}` });
    const writes0 = allWrites(bed);

    const page = await bed.svc.api.getRecord({ q: String(link.id) });
    const first = page.record!.links[0]!.fields.find((f) => f.key === 'firstName')!;
    expect(first.other.current).toBe('Wilhelmina');
    expect(first.changed.other).toBe(true);

    const run = await bed.svc.api.syncRecord({ key: String(link.id) });
    expect(run.status).toBe('ok');
    expect(run.trigger).toBe('record');
    expect(bed.boxes.ghl.admin.getContact(ghlId)!.firstName).toBe('Wilhelmina');
    expect(bed.boxes.ghl.admin.getContact(other.ghlId)!.firstName).not.toBe('Otto');
    const audit = bed.svc.sync.store.audit.forRun(run.id);
    expect(audit.map((a) => [a.system, a.recordId, a.field, a.after])).toEqual([
      ['ghl', ghlId, 'firstName', 'Wilhelmina'],
    ]);
    expect(allWrites(bed) - writes0).toBe(1);
    expect(bed.svc.sync.store.runs.get(run.id)?.trigger).toBe('record');

    // The next ordinary sync still carries the other person's edit (the scoped run moved no cursor).
    await bed.run();
    expect(bed.boxes.ghl.admin.getContact(other.ghlId)!.firstName).toBe('Otto');
  });

  it('a record deleted on one side is handled by the delete rules, not taken from a narrowed listing', async () => {
    bed = await startBed({ contacts: 30 });
    await bed.run({ full: true });
    // A person with no linked task or note: HighLevel deletes a contact's tasks with it, and the scoped run then
    // carries those over by the delete rules too (a row each); this test is about the person's own link.
    const { link, ghlId } = residential(bed, 0, { childless: true });
    const policy: string = bed.svc.sync
      .mappings()
      .find((m) => m.pair === 'ghl-aroflo')!
      .entities.find((e) => e.entity === 'contact')!.deletePolicy;
    const linked0 = bed.svc.sync.store.links.count('ghl-aroflo', 'contact');
    bed.boxes.ghl.admin.deleteContact(ghlId);
    const run = await bed.svc.api.syncRecord({ key: String(link.id) });
    expect(run.status).toBe('ok');
    const after = bed.svc.sync.store.links.byId(link.id)!;
    // Unchanged in AroFlo since the last sync, deleted in HighLevel: carried over as the entity's delete policy says.
    expect(after.state).not.toBe('active');
    const audit = bed.svc.sync.store.audit.forRun(run.id);
    // One write (or, where AroFlo's API cannot archive a client, one unlink saying so), about that link alone, on the
    // side that still has the record.
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ linkId: link.id, system: 'aroflo' });
    expect([policy, 'unlink']).toContain(audit[0]!.action);
    // Only that one link changed.
    expect(bed.svc.sync.store.links.count('ghl-aroflo', 'contact')).toBe(linked0 - 1);
  });

  it('the check after a run flags a record edited behind the bridge’s back; syncing that record clears it', async () => {
    // The edit the feed misses: AroFlo's sandbox set so a contact's edit moves no lastupdate row (its README, "Web
    // (admin) edits"; real AroFlo is not documented to move one either), so no change feed reports it.
    bed = await startBed({ contacts: 80, arofloFeed: { contactEdits: 'none' } });
    await bed.svc.api.saveSettings({ settings: { checkAfterRun: { enabled: true, sample: 100, everyMinutes: 0 } } });
    await bed.run({ full: true });
    // Quiet feeds: the first run's own writes are behind their cursors.
    expect(writesOf((await bed.run()).summary)).toBe(0);
    expect((await bed.svc.api.getStatus()).attention.filter((a) => a.kind === 'check')).toEqual([]);
    const link = await editBehindTheFeed(bed);

    const r = await bed.run();
    expect(r.summary.status).toBe('ok');
    expect(r.summary.updated.contact ?? 0).toBe(0);
    const found = (await bed.svc.api.getStatus()).attention.filter((a) => a.kind === 'check');
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toMatch(
      /^.+: AroFlo first name differs from what was last synced — edited behind the bridge's back\?$/,
    );
    expect(found[0]!.record).toBe(String(link!.id));
    expect((await bed.svc.api.getRecord({ q: String(link!.id) })).record!.findings).toHaveLength(1);

    // Another ordinary run does not bring it (the feed missed it): the finding stays.
    await bed.run();
    expect((await bed.svc.api.getStatus()).attention.filter((a) => a.kind === 'check')).toHaveLength(1);
    // "Sync this record now" carries it; the check re-reads the record and the finding clears.
    await bed.svc.api.syncRecord({ key: String(link!.id) });
    expect(bed.boxes.ghl.admin.getContact(link!.ghl_id!)!.firstName).toBe('Behind');
    expect((await bed.svc.api.getStatus()).attention.filter((a) => a.kind === 'check')).toEqual([]);
  });
  it('the check runs at most once every hour by default, so AroFlo pays 24 requests a day for it, not one per sync', async () => {
    // One clock for the sandboxes and the service, moved on by minutes at once (real time still passes, for pacing).
    let shift = 0;
    bed = await startBed({ contacts: 80, arofloFeed: { contactEdits: 'none' }, now: () => Date.now() + shift });
    // The default cadence (60 minutes), with every linked person in the sample.
    await bed.svc.api.saveSettings({ settings: { checkAfterRun: { enabled: true, sample: 100 } } });
    await bed.run({ full: true });
    // A minute later the feeds are quiet (the first run's own writes are behind their cursors).
    shift += 60_000;
    expect(writesOf((await bed.run()).summary)).toBe(0);
    const link = await editBehindTheFeed(bed);
    const check = () => bed!.svc.api.getStatus().then((s) => s.attention.filter((a) => a.kind === 'check'));
    const clientReads = () => bed!.boxes.aroflo.admin.stats().byEndpoint['GET clients'] ?? 0;
    // Five minutes later: no check yet (the full run's was 6 minutes ago), so the edit is not noticed and no AroFlo
    // request is spent on it.
    shift += 5 * 60_000;
    const c0 = clientReads();
    expect((await bed.run()).summary.status).toBe('ok');
    expect(await check()).toEqual([]);
    expect(clientReads() - c0, 'no AroFlo read for a check').toBe(0);
    // An hour after the last check: the check runs and names the record, reading its sample in one AroFlo request.
    shift += 55 * 60_000;
    const c1 = clientReads();
    expect((await bed.run()).summary.status).toBe('ok');
    const found = await check();
    expect(found.map((f) => f.record)).toEqual([String(link.id)]);
    expect(clientReads() - c1).toBe(1);
  });
});
