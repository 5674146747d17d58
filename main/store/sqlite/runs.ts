import type { RunSummary } from '../../../preload/contract.js';
import type { RunRepo } from '../repositories.js';
import { prepared, type Ctx } from './prepared.js';

export function sqliteRuns({ db, now }: Ctx): RunRepo {
  return {
    start(r) {
      prepared(db, `insert into runs(id, trigger, dry_run, status, started_at) values (?, ?, ?, 'running', ?)`).run(
        r.id,
        r.trigger,
        r.dryRun ? 1 : 0,
        r.startedAt,
      );
    },
    finish(s, plan) {
      prepared(
        db,
        `update runs set status = ?, finished_at = ?, summary = ?, message = ?, plan = coalesce(?, plan) where id = ?`,
      ).run(
        s.status,
        s.finishedAt ?? now(),
        JSON.stringify(s),
        s.message ?? null,
        plan === undefined ? null : JSON.stringify(plan),
        s.id,
      );
    },
    get(id) {
      const r = prepared(db, `select * from runs where id = ?`).get(id) as Record<string, unknown> | undefined;
      return r ? toRunSummary(r) : undefined;
    },
    list(limit = 20) {
      return (
        prepared(db, `select * from runs order by started_at desc, rowid desc limit ?`).all(
          Math.min(limit, 1000),
        ) as Array<Record<string, unknown>>
      ).map(toRunSummary);
    },
    since(since) {
      return (
        prepared(
          db,
          `select * from runs where started_at >= ? and dry_run = 0 and summary is not null order by started_at`,
        ).all(since) as Array<Record<string, unknown>>
      ).map(toRunSummary);
    },
    closeAbandoned() {
      return prepared(
        db,
        `update runs set status = 'failed', message = 'Interrupted (the app stopped during this run); the next run finished its work.', finished_at = ? where status = 'running'`,
      ).run(now()).changes;
    },
  };
}

function toRunSummary(r: Record<string, unknown>): RunSummary & { plan?: unknown } {
  const summary = r.summary ? (JSON.parse(r.summary as string) as RunSummary) : undefined;
  return {
    id: r.id as string,
    trigger: r.trigger as RunSummary['trigger'],
    dryRun: r.dry_run === 1,
    status: r.status as RunSummary['status'],
    startedAt: r.started_at as number,
    finishedAt: (r.finished_at as number | null) ?? undefined,
    durationMs: summary?.durationMs,
    created: summary?.created ?? {},
    updated: summary?.updated ?? {},
    deleted: summary?.deleted ?? {},
    conflicts: summary?.conflicts ?? 0,
    errors: summary?.errors ?? 0,
    requests: summary?.requests ?? { ghl: 0, aroflo: 0, aimfox: 0 },
    message: (r.message as string | null) ?? undefined,
    plan: r.plan ? (JSON.parse(r.plan as string) as unknown) : undefined,
  };
}
