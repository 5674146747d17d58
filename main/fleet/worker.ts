/**
 * `ghl-bridge worker`: one process of the fleet. It takes location syncs from the job engine (engine.ts), runs each
 * with the same service the desktop app runs (main/service), under the location's run lock in PostgreSQL, records the
 * run in the ledger, and queues the location's next run after its interval. SIGTERM drains: no new job is taken, the
 * running ones finish, the process exits 0. main/fleet/README.md has the whole picture.
 */
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import type PgBoss from 'pg-boss';
import { NothingToSyncError, SyncBusyError } from '../service/sync.js';
import { isConnectorError } from '../connectors/shared/errors.js';
import { FleetStore, locationSchema } from '../store/fleet/index.js';
import { fleetKeySource, PgVault } from '../store/pg/secrets.js';
import { VaultError } from '../store/vault.js';
import {
  DEFAULT_TIMING,
  pickupBoundSeconds,
  queueRun,
  startEngine,
  SYNC_QUEUE,
  TICK_QUEUE,
  type EngineTiming,
  type SyncJobData,
} from './engine.js';
import { openFleetLocation } from './location.js';

export interface WorkerOptions {
  databaseUrl: string;
  /** Where each location's sync store lives (one folder per location; main/fleet/README.md, "Stores"). */
  dataDir: string;
  /** Locations this process syncs at once. */
  concurrency?: number;
  timing?: Partial<EngineTiming>;
  env?: NodeJS.ProcessEnv;
  /** Names this worker in the run ledger and the logs (default host:pid). */
  name?: string;
  log?: (line: string) => void;
}

export interface Worker {
  readonly name: string;
  readonly timing: EngineTiming;
  /** Stop taking jobs, let the running ones finish, disconnect. */
  drain(): Promise<void>;
}

/** Retries a bookkeeping write while PostgreSQL restarts (about a minute), so a run that finished is recorded. */
async function persist<T>(fn: () => Promise<T>, tries = 30): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= tries) throw e;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

export async function startWorker(opts: WorkerOptions): Promise<Worker> {
  const env = opts.env ?? process.env;
  const timing: EngineTiming = { ...DEFAULT_TIMING, ...opts.timing };
  const name = opts.name ?? `${hostname()}:${process.pid}`;
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const keySource = fleetKeySource(env);
  if (!keySource)
    throw new VaultError(
      "Set GHL_BRIDGE_FLEET_KEY (or GHL_BRIDGE_FLEET_KEY_FILE) for the worker: the locations' secrets are encrypted with it.",
      'no_key',
    );
  const fleet = new FleetStore(opts.databaseUrl);
  await persist(() => fleet.migrate(), 5);
  // A worker with another key than the fleet's would open no location's secrets, so it is refused here rather than
  // skipping every location as if it had nothing to sync: one location's key-check row proves the key.
  const probe = (await fleet.locations())[0];
  if (probe) {
    const v = new PgVault({ connectionString: opts.databaseUrl, schema: locationSchema(probe.id), source: keySource });
    try {
      await v.names();
    } catch (e) {
      await fleet.close();
      throw e;
    } finally {
      await v.close();
    }
  }
  const boss = await startEngine(opts.databaseUrl, timing, (e) => log(`job engine: ${e.message}`));
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const running = new Set<Promise<unknown>>();
  let draining = false;

  const runOne = async (job: PgBoss.Job<SyncJobData>): Promise<string> => {
    const id = job.data.locationId;
    const lock = await fleet.tryLocationLock(id);
    // The engine's singleton queue already keeps one run per location; this is the second guard (an expired job
    // retried while its first worker still runs). The next run is queued all the same (at most one waits per
    // location), so the location's chain of runs never ends here.
    if (!lock) {
      const loc = await fleet.location(id);
      if (loc) await persist(() => queueRun(boss, id, loc.intervalSeconds));
      return 'skipped: already running';
    }
    // A PostgreSQL restart drops the lock's session: it is taken again at once (retried while the server comes back);
    // when another worker holds it by then, this run stops at its next statement (its store is closed between two
    // statements, never inside a transaction; the outbox makes a write in flight safe).
    let stopped: string | undefined;
    let stopRun = () => undefined as void;
    lock.onLost(() => {
      void (async () => {
        for (let i = 0; i < 60 && !stopped; i++) {
          try {
            if (await lock.retake()) return log(`${id}: run lock taken again after PostgreSQL dropped it`);
            break;
          } catch {
            await new Promise((r) => setTimeout(r, 1000));
          }
        }
        stopped ??= 'the run lock was lost and could not be taken again (another worker may run this location)';
        log(`${id}: ${stopped}; stopping the run`);
        stopRun();
      })();
    });
    let ledger: number | undefined;
    let outcome = 'failed';
    let detail: string | undefined;
    let writes: number | undefined;
    let requests: Record<string, number> | undefined;
    try {
      ledger = await fleet.runStarted(id, name, job.id).catch(async (e: unknown) => {
        // The INSERT may have committed with its answer lost (a PostgreSQL restart): that row would read as a run
        // still going for ever. Close it (it never ran), then fail the job so the engine retries it.
        const why = `the run could not be recorded: ${(e as Error).message}`;
        await persist(() => fleet.runsNotStarted(id, name, job.id, why)).catch(() => undefined);
        throw e;
      });
      const loc = await fleet.location(id);
      if (!loc) return (outcome = 'skipped: removed');
      if (loc.paused) return (outcome = 'skipped: paused');
      if (loc.needsSignIn) return (outcome = 'skipped: needs sign-in');
      // The location's store and secrets live in its own schema (main/fleet/location.ts).
      const { svc, close, closeStore } = await openFleetLocation({
        fleet,
        databaseUrl: opts.databaseUrl,
        id,
        dataDir: opts.dataDir,
        keySource,
        env,
        processName: `ghl-bridge worker ${name}`,
        persist: (fn) => persist(fn),
      });
      stopRun = () => closeStore();
      if (stopped) stopRun();
      // A secret store that cannot be opened (a wrong key, a damaged row) fails the run with its reason; it is no skip.
      if (svc.connections.vaultProblem) {
        const why = svc.connections.vaultProblem;
        await close();
        throw new Error(why);
      }
      const errors: unknown[] = [];
      const note = svc.connections.noteError.bind(svc.connections);
      svc.connections.noteError = (e) => {
        errors.push(e);
        note(e);
      };
      let retryAfter: number | undefined;
      try {
        // Paused in the window (`serve --database` writes the location's settings row): no run until resumed.
        if (svc.config.read().paused) throw new NothingToSyncError('paused');
        const s = await svc.sync.runNow({ trigger: 'timer', dryRun: false });
        outcome = s.status;
        detail = s.message;
        const sum = (o: Record<string, number | undefined>) =>
          Object.values(o).reduce<number>((a, n) => a + (n ?? 0), 0);
        writes = sum(s.created) + sum(s.updated) + sum(s.deleted);
        requests = s.requests;
        const signedOut = errors.find((e) => isConnectorError(e) && (e.kind === 'signed_out' || e.kind === 'scope'));
        const limited = errors.find((e) => isConnectorError(e) && e.kind === 'rate_limited');
        if (signedOut || svc.connections.anySignedOut()) {
          // Sign-in errors are not retried: the location waits for a person (`fleet status` names it).
          outcome = 'needs_sign_in';
          detail = (signedOut as Error | undefined)?.message ?? 'a system needs signing in again';
          await persist(() => fleet.setNeedsSignIn(id, detail));
        } else if (s.status === 'failed' && limited && isConnectorError(limited)) {
          // Rate limited: the next run comes after the wait the service asked for, not sooner.
          retryAfter = Math.max(loc.intervalSeconds, Math.ceil((limited.retryAfterMs ?? 60_000) / 1000));
        } else if (s.status === 'failed' && !stopped) {
          throw new Error(`sync failed: ${s.message ?? 'see the location log'}`);
        }
      } catch (e) {
        if (e instanceof NothingToSyncError) outcome = `skipped: ${e.message}`;
        else if (e instanceof SyncBusyError) outcome = 'skipped: already running';
        else if (!stopped) throw e;
      } finally {
        await close();
      }
      if (outcome !== 'needs_sign_in') await persist(() => queueRun(boss, id, retryAfter ?? loc.intervalSeconds));
      if (stopped) {
        detail = stopped;
        return (outcome = 'stopped: run lock lost');
      }
      return outcome;
    } catch (e) {
      detail = (e as Error).message;
      throw e;
    } finally {
      if (ledger !== undefined) {
        const l = ledger;
        await persist(() => fleet.runEnded(l, outcome, detail, { writes, requests })).catch(() => undefined);
      }
      await lock.release();
    }
  };

  /** Queue a run for every location that syncs and has none waiting (new locations, a chain a failure ended). */
  const tick = async () => {
    if (draining) return;
    const have = await fleet.locationsWithJobs(SYNC_QUEUE);
    for (const l of await fleet.locations())
      if (!l.paused && !l.needsSignIn && !have.has(l.id)) await queueRun(boss, l.id);
  };

  const concurrency = Math.max(1, opts.concurrency ?? 1);
  for (let i = 0; i < concurrency; i++) {
    await boss.work<SyncJobData>(
      SYNC_QUEUE,
      { batchSize: 1, pollingIntervalSeconds: timing.pollSeconds },
      async ([job]) => {
        if (!job) return;
        const p = runOne(job).then(
          (outcome) => log(`${job.data.locationId}: ${outcome}`),
          (e: Error) => {
            log(`${job.data.locationId}: failed (${e.message}); the engine retries it with backoff`);
            throw e;
          },
        );
        running.add(p);
        try {
          await p;
        } finally {
          running.delete(p);
        }
      },
    );
  }
  await boss.work(TICK_QUEUE, { pollingIntervalSeconds: timing.pollSeconds }, async () => tick());
  await boss.schedule(TICK_QUEUE, '* * * * *');
  await tick().catch((e: Error) => log(`tick: ${e.message}`));

  log(
    `worker ${name}: syncing from ${fleet.url.replace(/\/\/[^@/]*@/, '//')}, ${concurrency} location(s) at a time. ` +
      `A location whose worker dies is picked up by another within ${pickupBoundSeconds(timing)} s ` +
      `(expiry ${timing.expireSeconds} s + maintenance ${timing.maintenanceSeconds} s + retry ≤ ${2 * timing.retryDelaySeconds} s + poll ${timing.pollSeconds} s).`,
  );

  return {
    name,
    timing,
    async drain() {
      draining = true;
      await boss.offWork(SYNC_QUEUE);
      await boss.offWork(TICK_QUEUE);
      await Promise.allSettled([...running]);
      await boss.stop({ graceful: true, wait: true, timeout: 5000 });
      await fleet.close();
    },
  };
}
