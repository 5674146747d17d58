/**
 * Issue 15: an idle sync costs AroFlo what it did before a burst of changes that all carry the same second (about one
 * counted call per feed). AroFlo stamps changes with whole seconds, so each read of its lastupdate feed repeats the
 * second at its cursor (main/sync/sides/README.md, "AroFlo's change-feed cursor"). The cursor remembers at most 2,000
 * of those repeated rows; when more than that shared the cursor's second (a bulk change in AroFlo, or the bench's ×20
 * time scale), every later sync took the rest for changes and read them again by id — 100 a counted call, sync after
 * sync, until something newer moved the cursor (the benchmark's idle cycle at 10,000 people: 700 jobs, 7 counted calls
 * a sync, 2,016 a day at 288 syncs). Real service, sandboxes over HTTP; the calls are counted by the AroFlo sandbox.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ArofloStats } from '../../main/sandbox/aroflo/types.js';
import { startBed, type Bed } from '../support/harness.js';

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

/** More jobs changed within one second than the cursor remembers. */
const BURST = 2_500;

describe("AroFlo's change feed at its cursor's second", () => {
  it('a burst of changes in one second is read once; the idle syncs after it read no job again', async () => {
    // One clock for the sandboxes and the service: minutes pass at once between syncs, and it can stand still while
    // the burst is made (AroFlo refuses requests signed at another time, so both move together).
    let offset = 0;
    let frozen: number | undefined;
    const now = () => frozen ?? Date.now() + offset;
    bed = await startBed({ contacts: 20, now });
    const aroflo = bed.boxes.aroflo;
    const minutePasses = () => {
      offset += 60_000;
    };
    // What AroFlo counts against its 2,000 a day (lastupdate is free).
    const counted = () => (aroflo.stats() as ArofloStats).counted;
    const jobReads = () => aroflo.stats().byEndpoint['GET tasks'] ?? 0;

    expect((await bed.run({ full: true })).summary.status).toBe('ok');
    minutePasses();
    expect((await bed.run()).summary.status).toBe('ok');
    // What an idle sync costs before the burst: the feeds are free; the day's client notes (they have no feed) and the
    // check after the run's sample of linked people are one counted call each (main/sync/README.md).
    minutePasses();
    let c0 = counted();
    expect((await bed.run()).summary.status).toBe('ok');
    const idle = counted() - c0;

    // The burst: jobs made in AroFlo within one second (archived ones: out of the sync's scope, so nothing is written
    // for them and only the reads are counted).
    minutePasses();
    const client = aroflo.admin.listClients()[0]!;
    frozen = Math.floor(now() / 1000) * 1000;
    for (let i = 0; i < BURST; i++)
      aroflo.admin.createTask({
        clientid: client.clientid,
        taskname: `Bulk job ${i}`,
        duedate: '2026-12-31',
        status: 'Archived',
      });
    frozen = undefined;
    minutePasses();

    // The sync after the burst reads the burst's jobs (100 ids a call): they are changes.
    c0 = counted();
    let j0 = jobReads();
    expect((await bed.run()).summary.status).toBe('ok');
    expect(jobReads() - j0, 'the burst read by id, 100 a call').toBeGreaterThanOrEqual(BURST / 100);
    expect(counted() - c0).toBeGreaterThanOrEqual(BURST / 100);

    // Then nothing changes: each idle sync costs what one cost before the burst, and reads no job again.
    for (let k = 0; k < 3; k++) {
      minutePasses();
      c0 = counted();
      j0 = jobReads();
      const r = await bed.run();
      expect(r.summary.status).toBe('ok');
      expect(jobReads() - j0, `idle sync ${k + 1}: jobs read again`).toBe(0);
      expect(counted() - c0, `idle sync ${k + 1}: AroFlo counted calls`).toBeLessThanOrEqual(idle);
    }
  }, 120_000);
});
