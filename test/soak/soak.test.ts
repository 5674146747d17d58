/**
 * The soak, short (the CI version of `npm run soak`): randomized cycles against the sandboxes with faults injected,
 * the sync in a child process SIGKILLed at random moments and restarted, people editing all three systems between
 * runs; then, with the faults off, sync until quiet and check: no duplicate, no lost edit, ID map and bases
 * consistent with the systems, the audit log's writes real. SOAK_SEED repeats a run.
 */
import { describe, expect, it } from 'vitest';
import { printReport } from './cli.js';
import { runSoak } from './harness/runner.js';

describe('soak under faults (short)', () => {
  it('15 cycles, 3 kills: nothing duplicated, nothing lost, state consistent with the systems', async () => {
    const seed = Number(process.env.SOAK_SEED ?? 20261123);
    const report = await runSoak({ cycles: 15, minutes: 3, kills: 3, seed, contacts: 30 });
    const lines: string[] = [];
    printReport(report, (l) => lines.push(l));
    const summary = lines.join('\n');
    expect(report.findings, summary).toEqual([]);
    expect(report.duplicates).toBe(0);
    expect(report.lostEdits).toBe(0);
    expect(report.converged, summary).toBe(true);
    expect(report.cycles).toBe(15);
    expect(report.kills, summary).toBeGreaterThanOrEqual(3);
    expect(report.faults.total, summary).toBeGreaterThan(10);
    expect(report.edits).toBeGreaterThan(15);
    expect(report.auditRowsChecked).toBeGreaterThan(20);
    expect(report.ok).toBe(true);
  }, 240_000);
});
