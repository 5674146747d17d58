import type { StatsRepo } from '../repositories.js';
import { prepared, type Ctx } from './prepared.js';

export function sqliteStats({ db }: Ctx): StatsRepo {
  const count = (sql: string) => (prepared(db, sql).get() as { n: number }).n;
  return {
    conflicts() {
      return {
        conflicts: count(`select count(*) n from conflicts where kind = 'conflict'`),
        duplicates: count(`select count(*) n from conflicts where kind = 'duplicate'`),
        open: count(`select count(*) n from conflicts where status = 'open'`),
      };
    },
    auditWrites() {
      return count(`select count(*) n from audit where action in ('create', 'update', 'delete', 'archive')`);
    },
  };
}
