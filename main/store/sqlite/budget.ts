import type { SystemId } from '../../../preload/contract.js';
import type { BudgetRepo, LedgerDay } from '../repositories.js';
import { prepared, type Ctx } from './prepared.js';

export function sqliteBudget({ db, now }: Ctx): BudgetRepo {
  return {
    add(api, day, spent) {
      prepared(
        db,
        `insert into budget_ledger(api, day, calls, run_calls, reread_calls, runs, updated_at) values (?, ?, ?, ?, ?, ?, ?)
         on conflict(api, day) do update set calls = budget_ledger.calls + excluded.calls,
           run_calls = budget_ledger.run_calls + excluded.run_calls,
           reread_calls = budget_ledger.reread_calls + excluded.reread_calls, runs = budget_ledger.runs + excluded.runs,
           updated_at = excluded.updated_at`,
      ).run(api, day, spent.calls, spent.runCalls ?? 0, spent.rereadCalls ?? 0, spent.runs ?? 0, now());
    },
    day(api: SystemId, day: string): LedgerDay {
      const r = prepared(
        db,
        `select calls, run_calls, reread_calls, runs from budget_ledger where api = ? and day = ?`,
      ).get(api, day) as { calls: number; run_calls: number; reread_calls: number; runs: number } | undefined;
      return {
        api,
        day,
        calls: r?.calls ?? 0,
        runCalls: r?.run_calls ?? 0,
        rereadCalls: r?.reread_calls ?? 0,
        runs: r?.runs ?? 0,
      };
    },
    position(name) {
      const r = prepared(
        db,
        `select after_id, lap_started_at, last_lap_ms, last_at from reread_position where name = ?`,
      ).get(name) as
        { after_id: number; lap_started_at: number; last_lap_ms: number | null; last_at: number | null } | undefined;
      return r
        ? {
            afterId: r.after_id,
            lapStartedAt: r.lap_started_at,
            lastLapMs: r.last_lap_ms ?? undefined,
            lastAt: r.last_at ?? undefined,
          }
        : undefined;
    },
    setPosition(name, p) {
      prepared(
        db,
        `insert into reread_position(name, after_id, lap_started_at, last_lap_ms, last_at, updated_at) values (?, ?, ?, ?, ?, ?)
         on conflict(name) do update set after_id = excluded.after_id, lap_started_at = excluded.lap_started_at,
           last_lap_ms = excluded.last_lap_ms, last_at = excluded.last_at, updated_at = excluded.updated_at`,
      ).run(name, p.afterId, p.lapStartedAt, p.lastLapMs ?? null, p.lastAt ?? null, now());
    },
  };
}
