/**
 * Each API's daily budget and the bridge's default share of it, declared once (main/sync/README.md, "Daily budget and
 * the rolling re-read"). The facts are the connectors' READMEs:
 * - HighLevel: 200,000 requests per location per day (main/connectors/ghl/README.md, "Facts: limits"). The reset's
 *   time zone is not documented (answers carry the undocumented `X-RateLimit-Daily-Reset`, ms until the reset): the
 *   ledger's budget-day is the UTC day, and the connector's own daily hold follows the server's header.
 * - AroFlo: 2,000 counted requests a day, reset 00:00 Australia/Melbourne (main/connectors/aroflo/README.md, "Facts:
 *   limits and status codes").
 * - Aimfox: 60 requests a minute and no daily budget (main/connectors/aimfox/README.md, "Facts: limits"): the pacer
 *   keeps to the minute; the ledger only counts its calls.
 */
import type { SystemId } from '../../../preload/contract.js';
import { dayKey, nextMidnight } from '../../connectors/aroflo/budget.js';
import { BUDGET_DEFAULTS } from '../../domain/defaults.js';

export interface DailyBudget {
  api: SystemId;
  /** Requests a day; undefined: the API has no daily budget. */
  perDay?: number;
  /** The zone whose midnight resets the budget (the ledger's budget-day). */
  resetZone: string;
  /** The bridge's default share of `perDay`, percent (settings override it; main/domain/defaults.ts). */
  defaultSharePercent: number;
}

export const DAILY_BUDGETS: Record<SystemId, DailyBudget> = {
  ghl: { api: 'ghl', perDay: 200_000, resetZone: 'UTC', defaultSharePercent: BUDGET_DEFAULTS.ghlSharePercent },
  aroflo: {
    api: 'aroflo',
    perDay: 2_000,
    resetZone: 'Australia/Melbourne',
    defaultSharePercent: BUDGET_DEFAULTS.arofloSharePercent,
  },
  aimfox: { api: 'aimfox', resetZone: 'UTC', defaultSharePercent: 100 },
};

/**
 * Of each API's whole daily budget, what change feeds leave for writes: feeds stop (and the sync waits for the reset)
 * once only this much is left, so the writes a feed's changes need still go out.
 */
export const WRITE_FLOOR_PERCENT = 5;

/** The budget-day (its calendar day in the reset zone) that `ms` falls in, and when it resets. */
export function budgetDay(api: SystemId, ms: number): { day: string; resetsAt: number } {
  const zone = DAILY_BUDGETS[api].resetZone;
  return { day: dayKey(ms, zone), resetsAt: nextMidnight(ms, zone) };
}

/**
 * HighLevel tasks have no change feed, so every incremental sync lists the location's open tasks, and its completed
 * ones up to this many pages of 100 (main/sync/sides/README.md, "HighLevel tasks"): an edit to a completed task is
 * then seen in the next sync too. Completed tasks pile up over the years, so the listing is capped: 20 pages (2,000
 * completed tasks) cost at most 5,760 calls a day at the 5-minute interval, 2.9 % of HighLevel's budget; beyond that,
 * an edit to a completed task is seen when the rolling re-read reaches its contact (within the re-read window).
 */
export const COMPLETED_TASK_PAGES = 20;

/**
 * AroFlo's client notes have no change feed: a sync lists those created since the day before (AroFlo filters them by
 * date), one counted request out of 2,000 a day. While AroFlo's share is running low (the planner cannot fund the
 * re-reads at full size), they are listed every this-many syncs instead of every sync (main/sync/README.md, "Daily
 * budget and the rolling re-read"): a note written in AroFlo then reaches HighLevel within 2 syncs, for 144 requests
 * a day at the 5-minute interval instead of 288.
 */
export const CLIENT_NOTES_EVERY_WHEN_LOW = 2;

/**
 * AroFlo counts a GET whose only filter is one record's id against a secondary allowance of 20,000 a day, not the
 * 2,000 (main/connectors/aroflo/README.md, "Single-id GETs"; its docs suggest exactly this: "fetch each one (the
 * secondary limit covers single-id GETs) or fetch them in bulk"). So a sync that reads up to this many AroFlo records
 * by id reads them one at a time; more, 100 to a counted request. Ten is where the two cost the same share of their
 * allowances (10 of 20,000 = 1 of 2,000), and where the reads' pacing (3 a second) still takes seconds, not minutes.
 */
export const SINGLE_READS_UP_TO = 10;
