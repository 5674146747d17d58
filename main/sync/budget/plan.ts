/**
 * The daily budget planner (pure): how big a slice of each entity's records this sync re-checks, so every record is
 * re-checked within the re-read window while each API's projected day stays under the bridge's share of its budget
 * (main/sync/README.md, "Daily budget and the rolling re-read").
 *
 * - Change feeds come first: what they cost per sync so far today is set aside for every sync left in the budget-day;
 *   re-reads get what is left of the share.
 * - A slice is due in proportion to the time since the entity's last slice (units × elapsed / window), so a one-off
 *   `sync --once` between two scheduled syncs re-reads only its share of the window, not a whole sync's.
 * - Reads by id cost one request per `perCall` records (AroFlo: 100): a slice waits until that many are due
 *   (`minBatch`, at most an eighth of the units), so a small slice does not spend a whole request on a few records.
 * - Short of budget, every slice shrinks by the same factor (the window stretches); with nothing left, that API's
 *   re-reads pause (a slice still reads its other side: HighLevel notes have no feed, AroFlo's have); with only the
 *   write floor of the whole daily budget left, the feeds stop too (`spent`) until the reset.
 */
import type { SystemId } from '../../../preload/contract.js';

export type BudgetState = 'ok' | 'shrunk' | 'paused' | 'spent';

export interface ApiToday {
  api: SystemId;
  /** The API's whole daily budget. */
  perDay: number;
  /** The bridge's share of it, percent. */
  sharePercent: number;
  /** Calls spent today (every process on the profile), and of those what sync runs spent on feeds and writes. */
  used: number;
  feedUsed: number;
  /** Sync runs that spent today. */
  runs: number;
  /** Time left in the budget-day (ms), and when it resets (epoch ms). */
  msToReset: number;
  resetsAt: number;
}

/** One entity's re-read: its units (links, or parents whose children are read) and what a unit costs per API. */
export interface SliceDemand {
  name: string;
  units: number;
  /** Calls one unit costs on each API it reads (absent or 0: free). */
  cost: Partial<Record<SystemId, number>>;
  /** Time since this entity's last slice (ms); undefined: none yet (one sync interval is due). */
  elapsedMs?: number;
  /** Units a slice waits for (one request's worth of a read by id); 1 when a unit costs a request of its own. */
  minBatch?: number;
}

export interface PlanInput {
  apis: ApiToday[];
  demands: SliceDemand[];
  intervalMs: number;
  windowMs: number;
  /** Of the whole daily budget, what feeds leave for writes (percent). */
  writeFloorPercent: number;
}

export interface ApiPlan {
  api: SystemId;
  state: BudgetState;
  /** The bridge's share, in calls. */
  allowance: number;
  used: number;
  /** Feeds' (and writes') calls per sync so far today: everything but re-reads, over the runs. */
  feedPerSync: number;
  /** Syncs left in the budget-day at this interval. */
  syncsLeft: number;
  /** Re-read calls the rest of the day needs for every record within the window, and what it may spend. */
  rereadWanted: number;
  rereadAllowed: number;
  /** How much of the wanted re-read the budget allows (1: all; the window stretches by 1/scale). */
  scale: number;
  /** `used`, plus the feeds of every sync left and the re-reads allowed. */
  projected: number;
  resetsAt: number;
}

export interface BudgetPlan {
  apis: ApiPlan[];
  /** Units each entity re-checks this sync (0: none due yet, or paused). */
  slices: Map<string, number>;
  /** APIs whose re-reads are paused: a slice reads only its other side (HighLevel notes go on while AroFlo waits). */
  paused: Set<SystemId>;
  /** The API whose budget is spent (only the write floor is left): the sync waits for its reset. */
  spent?: ApiPlan;
}

/** Units due after `elapsedMs` so that all `units` are re-checked once per window. */
export function dueUnits(units: number, elapsedMs: number, windowMs: number): number {
  if (units <= 0 || windowMs <= 0) return 0;
  return (units * Math.min(elapsedMs, windowMs)) / windowMs;
}

export function planBudget(input: PlanInput): BudgetPlan {
  const { demands, intervalMs, windowMs } = input;
  const scale = new Map<SystemId, number>();
  const apis: ApiPlan[] = [];
  let spent: ApiPlan | undefined;
  for (const a of input.apis) {
    const allowance = Math.floor((a.perDay * a.sharePercent) / 100);
    const floor = Math.ceil((a.perDay * input.writeFloorPercent) / 100);
    const syncsLeft = Math.max(1, Math.ceil(a.msToReset / Math.max(1, intervalMs)));
    const feedPerSync = a.runs > 0 ? a.feedUsed / a.runs : 0;
    // Calls the rest of the day's re-reads need to re-check every unit once per window.
    const rereadWanted = demands.reduce(
      (n, d) => n + (d.units * (d.cost[a.api] ?? 0) * Math.max(0, a.msToReset)) / Math.max(1, windowMs),
      0,
    );
    const left = Math.max(0, allowance - a.used - feedPerSync * syncsLeft);
    const s = rereadWanted <= 0 ? 1 : Math.min(1, left / rereadWanted);
    const feedsStop = a.used >= a.perDay - floor;
    scale.set(a.api, feedsStop ? 0 : s);
    const rereadAllowed = feedsStop ? 0 : Math.min(rereadWanted, left);
    const plan: ApiPlan = {
      api: a.api,
      state: feedsStop ? 'spent' : s >= 1 ? 'ok' : s > 0 ? 'shrunk' : 'paused',
      allowance,
      used: a.used,
      feedPerSync: Math.round(feedPerSync * 10) / 10,
      syncsLeft,
      rereadWanted: Math.round(rereadWanted),
      rereadAllowed: Math.round(rereadAllowed),
      scale: feedsStop ? 0 : s,
      projected: Math.round(a.used + (feedsStop ? 0 : feedPerSync * syncsLeft) + rereadAllowed),
      resetsAt: a.resetsAt,
    };
    if (feedsStop && !spent) spent = plan;
    apis.push(plan);
  }
  const slices = new Map<string, number>();
  const paused = new Set(apis.filter((a) => a.scale <= 0).map((a) => a.api));
  for (const d of demands) {
    // Sized by the budgets it spends that are not paused; a paused API's side is left out of the slice.
    const costly = (Object.entries(d.cost) as Array<[SystemId, number]>).filter(([api, c]) => c > 0 && scale.has(api));
    const live = costly.filter(([api]) => !paused.has(api));
    let k = costly.length && !live.length ? 0 : 1;
    for (const [api] of live) k = Math.min(k, scale.get(api)!);
    const elapsed = d.elapsedMs ?? intervalMs;
    const due = dueUnits(d.units, elapsed, windowMs) * k;
    // A read by id waits until a request's worth is due, but never longer than an eighth of the window (the lap still
    // ends within the window, give or take that wait).
    const batch = Math.min(d.minBatch ?? 1, Math.max(1, Math.floor(d.units / 8)));
    // Rounded up: the fraction a sync would leave is not lost (the next slice is timed from this one).
    slices.set(d.name, spent || k <= 0 || (due < batch && elapsed < windowMs) ? 0 : Math.ceil(due));
  }
  return { apis, slices, paused, spent };
}
