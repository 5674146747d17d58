/**
 * One read by id, shared (main/sync/README.md): in an incremental sync AroFlo's clients are read by id once — a few
 * one at a time, against AroFlo's secondary 20,000 a day; more, 100 to a counted request with the counterparts of what
 * changed in HighLevel read along (the planner reads those fresh before writing) — over real HTTP against the
 * sandboxes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startBed, type Bed } from '../support/harness.js';

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

const reads = (b: Bed) => b.boxes.aroflo.admin.stats().byEndpoint['GET clients'] ?? 0;
/** AroFlo's own accounting: requests against the 2,000 a day, and single-id reads against the 20,000. */
const budgets = (b: Bed) => {
  const s = b.boxes.aroflo.admin.stats();
  return { counted: s.counted, secondary: s.secondary };
};

/** Linked people who are AroFlo residential clients (their own client records). */
function residential(b: Bed, n: number) {
  const links = b.svc.sync.store.links
    .active('ghl-aroflo', 'contact')
    .filter((l) => l.other_id?.startsWith('client:') && l.ghl_id);
  expect(links.length).toBeGreaterThanOrEqual(n);
  return links.slice(0, n).map((l) => ({ ghlId: l.ghl_id!, clientId: l.other_id!.slice('client:'.length) }));
}

/** A bed in sync whose change feeds are quiet (minutes on), and a way to move its clock. */
async function quietBed(seed: number) {
  // One clock for the sandboxes and the service, moved on by minutes at once (real time still passes, for pacing).
  let shift = 0;
  const b = await startBed({ contacts: 60, seed, noteToTask: false, now: () => Date.now() + shift });
  await b.svc.api.saveSettings({ settings: { checkAfterRun: { enabled: false, sample: 0 } } });
  await b.run({ full: true });
  for (let i = 0; i < 3; i++) {
    shift += 5 * 60_000;
    await b.run();
  }
  const q = reads(b);
  shift += 5 * 60_000;
  await b.run();
  expect(reads(b) - q, 'a quiet sync reads no client by id').toBe(0);
  return { b, later: () => (shift += 5 * 60_000) };
}

describe('AroFlo reads by id, shared within a sync', () => {
  it('a few records, one at a time: a HighLevel edit and an AroFlo edit cost none of the 2,000 a day', async () => {
    const q = await quietBed(41);
    bed = q.b;
    const [a, b] = residential(bed, 2);
    bed.boxes.ghl.admin.updateContact(a!.ghlId, { lastName: 'Ghlside' });
    bed.boxes.aroflo.admin.updateClient(b!.clientId, { surname: 'Aroside' });
    q.later();
    const r0 = reads(bed);
    const b0 = budgets(bed);
    const r = await bed.run();
    expect(r.summary.errors).toBe(0);
    // Both carried across.
    expect(bed.boxes.aroflo.admin.getClient(a!.clientId)!.surname).toBe('Ghlside');
    expect(bed.boxes.ghl.admin.getContact(b!.ghlId)!.lastName).toBe('Aroside');
    // The feed's client, the HighLevel side's counterpart read fresh before writing, the written client read back:
    // three single-id reads. The counted requests are the write and the listing of new client notes, nothing else.
    const b1 = budgets(bed);
    expect(reads(bed) - r0).toBe(3);
    expect(b1.secondary - b0.secondary).toBe(3);
    expect(b1.counted - b0.counted).toBe(2);
  });

  it('many records: 100 to a counted request, the HighLevel side’s counterpart read along with the feed’s', async () => {
    const q = await quietBed(42);
    bed = q.b;
    const people = residential(bed, 13);
    const [a, ...others] = people;
    bed.boxes.ghl.admin.updateContact(a!.ghlId, { lastName: 'Ghlside' });
    // More than SINGLE_READS_UP_TO (10) changed in AroFlo.
    others.forEach((p, i) => bed!.boxes.aroflo.admin.updateClient(p.clientId, { surname: `Aroside${i}` }));
    q.later();
    const r0 = reads(bed);
    const b0 = budgets(bed);
    const r = await bed.run();
    expect(r.summary.errors).toBe(0);
    expect(bed.boxes.aroflo.admin.getClient(a!.clientId)!.surname).toBe('Ghlside');
    others.forEach((p, i) => expect(bed!.boxes.ghl.admin.getContact(p.ghlId)!.lastName).toBe(`Aroside${i}`));
    // One counted read: the feed's 12 and the counterpart of the HighLevel edit (not read again before writing); the
    // written client read back one at a time.
    const b1 = budgets(bed);
    expect(reads(bed) - r0).toBe(2);
    expect(b1.secondary - b0.secondary).toBe(1);
  });
});
