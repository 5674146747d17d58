import type { LogLevel, LogRepo } from '../repositories.js';
import { marks, prepared, type Ctx } from './prepared.js';

export function sqliteLogs({ db }: Ctx): LogRepo {
  return {
    add(e) {
      prepared(db, 'insert into logs(at, level, message, context) values (?, ?, ?, ?)').run(
        e.at,
        e.level,
        e.message,
        e.context ? JSON.stringify(e.context) : null,
      );
    },
    prune(keep) {
      prepared(db, 'delete from logs where id <= (select max(id) from logs) - ?').run(keep);
    },
    list({ levels, query, limit }) {
      const rows = db
        .prepare(
          `select at, level, message, context from logs where level in (${marks(levels.length)}) ${query ? 'and (message like ? or context like ?)' : ''} order by id desc limit ?`,
        )
        .all(...levels, ...(query ? [`%${query}%`, `%${query}%`] : []), limit) as Array<{
        at: number;
        level: LogLevel;
        message: string;
        context: string | null;
      }>;
      return rows.map((r) => ({
        at: r.at,
        level: r.level,
        message: r.message,
        context: r.context ? (JSON.parse(r.context) as Record<string, unknown>) : undefined,
      }));
    },
  };
}
