/**
 * `serve --database`: the fleet's locations behind the window (main/service/locations.ts `LocationRegistry`). list() is
 * the locations table; open(id) is the service a worker runs (location.ts) without a scheduler — the workers sync.
 * Mappings, conflicts and settings written in the window go to the location's schema and settings row, read by its
 * next run. "Sync now" queues a job on the workers' queue with the location as singleton key, so it never overlaps a
 * worker's run; the status shows it waiting, running (the run ledger) and done (the run the worker stored).
 */
import type PgBoss from 'pg-boss';
import { BRIDGE_METHODS } from '../../preload/contract.js';
import type { AppStatus, BridgeApi, BridgeMethod, RunSummary } from '../../preload/contract.js';
import { BridgeError } from '../service/errors.js';
import type { LocationRegistry, LocationService, LocationSummary } from '../service/locations.js';
import { FleetStore } from '../store/fleet/index.js';
import { fleetKeySource } from '../store/pg/secrets.js';
import { VaultError, type KeySource } from '../store/vault.js';
import { connectEngine, queueRun, SYNC_QUEUE } from './engine.js';
import { openFleetLocation } from './location.js';

export class FleetLocations implements LocationRegistry {
  private constructor(
    private readonly fleet: FleetStore,
    private readonly boss: PgBoss,
    private readonly o: { databaseUrl: string; dataDir: string; env: NodeJS.ProcessEnv; keySource: KeySource },
  ) {}

  static async open(o: {
    databaseUrl: string;
    dataDir: string;
    env?: NodeJS.ProcessEnv;
    log?: (line: string) => void;
  }): Promise<FleetLocations> {
    const env = o.env ?? process.env;
    const keySource = fleetKeySource(env);
    if (!keySource)
      throw new VaultError(
        "Set GHL_BRIDGE_FLEET_KEY (or GHL_BRIDGE_FLEET_KEY_FILE), the workers' key: the locations' secrets are encrypted with it.",
        'no_key',
      );
    const fleet = new FleetStore(o.databaseUrl);
    try {
      await fleet.migrate();
      const boss = await connectEngine(o.databaseUrl, (e) => o.log?.(`job engine: ${e.message}`));
      return new FleetLocations(fleet, boss, { databaseUrl: o.databaseUrl, dataDir: o.dataDir, env, keySource });
    } catch (e) {
      await fleet.close();
      throw e;
    }
  }

  async list(): Promise<LocationSummary[]> {
    return (await this.fleet.locations()).map((l, i) => ({ id: l.id, name: l.name, primary: i === 0 }));
  }

  async open(id: string): Promise<LocationService> {
    if (!(await this.fleet.location(id))) throw new BridgeError(`There is no fleet location "${id}".`, 'not_found');
    const { svc, close, refreshSettings, settleSettings } = await openFleetLocation({
      fleet: this.fleet,
      databaseUrl: this.o.databaseUrl,
      id,
      dataDir: this.o.dataDir,
      keySource: this.o.keySource,
      env: this.o.env,
      processName: 'ghl-bridge serve',
      writeBack: false,
    });
    // Each call starts from the settings row as it is now in PostgreSQL (a worker or `fleet add-location` may have
    // written it since this service read it), so an edit here never puts back an older copy.
    const inner = {} as Record<BridgeMethod, (arg?: unknown) => Promise<unknown>>;
    for (const m of BRIDGE_METHODS)
      inner[m] = async (arg?: unknown) => {
        await refreshSettings();
        try {
          return await (svc.api[m] as (a?: unknown) => Promise<unknown>)(arg);
        } finally {
          // The call's settings writes are in PostgreSQL when it answers (the next worker run reads them).
          await settleSettings();
        }
      };
    const api = { ...inner } as unknown as BridgeApi;
    // No sync runs in serve: every real run the window asks for ("Sync now", applying a resolved conflict or a
    // rule) becomes a job for the workers, so it never runs beside a worker's run. Only previews run here, under the
    // location's fleet lock.
    const runHere = svc.sync.runNow.bind(svc.sync);
    svc.sync.runNow = async (req) => {
      if (req.dryRun) return this.preview(id, () => runHere(req));
      if (req.approve)
        throw new BridgeError(
          'A fleet location runs on the workers: approve its held-back changes with `ghl-bridge sync --approve` on a profile of it, or widen its guard in Settings.',
          'unsupported',
        );
      return this.queue(id);
    };
    svc.sync.undo = async () => {
      throw new BridgeError(
        'Undo writes to the systems outside a worker run; in the fleet it is not offered (undo from a profile of the location).',
        'unsupported',
      );
    };
    api.getStatus = async () => this.status(id, await (inner.getStatus as () => Promise<AppStatus>)());
    return { api, subscribe: (fn) => svc.subscribe(fn), logger: svc.logger, close };
  }

  /** A preview reads the systems and settles nothing on its own: it runs here, under the location's fleet lock. */
  private async preview(id: string, run: () => Promise<RunSummary>): Promise<RunSummary> {
    const lock = await this.fleet.tryLocationLock(id);
    if (!lock)
      throw new BridgeError('A worker is syncing this location now; preview again when it has finished.', 'busy');
    try {
      return await run();
    } finally {
      await lock.release();
    }
  }

  /**
   * "Sync now": a job for the workers, now. A run already waiting for its interval is brought forward (cancelled
   * and queued again); one waiting to start or running is left as it is (the queue keeps one of each per location).
   */
  private async queue(id: string): Promise<RunSummary> {
    // The queue is made by the first worker to start (engine.ts); before that there is nobody to run the job.
    if (!(await this.boss.getQueue(SYNC_QUEUE)))
      throw new BridgeError(
        'No worker has started on this fleet yet: start `ghl-bridge worker`, then sync.',
        'unsupported',
      );
    const jobs = await this.fleet.locationJobs(SYNC_QUEUE, id);
    const now = Date.now();
    const later = jobs.filter((j) => j.state === 'created' && j.startAfter > now);
    if (later.length)
      await this.boss.cancel(
        SYNC_QUEUE,
        later.map((j) => j.id),
      );
    const jobId = await queueRun(this.boss, id);
    const waiting = jobs.find((j) => j.state !== 'active' && j.startAfter <= now);
    return {
      id: jobId ?? waiting?.id ?? id,
      trigger: 'manual',
      dryRun: false,
      status: 'running',
      startedAt: now,
      created: {},
      updated: {},
      deleted: {},
      conflicts: 0,
      errors: 0,
      requests: { ghl: 0, aroflo: 0, aimfox: 0 },
      message:
        jobId || waiting ? 'Queued: a worker runs it next.' : 'A worker is running it now; its next run is queued.',
    };
  }

  /** The service's status, with the run the workers have waiting or running for this location. */
  private async status(id: string, s: AppStatus): Promise<AppStatus> {
    const [jobs, runs] = await Promise.all([this.fleet.locationJobs(SYNC_QUEUE, id), this.fleet.runs(id)]);
    const open = runs.filter((r) => r.endedAt === undefined).at(-1);
    const now = Date.now();
    const due = jobs.find((j) => j.state !== 'active' && j.startAfter <= now);
    const next = jobs.find((j) => j.state !== 'active');
    const out: AppStatus = { ...s, nextRunAt: next?.startAfter ?? s.nextRunAt };
    if (open) {
      out.syncing = true;
      out.progress = { runId: String(open.id), phase: 'running', done: 0, message: `Running on ${open.worker}` };
    } else if (due) {
      out.syncing = true;
      out.progress = { runId: due.id, phase: 'queued', done: 0, message: 'Queued: waiting for a worker' };
    }
    return out;
  }

  async close(): Promise<void> {
    await this.boss.stop({ graceful: false, wait: true });
    await this.fleet.close();
  }
}
