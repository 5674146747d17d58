/**
 * The soak: randomized cycles of "people edit, then a sync runs in a child process" against the three sandboxes
 * with faults injected, the child SIGKILLed at random moments and restarted; then the faults stop, the sync runs
 * until quiet, and the invariants are checked (invariants.ts). Bounded in cycles and in time.
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandboxes, type Sandboxes } from '../../../main/sandbox/index.js';
import { openDatabase, type Db } from '../../../main/store/db.js';
import { crashStore, StoreDeadError } from '../../support/crash-store.js';
import { openSqliteStore } from '../../../main/store/sqlite/index.js';
import { DEMO_REDIRECT } from '../../../main/cli/demo.js';
import { runChild, writesOf, type ChildResult } from './child.js';
import { EditLog, People } from './edits.js';
import { faultSpec, faultTotals, revokes, type FaultCounts } from './faults.js';
import { checkAll, type Finding } from './invariants.js';
import { prepareProfile, signInAgain, withService, type SoakProfile } from './profile.js';
import { rng } from './random.js';
import { takeSnapshot } from './snapshot.js';

export interface SoakOptions {
  cycles: number;
  minutes: number;
  kills: number;
  seed: number;
  contacts?: number;
  /** Chance of a fault per API request (each kind but revoke). */
  faultRate?: number;
  revokeRate?: number;
  /** Share of cycles run in-process and incrementally (as the app's timer does) instead of in a child. */
  inProcessShare?: number;
  /** Edits people make between two runs (a random number up to this). */
  maxEdits?: number;
  /** Rate-limit time scale of the sandboxes and the clients (x200 = a minute's window lasts 0.3 s). */
  rateScale?: number;
  /** Keep the profile and the sandboxes' state for a look afterwards. */
  keep?: boolean;
  onCycle?: (c: CycleReport) => void;
  now?: () => number;
}

export interface CycleReport {
  cycle: number;
  edits: number;
  killed: boolean;
  status: string;
  writes: number;
  durationMs: number;
}

export interface SoakReport {
  seed: number;
  cycles: number;
  edits: number;
  kills: number;
  /** In-process runs crashed between a write and its confirmation (the engine's crash hook). */
  crashes: number;
  /** Runs the guard stopped because of people's deletes, approved on the next run as a person would. */
  guardStops: number;
  faults: FaultCounts & { total: number };
  revokedCredentials: number;
  runs: { ok: number; partial: number; failed: number; needsApproval: number; killed: number };
  convergeCycles: number;
  converged: boolean;
  duplicates: number;
  lostEdits: number;
  idMapErrors: number;
  baseErrors: number;
  auditErrors: number;
  auditRowsChecked: number;
  conflictsRaised: number;
  duplicatesForReview: number;
  openConflicts: number;
  findings: Finding[];
  durationMs: number;
  profileDir: string;
  /** Every child's stderr (crash output included); kept with --keep, like the profile. */
  stderrFile: string;
  /** Every secret the soak handed the bridge (for scans). */
  secrets: string[];
  ok: boolean;
}

const MAX_CONVERGE_RUNS = 12;

export async function runSoak(opts: SoakOptions): Promise<SoakReport> {
  const now = opts.now ?? Date.now;
  const started = now();
  const deadline = started + opts.minutes * 60_000;
  const r = rng(opts.seed);
  const scale = opts.rateScale ?? 200;
  const boxes = await startSandboxes({
    seed: opts.seed,
    contacts: opts.contacts ?? 40,
    rateLimits: scale,
    admin: true,
    redirectUris: [DEMO_REDIRECT],
  });
  const workDir = mkdtempSync(join(tmpdir(), 'ghlb-soak-'));
  const stderrFile = join(workDir, 'children.stderr.log');
  const secrets = new Set<string>();
  const noteSecrets = () => collectSecrets(boxes).forEach((s) => secrets.add(s));
  noteSecrets();
  let profile: SoakProfile | undefined;
  try {
    const baseline = takeSnapshot(boxes);
    profile = await prepareProfile(boxes, scale, join(workDir, 'profile'));
    const log = new EditLog();
    const people = new People(boxes, r, log);
    const runs = { ok: 0, partial: 0, failed: 0, needsApproval: 0, killed: 0 };
    let kills = 0;
    let crashes = 0;
    let guardStops = 0;
    let deletesBefore = 0;
    let revoked = 0;
    let typicalMs = 4_000;
    let cycles = 0;
    /** Set after a guard stop the person reviewed: the next run goes ahead (`sync --approve`). */
    let approve = false;
    const child = async (killAfterMs?: number, full?: boolean): Promise<ChildResult> => {
      const res = await runChild({
        profileDir: profile!.dir,
        vaultKey: profile!.vaultKey,
        killAfterMs,
        full,
        extraArgs: approve ? ['--approve'] : [],
      });
      if (!res.killed) approve = false;
      appendFileSync(stderrFile, res.stderr);
      if (res.killed) runs.killed++;
      else if (!res.summary)
        throw new Error(
          `The sync child exited (${res.code ?? res.signal}) without a summary:\n${res.stderr.slice(-2000)}`,
        );
      else countRun(res);
      return res;
    };
    const countRun = (res: ChildResult) => {
      const st = res.summary?.status;
      if (st === 'ok') runs.ok++;
      else if (st === 'partial') runs.partial++;
      else if (st === 'needs_approval') runs.needsApproval++;
      else runs.failed++;
    };
    /** One incremental run in this process; `crashAt`: the store dies once that many writes were answered (test/support/crash-store.ts). */
    const inProcess = async (crashAt?: number): Promise<ChildResult> => {
      const t0 = Date.now();
      const openStore = (db: Db, now: () => number) =>
        crashStore(openSqliteStore(db, now), crashAt ? { after: crashAt } : undefined);
      const out = await withService(
        profile!,
        async (svc) => {
          try {
            const run = await svc.sync.execute({
              trigger: approve ? 'manual' : 'timer',
              dryRun: false,
              full: false,
              approve,
            });
            approve = false;
            return { summary: run.summary, crashed: false };
          } catch (e) {
            if (!(e instanceof StoreDeadError)) throw e;
            return { summary: undefined, crashed: true };
          }
        },
        { openStore },
      );
      const res: ChildResult = {
        code: out.crashed ? null : 0,
        signal: null,
        killed: out.crashed,
        durationMs: Date.now() - t0,
        stdout: '',
        stderr: '',
        summary: out.summary as ChildResult['summary'],
      };
      if (out.crashed) crashes++;
      else countRun(res);
      return res;
    };
    /**
     * A guard stop, reviewed as the person would: deletes they made since the last run that went through explain it
     * (the guard asks about an emptied listing or many deletes), so the next run is approved. Otherwise: a finding.
     */
    const review = (res: ChildResult, when: string) => {
      const deletes = log.edits.filter((e) => e.op === 'delete').length;
      if (res.summary && res.summary.status !== 'needs_approval') deletesBefore = deletes;
      if (res.summary?.status !== 'needs_approval') return;
      if (deletes > deletesBefore) {
        approve = true;
        guardStops++;
      } else
        findings.push({
          kind: 'lost_edit',
          message: `${when}: the guard stopped the run (${res.summary.message}) although nobody deleted anything since the last run`,
        });
    };
    const findings: Finding[] = [];

    for (let c = 1; c <= opts.cycles && now() < deadline; c++) {
      cycles = c;
      log.cycle = c;
      const made = people.act(r.int(1, opts.maxEdits ?? 5));
      boxes.setFaults(faultSpec(opts.seed * 1000 + c, opts.faultRate ?? 0.03, opts.revokeRate ?? 0.002));
      const before = revokes(boxes);
      const killsLeft = opts.kills - kills;
      const cyclesLeft = opts.cycles - c + 1;
      const kill = killsLeft > 0 && r.chance(Math.min(1, (killsLeft * 1.3) / cyclesLeft));
      // Every child run is a first run of its process, so a full reconcile; some cycles run in-process instead, as
      // the app's timer does — incremental, from the change-feed cursors — sometimes crashing between a write and
      // its confirmation.
      const res =
        !kill && r.chance(opts.inProcessShare ?? 0.25)
          ? await inProcess(r.chance(0.3) ? r.int(1, 4) : undefined)
          : await child(
              kill
                ? // With as many kills left as cycles, the kill must land: within the run's first part, not after it.
                  killsLeft >= cyclesLeft
                  ? r.int(200, Math.max(300, Math.round(typicalMs * 0.5)))
                  : r.int(300, Math.max(600, Math.round(typicalMs * 1.1)))
                : undefined,
            );
      boxes.setFaults(undefined);
      if (res.killed && res.signal === 'SIGKILL') kills++;
      else if (!res.killed && res.stdout) typicalMs = Math.round(typicalMs * 0.7 + res.durationMs * 0.3);
      review(res, `cycle ${c}`);
      const after = revokes(boxes);
      const again = (
        [
          ['ghl', after.ghl > before.ghl],
          ['aroflo', after.aroflo > before.aroflo],
        ] as const
      )
        .filter(([, x]) => x)
        .map(([s]) => s);
      if (again.length) {
        revoked += again.length;
        for (const sec of await signInAgain(profile, boxes, [...again])) secrets.add(sec);
        noteSecrets();
      }
      const how = res.stdout || res.signal ? '' : ' (in-process, incremental)';
      opts.onCycle?.({
        cycle: c,
        edits: made,
        killed: res.killed,
        status: `${res.killed ? (res.signal ? 'killed' : 'crashed') : (res.summary?.status ?? '?')}${how}`,
        writes: writesOf(res.summary),
        durationMs: res.durationMs,
      });
    }

    // Faults off: sync until a run writes nothing (and the one after it, to see it stays quiet).
    boxes.setFaults(undefined);
    let convergeCycles = 0;
    let quiet = 0;
    while (convergeCycles < MAX_CONVERGE_RUNS && quiet < 2) {
      convergeCycles++;
      const res = await child(undefined, true);
      review(res, `settle run ${convergeCycles}`);
      quiet = res.summary && res.summary.status === 'ok' && writesOf(res.summary) === 0 ? quiet + 1 : 0;
      opts.onCycle?.({
        cycle: -convergeCycles,
        edits: 0,
        killed: false,
        status: res.summary?.status ?? '?',
        writes: writesOf(res.summary),
        durationMs: res.durationMs,
      });
    }
    const converged = quiet >= 2;
    if (!converged)
      findings.push({
        kind: 'lost_edit',
        message: `the sync did not settle: still writing after ${MAX_CONVERGE_RUNS} runs without faults`,
      });

    const db = openDatabase(join(profile.dir, 'ghl-bridge.db'));
    try {
      const store = openSqliteStore(db);
      const stats = store.stats.conflicts();
      const linkedPeople = new Set(
        store.links
          .active('ghl-aroflo', 'contact')
          .map((l) => l.other_id ?? '')
          .filter((id) => id.startsWith('client:'))
          .map((id) => id.slice('client:'.length)),
      );
      const snap = takeSnapshot(boxes, { linkedPeople });
      const auditSample = 400;
      findings.push(...checkAll({ store, snap, baseline, edits: log.edits, rng: r, auditSample }));
      const faults = faultTotals(boxes);
      const n = (k: Finding['kind']) => findings.filter((f) => f.kind === k).length;
      const report: SoakReport = {
        seed: opts.seed,
        cycles,
        edits: log.edits.length,
        kills,
        crashes,
        guardStops,
        faults: { ...faults, total: Object.values(faults).reduce((a, x) => a + x, 0) },
        revokedCredentials: revoked,
        runs,
        convergeCycles: convergeCycles - (converged ? 1 : 0),
        converged,
        duplicates: n('duplicate'),
        lostEdits: n('lost_edit'),
        idMapErrors: n('id_map'),
        baseErrors: n('base'),
        auditErrors: n('audit'),
        auditRowsChecked: Math.min(auditSample, store.stats.auditWrites()),
        conflictsRaised: stats.conflicts,
        duplicatesForReview: stats.duplicates,
        openConflicts: stats.open,
        findings,
        durationMs: now() - started,
        profileDir: profile.dir,
        stderrFile,
        secrets: [...secrets],
        ok: findings.length === 0,
      };
      return report;
    } finally {
      db.close();
    }
  } finally {
    await boxes.close();
    if (!opts.keep) rmSync(workDir, { recursive: true, force: true });
  }
}

/** Every credential the sandboxes handed out so far (the scans look for each). */
export function collectSecrets(boxes: Sandboxes): string[] {
  const g = boxes.ghl.credentials;
  const a = boxes.aroflo.credentials;
  const f = boxes.aimfox.credentials;
  return [g.privateToken, g.oauth.clientSecret, a.pEncoded, a.secretKey, f.apiKey, f.masterKey].filter(
    (s): s is string => typeof s === 'string' && s.length >= 6,
  );
}
