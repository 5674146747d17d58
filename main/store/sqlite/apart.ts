import type { KeepApartRepo } from '../repositories.js';
import { prepared, type Ctx } from './prepared.js';

export function sqliteApart({ db }: Ctx): KeepApartRepo {
  return {
    has(pair, entity, ghlId, otherId) {
      return (
        prepared(db, `select 1 from keep_apart where pair = ? and entity = ? and a_id = ? and b_id = ?`).get(
          pair,
          entity,
          ghlId,
          otherId,
        ) !== undefined
      );
    },
    add(pair, entity, pairs) {
      const insert = prepared(
        db,
        `insert into keep_apart(pair, entity, a_id, b_id) values (?, ?, ?, ?) on conflict do nothing`,
      );
      db.transaction(() => {
        for (const [a, b] of pairs) insert.run(pair, entity, a, b);
      })();
    },
  };
}
