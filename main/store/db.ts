/**
 * Opening the SQLite database safely: owner-only files, WAL, foreign keys, numbered migrations in a transaction.
 * A file that is not a database, or one written by a newer GHL Bridge, is refused with a clear error and never touched.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations.js';

export type Db = Database.Database;

export class DatabaseError extends Error {
  constructor(
    message: string,
    readonly code: 'corrupt' | 'too_new' | 'migration_failed',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DatabaseError';
  }
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';

function looksLikeSqlite(path: string): boolean {
  const size = statSync(path).size;
  if (size === 0) return true; // an empty file is a fresh database
  if (size < 100) return false;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    readSync(fd, buf, 0, 16, 0);
    return buf.toString('latin1') === SQLITE_MAGIC;
  } finally {
    closeSync(fd);
  }
}

function tighten(path: string): void {
  if (process.platform === 'win32') return;
  for (const p of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(p)) chmodSync(p, 0o600);
}

export interface OpenOptions {
  migrations?: Migration[];
  readonly?: boolean;
}

/** Open (creating if needed) and migrate. Throws DatabaseError for a corrupt or too-new file. */
export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  const migrations = opts.migrations ?? MIGRATIONS;
  const latest = migrations.length ? migrations[migrations.length - 1]!.version : 0;
  if (path !== ':memory:' && existsSync(path) && !looksLikeSqlite(path)) {
    throw new DatabaseError(
      `The data file ${path} is not a GHL Bridge database (it may be damaged). It was left untouched — move it aside or restore a backup, then start again.`,
      'corrupt',
    );
  }
  let db: Db;
  try {
    // Create with owner-only permissions: set the umask for the creating call.
    const prevUmask = process.platform === 'win32' ? undefined : process.umask(0o077);
    try {
      db = new Database(path, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
    } finally {
      if (prevUmask !== undefined) process.umask(prevUmask);
    }
  } catch (cause) {
    throw new DatabaseError(`Could not open the data file ${path}: ${(cause as Error).message}`, 'corrupt', { cause });
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > latest) {
      throw new DatabaseError(
        `The data file ${path} was written by a newer version of GHL Bridge (data level ${current}; this version knows up to ${latest}). It was left untouched — install the newer version.`,
        'too_new',
      );
    }
    if (!opts.readonly) migrate(db, migrations, current);
    // A damaged page shows up here rather than halfway through a sync.
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok')
      throw new DatabaseError(
        `The data file ${path} failed its integrity check (${String(check)}). It was left untouched.`,
        'corrupt',
      );
  } catch (e) {
    db.close();
    if (e instanceof DatabaseError) throw e;
    const message = (e as Error).message ?? String(e);
    if (/not a database|malformed|corrupt/i.test(message)) {
      throw new DatabaseError(`The data file ${path} is damaged (${message}). It was left untouched.`, 'corrupt', {
        cause: e,
      });
    }
    throw e;
  }
  if (path !== ':memory:') tighten(path);
  return db;
}

function migrate(db: Db, migrations: Migration[], from: number): void {
  for (const m of migrations) {
    if (m.version <= from) continue;
    const step = db.transaction(() => {
      db.exec(m.sql);
      m.up?.(db);
      db.pragma(`user_version = ${m.version}`);
    });
    try {
      step();
    } catch (cause) {
      throw new DatabaseError(
        `Updating the data file to level ${m.version} (${m.name}) failed: ${(cause as Error).message}. Nothing was changed.`,
        'migration_failed',
        { cause },
      );
    }
  }
}

export function databaseLevel(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export { LATEST_VERSION };
