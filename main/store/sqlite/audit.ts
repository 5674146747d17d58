import type { EntityKind, SystemId } from '../../../preload/contract.js';
import type { AuditEntry, AuditRepo, AuditRow } from '../repositories.js';
import { prepared, type Ctx } from './prepared.js';

/** An `audit` row as the repositories return it (records.ts reads them too). */
export const toAuditRow = (r: Record<string, unknown>): AuditRow => ({
  id: r.id as number,
  at: r.at as number,
  runId: r.run_id as string,
  system: r.system as SystemId,
  entity: r.entity as EntityKind,
  recordId: r.record_id as string | null,
  linkId: r.link_id as number | null,
  action: r.action as AuditEntry['action'],
  field: r.field as string | null,
  before: r.before as string | null,
  after: r.after as string | null,
  undone_by: r.undone_by as string | null,
});

export function sqliteAudit({ db, now }: Ctx): AuditRepo {
  return {
    add(e) {
      return Number(
        (
          prepared(
            db,
            `insert into audit(run_id, at, system, entity, record_id, link_id, action, field, before, after) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
          ).get(
            e.runId,
            now(),
            e.system,
            e.entity,
            e.recordId,
            e.linkId,
            e.action,
            e.field ?? null,
            e.before ?? null,
            e.after ?? null,
          ) as { id: number }
        ).id,
      );
    },
    forRun(runId) {
      return (
        prepared(db, `select * from audit where run_id = ? order by id`).all(runId) as Array<Record<string, unknown>>
      ).map(toAuditRow);
    },
    markUndone(auditId, undoRunId) {
      prepared(db, `update audit set undone_by = ? where id = ?`).run(undoRunId, auditId);
    },
    *iterate() {
      // Not cached: a cached statement cannot run twice at once.
      for (const r of db
        .prepare(
          `select a.*, r.trigger, l.label as record_label, l.pair as pair from audit a left join runs r on r.id = a.run_id left join links l on l.id = a.link_id order by a.id`,
        )
        .iterate())
        yield r as Record<string, unknown>;
    },
    all() {
      return (prepared(db, `select * from audit order by id`).all() as Array<Record<string, unknown>>).map(toAuditRow);
    },
  };
}
