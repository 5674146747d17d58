import type { OutboxRepo, OutboxRow } from '../repositories.js';
import { prepared, type Ctx } from './prepared.js';

export function sqliteOutbox({ db, now }: Ctx): OutboxRepo {
  return {
    add(o) {
      const at = now();
      const r = prepared(
        db,
        `insert into outbox(run_id, pair, entity, system, action, link_id, subject, payload, state, attempts, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 1, ?, ?) returning id`,
      ).get(o.runId, o.pair, o.entity, o.system, o.action, o.linkId, o.subject, JSON.stringify(o.payload), at, at) as {
        id: number;
      };
      return Number(r.id);
    },
    settle(id, state, resultId, error) {
      prepared(db, `update outbox set state = ?, result_id = ?, error = ?, updated_at = ? where id = ?`).run(
        state,
        resultId ?? null,
        error ?? null,
        now(),
        id,
      );
    },
    noteResults(ids) {
      const stmt = prepared(db, `update outbox set result_id = ?, updated_at = ? where id = ? and state = 'pending'`);
      const at = now();
      db.transaction(() => {
        for (const x of ids) stmt.run(x.resultId, at, x.id);
      })();
    },
    confirmedCreates() {
      return prepared(
        db,
        `select pair, entity, system, subject, result_id from outbox where action = 'create' and state = 'confirmed' and result_id is not null order by id`,
      ).all() as ReturnType<OutboxRepo['confirmedCreates']>;
    },
    pending(pair, entity) {
      if (pair && entity)
        return prepared(db, `select * from outbox where state = 'pending' and pair = ? and entity = ? order by id`).all(
          pair,
          entity,
        ) as OutboxRow[];
      return prepared(db, `select * from outbox where state = 'pending' order by id`).all() as OutboxRow[];
    },
  };
}
