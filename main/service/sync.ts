/**
 * The sync loop around the engine: one run at a time (the timer, "Sync now", previews and resolutions share a
 * lock), a scheduler with jitter and backoff that pauses while signed out, mappings and their previews, undo,
 * duplicate decisions, progress and activity events.
 */
import { randomBytes } from 'node:crypto';
import {
  PAIR_IDS,
  type PairId,
  type PairMapping,
  type PlanPreview,
  type Progress,
  type RunSummary,
  type RunTrigger,
  type SystemId,
} from '../../preload/contract.js';
import type { ConfigStore } from '../store/settings.js';
import type { ConflictRow, Store } from '../store/repositories.js';
import {
  createRunContext,
  defaultMapping,
  demandOf,
  mappingFingerprint,
  needsPreview,
  nextDelay,
  PAIR_DECLARATIONS,
  pairOrder,
  planCounts,
  runSync,
  saveFeedState,
  checkLinked,
  type RunScope,
  type WiredEntity,
  undoRun,
  wireEntities,
  type RunResult,
} from '../sync/index.js';
import type { Connections } from './connections.js';
import type { EventBus } from './events.js';
import type { Logger } from './logger.js';
import { acquireLock, describeOwner, LockBusyError, type HeldLock } from '../store/lock.js';
import { envChange, type RunEnvFacts } from '../sync/fields/fingerprint.js';
import { pairUsesEnv, runTransformEnv } from '../sync/sides/env.js';
import { BudgetKeeper } from './budget.js';
import { checkAfterRunOf } from '../domain/defaults.js';
import { findingLinks, saveFindings } from './findings.js';

/** When the last check after a run ran (ms), in the profile's meta (main/sync/README.md, "The check after a run"). */
const CHECK_LAST_AT = 'check:last-at';

export class NothingToSyncError extends Error {
  readonly kind = 'setup';
  constructor(message: string) {
    super(message);
    this.name = 'NothingToSyncError';
  }
}

/** Only the floor kept for writes is left of an API's daily budget: the sync waits for the budget-day's reset. */
export class BudgetSpentError extends NothingToSyncError {
  constructor(message: string) {
    super(message);
    this.name = 'BudgetSpentError';
  }
}

export class SyncBusyError extends Error {
  constructor(
    message = 'A sync is already running — it will finish shortly.',
    /** The run lock is held by another process (not a run in this one). */
    readonly foreign = false,
  ) {
    super(message);
    this.name = 'SyncBusyError';
    (this as { kind?: string }).kind = 'busy';
  }
}

export interface RunRequest {
  trigger: RunTrigger;
  dryRun: boolean;
  approve?: boolean;
  full?: boolean;
  /** Only these pairs (a preview names one). Default: every pair whose sync is on and previewed. */
  pairs?: PairId[];
  /** Only these records ("Sync this record now"): read by id, planned and written as any run (main/sync/README.md). */
  scope?: RunScope;
}

/** Every pair, in sync order (a pair that reads what another writes into HighLevel runs after it). */
const PAIRS: PairId[] = pairOrder(PAIR_IDS);

export class SyncService {
  readonly store: Store;
  /** The daily budget ledger and planner (main/sync/README.md, "Daily budget and the rolling re-read"). */
  readonly budget: BudgetKeeper;
  running = false;
  progress?: Progress;
  nextRunAt?: number;
  /** Why the last scheduled sync could not start (cleared when a run starts): shown under Needs attention. */
  scheduleProblem?: string;
  /**
   * Pairs the last real run left out because the business's country or time zone is not the one their preview read
   * phones and dates in (why, per pair): shown under Needs attention until a run finds them covered again.
   */
  envProblems = new Map<PairId, string>();
  private timer?: NodeJS.Timeout;
  private stopped = true;
  private failures = 0;
  private current?: Promise<unknown>;

  constructor(
    private readonly ctx: {
      store: Store;
      config: ConfigStore;
      connections: Connections;
      logger: Logger;
      events: EventBus;
      now: () => number;
      random?: () => number;
      /** A lock file shared by every process on the profile: one run at a time across processes, not only in this one. */
      runLockPath?: string;
      /** Names this process in "a sync is running in …". */
      processName?: string;
    },
  ) {
    this.store = ctx.store;
    this.budget = new BudgetKeeper({
      store: ctx.store,
      settings: () => ctx.config.read().settings,
      requestCounts: () => ctx.connections.requestCounts(),
      now: ctx.now,
    });
  }

  // ---- mappings ----

  mappings(): PairMapping[] {
    const cfg = this.ctx.config.read();
    const out = PAIRS.map((p) => cfg.mappings.find((m) => m.pair === p) ?? defaultMapping(p));
    if (out.length !== cfg.mappings.length || out.some((m, i) => m !== cfg.mappings[i])) {
      this.ctx.config.write({ ...cfg, mappings: out });
    }
    return out;
  }

  saveMapping(m: PairMapping, opts: { keepPreview?: boolean } = {}): PairMapping {
    const cfg = this.ctx.config.read();
    const fingerprint = mappingFingerprint(m);
    const previous = cfg.mappings.find((x) => x.pair === m.pair);
    const next: PairMapping = {
      ...m,
      fingerprint,
      previewedFingerprint: opts.keepPreview ? m.previewedFingerprint : previous?.previewedFingerprint,
      previewedEnv: opts.keepPreview ? m.previewedEnv : previous?.previewedEnv,
    };
    this.ctx.config.write({ ...cfg, mappings: [...cfg.mappings.filter((x) => x.pair !== m.pair), next] });
    if (previous && previous.fingerprint !== fingerprint)
      this.ctx.logger.info(`Mapping ${m.label} changed; the next sync waits for a preview.`);
    return next;
  }

  // ---- runs ----

  private newRunId(): string {
    return `run_${new Date(this.ctx.now())
      .toISOString()
      .replace(/[-:.TZ]/g, '')
      .slice(0, 14)}_${randomBytes(3).toString('hex')}`;
  }

  /** Run now, waiting for the lock only for resolutions; a second manual/timer run while one is going is refused. */
  async runNow(req: RunRequest): Promise<RunSummary> {
    return (await this.execute(req)).summary;
  }

  async execute(req: RunRequest): Promise<RunResult & { envs: Partial<Record<PairId, RunEnvFacts>> }> {
    if (this.running) {
      if (req.trigger !== 'resolution') throw new SyncBusyError();
      await this.current?.catch(() => undefined);
      if (this.running) throw new SyncBusyError();
    }
    this.running = true;
    let lock: HeldLock | undefined;
    try {
      lock = await this.crossProcessLock(req.trigger === 'resolution');
      const job = this.doRun(req);
      this.current = job;
      return await job;
    } finally {
      lock?.release();
      this.running = false;
      this.progress = undefined;
    }
  }

  /**
   * The run lock across processes (the app or `serve` beside `sync --once`, `conflicts resolve`, `undo`). A second
   * run is refused, as it is inside one process: the run that holds the lock is bringing both sides up to date, so
   * a run queued behind it would find (almost) nothing left to do, and a caller that waits silently for minutes looks
   * hung. Resolutions wait (a decision a person made must be applied), as they do inside one process.
   */
  private async crossProcessLock(wait: boolean): Promise<HeldLock | undefined> {
    if (!this.ctx.runLockPath) return undefined;
    try {
      return await acquireLock(this.ctx.runLockPath, {
        command: this.ctx.processName ?? `GHL Bridge (process ${process.pid})`,
        waitMs: wait ? 15 * 60_000 : 0,
        busyMessage: (o) =>
          `A sync is running in ${describeOwner(o)} on this profile — it will finish shortly; try again then.`,
      });
    } catch (e) {
      if (e instanceof LockBusyError) throw new SyncBusyError(e.message, true);
      throw e;
    }
  }

  private async doRun(req: RunRequest): Promise<RunResult & { envs: Partial<Record<PairId, RunEnvFacts>> }> {
    const runId = this.newRunId();
    this.scheduleProblem = undefined;
    // A token or key replaced by another process since (main/service/README.md, "Credential age").
    await this.ctx.connections.reloadIfChanged();
    // What this process spent before the run (a test of a connection, a login) is not the run's.
    this.budget.flush();
    const cfg = this.ctx.config.read();
    const mappings = this.mappings();
    let pairs = (
      req.pairs ??
      PAIRS.filter((p) => {
        const m = mappings.find((x) => x.pair === p)!;
        return m.syncEnabled && !needsPreview(m);
      })
    )
      .filter((p) => this.ctx.connections.pairReady(p))
      // A scoped run writes only pairs that sync anyway, and only those the record is in.
      .filter((p) => !req.scope || Object.keys(req.scope.ids).some((k) => k.startsWith(`${p}:`)));
    if (!pairs.length) {
      const why = !this.ctx.connections.configured('ghl')
        ? 'Nothing to sync yet: connect HighLevel on the Connections screen.'
        : this.ctx.connections.anySignedOut()
          ? 'Sync is waiting: a connection needs signing in again (Connections screen).'
          : 'Nothing to sync yet: connect AroFlo or Aimfox, preview a mapping and switch its sync on (Mappings screen).';
      throw new NothingToSyncError(why);
    }
    const runCtx = createRunContext({
      clients: this.ctx.connections,
      store: this.store,
      now: this.ctx.now,
      logger: this.ctx.logger,
      runId,
      dryRun: req.dryRun,
    });
    // The country and time zone this run reads phones and dates in (the location read is the run's own, made once):
    // a preview records them, and a real run leaves out a pair whose preview read them differently.
    const envs: Partial<Record<PairId, RunEnvFacts>> = {};
    for (const p of pairs) {
      const m = mappings.find((x) => x.pair === p);
      if (!m || !pairUsesEnv(m)) continue;
      // A location HighLevel does not answer for fails the run below, like any other read.
      const got = await runTransformEnv(m, runCtx.location).catch(() => undefined);
      if (got) envs[p] = { country: got.env.country, timeZone: got.env.timeZone };
    }
    if (!req.dryRun) {
      pairs = pairs.filter((p) => {
        const m = mappings.find((x) => x.pair === p);
        const why = m && envs[p] ? envChange(m, envs[p]) : undefined;
        if (why) {
          if (this.envProblems.get(p) !== why) this.ctx.logger.warn(why);
          this.envProblems.set(p, why);
        } else this.envProblems.delete(p);
        return !why;
      });
      if (!pairs.length) throw new NothingToSyncError([...this.envProblems.values()].join(' '));
    }
    // Real runs since the last full re-read live in the profile, shared by the app, serve mode and every CLI process:
    // a one-off `sync --once` right after a full sync is not another full re-read (main/store/README.md). A full read
    // is due only when none was made yet or a preview or mapping change asked for one (0); otherwise each sync re-reads
    // a slice, sized by the daily budget planner (main/sync/README.md, "Daily budget and the rolling re-read").
    const sinceFull = this.store.feeds.counter('runs_since_full');
    const every = this.ctx.config.read().settings.fullRereadEvery;
    const full = !req.scope && (req.full ?? (sinceFull === 0 || (every !== undefined && sinceFull >= every)));
    let entities = wireEntities(pairs, mappings, runCtx);
    let reread: { sizes: ReadonlyMap<string, number>; paused: ReadonlySet<SystemId> } | undefined;
    if (!full && !req.dryRun && !req.scope) {
      const systems = (e: (typeof entities)[number]) => [e.wiring.ghl.system, e.wiring.other.system];
      // An API whose daily budget is spent (only the floor for writes left) waits for its reset: the entities that
      // use it are left out of this sync, the others run (AroFlo's budget spent does not stop HighLevel → Aimfox).
      const spent = new Set(
        this.budget
          .plan([], new Set(entities.flatMap(systems)))
          .apis.filter((a) => a.state === 'spent')
          .map((a) => a.api),
      );
      if (spent.size) {
        const words = this.budget.info().filter((b) => spent.has(b.system) && b.message);
        for (const b of words) this.ctx.logger.warn(b.message!);
        entities = entities.filter((e) => !systems(e).some((s) => spent.has(s)));
        if (!entities.length) throw new BudgetSpentError(words.map((b) => b.message).join(' '));
      }
      const plan = this.budget.plan(
        entities.map((e) => demandOf(this.store, e, this.ctx.now())).filter((d) => !!d),
        new Set(entities.flatMap(systems)),
      );
      reread = { sizes: plan.slices, paused: plan.paused };
      for (const a of plan.apis) if (a.state !== 'ok') runCtx.tight.add(a.api);
    }
    const counts0 = this.ctx.connections.requestCounts();
    const result = await runSync(
      {
        store: this.store,
        logger: this.ctx.logger,
        now: this.ctx.now,
        requestCounts: () => this.ctx.connections.requestCounts(),
        onError: (e) => this.ctx.connections.noteError(e),
      },
      entities,
      {
        runId,
        trigger: req.trigger,
        dryRun: req.dryRun,
        full,
        approve: req.approve,
        guard: cfg.settings.guard,
        reread,
        scope: req.scope,
        onProgress: (p) => {
          this.progress = { runId, ...p };
          this.ctx.events.publish({ type: 'progress', progress: this.progress });
        },
      },
    );
    void counts0;
    // A full run (or a preview) re-reads everything: its calls are re-read calls, not the feeds' cost of a sync.
    this.budget.flush({ reread: full ? result.summary.requests : result.reread.calls, run: !req.dryRun });
    // Extra reads that are not entity sync (appointments for the activity feed) ride on the same run.
    if (!req.dryRun && !req.scope && result.summary.status !== 'needs_approval' && pairs.length) {
      const recent = runCtx.ghl
        .contactsRead()
        .sort((a, b) => (b.dateUpdated ?? '').localeCompare(a.dateUpdated ?? ''))
        .map((c) => c.id);
      await this.ctx.connections
        .collectActivity(this.store.activity, runId, recent)
        .catch((e: Error) => this.ctx.logger.warn(`Could not read appointments for the activity feed: ${e.message}`));
    }
    // Also after a failed run: what it wrote before failing still goes on to the other pairs (main/sync/README.md, "Hops").
    if (!req.dryRun && result.summary.status !== 'needs_approval') {
      const readers = PAIRS.flatMap((p) =>
        PAIR_DECLARATIONS[p].readsAfter.map((r) => ({ pair: p, after: r.pair, entity: r.entity, into: r.into })),
      );
      const wired = entities.map((e) => ({ pair: e.wiring.pair, kind: e.wiring.entity }));
      // A scoped run read no feed and no contact's children: like a failed run, it consumes no re-read the last run
      // left (it only adds its own, and merges its echoes into the last run's).
      saveFeedState(runCtx, { wired, readers, failed: !!req.scope || result.summary.status === 'failed' });
    }
    // A LinkedIn account logged out in Aimfox after sign-in is noticed within the hour (one request when due).
    if (!req.dryRun && !req.scope && pairs.includes('ghl-aimfox'))
      await this.ctx.connections
        .recheckAccounts()
        .catch((e: Error) => this.ctx.logger.warn(`Could not re-check the Aimfox accounts: ${e.message}`));
    if (!req.dryRun) {
      // Only a full run that wrote counts as the full re-read. One that failed leaves the count as it was (a re-read
      // a preview asked for is still due); one the guard stopped leaves it due (0), so the approval that follows is
      // itself full and applies the deletes the stopped plan showed (main/store/README.md).
      const st = result.summary.status;
      // A scoped run is not one of the runs between full re-reads.
      if (!req.scope)
        this.store.feeds.setCounter(
          'runs_since_full',
          full ? (st === 'ok' || st === 'partial' ? 1 : st === 'needs_approval' ? 0 : sinceFull) : sinceFull + 1,
        );
      this.failures = result.summary.status === 'failed' ? this.failures + 1 : 0;
      this.recordActivity(result.summary);
      // Not after a full read: it just compared every record (the check is for edits the feeds did not report), so
      // the next check is due `everyMinutes` after it.
      if (st === 'ok' || st === 'partial') {
        if (full) this.store.meta.set(CHECK_LAST_AT, String(this.ctx.now()));
        else await this.checkAfter(entities, runId, !!req.scope);
      }
    }
    const s = result.summary;
    this.ctx.logger.info(`Sync ${s.dryRun ? 'preview' : 'run'} ${s.status}: ${describe(s)}`, {
      run: s.id,
      requests: s.requests,
      durationMs: s.durationMs,
    });
    this.ctx.events.publish({ type: 'run-finished', run: s });
    this.ctx.events.publish({
      type: 'conflicts-changed',
      open: this.store.conflicts.countOpen('conflict'),
      duplicates: this.store.conflicts.countOpen('duplicate'),
    });
    return { ...result, envs };
  }

  /**
   * The check after a run (main/sync/README.md, "The check after a run"): a sample of linked records per pair, and
   * every record with an open finding, re-read and compared with the base. A scoped run re-checks only the findings.
   */
  private async checkAfter(entities: WiredEntity[], runId: string, scoped: boolean): Promise<void> {
    const opts = checkAfterRunOf(this.ctx.config.read().settings);
    if (!opts.enabled) return;
    // At most one check every `everyMinutes` (the time of the last one is in the profile, shared by the app, serve
    // mode and the CLI); a scoped run ("Sync this record now") re-checks its findings at once.
    const now = this.ctx.now();
    const last = Number(this.store.meta.get(CHECK_LAST_AT) ?? 0) || 0;
    if (!scoped && opts.everyMinutes > 0 && now >= last && now - last < opts.everyMinutes * 60_000) return;
    if (!scoped) this.store.meta.set(CHECK_LAST_AT, String(now));
    try {
      const check = await checkLinked({
        entities,
        store: this.store,
        sample: scoped ? 0 : opts.sample,
        again: findingLinks(this.store),
      });
      const found = saveFindings(this.store, check, runId, this.ctx.now());
      for (const f of found) this.ctx.logger.warn(f.message, { link: f.linkId, run: runId });
    } catch (e) {
      this.ctx.logger.warn(`Could not check records after the sync: ${(e as Error).message}`);
    }
  }

  /**
   * The entities of the given pairs, wired for reading only (the record page's live read): a run context of its own,
   * nothing kept. Pairs not signed in are left out.
   */
  wireForReading(pairs: PairId[]): WiredEntity[] {
    const ready = pairs.filter((p) => this.ctx.connections.pairReady(p));
    if (!ready.length) return [];
    const runCtx = createRunContext({
      clients: this.ctx.connections,
      store: this.store,
      now: this.ctx.now,
      logger: this.ctx.logger,
      runId: 'record-read',
      dryRun: true,
    });
    return wireEntities(ready, this.mappings(), runCtx);
  }

  private recordActivity(s: RunSummary): void {
    this.store.activity.add({
      at: s.finishedAt ?? this.ctx.now(),
      system: 'bridge',
      kind: 'run',
      action: s.status,
      summary: `Sync ${s.status}: ${describe(s)}`,
      runId: s.id,
      ref: `run:${s.id}`,
    });
  }

  async preview(pair: PairId): Promise<PlanPreview> {
    const m = this.mappings().find((x) => x.pair === pair);
    if (!m) throw new Error(`There is no mapping for ${pair}.`);
    if (!this.ctx.connections.pairReady(pair))
      throw new Error(`Connect both systems of ${m.label} before previewing it.`);
    const result = await this.execute({ trigger: 'preview', dryRun: true, pairs: [pair], full: true });
    if (result.summary.status === 'failed')
      throw new Error(`The preview failed: ${result.summary.message ?? 'see Logs'}`);
    const env = result.envs[pair];
    const saved = this.saveMapping(
      { ...m, previewedFingerprint: m.fingerprint, previewedEnv: env ?? m.previewedEnv },
      { keepPreview: true },
    );
    if (env) this.envProblems.delete(pair);
    // The preview read everything: the next real run does too, so it carries what the preview showed (a changed
    // mapping — a switched-on update, a new transform — also concerns records no change feed reports).
    this.store.feeds.setCounter('runs_since_full', 0);
    // Counted as the run summary counts (one per record), so the preview, Recent syncs and the CLI agree.
    const c = planCounts(result.items);
    const counts = {
      create: total(c.created),
      update: total(c.updated),
      delete: total(c.deleted),
      conflict: 0,
      duplicate: 0,
    };
    for (const i of result.items) {
      if (i.action === 'conflict') counts.conflict++;
      else if (i.action === 'duplicate') counts.duplicate++;
    }
    return {
      pair,
      runId: result.summary.id,
      fingerprint: saved.fingerprint,
      counts,
      items: result.items,
      guard: result.guard.tripped ? { tripped: true, reason: result.guard.reason } : undefined,
      createdAt: this.ctx.now(),
    };
  }

  async undo(runId: string): Promise<{ reverted: number; conflicts: number }> {
    const run = this.store.runs.get(runId);
    if (!run) throw new Error('That run does not exist.');
    if (run.dryRun) throw new Error('A preview changed nothing, so there is nothing to undo.');
    if (this.running) throw new SyncBusyError();
    this.running = true;
    let lock: HeldLock | undefined;
    try {
      lock = await this.crossProcessLock(false);
      const undoId = this.newRunId();
      const mappings = this.mappings();
      const ready = PAIRS.filter((p) => this.ctx.connections.pairReady(p));
      const entities = ready.length
        ? wireEntities(
            ready,
            mappings,
            createRunContext({
              clients: this.ctx.connections,
              store: this.store,
              now: this.ctx.now,
              logger: this.ctx.logger,
              runId: undoId,
            }),
          )
        : [];
      const r = await undoRun(
        { store: this.store, now: this.ctx.now, logger: this.ctx.logger },
        entities,
        runId,
        undoId,
      );
      this.budget.flush();
      this.ctx.logger.info(
        `Undo of ${runId}: ${r.reverted} change(s) reverted, ${r.conflicts} left as conflicts because they changed since.`,
      );
      this.ctx.events.publish({
        type: 'conflicts-changed',
        open: this.store.conflicts.countOpen('conflict'),
        duplicates: this.store.conflicts.countOpen('duplicate'),
      });
      return r;
    } finally {
      lock?.release();
      this.running = false;
    }
  }

  keepApart(row: ConflictRow): void {
    this.store.apart.add(row.pair, row.entity, apartPairs(row));
  }

  linkDuplicate(row: ConflictRow, candidateId?: string): void {
    const cands = JSON.parse(row.candidates ?? '[]') as Array<{ system: SystemId; id: string; label: string }>;
    const ghl = cands.filter((c) => c.system === 'ghl');
    const other = cands.filter((c) => c.system !== 'ghl');
    const g = ghl.length === 1 ? ghl[0] : ghl.find((c) => c.id === candidateId);
    const o = other.length === 1 ? other[0] : other.find((c) => c.id === candidateId);
    if (!g || !o) throw new Error('Choose which record to link.');
    // Everything else in the group is a separate record.
    this.store.commit.linkedByHand({
      link: {
        pair: row.pair,
        entity: row.entity,
        ghl_id: g.id,
        other_id: o.id,
        ghl_parent: null,
        other_parent: null,
        other_kind: o.id.split(':')[0] ?? null,
        label: g.label,
      },
      apart: apartPairs(row),
    });
  }

  // ---- scheduler ----

  setPaused(paused: boolean): void {
    const cfg = this.ctx.config.read();
    this.ctx.config.write({ ...cfg, paused });
    this.ctx.logger.info(paused ? 'Sync paused.' : 'Sync resumed.');
    this.reschedule();
  }

  startScheduler(): void {
    this.stopped = false;
    this.reschedule();
  }

  reschedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.nextRunAt = undefined;
    if (this.stopped || this.ctx.config.read().paused) return;
    const delay = nextDelay({
      intervalMinutes: this.ctx.config.read().settings.syncIntervalMinutes,
      failures: this.failures,
      random: this.ctx.random ?? Math.random,
    });
    this.nextRunAt = this.ctx.now() + delay;
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      if (this.ctx.connections.anySignedOut())
        this.ctx.logger.info('Scheduled sync skipped: a connection needs signing in again.');
      else if (!this.running) await this.runNow({ trigger: 'timer', dryRun: false });
    } catch (e) {
      if (e instanceof NothingToSyncError) this.ctx.logger.debug(`Scheduled sync skipped: ${e.message}`);
      else if (e instanceof SyncBusyError && e.foreign) {
        // Another process holds the run lock. Usually a short `sync --once`; but a lock left by a holder that is gone
        // would skip every run from now on, so it is shown under Needs attention (cleared when a run starts).
        this.scheduleProblem = `Scheduled sync skipped: ${e.message}`;
        this.ctx.logger.warn(this.scheduleProblem);
      } else if (e instanceof SyncBusyError) this.ctx.logger.info(`Scheduled sync skipped: ${e.message}`);
      else {
        this.failures++;
        if (!(e instanceof SyncBusyError))
          this.scheduleProblem = `The scheduled sync could not start: ${(e as Error).message}`;
        this.ctx.logger.warn(`Scheduled sync did not run: ${(e as Error).message}`);
      }
    }
    if (!this.stopped) this.reschedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.current?.catch(() => undefined);
    // What this process spent outside a run (a test of a connection, a login, a CLI command) counts too.
    this.budget.flush();
  }
}

/** The pairs of a possible-duplicate group a person keeps apart. */
export function apartPairs(row: ConflictRow): Array<[string, string]> {
  const cands = JSON.parse(row.candidates ?? '[]') as Array<{
    system: SystemId;
    id: string;
    details?: { email?: string | null };
  }>;
  // Two records with the same email are the same person unless a person says otherwise about those two: keeping a
  // group apart never marks them apart implicitly (main/sync/README.md, "Matching").
  const sameEmail = (a: (typeof cands)[number], b: (typeof cands)[number]) =>
    !!a.details?.email && a.details.email === b.details?.email;
  const g = cands.filter((c) => c.system === 'ghl');
  const o = cands.filter((c) => c.system !== 'ghl');
  const key = (a: (typeof cands)[number], b: (typeof cands)[number]): Array<[string, string]> =>
    sameEmail(a, b) ? [] : [[a.id, b.id]];
  const same = (xs: typeof cands) => xs.flatMap((a, i) => xs.slice(i + 1).flatMap((b) => key(a, b)));
  return [...g.flatMap((a) => o.flatMap((b) => key(a, b))), ...same(g), ...same(o)];
}

const total = (o: Record<string, number | undefined>) => Object.values(o).reduce<number>((a, n) => a + (n ?? 0), 0);

/** A run in words for the log and the activity feed; a dry run says what it would do. */
export function describe(s: RunSummary): string {
  const parts = s.dryRun
    ? [`would create ${total(s.created)}`, `would update ${total(s.updated)}`, `would delete ${total(s.deleted)}`]
    : [`${total(s.created)} created`, `${total(s.updated)} updated`, `${total(s.deleted)} deleted`];
  // The records this run found waiting for review (conflicts and possible duplicates); what waits now is on Status.
  parts.push(
    `${s.dryRun ? 'would find' : 'found'} ${s.conflicts} ${s.conflicts === 1 ? 'record' : 'records'} for review`,
  );
  if (s.errors) parts.push(`${s.errors} error${s.errors === 1 ? '' : 's'}`);
  return parts.join(', ') + (s.message ? ` — ${s.message}` : '');
}
