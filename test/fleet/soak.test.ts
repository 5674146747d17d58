/** The short fleet soak, in CI (the long one: `npm run soak:fleet`, test/fleet/README.md). */
import { describe, expect, it } from 'vitest';
import { pgAvailable } from '../support/pg-cluster.js';
import { runFleetSoak } from './soak.js';

describe.skipIf(!pgAvailable())('fleet soak (short)', () => {
  it('3 workers, SIGKILLs and a PostgreSQL restart: no overlapping runs, no duplicates, no lost edits, every location settles', async () => {
    const seed = Number(process.env.FLEET_SOAK_SEED ?? 7);
    const report = await runFleetSoak({ locations: 4, workers: 3, cycles: 8, kills: 2, seed, contacts: 10 });
    console.log(JSON.stringify({ ...report, findings: report.findings.slice(0, 10) }));
    expect(report.kills).toBe(2);
    expect(report.pgRestarts).toBe(1);
    expect(report.overlaps).toEqual([]);
    expect(report.findings).toEqual([]);
    expect(report.settled).toBe(true);
  }, 1_200_000);
});
