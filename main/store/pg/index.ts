/**
 * The store on PostgreSQL: the same repositories as SQLite (main/store/sqlite/*.ts, whose SQL is the subset both accept)
 * over the synchronous bridge (./bridge.ts), one SCHEMA per HighLevel location, migrated from the one MIGRATIONS list
 * under an advisory lock. main/store/README.md, "The PostgreSQL store".
 */
import { DatabaseError } from '../db.js';
import { toPgDdl } from '../dialect.js';
import { MIGRATIONS, type Migration } from '../migrations.js';
import type { Store } from '../repositories.js';
import { openSqliteStore } from '../sqlite/index.js';
import { PgBridge, type PgBridgeOptions } from './bridge.js';

export { PgBridge, type PgBridgeOptions, type PgConnection } from './bridge.js';

/** The first key of the advisory lock migrations hold (the second is the schema's hash). */
const MIGRATION_LOCK = 19_0419;

export interface OpenPgStoreOptions extends PgBridgeOptions {
  /** The location's schema (created when missing). Default `public`. */
  schema?: string;
  now?: () => number;
  migrations?: Migration[];
}

export type PgStore = Store & {
  /** The bridge (SqlDb) the repositories run on. */
  readonly db: PgBridge;
  readonly schema: string;
  /** Ends the connection and its worker thread. */
  close(): void;
};

/** Opens (creating and migrating the schema if needed) the store of one location on PostgreSQL. Synchronous. */
export function openPgStore(options: OpenPgStoreOptions): PgStore {
  const { now, migrations, ...bridgeOptions } = options;
  const schema = options.schema ?? 'public';
  const db = new PgBridge({ ...bridgeOptions, schema });
  try {
    migratePg(db, schema, migrations ?? MIGRATIONS);
  } catch (e) {
    db.close();
    throw e;
  }
  const store = openSqliteStore(db, now ?? Date.now);
  return Object.assign(store, { db, schema, close: () => db.close() });
}

/** The schema's data level (0: not created yet). */
export function pgLevel(db: PgBridge): number {
  const r = db.queryPg(`select to_regclass('schema_level') is not null as present`).rows[0] as { present: boolean };
  if (!r.present) return 0;
  return Number(
    (db.queryPg(`select coalesce(max(level), 0) as level from schema_level`).rows[0] as { level: number }).level,
  );
}

/**
 * Brings `schema` to the newest level: each step's DDL rendered for PostgreSQL (toPgDdl), its `up` data move, and the
 * level, in one transaction; all of it under an advisory lock so two workers starting at once do not race.
 */
export function migratePg(db: PgBridge, schema: string, migrations: Migration[] = MIGRATIONS): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`not a plain schema name: ${schema}`);
  const latest = migrations.length ? migrations[migrations.length - 1]!.version : 0;
  db.queryPg(`select pg_advisory_lock($1, hashtext($2))`, [MIGRATION_LOCK, schema]);
  try {
    db.exec(`create schema if not exists ${schema}`);
    db.exec(`create table if not exists schema_level (level bigint not null)`);
    const current = pgLevel(db);
    if (current > latest)
      throw new DatabaseError(
        `The PostgreSQL schema ${schema} was written by a newer version of GHL Bridge (data level ${current}; this version knows up to ${latest}). It was left untouched — install the newer version.`,
        'too_new',
      );
    for (const m of migrations) {
      if (m.version <= current) continue;
      try {
        db.transaction(() => {
          db.exec(toPgDdl(m.sql));
          m.up?.(db);
          db.exec(`delete from schema_level`);
          db.queryPg(`insert into schema_level(level) values ($1)`, [m.version]);
        })();
      } catch (cause) {
        throw new DatabaseError(
          `Updating the PostgreSQL schema ${schema} to level ${m.version} (${m.name}) failed: ${(cause as Error).message}. Nothing was changed.`,
          'migration_failed',
          { cause },
        );
      }
    }
  } finally {
    try {
      db.queryPg(`select pg_advisory_unlock($1, hashtext($2))`, [MIGRATION_LOCK, schema]);
    } catch {
      // The connection is gone, and the server released its locks with it; the migration's own error is what counts.
    }
  }
}
