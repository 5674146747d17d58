import type { RuleStateRepo } from '../repositories.js';
import { prepared, type Ctx } from './prepared.js';

export function sqliteRules({ db }: Ctx): RuleStateRepo {
  return {
    baselineAt(rule) {
      return (
        prepared(db, `select baseline_at from rule_state where rule = ?`).get(rule) as
          { baseline_at: string } | undefined
      )?.baseline_at;
    },
    setBaseline(rule, at, seen) {
      const insert = prepared(db, `insert into rule_seen(rule, other_id) values (?, ?) on conflict do nothing`);
      db.transaction(() => {
        for (const id of seen) insert.run(rule, id);
        prepared(
          db,
          `insert into rule_state(rule, baseline_at) values (?, ?) on conflict(rule) do update set baseline_at = excluded.baseline_at`,
        ).run(rule, at);
      })();
    },
    seen(rule, otherId) {
      return prepared(db, `select 1 from rule_seen where rule = ? and other_id = ?`).get(rule, otherId) !== undefined;
    },
  };
}
