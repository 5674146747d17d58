/**
 * `npm run soak`: prove the sync under faults. Randomized cycles against the sandboxes with fault injection on,
 * the sync in a child process SIGKILLed at random moments and restarted, people editing all three systems between
 * runs; then sync until quiet and check the invariants (no duplicate, no lost edit, ID map / bases / audit
 * consistent with the systems). Exits 1 when an invariant fails. The parts live in test/soak/harness/ (test/soak/README.md).
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { intOption, print, printJson } from '../../main/cli/common.js';
import { runSoak, type SoakReport } from './harness/runner.js';

export function printReport(r: SoakReport, log: (line: string) => void = print): void {
  const kinds = Object.entries(r.faults)
    .filter(([k]) => k !== 'total')
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  log(`Soak ${r.ok ? 'PASSED' : 'FAILED'} (seed ${r.seed}) in ${(r.durationMs / 60_000).toFixed(1)} min`);
  log(
    `  cycles: ${r.cycles}; edits made by people: ${r.edits}; sync runs killed (SIGKILL): ${r.kills}; in-process runs crashed mid-write: ${r.crashes}`,
  );
  log(
    `  faults injected: ${r.faults.total} (${kinds}); credentials revoked and signed in again: ${r.revokedCredentials}`,
  );
  log(
    `  runs: ${r.runs.ok} ok, ${r.runs.partial} partial, ${r.runs.failed} failed (a revoked sign-in, or every retry used up), ${r.runs.needsApproval} stopped by the guard (${r.guardStops} reviewed and approved after people's deletes), ${r.runs.killed} killed`,
  );
  log(`  cycles to converge after the faults stopped: ${r.converged ? r.convergeCycles : `did not converge`}`);
  log(
    `  duplicates: ${r.duplicates}; lost edits: ${r.lostEdits}; ID map errors: ${r.idMapErrors}; base errors: ${r.baseErrors}; audit errors: ${r.auditErrors} (of ${r.auditRowsChecked} audit rows checked)`,
  );
  log(
    `  conflicts raised: ${r.conflictsRaised}; possible duplicates for review: ${r.duplicatesForReview}; still open: ${r.openConflicts}`,
  );
  for (const f of r.findings.slice(0, 50)) log(`  ✗ ${f.kind}: ${f.message}`);
  if (r.findings.length > 50) log(`  … and ${r.findings.length - 50} more`);
}

export const USAGE =
  'npm run soak -- [--cycles N] [--minutes M] [--kills K] [--seed S] [--contacts N] [--fault-rate R] [--keep] [--json]';

const OPTIONS = {
  cycles: { type: 'string' },
  minutes: { type: 'string' },
  kills: { type: 'string' },
  seed: { type: 'string' },
  contacts: { type: 'string' },
  'fault-rate': { type: 'string' },
  keep: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

/** Runs the soak with the command line's options; the exit code (0: every invariant held). */
export async function soak(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: false });
  if (values.help) {
    print(USAGE);
    return 0;
  }
  const cycles = intOption(values.cycles, 'cycles', 60, 1, 100_000);
  const minutes = intOption(values.minutes, 'minutes', 3, 1, 24 * 60);
  const kills = intOption(values.kills, 'kills', Math.ceil(cycles / 10), 0, cycles);
  const seed = intOption(values.seed, 'seed', Math.floor(Math.random() * 1_000_000), 0);
  const rate = values['fault-rate'] === undefined ? 0.03 : Number(values['fault-rate']);
  if (!(rate >= 0 && rate <= 0.5))
    throw new Error(`--fault-rate must be a number from 0 to 0.5, got "${String(values['fault-rate'])}"`);
  const quiet = !!values.json;
  if (!quiet)
    print(`Soak: up to ${cycles} cycles or ${minutes} min, ${kills} kills, seed ${seed} (repeat with --seed ${seed}).`);
  const report = await runSoak({
    cycles,
    minutes,
    kills,
    seed,
    contacts: intOption(values.contacts, 'contacts', 40, 5, 2_000),
    faultRate: rate,
    keep: !!values.keep,
    onCycle: quiet
      ? undefined
      : (c) =>
          print(
            c.cycle > 0
              ? `  cycle ${c.cycle}: ${c.edits} edits, run ${c.status}${c.killed ? '' : ` (${c.writes} writes)`} in ${(c.durationMs / 1000).toFixed(1)} s`
              : `  settle run ${-c.cycle}: ${c.status}, ${c.writes} writes`,
          ),
  });
  if (quiet) {
    const { secrets: _secrets, ...shown } = report;
    printJson(shown);
  } else {
    printReport(report);
    if (values.keep) print(`  profile kept at ${report.profileDir}`);
  }
  return report.ok ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  soak(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${(e as Error).message ?? String(e)}\n`);
      process.exit(2);
    },
  );
}
