/**
 * Statements compiled once per database: planning 100,000 records calls some of these per record.
 */
import type Database from 'better-sqlite3';
import type { Db } from '../db.js';

type Statement = Database.Statement<unknown[], unknown>;
const statements = new WeakMap<Db, Map<string, Statement>>();

export function prepared(db: Db, sql: string): Statement {
  let m = statements.get(db);
  if (!m) statements.set(db, (m = new Map()));
  let st = m.get(sql);
  if (!st) m.set(sql, (st = db.prepare<unknown[], unknown>(sql)));
  return st;
}

/** Ids per `in (…)` query. */
export const IN_CHUNK = 500;

export const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** What every repository gets: the database and the clock. */
export interface Ctx {
  db: Db;
  now: () => number;
}
