/**
 * Statements compiled once per database: planning 100,000 records calls some of these per record. The SQL here and in
 * every repository is the subset SQLite and PostgreSQL both accept (main/store/README.md, "Two stores, one SQL").
 */
import type { SqlDb, SqlStatement } from '../sql.js';

const statements = new WeakMap<SqlDb, Map<string, SqlStatement>>();

export function prepared(db: SqlDb, sql: string): SqlStatement {
  let m = statements.get(db);
  if (!m) statements.set(db, (m = new Map()));
  let st = m.get(sql);
  if (!st) m.set(sql, (st = db.prepare(sql)));
  return st;
}

/** Ids per `in (…)` query. */
export const IN_CHUNK = 500;

export const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** What every repository gets: the database (better-sqlite3, or PostgreSQL through the bridge) and the clock. */
export interface Ctx {
  db: SqlDb;
  now: () => number;
}
