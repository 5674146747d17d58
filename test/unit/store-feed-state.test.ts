/**
 * Feed state moves out of `meta` into real tables (migration level 2, main/store/README.md): a profile written by the
 * previous version opens with its echoes, re-reads, kept-apart pairs and the notes-to-tasks baseline where the sync
 * now reads them, and nothing of it left in `meta` or as fake links.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseLevel, openDatabase } from '../../main/store/db.js';
import { MIGRATIONS } from '../../main/store/migrations.js';
import { openSqliteStore } from '../../main/store/sqlite/index.js';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'ghlb-feed-')), 'profile.db');

/** A profile as the level-1 version left it after a few syncs with the notes-to-tasks rule on. */
function levelOneProfile(path: string): void {
  const db = openDatabase(path, { migrations: MIGRATIONS.filter((m) => m.version === 1) });
  expect(databaseLevel(db)).toBe(1);
  const meta = db.prepare('insert into meta(key, value) values (?, ?)');
  meta.run('ghl:written-contacts', JSON.stringify({ 'c-ann': 1_764_000_000_000, 'c-bob': 1_764_000_100_000 }));
  meta.run('ghl:touched-contacts', JSON.stringify(['ghl-aroflo|note|c-ann', 'ghl-aimfox|task|c-bob', 'c-old']));
  meta.run('apart:ghl-aroflo:contact:c-ann|client:77', '1');
  meta.run('apart:ghl-aroflo:contact:client:77:5|client:78', '1');
  meta.run('rule:note-to-task:baseline', '2026-11-01T08:00:00.000Z');
  meta.run('mapping:kept', 'something else');
  const link = db.prepare(
    `insert into links(pair, entity, ghl_id, other_id, ghl_parent, other_parent, other_kind, label, state, created_at, updated_at) values (?, ?, ?, ?, null, ?, ?, ?, ?, 1, 1)`,
  );
  link.run('ghl-aroflo', 'rule_task', null, 'clientnote:77:1', 'client:77', 'baseline', 'old note', 'deleted');
  link.run('ghl-aroflo', 'rule_task', null, 'tasknote:9:2', 'task:9', 'baseline', 'old job note', 'deleted');
  link.run(
    'ghl-aroflo',
    'rule_task',
    'task-made',
    'clientnote:77:3',
    'client:77',
    'clientnote',
    'a task the rule made',
    'active',
  );
  db.close();
}

describe('feed state in the profile (level 2)', () => {
  it('moves a level-1 profile’s meta keys and baseline links into their tables when it is opened', () => {
    const path = fresh();
    levelOneProfile(path);
    const db = openDatabase(path);
    expect(databaseLevel(db)).toBeGreaterThanOrEqual(2);
    const store = openSqliteStore(db);

    expect(store.feeds.echoes('ghl')).toEqual(
      new Map([
        ['c-ann', 1_764_000_000_000],
        ['c-bob', 1_764_000_100_000],
      ]),
    );
    expect(store.feeds.rereads('ghl')).toEqual([
      { parentId: 'c-ann', pair: 'ghl-aroflo', kind: 'note' },
      { parentId: 'c-bob', pair: 'ghl-aimfox', kind: 'task' },
      { parentId: 'c-old' },
    ]);
    expect(store.apart.has('ghl-aroflo', 'contact', 'c-ann', 'client:77')).toBe(true);
    // AroFlo ids hold ':' but never '|'.
    expect(store.apart.has('ghl-aroflo', 'contact', 'client:77:5', 'client:78')).toBe(true);
    expect(store.apart.has('ghl-aroflo', 'contact', 'client:77', 'c-ann')).toBe(false);
    expect(store.rules.baselineAt('rule_task')).toBe('2026-11-01T08:00:00.000Z');
    expect(store.rules.seen('rule_task', 'clientnote:77:1')).toBe(true);
    expect(store.rules.seen('rule_task', 'tasknote:9:2')).toBe(true);
    expect(store.rules.seen('rule_task', 'clientnote:77:3')).toBe(false);

    // Nothing the sync reads is left in meta, and the rule's real links stay while its markers are gone.
    expect(store.meta.get('ghl:written-contacts')).toBeUndefined();
    expect(store.meta.get('ghl:touched-contacts')).toBeUndefined();
    expect(store.meta.get('rule:note-to-task:baseline')).toBeUndefined();
    expect(store.meta.get('apart:ghl-aroflo:contact:c-ann|client:77')).toBeUndefined();
    expect(store.meta.get('mapping:kept')).toBe('something else');
    expect(store.links.everything().map((l) => l.other_id)).toEqual(['clientnote:77:3']);
    expect(store.links.ghlIdsOf('ghl-aroflo', 'rule_task')).toEqual(new Set(['task-made']));
    db.close();
  });

  it('a new profile starts with empty feed state and a counter at 0, and keeps what a run writes between openings', () => {
    const path = fresh();
    const db = openDatabase(path);
    const store = openSqliteStore(db);
    expect(store.feeds.counter('runs_since_full')).toBe(0);
    expect(store.feeds.echoes('ghl').size).toBe(0);
    store.feeds.setCounter('runs_since_full', 3);
    store.feeds.setRereads(
      'ghl',
      [
        { parentId: 'c-1', pair: 'ghl-aroflo', kind: 'task' },
        { parentId: 'c-1', pair: 'ghl-aroflo', kind: 'task' },
      ],
      'run-1',
    );
    store.feeds.setEchoes('ghl', new Map([['c-1', 5]]), 'run-1');
    db.close();
    const again = openSqliteStore(openDatabase(path));
    expect(again.feeds.counter('runs_since_full')).toBe(3);
    expect(again.feeds.rereads('ghl')).toEqual([{ parentId: 'c-1', pair: 'ghl-aroflo', kind: 'task' }]);
    expect(again.feeds.echoes('ghl')).toEqual(new Map([['c-1', 5]]));
  });
});
