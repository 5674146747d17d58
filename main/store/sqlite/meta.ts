import type { MetaRepo } from '../repositories.js';
import { prepared, type Ctx } from './prepared.js';

export function sqliteMeta({ db }: Ctx): MetaRepo {
  return {
    get(key) {
      return (prepared(db, `select value from meta where key = ?`).get(key) as { value: string } | undefined)?.value;
    },
    set(key, value) {
      if (value === undefined) prepared(db, `delete from meta where key = ?`).run(key);
      else
        prepared(
          db,
          `insert into meta(key, value) values (?, ?) on conflict(key) do update set value = excluded.value`,
        ).run(key, value);
    },
  };
}
