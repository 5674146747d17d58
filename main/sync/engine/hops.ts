/**
 * The hop pass: one sync settles every hop (main/sync/README.md, "Hops").
 *
 * Every pair reads before any pair writes, so the guard sees the whole plan before anything is written. What an
 * earlier pair then wrote into HighLevel (an AroFlo note copied into HighLevel, a contact AroFlo renamed) was read by a
 * later pair before it existed. After the first pass has executed, each entity that reads after an earlier pair takes
 * those records — HighLevel's own answers to the writes, so nothing is read again — and plans, guards and executes
 * them: the change reaches every system it belongs in within the run, and the run after it writes nothing.
 */
import type { PlanItem } from '../../../preload/contract.js';
import type { Store } from '../../store/repositories.js';
import { executePlan, type RunCounters } from './execute/index.js';
import { checkGuard } from './guard.js';
import { holdInterrupted } from './hold.js';
import { parentResolver } from './parents.js';
import { toPlanItems } from './plan-items.js';
import { FreshReads, planEntity } from './planner.js';
import type { RunLogger, WiredEntity } from './run.js';
import type { EntitySide, FetchResult } from './types.js';

const NOTHING: FetchResult = { records: [], rejected: [], complete: false };

export async function runHops(args: {
  entities: WiredEntity[];
  store: Store;
  logger: RunLogger;
  runId: string;
  counters: RunCounters;
  guard: Parameters<typeof checkGuard>[1];
}): Promise<PlanItem[]> {
  const { store, logger, counters } = args;
  const items: PlanItem[] = [];
  // A fresh cache: what the first pass read before its writes is no longer what the systems hold.
  const reads = new FreshReads((s: EntitySide) => `${s.system}:${s.entity}`);
  // The same hold as the first pass: a create an interrupted run left unchecked is not sent again by a hop either.
  const hold = holdInterrupted(store);
  for (const e of args.entities) {
    if (!e.hop) continue;
    const records = e.hop.take();
    if (!records.length) continue;
    // Only what was handed over, on the HighLevel side; the other side is what the first pass and the ID map know.
    const fetched = { ghl: { ...NOTHING, records }, other: NOTHING };
    const plan = hold(
      e,
      await planEntity({
        wiring: e.wiring,
        config: e.config,
        store,
        fetched,
        reads,
        full: false,
        parents: parentResolver(store, e.wiring),
      }),
    );
    const verdict = checkGuard([plan], args.guard);
    if (verdict.tripped) {
      // Left for the next run, which re-reads those contacts and stops for a person as any run would.
      logger.warn(`Sync left ${records.length} record(s) written into HighLevel for the next run: ${verdict.reason}`);
      continue;
    }
    const errorsBefore = counters.errors;
    await executePlan({
      ops: plan.ops,
      wiring: e.wiring,
      config: e.config,
      store,
      runId: args.runId,
      counters,
      logger,
      fieldLabels: e.fieldLabels,
    });
    items.push(...toPlanItems(e, plan));
    if (counters.errors === errorsBefore) e.hop.done();
  }
  return items;
}
