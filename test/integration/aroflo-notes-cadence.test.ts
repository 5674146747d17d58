/**
 * AroFlo's client notes have no change feed, so a sync lists those created since the day before — one counted request
 * out of AroFlo's 2,000 a day. While AroFlo's share runs low they are listed every other sync
 * (CLIENT_NOTES_EVERY_WHEN_LOW, main/sync/budget/declared.ts), so a new AroFlo note still reaches HighLevel within two
 * syncs and Status says why. Over real HTTP against the sandboxes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startBed, type Bed } from '../support/harness.js';
import { budgetDay } from '../../main/sync/budget/index.js';

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

const listings = (b: Bed) => b.boxes.aroflo.admin.stats().byEndpoint['GET clientnotes'] ?? 0;

/** A linked person who is an AroFlo residential client. */
function residential(b: Bed) {
  const l = b.svc.sync.store.links.active('ghl-aroflo', 'contact').find((x) => x.other_id?.startsWith('client:'));
  expect(l, 'a linked residential client').toBeTruthy();
  return { ghlId: l!.ghl_id!, clientId: l!.other_id!.slice('client:'.length) };
}

/** GET clientnotes per sync over `n` syncs, and whether the note reached HighLevel after each. */
async function syncs(b: Bed, n: number, ghlId: string, text: string) {
  const out: Array<{ listed: number; arrived: boolean }> = [];
  for (let i = 0; i < n; i++) {
    const before = listings(b);
    expect((await b.run()).summary.errors).toBe(0);
    out.push({
      listed: listings(b) - before,
      arrived: b.boxes.ghl.admin.listNotes(ghlId).some((x) => x.body.includes(text)),
    });
  }
  return out;
}

describe("AroFlo's client notes while its share runs low", () => {
  it('with room in the share, every sync lists them and a new note arrives at the next sync', async () => {
    bed = await startBed({ contacts: 30, seed: 51, noteToTask: false });
    await bed.run({ full: true });
    await bed.run();
    const p = residential(bed);
    bed.boxes.aroflo.admin.addClientNote(p.clientId, { content: 'Gate code 4471' });
    const r = await syncs(bed, 3, p.ghlId, 'Gate code 4471');
    expect(r.map((x) => x.listed)).toEqual([1, 1, 1]);
    expect(r[0]!.arrived).toBe(true);
  });

  it('with the share running low: every other sync lists them, the note arrives within two syncs, Status says so', async () => {
    bed = await startBed({ contacts: 30, seed: 52, noteToTask: false });
    // 1 % of AroFlo's 2,000 a day, and another process on the profile spent most of it today in its syncs' feeds:
    // the planner cannot fund the re-reads, so AroFlo is running low.
    await bed.svc.api.saveSettings({ settings: { budget: { arofloSharePercent: 1 } } });
    await bed.run({ full: true });
    await bed.run();
    const day = budgetDay('aroflo', Date.now()).day;
    bed.svc.sync.store.budget.add('aroflo', day, { calls: 15, runCalls: 15, rereadCalls: 0, runs: 1 });
    const p = residential(bed);
    bed.boxes.aroflo.admin.addClientNote(p.clientId, { content: 'Dog in the yard' });
    const r = await syncs(bed, 4, p.ghlId, 'Dog in the yard');
    const listed = r.map((x) => x.listed);
    // Alternating: one sync lists, the next does not (the count lives in the profile).
    expect(listed.filter((n) => n === 1)).toHaveLength(2);
    expect(listed.filter((n) => n === 0)).toHaveLength(2);
    expect(listed[0]! + listed[1]!).toBe(1);
    expect(listed[2]! + listed[3]!).toBe(1);
    expect(r[1]!.arrived, 'within two syncs').toBe(true);
    const aro = (await bed.svc.api.getStatus()).attention.map((a) => a.message).find((m) => /AroFlo budget/.test(m));
    expect(aro).toMatch(/New AroFlo client notes are read every other sync\./);
  });
});
