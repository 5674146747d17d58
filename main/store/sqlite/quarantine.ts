import type { QuarantineRepo } from '../repositories.js';
import { prepared, type Ctx } from './prepared.js';

export function sqliteQuarantine({ db, now }: Ctx): QuarantineRepo {
  return {
    add(q) {
      prepared(
        db,
        `insert into quarantine(system, entity, record_id, reason, raw, run_id, at) values (?, ?, ?, ?, ?, ?, ?)
         on conflict(system, entity, record_id) do update set reason = excluded.reason, raw = excluded.raw, run_id = excluded.run_id, at = excluded.at`,
      ).run(
        q.system,
        q.entity,
        q.recordId,
        q.reason,
        q.raw === undefined ? null : JSON.stringify(q.raw).slice(0, 4000),
        q.runId,
        now(),
      );
    },
    release(system, entity, recordId) {
      prepared(db, `delete from quarantine where system = ? and entity = ? and record_id = ?`).run(
        system,
        entity,
        recordId,
      );
    },
    count() {
      return (prepared(db, `select count(*) n from quarantine`).get() as { n: number }).n;
    },
    list(limit = 100) {
      return prepared(db, `select system, entity, record_id, reason, at from quarantine order by at desc limit ?`).all(
        limit,
      ) as ReturnType<QuarantineRepo['list']>;
    },
  };
}
