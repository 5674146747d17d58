/**
 * The mass-change guard: a run that would delete or change more than the thresholds, or that sees an empty
 * listing from a side that had data, stops before writing anything and asks.
 */
import type { Settings } from '../../../preload/contract.js';
import type { EntityPlan } from './planner.js';

/** Below this many linked records, percentages are not meaningful and only the counts apply. */
export const GUARD_MIN_POPULATION = 20;

export interface GuardVerdict {
  tripped: boolean;
  reason: string;
  deletes: number;
  changes: number;
  linked: number;
}

export function checkGuard(plans: EntityPlan[], guard: Settings['guard']): GuardVerdict {
  let deletes = 0;
  let changes = 0;
  let linked = 0;
  for (const p of plans) {
    linked += p.linkedBefore;
    for (const op of p.ops) {
      if (op.op === 'delete') deletes++;
      else if (
        op.op === 'merge' &&
        op.link &&
        (Object.keys(op.merge.toGhl).length || Object.keys(op.merge.toOther).length)
      )
        changes++;
    }
  }
  const verdict: GuardVerdict = { tripped: false, reason: '', deletes, changes, linked };
  const empty = plans.find((p) => p.emptyListing);
  if (empty) {
    const who = empty.emptyListing === 'ghl' ? 'HighLevel' : 'the other system';
    return {
      ...verdict,
      tripped: true,
      reason: `${who} returned no ${empty.entity}s at all although ${empty.linkedBefore} are linked. Nothing was changed — check the connection and filters, then approve if this is intended.`,
    };
  }
  const pct = (n: number) => (linked ? (100 * n) / linked : 0);
  if (
    deletes > guard.maxDeletes ||
    (linked >= GUARD_MIN_POPULATION && deletes > 0 && pct(deletes) > guard.maxDeletePercent)
  ) {
    return {
      ...verdict,
      tripped: true,
      reason: `This run would delete ${deletes} of ${linked} linked records (${pct(deletes).toFixed(1)}%), over the limit of ${guard.maxDeletes} or ${guard.maxDeletePercent}%. Nothing was changed — review the preview and approve to go ahead.`,
    };
  }
  if (
    changes > guard.maxChanges ||
    (linked >= GUARD_MIN_POPULATION && changes > 0 && pct(changes) > guard.maxChangePercent)
  ) {
    return {
      ...verdict,
      tripped: true,
      reason: `This run would change ${changes} of ${linked} linked records (${pct(changes).toFixed(1)}%), over the limit of ${guard.maxChanges} or ${guard.maxChangePercent}%. Nothing was changed — review the preview and approve to go ahead.`,
    };
  }
  return verdict;
}
