/**
 * The daily budget as the service keeps it: the ledger (what this process spent, added to the profile's budget-day
 * after each run and when a command ends, so the app, serve mode and every CLI process count into the same day), the
 * planner's inputs (settings over the declared defaults), and each API's state in words for Status, the tray and
 * `ghl-bridge status` (main/sync/README.md, "Daily budget and the rolling re-read").
 */
import type { BudgetInfo, Settings, SystemId } from '../../preload/contract.js';
import type { Store } from '../store/repositories.js';
import { budgetOf } from '../domain/defaults.js';
import {
  budgetDay,
  CLIENT_NOTES_EVERY_WHEN_LOW,
  DAILY_BUDGETS,
  planBudget,
  WRITE_FLOOR_PERCENT,
  type BudgetPlan,
  type SliceDemand,
} from '../sync/budget/index.js';

const NAMES: Record<SystemId, string> = { ghl: 'HighLevel', aroflo: 'AroFlo', aimfox: 'Aimfox' };
/** The APIs with a daily budget (Aimfox has only a rate per minute: main/connectors/aimfox/README.md). */
const BUDGETED: SystemId[] = (['ghl', 'aroflo', 'aimfox'] as SystemId[]).filter((s) => DAILY_BUDGETS[s].perDay);
/** The last run's re-read demands, for a process that plans nothing itself (`ghl-bridge status`). Never read by the sync. */
const DEMANDS_KEY = 'budget:last-demands';

export class BudgetKeeper {
  private recorded: Record<SystemId, number>;

  constructor(
    private readonly ctx: {
      store: Store;
      settings: () => Settings;
      requestCounts: () => Record<SystemId, number>;
      now: () => number;
    },
  ) {
    this.recorded = { ...ctx.requestCounts() };
  }

  /**
   * Add what this process spent since the last time to each API's budget-day. `reread`: of that, the rolling
   * re-read's calls; `run`: it was a sync run (the feeds' cost per sync is counted per run).
   */
  flush(opts: { reread?: Partial<Record<SystemId, number>>; run?: boolean } = {}): void {
    const now = this.ctx.requestCounts();
    try {
      for (const api of Object.keys(now) as SystemId[]) {
        const calls = (now[api] ?? 0) - (this.recorded[api] ?? 0);
        if (calls <= 0 && !opts.run) continue;
        this.ctx.store.budget.add(api, budgetDay(api, this.ctx.now()).day, {
          calls: Math.max(0, calls),
          runCalls: opts.run ? Math.max(0, calls) : 0,
          rereadCalls: Math.min(Math.max(0, calls), opts.reread?.[api] ?? 0),
          runs: opts.run ? 1 : 0,
        });
      }
      this.recorded = { ...now };
    } catch {
      // Best effort: a profile that cannot be written now (closing, a test's dead store) keeps the count for next time.
    }
  }

  private settings() {
    const s = this.ctx.settings();
    const b = budgetOf(s);
    return {
      intervalMs: s.syncIntervalMinutes * 60_000,
      windowHours: b.rereadWindowHours,
      share: {
        ghl: b.ghlSharePercent,
        aroflo: b.arofloSharePercent,
        aimfox: DAILY_BUDGETS.aimfox.defaultSharePercent,
      } as Record<SystemId, number>,
    };
  }

  /**
   * This sync's plan for these re-read demands (saved for `status` in other processes), over the APIs the sync uses:
   * AroFlo's budget spent does not stop HighLevel → Aimfox.
   */
  plan(demands: SliceDemand[], uses: ReadonlySet<SystemId>): BudgetPlan {
    this.ctx.store.meta.set(DEMANDS_KEY, JSON.stringify(demands));
    return this.compute(demands, uses);
  }

  private compute(demands: SliceDemand[], uses?: ReadonlySet<SystemId>): BudgetPlan {
    const s = this.settings();
    const t = this.ctx.now();
    return planBudget({
      apis: BUDGETED.filter((api) => !uses || uses.has(api)).map((api) => {
        const { day, resetsAt } = budgetDay(api, t);
        const row = this.ctx.store.budget.day(api, day);
        return {
          api,
          perDay: DAILY_BUDGETS[api].perDay!,
          sharePercent: s.share[api],
          used: row.calls,
          feedUsed: Math.max(0, row.runCalls - row.rereadCalls),
          runs: row.runs,
          msToReset: resetsAt - t,
          resetsAt,
        };
      }),
      demands,
      intervalMs: s.intervalMs,
      windowMs: s.windowHours * 3_600_000,
      writeFloorPercent: WRITE_FLOOR_PERCENT,
    });
  }

  /**
   * Each API's budget today, in the words Status, the tray and `ghl-bridge status` show. `flush`: add what this process
   * spent first — not while a run is going (its calls are added, as the run's, when it ends).
   */
  info(opts: { flush?: boolean } = {}): BudgetInfo[] {
    if (opts.flush ?? true) this.flush();
    let demands: SliceDemand[] = [];
    try {
      demands = JSON.parse(this.ctx.store.meta.get(DEMANDS_KEY) ?? '[]') as SliceDemand[];
    } catch {
      /* no run has planned yet */
    }
    const s = this.settings();
    const plan = this.compute(demands);
    return plan.apis.map((a): BudgetInfo => {
      // Short of budget every slice shrinks by `scale`: a lap of the re-read takes that much longer.
      const coverageHours = a.scale > 0 ? Math.round(s.windowHours / a.scale) : undefined;
      return {
        system: a.api,
        perDay: DAILY_BUDGETS[a.api].perDay!,
        sharePercent: s.share[a.api],
        allowance: a.allowance,
        usedToday: a.used,
        projected: a.projected,
        state: a.state,
        windowHours: s.windowHours,
        coverageHours: a.state === 'ok' ? s.windowHours : coverageHours,
        resetsAt: a.resetsAt,
        message: budgetMessage(a.api, a.state, a.used, a.allowance, a.resetsAt, coverageHours),
      };
    });
  }
}

/** What a budget that runs low means, and when full sync resumes. */
export function budgetMessage(
  api: SystemId,
  state: BudgetInfo['state'],
  used: number,
  allowance: number,
  resetsAt: number,
  coverageHours?: number,
): string | undefined {
  const n = NAMES[api];
  const when = `${new Date(resetsAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const spent = `${used.toLocaleString('en-US')} of its ${allowance.toLocaleString('en-US')}-request share used today`;
  // AroFlo's client notes have no change feed: while its share runs low they are listed every other sync
  // (CLIENT_NOTES_EVERY_WHEN_LOW, main/sync/budget/declared.ts).
  const notes =
    api === 'aroflo' ? ` New AroFlo client notes are read every ${ordinal(CLIENT_NOTES_EVERY_WHEN_LOW)} sync.` : '';
  if (state === 'shrunk')
    return `${n} budget running low (${spent}): the re-read checks fewer records per sync${coverageHours ? ` (every record within about ${coverageHours} h)` : ''}; full re-reads resume when the budget resets at ${when}.${notes}`;
  if (state === 'paused')
    return `${n} budget low (${spent}): re-reads are paused, changes are still synced; full sync resumes when the budget resets at ${when}.${notes}`;
  if (state === 'spent')
    return `${n} daily budget used up (${used.toLocaleString('en-US')} requests today): sync waits until the budget resets at ${when}.`;
  return undefined;
}

/** "other" for 2, "3rd" for 3, … (how often something happens: "every other sync"). */
const ordinal = (n: number): string =>
  n === 2 ? 'other' : `${n}${n % 10 === 3 && n % 100 !== 13 ? 'rd' : n % 10 === 1 && n % 100 !== 11 ? 'st' : 'th'}`;
