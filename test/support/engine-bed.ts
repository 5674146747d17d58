/**
 * The pieces every engine unit test sets up: an in-memory database with a ticking clock and its store, and the
 * ghl-aroflo contact entity wired to two sides (test/support/memory-side.ts or a variant of it).
 */
import { openDatabase } from '../../main/store/db.js';
import { openSqliteStore } from '../../main/store/sqlite/index.js';
import type { WiredEntity } from '../../main/sync/engine/run.js';
import type { MergeField } from '../../main/sync/engine/merge.js';
import type { EntitySide } from '../../main/sync/engine/types.js';

export function memoryStore() {
  const db = openDatabase(':memory:');
  let t = 1_000;
  const now = () => ++t;
  return { db, now, store: openSqliteStore(db, now) };
}

export function contactEntity(ghl: EntitySide, other: EntitySide, fields: MergeField[]): WiredEntity {
  return {
    wiring: { pair: 'ghl-aroflo', entity: 'contact', ghl, other, matchable: true },
    config: { fields, deletePolicy: 'propagate', createTo: { ghl: true, other: true } },
    fieldLabels: {},
    cursorName: 'contacts',
  };
}
