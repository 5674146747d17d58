/**
 * First-link matching: who is the same person, who is not, and what goes to a person for review
 * (main/sync/README.md, "Matching"). The systems are in-memory sides whose match keys are normalized the way
 * the real adapters normalize them (lower-case email, E.164 phone).
 */
import { describe, expect, it } from 'vitest';
import { runSync } from '../../main/sync/engine/run.js';
import type { MergeField } from '../../main/sync/engine/merge.js';
import { email as normEmail, phone as normPhone } from '../../main/sync/sides/normalize.js';
import { MemorySide } from '../support/memory-side.js';
import { contactEntity, memoryStore } from '../support/engine-bed.js';
import type { Settings } from '../../preload/contract.js';
import { apartPairs } from '../../main/service/sync.js';
import type { ConflictRow } from '../../main/store/repositories.js';

const FIELDS: MergeField[] = ['firstName', 'lastName', 'email', 'phone'].map((key) => ({
  key,
  direction: 'both',
  conflictDefault: 'ask',
}));
const GUARD: Settings['guard'] = {
  maxDeletes: 100000,
  maxDeletePercent: 100,
  maxChanges: 1000000,
  maxChangePercent: 100,
};

function setup() {
  const { db, now, store } = memoryStore();
  const ghl = new MemorySide('ghl', 'contact', 'g');
  const other = new MemorySide('aroflo', 'contact', 'a');
  for (const side of [ghl, other]) side.matchKey = (f, v) => (f === 'email' ? normEmail(v) : normPhone(v));
  const entity = contactEntity(ghl, other, FIELDS);
  let n = 0;
  const run = (o: { dryRun?: boolean; full?: boolean } = {}) =>
    runSync(
      {
        store,
        logger: { info() {}, warn() {}, error() {} },
        now,
        requestCounts: () => ({ ghl: 0, aroflo: 0, aimfox: 0 }),
      },
      [entity],
      { runId: `r${++n}`, trigger: 'cli', dryRun: o.dryRun ?? false, full: o.full ?? false, guard: GUARD },
    );
  const links = () =>
    db.prepare(`select ghl_id, other_id from links where state = 'active'`).all() as Array<{
      ghl_id: string;
      other_id: string;
    }>;
  const reviews = () =>
    (
      db.prepare(`select candidates from conflicts where kind = 'duplicate' and status = 'open'`).all() as Array<{
        candidates: string;
      }>
    ).map((c) => (JSON.parse(c.candidates) as Array<{ id: string }>).map((x) => x.id).sort());
  // What "Keep apart" on the Conflicts screen records (main/service/sync.ts).
  const svcKeepApart = (row: ConflictRow) => {
    store.apart.add(row.pair, row.entity, apartPairs(row));
  };
  return { db, store, ghl, other, run, links, reviews, svcKeepApart };
}

const p = (firstName: string, lastName: string, email: string | null, phone: string | null) => ({
  firstName,
  lastName,
  email,
  phone,
});

describe('first-link matching', () => {
  it('a shared office phone does not merge two people with different emails: it proposes them for review, nothing is linked or overwritten', async () => {
    const s = setup();
    const ann = s.ghl.add(p('Ann', 'Lee', 'ann@acme.com.au', '+61390001234'));
    const bob = s.other.add(p('Bob', 'Ng', 'bob@acme.com.au', '(03) 9000 1234'));
    await s.run();
    expect(s.links()).toEqual([]);
    expect(s.reviews()).toEqual([[ann, bob].sort()]);
    expect(s.ghl.records.get(ann)!.fields).toMatchObject({ firstName: 'Ann', email: 'ann@acme.com.au' });
    expect(s.other.records.get(bob)!.fields).toMatchObject({ firstName: 'Bob', email: 'bob@acme.com.au' });
    // A person says they are two people: each is copied, still nobody merged.
    const row = s.store.conflicts.openBySubject(
      s.db.prepare(`select subject from conflicts where status = 'open'`).pluck().get() as string,
    )!;
    s.store.apart.add('ghl-aroflo', 'contact', [[ann, bob]]);
    s.store.conflicts.close(row.id, 'dismissed', { action: 'keep_apart' });
    await s.run({ full: true });
    expect(s.links()).toHaveLength(2);
    expect(s.links().some((l) => l.ghl_id === ann && l.other_id === bob)).toBe(false);
    expect(
      s.ghl
        .live()
        .map((r) => r.fields.email)
        .sort(),
    ).toEqual(['ann@acme.com.au', 'bob@acme.com.au']);
    expect(
      s.other
        .live()
        .map((r) => r.fields.email)
        .sort(),
    ).toEqual(['ann@acme.com.au', 'bob@acme.com.au']);
  });

  it('colleagues who share the office phone and are in both systems are each linked to themselves', async () => {
    const s = setup();
    const a = s.ghl.add(p('Ann', 'Lee', 'ann@acme.com.au', '+61390001234'));
    const b = s.ghl.add(p('Bob', 'Ng', 'bob@acme.com.au', '+61390001234'));
    const a2 = s.other.add(p('Ann', 'Lee', 'ann@acme.com.au', '(03) 9000 1234'));
    const b2 = s.other.add(p('Bob', 'Ng', 'bob@acme.com.au', '(03) 9000 1234'));
    await s.run();
    expect(
      s
        .links()
        .map((l) => `${l.ghl_id}|${l.other_id}`)
        .sort(),
    ).toEqual([`${a}|${a2}`, `${b}|${b2}`].sort());
    expect(s.reviews()).toEqual([]);
  });

  it('a record with only the office phone does not hold back colleagues linked by email: they are linked, it alone is asked about, and keeping it apart twins nobody', async () => {
    const s = setup();
    const ann = s.ghl.add(p('Ann', 'Lee', 'ann@acme.com.au', '+61390001234'));
    const bob = s.ghl.add(p('Bob', 'Ng', 'bob@acme.com.au', '+61390001234'));
    const ann2 = s.other.add(p('Ann', 'Lee', 'ann@acme.com.au', '(03) 9000 1234'));
    const bob2 = s.other.add(p('Bob', 'Ng', 'bob@acme.com.au', '(03) 9000 1234'));
    const accounts = s.other.add(p('Accounts', 'Dept', null, '(03) 9000 1234'));
    const preview = await s.run({ dryRun: true });
    await s.run();
    expect(
      s
        .links()
        .map((l) => `${l.ghl_id}|${l.other_id}`)
        .sort(),
    ).toEqual([`${ann}|${ann2}`, `${bob}|${bob2}`].sort());
    expect(s.reviews()).toHaveLength(1);
    expect(s.reviews()[0]).toContain(accounts);
    expect(s.reviews()[0]).not.toContain(ann2);
    expect(s.reviews()[0]).not.toContain(bob2);
    expect(preview.items.filter((i) => i.action === 'duplicate')).toHaveLength(1);
    // Kept apart: Accounts is copied on its own; Ann and Bob stay one record each in each system.
    const row = s.store.conflicts.openBySubject(
      s.db.prepare(`select subject from conflicts where status = 'open'`).pluck().get() as string,
    )!;
    s.svcKeepApart(row);
    s.store.conflicts.close(row.id, 'dismissed', { action: 'keep_apart' });
    await s.run({ full: true });
    await s.run({ full: true });
    expect(s.ghl.live().filter((r) => r.fields.firstName === 'Ann' || r.fields.firstName === 'Bob')).toHaveLength(2);
    expect(s.other.live().filter((r) => r.fields.firstName === 'Ann' || r.fields.firstName === 'Bob')).toHaveLength(2);
    expect(s.links().filter((l) => l.other_id === ann2 || l.other_id === bob2)).toHaveLength(2);
  });

  it('keeping a group apart never marks two records with the same email apart', () => {
    const cands = [
      { system: 'ghl', id: 'g-1', details: { email: 'ann@acme.com.au' } },
      { system: 'aroflo', id: 'a-1', details: { email: 'ann@acme.com.au' } },
      { system: 'aroflo', id: 'a-2', details: { email: null } },
    ];
    const pairs = apartPairs({
      pair: 'ghl-aroflo',
      entity: 'contact',
      candidates: JSON.stringify(cands),
    } as unknown as ConflictRow);
    expect(pairs).not.toContainEqual(['g-1', 'a-1']);
    expect(pairs).toContainEqual(['g-1', 'a-2']);
  });

  it('split keys: one person whose email matches one record and phone another is ONE review item holding all three, nothing linked or copied', async () => {
    const s = setup();
    const pGhl = s.ghl.add(p('Pat', 'Kim', 'pat@kim.id.au', '+61411111111'));
    const x = s.other.add(p('Pat', 'Kim', 'pat@kim.id.au', '0422 222 222'));
    const y = s.other.add(p('P', 'Kim', null, '0411 111 111'));
    await s.run();
    expect(s.links()).toEqual([]);
    expect(s.reviews()).toEqual([[pGhl, x, y].sort()]);
    expect(s.ghl.live()).toHaveLength(1);
    expect(s.other.live()).toHaveLength(2);
    // Found from the other side first, it is the same single item.
    const t = setup();
    const y2 = t.other.add(p('P', 'Kim', null, '0411 111 111'));
    const x2 = t.other.add(p('Pat', 'Kim', 'pat@kim.id.au', '0422 222 222'));
    const p2 = t.ghl.add(p('Pat', 'Kim', 'pat@kim.id.au', '+61411111111'));
    await t.run();
    expect(t.reviews()).toEqual([[p2, x2, y2].sort()]);
  });

  it('the preview raises each possible-duplicate group once, exactly as the run does', async () => {
    const s = setup();
    s.ghl.add(p('Jo', 'Ray', 'jo@ray.com', null));
    s.ghl.add(p('Joanne', 'Ray', 'JO@ray.com', null));
    s.other.add(p('Jo', 'Ray', 'jo@ray.com', null));
    s.ghl.add(p('Al', 'Fox', null, '+61433333333'));
    s.other.add(p('Al', 'Fox', null, '0433 333 333'));
    s.other.add(p('Alan', 'Fox', null, '0433333333'));
    const preview = await s.run({ dryRun: true });
    const dupItems = preview.items.filter((i) => i.action === 'duplicate');
    expect(new Set(preview.items.map((i) => i.id)).size).toBe(preview.items.length);
    const real = await s.run();
    expect(s.reviews()).toHaveLength(2);
    expect(dupItems).toHaveLength(2);
    expect(real.summary.conflicts).toBe(2);
    expect(
      real.items
        .filter((i) => i.action === 'duplicate')
        .map((i) => i.id)
        .sort(),
    ).toEqual(dupItems.map((i) => i.id).sort());
  });

  it('the same person with an email written in another case or a phone in another format is linked, not copied', async () => {
    const s = setup();
    const a = s.ghl.add(p('Zoë', 'Müller', 'Zoe.Muller@Example.com', null));
    const a2 = s.other.add(p('Zoë', 'Müller', 'zoe.muller@example.com', '0412 345 678'));
    const b = s.ghl.add(p('Søren', 'Dvořák', null, '+61498765432'));
    const b2 = s.other.add(p('Søren', 'Dvořák', null, '0498 765 432'));
    await s.run();
    expect(
      s
        .links()
        .map((l) => `${l.ghl_id}|${l.other_id}`)
        .sort(),
    ).toEqual([`${a}|${a2}`, `${b}|${b2}`].sort());
    expect(s.ghl.live()).toHaveLength(2);
    expect(s.other.live()).toHaveLength(2);
  });

  it('a phone alone links only when the names agree: a household phone proposes, nothing is copied onto the other person', async () => {
    const s = setup();
    const alice = s.ghl.add(p('Alice', 'Hart', 'alice@hart.id.au', '+61398765432'));
    const bob = s.other.add(p('Bob', 'Hart', null, '(03) 9876 5432'));
    await s.run();
    expect(s.links()).toEqual([]);
    expect(s.reviews()).toEqual([[alice, bob].sort()]);
    expect(s.other.records.get(bob)!.fields.email).toBeNull();
  });

  it('a name alone never links two records', async () => {
    const s = setup();
    s.ghl.add(p('John', 'Smith', 'john.smith@one.com', '+61400000001'));
    s.other.add(p('John', 'Smith', 'jsmith@two.com', '0400 000 002'));
    await s.run();
    expect(
      s
        .links()
        .filter(
          (l) =>
            l.ghl_id.startsWith('g') &&
            l.other_id.startsWith('a') &&
            s.ghl.records.get(l.ghl_id)?.fields.email !== s.other.records.get(l.other_id)?.fields.email,
        ),
    ).toEqual([]);
    expect(s.ghl.live()).toHaveLength(2);
    expect(s.other.live()).toHaveLength(2);
  });
});
