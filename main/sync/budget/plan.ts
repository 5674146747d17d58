/**
 * The daily budget planner (pure): how big a slice of each entity's records this sync re-checks, so every record is
 * re-checked within the re-read window while each API's projected day stays under the bridge's share of its budget
 * (main/sync/README.md, "Daily budget and the rolling re-read"). Change feeds come first: what they spent today, per
 * sync, is set aside for every sync left in the budget-day before re-reads get the rest.
 */
import type { SystemId } from '../../../preload/contract.js';

export type BudgetState = 'ok' | 'shrunk' | 'paused' | 'spent';

export interface ApiToday {
  api: SystemId;
  /** The API's whole daily budget. */
  perDay: number;
  /** The bridge's share of it, percent. */
  sharePercent: number;
  /** Calls spent today (every process on the profile), and of those the rolling re-read's. */
  used: number;
  rereadUsed: number;
  /** Sync runs that spent today. */
  runs: number;
  /** Time left in the budget-day (ms), and when it resets (epoch ms). */
  msToReset: number;
  resetsAt: number;
}

/** One entity's re-read: how many units (links, or parents whose children are read) and what a unit costs per API. */
export interface SliceDemand {
  name: string;
  units: number;
  /** Calls one unit costs on each API it reads (0 or absent: free). */
  cost: Partial<Record<SystemId, number>>;
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
  /** Feeds' calls per sync so far today (everything but re-reads, over the runs). */
  feedPerSync: number;
  /** Re-read calls this sync may spend, and what it wants for a full slice. */
  rereadPerSync: number;
  rereadWanted: number;
  /** Syncs left in the budget-day at this interval. */
  syncsLeft: number;
  /** `used` plus every sync left at this sync's cost. */
  projected: number;
  resetsAt: number;
}

export interface BudgetPlan {
  apis: ApiPlan[];
  /** Units each entity re-checks this sync. */
  slices: Map<string, number>;
  /** Feeds stop too: only the write floor of this API is left (the sync waits for the reset). */
  spent?: ApiPlan;
}

/** Units a sync must re-check so that all `units` are re-checked within the window. */
export function wantedPerSync(units: number, intervalMs: number, windowMs: number): number {
  if (units <= 0) return 0;
  const syncs = Math.max(1, Math.floor(windowMs / Math.max(1, intervalMs)));
  return Math.ceil(units / syncs);
}

export function planBudget(input: PlanInput): BudgetPlan {
  const { demands, intervalMs, windowMs } = input;
  const wanted = new Map(demands.map((d) => [d.name, wantedPerSync(d.units, intervalMs, windowMs)]));
  const scale = new Map<SystemId, number>();
  const apis: ApiPlan[] = [];
  let spent: ApiPlan | undefined;
  for (const a of input.apis) {
    const allowance = Math.floor((a.perDay * a.sharePercent) / 100);
    const floor = Math.ceil((a.perDay * input.writeFloorPercent) / 100);
    const syncsLeft = Math.max(1, Math.ceil(a.msToReset / Math.max(1, intervalMs)));
    const feedPerSync = a.runs > 0 ? Math.max(0, a.used - a.rereadUsed) / a.runs : 0;
    const rereadWanted = demands.reduce((n, d) => n + (wanted.get(d.name) ?? 0) * (d.cost[a.api] ?? 0), 0);
    // What the share leaves for re-reads once every sync left has had its feeds (and a write floor stays unspent).
    const left = allowance - a.used - feedPerSync * syncsLeft;
    const affordable = Math.max(0, Math.floor(left / syncsLeft));
    const s = rereadWanted <= 0 ? 1 : Math.min(1, affordable / rereadWanted);
    scale.set(a.api, s);
    const rereadPerSync = Math.min(rereadWanted, affordable);
    const feedsStop = a.used >= a.perDay - floor;
    const state: BudgetState = feedsStop ? 'spent' : s >= 1 ? 'ok' : s > 0 && rereadPerSync > 0 ? 'shrunk' : 'paused';
    const plan: ApiPlan = {
      api: a.api,
      state,
      allowance,
      used: a.used,
      feedPerSync: Math.round(feedPerSync * 10) / 10,
      rereadPerSync,
      rereadWanted,
      syncsLeft,
      projected: Math.round(a.used + (feedPerSync + (feedsStop ? 0 : rereadPerSync)) * syncsLeft),
      resetsAt: a.resetsAt,
    };
    if (feedsStop && !spent) spent = plan;
    apis.push(plan);
  }
  const slices = new Map<string, number>();
  for (const d of demands) {
    const w = wanted.get(d.name) ?? 0;
    let k = 1;
    for (const [api, c] of Object.entries(d.cost) as Array<[SystemId, number]>)
      if (c > 0 && scale.has(api)) k = Math.min(k, scale.get(api)!);
    slices.set(d.name, spent ? 0 : Math.floor(w * k));
  }
  return { apis, slices, spent };
}
