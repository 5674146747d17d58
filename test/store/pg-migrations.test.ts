/**
 * MIGRATIONS, the one source of both schemas, on PostgreSQL (main/store/pg/index.ts): every step applies, `up` data
 * steps run there too, a newer schema is refused untouched, a failed step changes nothing, a step written for SQLite
 * needs no second spelling, and workers starting at once do not race (advisory lock).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, databaseLevel } from '../../main/store/db.js';
import { LATEST_VERSION, MIGRATIONS, type Migration } from '../../main/store/migrations.js';
import { migratePg, openPgStore, PgBridge, pgLevel } from '../../main/store/pg/index.js';
import { openSqliteStore } from '../../main/store/sqlite/index.js';
import { pgAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.js';

const run = promisify(execFile);

describe.skipIf(!pgAvailable())('migrations on PostgreSQL', () => {
  let cluster: PgCluster;
  let url: string;
  const bridges: PgBridge[] = [];
  const bridge = (schema: string) => {
    const b = new PgBridge({ connectionString: url, schema });
    bridges.push(b);
    return b;
  };
  beforeAll(async () => {
    cluster = await startPgCluster();
    url = await cluster.createDatabase('migrations');
  });
  afterAll(async () => {
    for (const b of bridges) b.close();
    await cluster?.stop();
  });

  it('brings a new schema to the latest level, tracked in schema_level, and does nothing the second time', () => {
    const s = openPgStore({ connectionString: url, schema: 'fresh' });
    expect(pgLevel(s.db)).toBe(LATEST_VERSION);
    s.close();
    const again = openPgStore({ connectionString: url, schema: 'fresh' });
    expect(again.db.queryPg('select count(*) as n from schema_level').rows[0]).toEqual({ n: 1 });
    again.close();
  });

  it("runs a step's `up` data move on PostgreSQL too (level 1 → 2 moves feed state out of meta)", () => {
    const b = bridge('level_one');
    migratePg(
      b,
      'level_one',
      MIGRATIONS.filter((m) => m.version === 1),
    );
    expect(pgLevel(b)).toBe(1);
    const meta = b.prepare('insert into meta(key, value) values (?, ?)');
    meta.run('ghl:written-contacts', JSON.stringify({ 'c-ann': 1_764_000_000_000 }));
    meta.run('ghl:touched-contacts', JSON.stringify(['ghl-aroflo|note|c-ann', 'c-old']));
    meta.run('apart:ghl-aroflo:contact:c-ann|client:77', '1');
    meta.run('rule:note-to-task:baseline', '2026-11-01T08:00:00.000Z');
    b.prepare(
      `insert into links(pair, entity, ghl_id, other_id, ghl_parent, other_parent, other_kind, label, state, created_at, updated_at) values ('ghl-aroflo', 'rule_task', null, 'clientnote:77:1', null, 'client:77', 'baseline', 'old', 'deleted', 1, 1)`,
    ).run();
    migratePg(b, 'level_one');
    expect(pgLevel(b)).toBe(LATEST_VERSION);
    const s = openSqliteStore(b);
    expect(s.feeds.echoes('ghl')).toEqual(new Map([['c-ann', 1_764_000_000_000]]));
    expect(s.feeds.rereads('ghl')).toEqual([
      { parentId: 'c-ann', pair: 'ghl-aroflo', kind: 'note' },
      { parentId: 'c-old' },
    ]);
    expect(s.apart.has('ghl-aroflo', 'contact', 'c-ann', 'client:77')).toBe(true);
    expect(s.rules.baselineAt('rule_task')).toBe('2026-11-01T08:00:00.000Z');
    expect(s.rules.seen('rule_task', 'clientnote:77:1')).toBe(true);
    expect(s.links.everything()).toEqual([]);
    expect(s.meta.get('ghl:written-contacts')).toBeUndefined();
  });

  it('refuses a schema a newer version wrote, and leaves it untouched', () => {
    const b = bridge('newer');
    migratePg(b, 'newer');
    b.exec(`update schema_level set level = ${LATEST_VERSION + 5}`);
    expect(() => openPgStore({ connectionString: url, schema: 'newer' })).toThrow(/newer version of GHL Bridge/);
    expect(pgLevel(b)).toBe(LATEST_VERSION + 5);
  });

  it('a step that fails changes nothing: not its tables, not the level', () => {
    const b = bridge('failing');
    migratePg(b, 'failing');
    const broken: Migration = {
      version: LATEST_VERSION + 1,
      name: 'breaks halfway',
      sql: `CREATE TABLE half_done (id INTEGER PRIMARY KEY); CREATE TABLE links (id INTEGER)`,
    };
    expect(() => migratePg(b, 'failing', [...MIGRATIONS, broken])).toThrow(/level \d+ \(breaks halfway\) failed/);
    expect(pgLevel(b)).toBe(LATEST_VERSION);
    expect(b.queryPg(`select to_regclass('half_done') is null as gone`).rows[0]).toEqual({ gone: true });
  });

  it('a new step written once (SQLite spelling) serves both stores', () => {
    const step: Migration = {
      version: LATEST_VERSION + 1,
      name: 'a ledger (as another branch might add)',
      sql: `CREATE TABLE ledger (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, cost INTEGER NOT NULL DEFAULT 0, note TEXT);
            CREATE INDEX ledger_at ON ledger(at);
            ALTER TABLE runs ADD COLUMN budget_used INTEGER;`,
      up(db) {
        db.prepare(`insert into ledger(at, cost, note) values (?, ?, ?) on conflict do nothing`).run(
          1_764_000_000_000,
          3,
          'opening',
        );
      },
    };
    const migrations = [...MIGRATIONS, step];
    const sqlite = openDatabase(':memory:', { migrations });
    expect(databaseLevel(sqlite)).toBe(step.version);
    const b = bridge('ledger');
    migratePg(b, 'ledger', migrations);
    expect(pgLevel(b)).toBe(step.version);
    for (const db of [sqlite, b]) {
      const row = db.prepare(`select id, at, cost, note from ledger`).get();
      expect(row).toEqual({ id: 1, at: 1_764_000_000_000, cost: 3, note: 'opening' });
    }
    sqlite.close();
  });

  it('workers that start at once on the same new location all open it (the advisory lock serialises them)', async () => {
    const script = fileURLToPath(new URL('./fixtures/open-pg-store.ts', import.meta.url));
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () => run(process.execPath, ['--import', 'tsx', script, url, 'raced'])),
    );
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok', 'ok', 'ok']);
    const b = bridge('raced');
    expect(pgLevel(b)).toBe(LATEST_VERSION);
    expect(b.queryPg(`select count(*) as n from meta where key like 'opened-by-%'`).rows[0]).toEqual({ n: 4 });
  });
});
