/**
 * The fleet's test bed (test/fleet/README.md): a throwaway PostgreSQL cluster (test/support/pg-cluster.ts), one set
 * of sandboxes per location (real HTTP), each location set up as a person would (test/soak/harness/profile.ts) and
 * added to the fleet, and `ghl-bridge worker` processes started, SIGKILLed and SIGTERMed like real ones. The checks
 * read the run ledger and each location's store; the sandboxes are checked with the soak's invariants.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandboxes, type Sandboxes } from '../../main/sandbox/index.js';
import { DEMO_REDIRECT } from '../../main/cli/demo.js';
import { addLocation } from '../../main/fleet/admin.js';
import { FleetStore, locationSchema, type FleetRun } from '../../main/store/fleet/index.js';
import { openPgStore, type PgStore } from '../../main/store/pg/index.js';
import { startPgCluster, type PgCluster } from '../support/pg-cluster.js';
import { prepareProfile, type SoakProfile } from '../soak/harness/profile.js';
import { takeSnapshot, type Snapshot } from '../soak/harness/snapshot.js';
import { EditLog, People } from '../soak/harness/edits.js';
import { checkAll, type Finding } from '../soak/harness/invariants.js';
import { rng, type Rng } from '../soak/harness/random.js';
import { BIN } from '../soak/harness/child.js';

export interface BedLocation {
  id: string;
  boxes: Sandboxes;
  profile: SoakProfile;
  baseline: Snapshot;
  log: EditLog;
  people: People;
}

export interface WorkerProc {
  readonly pid: number;
  readonly name: string;
  readonly lines: string[];
  readonly child: ChildProcess;
  /** When we sent SIGKILL (ms), for the overlap check of the run it left open. */
  killedAt?: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

export interface BedOptions {
  locations: number;
  seed?: number;
  contacts?: number;
  intervalSeconds?: number;
  rateScale?: number;
  /**
   * Every how many runs a full re-read (default 1: every run, so a check right after a run sees every edit —
   * HighLevel has no change feed for tasks and notes, main/sync/README.md). The soak uses the product's default.
   */
  fullRereadEvery?: number;
  /** Engine timing passed to every worker (short in tests, so a dead worker's location is picked up quickly). */
  timing?: { expireSeconds: number; maintenanceSeconds: number; retryDelaySeconds: number; pollSeconds: number };
}

export const TEST_TIMING = { expireSeconds: 30, maintenanceSeconds: 2, retryDelaySeconds: 1, pollSeconds: 1 };

/** The bound the worker states for these timings (main/fleet/engine.ts `pickupBoundSeconds`). */
export const boundOf = (t: BedOptions['timing'] & object) =>
  t.expireSeconds + t.maintenanceSeconds + 2 * t.retryDelaySeconds + t.pollSeconds;

export class FleetBed {
  readonly workers: WorkerProc[] = [];
  readonly r: Rng;
  private constructor(
    readonly pg: PgCluster,
    readonly url: string,
    readonly fleetKey: string,
    readonly dir: string,
    readonly store: FleetStore,
    readonly locations: BedLocation[],
    readonly opts: BedOptions,
  ) {
    this.r = rng(opts.seed ?? 1);
  }

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  get timing() {
    return this.opts.timing ?? TEST_TIMING;
  }

  static async start(opts: BedOptions): Promise<FleetBed> {
    const pg = await startPgCluster({ settings: { max_connections: '300' } });
    const dir = mkdtempSync(join(tmpdir(), 'ghlb-fleet-'));
    try {
      const url = await pg.createDatabase('fleet');
      const fleetKey = randomBytes(32).toString('base64');
      const scale = opts.rateScale ?? 200;
      const locations: BedLocation[] = [];
      for (let i = 0; i < opts.locations; i++) {
        const id = `loc-${String(i + 1).padStart(2, '0')}`;
        const seed = (opts.seed ?? 1) * 100 + i;
        const boxes = await startSandboxes({
          seed,
          contacts: opts.contacts ?? 20,
          rateLimits: scale,
          admin: true,
          redirectUris: [DEMO_REDIRECT],
        });
        const baseline = takeSnapshot(boxes);
        const profile = await prepareProfile(boxes, scale, join(dir, 'setup', id));
        await addLocation({
          databaseUrl: url,
          id,
          fromProfile: profile.dir,
          intervalSeconds: opts.intervalSeconds ?? 2,
          env: { GHL_BRIDGE_FLEET_KEY: fleetKey, GHL_BRIDGE_VAULT_KEY: profile.vaultKey },
        });
        const store = new FleetStore(url);
        try {
          const c = await store.readConfig(id);
          c.settings.fullRereadEvery = opts.fullRereadEvery ?? 1;
          await store.writeConfig(id, c);
        } finally {
          await store.close();
        }
        const log = new EditLog();
        locations.push({ id, boxes, profile, baseline, log, people: new People(boxes, rng(seed), log) });
      }
      const store = new FleetStore(url);
      return new FleetBed(pg, url, fleetKey, dir, store, locations, opts);
    } catch (e) {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** `ghl-bridge worker` in a child process, as a service manager would start it. */
  startWorker(extra: string[] = [], env: NodeJS.ProcessEnv = {}): WorkerProc {
    const t = this.timing;
    const child = spawn(
      process.execPath,
      [
        BIN,
        'worker',
        '--database',
        this.url,
        '--data-dir',
        this.dataDir,
        '--expire-seconds',
        String(t.expireSeconds),
        '--maintenance-seconds',
        String(t.maintenanceSeconds),
        '--retry-delay-seconds',
        String(t.retryDelaySeconds),
        '--poll-seconds',
        String(t.pollSeconds),
        ...extra,
      ],
      { env: { ...process.env, GHL_BRIDGE_FLEET_KEY: this.fleetKey, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const lines: string[] = [];
    const collect = (d: string) => lines.push(...d.split('\n').filter(Boolean));
    child.stdout!.setEncoding('utf8').on('data', collect);
    child.stderr!.setEncoding('utf8').on('data', collect);
    const w: WorkerProc = {
      pid: child.pid!,
      // The worker names itself host:pid (main/fleet/worker.ts).
      name: `${hostname()}:${child.pid}`,
      lines,
      child,
      exited: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal }))),
      kill(signal) {
        if (signal === 'SIGKILL') w.killedAt = Date.now();
        child.kill(signal);
      },
    };
    this.workers.push(w);
    return w;
  }

  runs(locationId?: string): Promise<FleetRun[]> {
    return this.store.runs(locationId);
  }

  /** Wait until `fn` is true, polling; throws after `ms` with `what`. */
  async until(what: string, fn: () => Promise<boolean> | boolean, ms: number): Promise<number> {
    const t0 = Date.now();
    for (;;) {
      if (await fn()) return Date.now() - t0;
      if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /**
   * Runs of one location that overlapped: each run's interval is [start, end], a run left open by a SIGKILLed worker
   * ends when it was killed (its lock went with its connection; the next run can only start after that).
   */
  async overlaps(): Promise<string[]> {
    const killed = new Map(this.workers.filter((w) => w.killedAt).map((w) => [w.name, w.killedAt!]));
    const out: string[] = [];
    const byLoc = new Map<string, FleetRun[]>();
    for (const r of await this.runs()) byLoc.set(r.locationId, [...(byLoc.get(r.locationId) ?? []), r]);
    for (const [loc, runs] of byLoc) {
      runs.sort((a, b) => a.startedAt - b.startedAt);
      let prevEnd = -Infinity;
      let prev: FleetRun | undefined;
      for (const r of runs) {
        if (r.startedAt < prevEnd)
          out.push(`${loc}: run ${r.id} on ${r.worker} started while run ${prev?.id} on ${prev?.worker} was running`);
        const end = r.endedAt ?? killed.get(r.worker) ?? Infinity;
        if (end > prevEnd) {
          prevEnd = end;
          prev = r;
        }
      }
    }
    return out;
  }

  /** The soak's checks on each location (duplicates, lost edits, ID map, bases, audit), against its own store. */
  check(auditSample = 100): Array<Finding & { location: string }> {
    const out: Array<Finding & { location: string }> = [];
    for (const l of this.locations) {
      const store = this.openStore(l.id);
      try {
        const linkedPeople = new Set(
          store.links
            .active('ghl-aroflo', 'contact')
            .map((k) => k.other_id ?? '')
            .filter((id) => id.startsWith('client:'))
            .map((id) => id.slice('client:'.length)),
        );
        const snap = takeSnapshot(l.boxes, { linkedPeople });
        for (const f of checkAll({ store, snap, baseline: l.baseline, edits: l.log.edits, rng: this.r, auditSample }))
          out.push({ ...f, location: l.id });
      } finally {
        store.close();
      }
    }
    return out;
  }

  /** A location's store, in its schema of the fleet database (as the worker opens it). Close it after use. */
  openStore(id: string): PgStore {
    return openPgStore({ connectionString: this.url, schema: locationSchema(id) });
  }

  async close(): Promise<void> {
    for (const w of this.workers) if (w.child.exitCode === null && w.child.signalCode === null) w.kill('SIGKILL');
    await Promise.all(this.workers.map((w) => w.exited));
    await this.store.close().catch(() => undefined);
    for (const l of this.locations) await l.boxes.close();
    await this.pg.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
