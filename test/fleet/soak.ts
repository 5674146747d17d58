/**
 * The fleet soak (test/fleet/README.md): N locations, each on its own sandboxes, synced by W `ghl-bridge worker`
 * processes on one PostgreSQL. People edit at random in every system of every location; workers are SIGKILLed and
 * replaced; PostgreSQL is restarted once (immediate: a crash and recovery) mid-run. Then the faults stop, every run is
 * made a full re-read, and each location must settle (two runs in a row that write nothing). Checked: no two runs of a
 * location overlapped (the run ledger), and the soak's invariants per location (duplicates, lost edits, ID map, bases,
 * audit — test/soak/harness/invariants.ts).
 */
import { FleetBed } from './harness.js';
import { locationSchema, type FleetRun } from '../../main/store/fleet/index.js';

export interface FleetSoakOptions {
  locations: number;
  workers: number;
  /** Edit rounds (each: some locations edited, a pause of `pauseMs`). */
  cycles: number;
  kills: number;
  seed: number;
  contacts?: number;
  pauseMs?: number;
  /** Restart PostgreSQL once, halfway (default true). */
  pgRestart?: boolean;
  /** Longest wait for every location to settle after the faults stop. */
  settleMinutes?: number;
  onProgress?: (line: string) => void;
}

export interface FleetSoakReport {
  seed: number;
  locations: number;
  workers: number;
  cycles: number;
  edits: number;
  kills: number;
  pgRestarts: number;
  runs: Record<string, number>;
  runsTotal: number;
  overlaps: string[];
  settled: boolean;
  settleSeconds: number;
  duplicates: number;
  lostEdits: number;
  idMapErrors: number;
  baseErrors: number;
  auditErrors: number;
  findings: Array<{ kind: string; message: string; location: string }>;
  /** PostgreSQL bytes per location: its schema (store and secrets) plus its share of the fleet's and the engine's. */
  pgBytesPerLocation: number;
  /** Of which its own schema (tables and indexes). */
  storeBytesPerLocation: number;
  durationMs: number;
  ok: boolean;
}

/** A location settled when its last two ended runs are ok and wrote nothing. */
function settled(runs: FleetRun[], since: number): boolean {
  const done = runs.filter((r) => r.endedAt !== undefined && r.startedAt > since);
  const last = done.slice(-2);
  return last.length === 2 && last.every((r) => r.outcome === 'ok' && r.writes === 0);
}

export async function runFleetSoak(o: FleetSoakOptions): Promise<FleetSoakReport> {
  const t0 = Date.now();
  const say = o.onProgress ?? (() => undefined);
  const bed = await FleetBed.start({
    locations: o.locations,
    seed: o.seed,
    contacts: o.contacts ?? 12,
    intervalSeconds: 2,
  });
  try {
    // The soak's people delete on purpose; the guard would ask a person to approve those runs. The soak approves up
    // front by opening the guard (test/soak/README.md: a guard stop the soak's own deletes explain is approved).
    for (const l of bed.locations) {
      const c = await bed.store.readConfig(l.id);
      c.settings.guard = { maxDeletes: 100_000, maxDeletePercent: 100, maxChanges: 1_000_000, maxChangePercent: 100 };
      await bed.store.writeConfig(l.id, c);
    }
    for (let i = 0; i < o.workers; i++) bed.startWorker();
    say(`${o.locations} locations, ${o.workers} workers on ${bed.url}`);
    const r = bed.r;
    let kills = 0;
    let pgRestarts = 0;
    const restartAt = o.pgRestart === false ? -1 : Math.max(1, Math.floor(o.cycles / 2));
    for (let c = 1; c <= o.cycles; c++) {
      for (const l of bed.locations) if (r.chance(0.6)) l.people.act(r.int(1, 3));
      const killsLeft = o.kills - kills;
      if (killsLeft > 0 && r.chance(Math.min(1, (killsLeft * 1.5) / (o.cycles - c + 1)))) {
        const alive = bed.workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
        // Kill one that is running a sync when there is one (a run cut in the middle), else any.
        const busy = new Set((await bed.runs()).filter((x) => x.endedAt === undefined).map((x) => x.worker));
        const pool = alive.filter((w) => busy.has(w.name));
        const from = pool.length ? pool : alive;
        const victim = from[r.int(0, from.length - 1)];
        if (victim) {
          victim.kill('SIGKILL');
          await victim.exited;
          kills++;
          bed.startWorker();
          say(`cycle ${c}: SIGKILLed ${victim.name}, started a replacement`);
        }
      }
      if (c === restartAt) {
        await bed.pg.restart('immediate');
        pgRestarts++;
        say(`cycle ${c}: PostgreSQL restarted (immediate)`);
      }
      await new Promise((res) => setTimeout(res, o.pauseMs ?? 3000));
    }

    // Faults stop: every run a full re-read (deletes are seen only by a full listing), until each location settles.
    const quietFrom = Date.now();
    for (const l of bed.locations) {
      const c = await bed.store.readConfig(l.id);
      c.settings.fullRereadEvery = 1;
      await bed.store.writeConfig(l.id, c);
    }
    say('faults stopped; waiting for every location to settle');
    let ok = true;
    const settleMs = await bed
      .until(
        'every location to settle',
        async () => {
          const runs = await bed.runs();
          return bed.locations.every((l) =>
            settled(
              runs.filter((x) => x.locationId === l.id),
              quietFrom,
            ),
          );
        },
        (o.settleMinutes ?? 5) * 60_000,
      )
      .catch(() => {
        ok = false;
        return Date.now() - quietFrom;
      });
    const overlaps = await bed.overlaps();
    const findings = bed.check(100);
    const n = (k: string) => findings.filter((f) => f.kind === k).length;
    const runs = await bed.runs();
    const outcomes: Record<string, number> = {};
    for (const x of runs) {
      const k = x.endedAt === undefined ? 'killed or cut off' : (x.outcome ?? '?');
      outcomes[k] = (outcomes[k] ?? 0) + 1;
    }
    let storeBytes = 0;
    for (const l of bed.locations) storeBytes += await bed.store.sizeBytes(locationSchema(l.id));
    const bytes = storeBytes + (await bed.store.sizeBytes('ghl_bridge_fleet')) + (await bed.store.sizeBytes('pgboss'));
    const report: FleetSoakReport = {
      seed: o.seed,
      locations: o.locations,
      workers: o.workers,
      cycles: o.cycles,
      edits: bed.locations.reduce((a, l) => a + l.log.edits.length, 0),
      kills,
      pgRestarts,
      runs: outcomes,
      runsTotal: runs.length,
      overlaps,
      settled: ok,
      settleSeconds: Math.round(settleMs / 1000),
      duplicates: n('duplicate'),
      lostEdits: n('lost_edit'),
      idMapErrors: n('id_map'),
      baseErrors: n('base'),
      auditErrors: n('audit'),
      findings,
      pgBytesPerLocation: Math.round(bytes / o.locations),
      storeBytesPerLocation: Math.round(storeBytes / o.locations),
      durationMs: Date.now() - t0,
      ok: ok && overlaps.length === 0 && findings.length === 0,
    };
    return report;
  } finally {
    await bed.close();
  }
}
