/**
 * One read by id, shared (main/sync/README.md): in an incremental sync AroFlo's clients are read by id once — the
 * records its change feed reported, with the counterparts of what changed in HighLevel read along (the planner reads
 * those fresh before writing) — over real HTTP against the sandboxes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startBed, type Bed } from '../support/harness.js';

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

const reads = (b: Bed) => b.boxes.aroflo.admin.stats().byEndpoint['GET clients'] ?? 0;

/** Two linked people who are AroFlo residential clients (their own client records). */
function twoResidential(b: Bed) {
  const links = b.svc.sync.store.links
    .active('ghl-aroflo', 'contact')
    .filter((l) => l.other_id?.startsWith('client:') && l.ghl_id);
  expect(links.length).toBeGreaterThanOrEqual(2);
  return links.slice(0, 2).map((l) => ({ ghlId: l.ghl_id!, clientId: l.other_id!.slice('client:'.length) }));
}

describe('AroFlo reads by id, shared within a sync', () => {
  it('a HighLevel edit and an AroFlo edit in one sync: the counterpart is read along with the feed, one read before writing', async () => {
    // One clock for the sandboxes and the service, moved on by minutes at once (real time still passes, for pacing).
    let shift = 0;
    bed = await startBed({ contacts: 40, seed: 41, noteToTask: false, now: () => Date.now() + shift });
    await bed.svc.api.saveSettings({ settings: { checkAfterRun: { enabled: false, sample: 0 } } });
    await bed.run({ full: true });
    // Quiet feeds: minutes later, the first run's own writes are behind the cursors and nothing is read by id.
    for (let i = 0; i < 2; i++) {
      shift += 5 * 60_000;
      await bed.run();
    }
    shift += 5 * 60_000;
    const q = reads(bed);
    await bed.run();
    expect(reads(bed) - q, 'a quiet sync reads no client by id').toBe(0);
    const [a, b] = twoResidential(bed);
    shift += 5 * 60_000;
    bed.boxes.ghl.admin.updateContact(a!.ghlId, { lastName: 'Ghlside' });
    bed.boxes.aroflo.admin.updateClient(b!.clientId, { surname: 'Aroside' });
    const r0 = reads(bed);
    const r = await bed.run();
    expect(r.summary.errors).toBe(0);
    // Both carried across.
    expect(bed.boxes.aroflo.admin.getClient(a!.clientId)!.surname).toBe('Ghlside');
    expect(bed.boxes.ghl.admin.getContact(b!.ghlId)!.lastName).toBe('Aroside');
    // The feed's read (with the HighLevel side's counterpart along), and the read-back of the client written: AroFlo
    // may shorten what it stores, so that one stays (main/sync/sides/README.md). Before: a third, the fresh read.
    expect(reads(bed) - r0).toBe(2);
  });
});
