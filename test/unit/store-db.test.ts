import { describe, expect, it } from 'vitest';
import { mkdtempSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, databaseLevel, DatabaseError, LATEST_VERSION } from '../../main/store/db.js';
import { MIGRATIONS } from '../../main/store/migrations.js';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'ghlb-db-')), 'test.db');

describe('database', () => {
  it('creates every table from empty and records the level', () => {
    const path = fresh();
    const db = openDatabase(path);
    expect(databaseLevel(db)).toBe(LATEST_VERSION);
    const tables = (
      db.prepare("select name from sqlite_master where type='table' order by name").all() as Array<{ name: string }>
    ).map((r) => r.name);
    for (const t of [
      'links',
      'base_snapshots',
      'cursors',
      'conflicts',
      'runs',
      'audit',
      'outbox',
      'activity',
      'logs',
      'quarantine',
      'meta',
    ])
      expect(tables).toContain(t);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('re-opens an existing database without re-running migrations and keeps the data', () => {
    const path = fresh();
    const db = openDatabase(path);
    db.prepare("insert into meta(key, value) values ('k', 'v')").run();
    db.close();
    const again = openDatabase(path);
    expect(again.prepare("select value from meta where key='k'").get()).toEqual({ value: 'v' });
    expect(databaseLevel(again)).toBe(LATEST_VERSION);
    again.close();
  });

  it('creates the database file owner-only', () => {
    const path = fresh();
    openDatabase(path).close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('refuses a database written by a newer version and leaves it untouched', () => {
    const path = fresh();
    const db = openDatabase(path);
    db.pragma(`user_version = ${LATEST_VERSION + 5}`);
    db.close();
    const before = readFileSync(path);
    expect(() => openDatabase(path)).toThrowError(DatabaseError);
    try {
      openDatabase(path);
    } catch (e) {
      expect((e as DatabaseError).code).toBe('too_new');
      expect((e as Error).message).toMatch(/newer version/);
    }
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a file that is not a database and never overwrites it', () => {
    const path = fresh();
    const junk = 'this is a spreadsheet, not a database'.repeat(20);
    writeFileSync(path, junk);
    expect(() => openDatabase(path)).toThrowError(/not a GHL Bridge database/);
    expect(readFileSync(path, 'utf8')).toBe(junk);
  });

  it('applies a later migration step on top of an older level, in a transaction', () => {
    const path = fresh();
    openDatabase(path).close();
    const next = [
      ...MIGRATIONS,
      { version: LATEST_VERSION + 1, name: 'test step', sql: 'create table extra (x int);' },
    ];
    const db = openDatabase(path, { migrations: next });
    expect(databaseLevel(db)).toBe(LATEST_VERSION + 1);
    db.close();
    const broken = [
      ...next,
      {
        version: LATEST_VERSION + 2,
        name: 'broken',
        sql: 'create table ok_table (x int); create table extra (y int);',
      },
    ];
    expect(() => openDatabase(path, { migrations: broken })).toThrowError(/level/);
    const after = openDatabase(path, { migrations: next });
    expect(databaseLevel(after)).toBe(LATEST_VERSION + 1);
    expect(after.prepare("select count(*) n from sqlite_master where name='ok_table'").get()).toEqual({ n: 0 });
    after.close();
  });
});
