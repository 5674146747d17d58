/**
 * The soak's twin check (test/soak/README.md): a record an interrupted create made and nobody confirmed is a twin
 * even after a person edits its name — it is traced through the bridge's confirmed creates, not counted by name.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/store/db.js';
import { openSqliteStore } from '../../main/store/sqlite/index.js';
import { checkAll } from '../soak/harness/invariants.js';
import { rng } from '../soak/harness/random.js';
import type { PersonRec, Snapshot } from '../soak/harness/snapshot.js';

const person = (id: string, firstName: string, lastName: string): PersonRec => ({
  id,
  fields: { firstName, lastName, email: null, phone: null },
  live: true,
});
const snapshot = (ghl: PersonRec[], aroflo: PersonRec[]): Snapshot => ({
  ghl: { contacts: new Map(ghl.map((p) => [p.id, p])), tasks: new Map(), notes: new Map() },
  aroflo: { people: new Map(aroflo.map((p) => [p.id, p])), tasks: new Map(), notes: new Map() },
  aimfox: { leads: new Map(), notes: new Map() },
});

describe('soak: twins of people with neither email nor phone', () => {
  it('flags the orphan of an interrupted create whose name was edited since, and not the record the create confirmed', () => {
    const db = openDatabase(':memory:');
    let t = 1;
    const store = openSqliteStore(db, () => ++t);
    // AroFlo "Kim Rowe" was copied to HighLevel twice: the first create's answer was lost and it was sent again.
    const id = store.outbox.add({
      runId: 'r1',
      pair: 'ghl-aroflo',
      entity: 'contact',
      system: 'ghl',
      action: 'create',
      linkId: null,
      subject: 'aroflo:contact:client:K1',
      payload: {},
    });
    store.outbox.settle(id, 'confirmed', 'g-2');
    const baseline = snapshot([], [person('client:K1', 'Kim', 'Rowe')]);
    // The office has since corrected the orphan's first name.
    const now = snapshot(
      [person('g-1', 'Kimberley', 'Rowe'), person('g-2', 'Kim', 'Rowe')],
      [person('client:K1', 'Kim', 'Rowe')],
    );
    const twins = checkAll({ store, snap: now, baseline, edits: [], rng: rng(1), auditSample: 0 }).filter(
      (f) => f.kind === 'duplicate',
    );
    expect(twins).toHaveLength(1);
    expect(twins[0]!.message).toContain('g-1');
  });
});
