/**
 * One sync run: recover the outbox, fetch every entity from both sides, plan everything, check the guard, then
 * (unless this is a dry run) execute entity by entity in dependency order and save the change-feed cursors.
 */
import type { PairId, PlanItem, RunSummary, RunTrigger, Settings, SystemId } from '../../../preload/contract.js';
import type { Store } from '../../store/repositories.js';
import { emptyCounters, executePlan, type RunCounters } from './execute/index.js';
import { checkGuard, type GuardVerdict } from './guard.js';
import { holdInterrupted } from './hold.js';
import { runHops } from './hops.js';
import { notePendingParents, parentResolver } from './parents.js';
import { planCounts, plural, toPlanItems } from './plan-items.js';
import { FreshReads, planEntity, type EntityConfig, type EntityPlan } from './planner.js';
import { recoverOutbox } from './recover.js';
import { fetchEntities } from './fetch.js';
import type { EntitySide, EntityWiring, SideRecord } from './types.js';

export { planCounts, toPlanItems } from './plan-items.js';
export { waitSubject } from './recover.js';
export type { PairId };

export interface WiredEntity {
  wiring: EntityWiring;
  config: EntityConfig;
  fieldLabels: Record<string, string>;
  /** Cursor name for this entity's change feeds. */
  cursorName: string;
  /**
   * For an entity that reads HighLevel after an earlier pair of the run wrote into it: `take` gives what that pair
   * wrote (HighLevel's answers), as this entity's HighLevel records; `done` is called once they are written without
   * error (the next run need not re-read them). See hops.ts.
   */
  hop?: { take(): SideRecord[]; done(): void };
}

export interface RunLogger {
  debug?(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

export interface RunOptions {
  runId: string;
  trigger: RunTrigger;
  dryRun: boolean;
  /** Read everything (finds deletes) instead of change feeds. */
  full: boolean;
  /** The person reviewed a guard stop and approved. */
  approve?: boolean;
  guard: Settings['guard'];
  /**
   * The rolling re-read's slice per entity (units, by cursor name) on a run that is not full: sized by the daily
   * budget planner (main/sync/budget). Missing: feeds only.
   */
  reread?: { sizes: ReadonlyMap<string, number>; paused?: ReadonlySet<SystemId> };
  onProgress?: (p: { phase: string; done: number; total?: number; message?: string }) => void;
}

export interface RunResult {
  summary: RunSummary;
  /** The plan of the run (what a preview shows): the same for a dry run and the real run. */
  items: PlanItem[];
  /** What the hop pass did after the plan was executed (a dry run has none: it writes nothing to hand over). */
  followOn: PlanItem[];
  guard: GuardVerdict;
  counters: RunCounters;
  /** What the rolling re-read cost (requests per API) and re-checked (links or parents, by cursor name). */
  reread: { calls: Record<SystemId, number>; checked: Record<string, number> };
}

export interface RunDeps {
  store: Store;
  logger: RunLogger;
  now: () => number;
  /** Requests each API has answered so far (the run reports the difference). */
  requestCounts: () => Record<SystemId, number>;
  /** Told about the error that stopped a run (the app marks a connection "sign in again" from it). */
  onError?: (e: unknown) => void;
}

const sideKey = (s: EntitySide) => `${s.system}:${s.entity}`;

export async function runSync(deps: RunDeps, entities: WiredEntity[], opts: RunOptions): Promise<RunResult> {
  const { store, logger, now } = deps;
  const startedAt = now();
  const req0 = deps.requestCounts();
  const counters = emptyCounters();
  const progress = (phase: string, done: number, total?: number, message?: string) =>
    opts.onProgress?.({ phase, done, total, message });
  store.runs.closeAbandoned();
  store.runs.start({ id: opts.runId, trigger: opts.trigger, dryRun: opts.dryRun, startedAt });

  let followOn: PlanItem[] = [];
  const reread: RunResult['reread'] = { calls: { ghl: 0, aroflo: 0, aimfox: 0 }, checked: {} };
  const finish = (
    status: RunSummary['status'],
    message: string | undefined,
    items: PlanItem[],
    guard: GuardVerdict,
  ): RunResult => {
    const req1 = deps.requestCounts();
    // A dry run writes nothing, so its counts are what it would do: the plan's, counted as a real run counts them.
    const would = opts.dryRun ? planCounts(items) : undefined;
    const summary: RunSummary = {
      id: opts.runId,
      trigger: opts.trigger,
      dryRun: opts.dryRun,
      status,
      startedAt,
      finishedAt: now(),
      durationMs: now() - startedAt,
      created: would?.created ?? counters.created,
      updated: would?.updated ?? counters.updated,
      deleted: would?.deleted ?? counters.deleted,
      conflicts: would?.review ?? counters.conflicts + counters.duplicates,
      errors: counters.errors,
      requests: { ghl: req1.ghl - req0.ghl, aroflo: req1.aroflo - req0.aroflo, aimfox: req1.aimfox - req0.aimfox },
      message,
    };
    store.runs.finish(summary, opts.dryRun || status === 'needs_approval' ? { items, guard } : undefined);
    return { summary, items, followOn, guard, counters, reread };
  };
  const noGuard: GuardVerdict = { tripped: false, reason: '', deletes: 0, changes: 0, linked: 0 };

  try {
    // 1. Finish what a crashed run left in the outbox (never in a dry run: it writes links).
    if (!opts.dryRun) await recoverOutbox(deps, entities, opts.runId);
    // Creates still open after recovery (their outcome could not be checked) are not sent again before it can be.
    // A preview computes the same hold (it only reads the outbox), so it shows what the run will do.
    const hold = holdInterrupted(store);

    // 2. Fetch every entity from both sides (change feeds, or everything), and keep what was read in the mirror.
    const fetched = await fetchEntities(
      store,
      entities,
      opts.full,
      (i, message) => progress('reading', i, entities.length, message),
      opts.reread && {
        sizes: opts.reread.sizes,
        paused: opts.reread.paused,
        requestCounts: deps.requestCounts,
        now,
        warn: (m) => logger.warn(m),
        spent: reread.calls,
      },
    );
    for (const [e, f] of fetched) if (f.slice) reread.checked[e.cursorName] = f.slice.checked;

    // 3. Plan everything (parents that are only planned resolve to placeholders), then the guard.
    const reads = new FreshReads(sideKey);
    const planned: Array<{ e: WiredEntity; plan: EntityPlan }> = [];
    const pendingParents = new Map<string, Map<string, string>>();
    progress('planning', 0, entities.length);
    for (const e of entities) {
      const f = fetched.get(e)!;
      const plan = hold(
        e,
        await planEntity({
          wiring: e.wiring,
          config: e.config,
          store,
          fetched: f,
          reads,
          full: f.full,
          parents: parentResolver(store, e.wiring, pendingParents),
        }),
      );
      notePendingParents(pendingParents, e.wiring, plan);
      planned.push({ e, plan });
    }
    const items = planned.flatMap(({ e, plan }) => toPlanItems(e, plan));
    const guard = checkGuard(
      planned.map((p) => p.plan),
      opts.guard,
    );
    if (opts.dryRun) {
      progress('done', entities.length, entities.length);
      return finish('ok', guard.tripped ? guard.reason : undefined, items, guard);
    }
    if (guard.tripped && !opts.approve) {
      logger.warn(`Sync stopped before writing anything: ${guard.reason}`);
      return finish('needs_approval', guard.reason, items, guard);
    }

    // 4. Execute in dependency order; children are re-planned against the links their parents just got.
    let done = 0;
    for (const { e, plan: first } of planned) {
      progress('writing', done++, planned.length, `Syncing ${plural(e.wiring.entity)}`);
      const f = fetched.get(e)!;
      const plan = e.wiring.parentEntity
        ? hold(
            e,
            await planEntity({
              wiring: e.wiring,
              config: e.config,
              store,
              fetched: f,
              reads,
              full: f.full,
              parents: parentResolver(store, e.wiring),
            }),
          )
        : first;
      if (plan.emptyListing) continue;
      // The slice is re-checked once its plan is carried out: the next sync goes on from there (a dry run, a guard
      // stop or a failed run leaves the position where it was).
      const advance = f.slice?.next;
      await executePlan({
        ops: plan.ops,
        wiring: e.wiring,
        config: e.config,
        store,
        runId: opts.runId,
        counters,
        logger,
        fieldLabels: e.fieldLabels,
      });
      if (advance) store.budget.setPosition(e.cursorName, advance);
      if (f.ghl.cursor) store.feeds.setCursor('ghl', e.cursorName, f.ghl.cursor);
      if (f.other.cursor) store.feeds.setCursor(e.wiring.other.system, e.cursorName, f.other.cursor);
      if (f.full) {
        store.feeds.setCursor('ghl', e.cursorName, f.ghl.cursor ?? store.feeds.cursor('ghl', e.cursorName) ?? 'full');
        store.feeds.setCursor(
          e.wiring.other.system,
          e.cursorName,
          f.other.cursor ?? store.feeds.cursor(e.wiring.other.system, e.cursorName) ?? 'full',
        );
      }
    }
    // 5. Hops: what an earlier pair wrote into HighLevel goes on to the later pairs that read it, in this run.
    followOn = await runHops({ entities, store, logger, runId: opts.runId, counters, guard: opts.guard });
    progress('done', planned.length, planned.length);
    const status = counters.errors ? 'partial' : 'ok';
    return finish(
      status,
      counters.errors
        ? `${counters.errors} record(s) could not be written; they will be retried on the next run.`
        : undefined,
      items,
      noGuard,
    );
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    deps.onError?.(e);
    logger.error(`Sync run failed: ${message}`);
    counters.errors++;
    return finish('failed', message, [], noGuard);
  }
}
