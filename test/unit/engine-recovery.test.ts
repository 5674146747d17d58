/**
 * Interrupted creates (main/sync/README.md, "Crash safety"): an entry whose outcome is not settled is never
 * dropped or re-sent blindly — not when its pair is left out of a run, not in a preview, not by "keep apart".
 * The systems are in-memory sides; the target answers like the real adapters for a person with only a name: it
 * cannot tell whether a same-name record is what the create made.
 */
import { describe, expect, it } from 'vitest';
import { runSync, type WiredEntity } from '../../main/sync/engine/run.js';
import { crashStore, StoreDeadError } from '../support/crash-store.js';
import type { MergeField } from '../../main/sync/engine/merge.js';
import type { CreateItem, CreateOutcomeUnknown, SideRecord } from '../../main/sync/engine/types.js';
import { MemorySide } from '../support/memory-side.js';
import { contactEntity, memoryStore } from '../support/engine-bed.js';
import type { Settings } from '../../preload/contract.js';
import { apartPairs } from '../../main/service/sync.js';

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

/** A target that cannot tell a name-only create from a namesake: every same-name record is a candidate. */
class NameOnlySide extends MemorySide {
  /** The create reaches the system but its answer is lost (a dropped connection). */
  loseAnswers = false;
  override async create(items: CreateItem[]) {
    const r = await super.create(items);
    return this.loseAnswers
      ? r.map(() => ({ ok: false as const, error: new Error('connection reset'), uncertain: true }))
      : r;
  }

  override async findCreated(item: CreateItem): Promise<SideRecord | CreateOutcomeUnknown | undefined> {
    if (item.fields.email || item.fields.phone) return super.findCreated(item);
    const same = (await this.fetchAll()).records.filter(
      (r) => r.fields.firstName === item.fields.firstName && r.fields.lastName === item.fields.lastName,
    );
    return same.length
      ? { unknown: true, candidates: same, reason: 'records with that name and no email or phone' }
      : undefined;
  }
}

function setup() {
  const { db, now, store } = memoryStore();
  const ghl = new MemorySide('ghl', 'contact', 'g');
  const other = new NameOnlySide('aroflo', 'contact', 'a');
  const contacts = contactEntity(ghl, other, FIELDS);
  // Another pair that keeps running while ghl-aroflo is switched off or its AroFlo is signed out.
  const leads: WiredEntity = {
    wiring: {
      pair: 'ghl-aimfox',
      entity: 'lead',
      ghl: new MemorySide('ghl', 'lead', 'gl'),
      other: new MemorySide('aimfox', 'lead', 'l'),
      matchable: true,
    },
    config: { fields: FIELDS, deletePolicy: 'propagate', createTo: { ghl: true, other: true } },
    fieldLabels: {},
    cursorName: 'leads',
  };
  let n = 0;
  const run = (o: { dryRun?: boolean; full?: boolean; crash?: boolean; only?: WiredEntity[] } = {}) =>
    runSync(
      {
        store: o.crash ? crashStore(store, { after: 1, when: (r) => r.action === 'create' }) : store,
        logger: { info() {}, warn() {}, error() {} },
        now,
        requestCounts: () => ({ ghl: 0, aroflo: 0, aimfox: 0 }),
      },
      o.only ?? [contacts, leads],
      {
        runId: `r${++n}`,
        trigger: 'cli',
        dryRun: o.dryRun ?? false,
        full: o.full ?? true,
        guard: GUARD,
      },
    );
  const named = (side: MemorySide, first: string) => side.live().filter((r) => r.fields.firstName === first);
  const openReviews = () => db.prepare(`select subject from conflicts where status = 'open'`).pluck().all() as string[];
  return { db, store, ghl, other, contacts, leads, run, named, openReviews };
}

describe('an interrupted create whose pair is left out of a run', () => {
  it('stays waiting (it is not dropped), so switching the pair back on creates no twin', async () => {
    const s = setup();
    await s.run();
    s.ghl.add({ firstName: 'Quiet', lastName: 'Worker', email: null, phone: null });
    await expect(s.run({ crash: true })).rejects.toThrow(StoreDeadError);
    expect(s.named(s.other, 'Quiet')).toHaveLength(1);
    // ghl-aroflo switched off (or AroFlo signed out): only the other pair runs.
    await s.run({ only: [s.leads] });
    expect(s.store.outbox.pending('ghl-aroflo', 'contact')).toHaveLength(1);
    // Switched back on: the entry is checked, not re-sent.
    await s.run();
    await s.run();
    expect(s.named(s.other, 'Quiet')).toHaveLength(1);
    expect(s.named(s.ghl, 'Quiet')).toHaveLength(1);
  });
});

describe('a create that waits for a person', () => {
  async function waiting() {
    const s = setup();
    await s.run();
    s.ghl.add({ firstName: 'Quiet', lastName: 'Worker', email: null, phone: null });
    s.other.loseAnswers = true;
    await s.run();
    s.other.loseAnswers = false;
    // The next run cannot tell whether the record AroFlo holds is what it made: it asks.
    await s.run();
    expect(s.store.outbox.pending('ghl-aroflo', 'contact')).toHaveLength(1);
    expect(s.openReviews()).toHaveLength(1);
    return s;
  }

  it('holds back a name-only record of that system with a reason naming the wait, in the preview exactly as in the run', async () => {
    const s = await waiting();
    s.other.add({ firstName: 'New', lastName: 'Person', email: null, phone: null });
    const preview = await s.run({ dryRun: true });
    const run = await s.run();
    const held = (items: typeof preview.items) => items.filter((i) => i.label === 'New Person');
    expect(held(preview.items)).toEqual(held(run.items));
    expect(held(run.items)).toHaveLength(1);
    expect(held(run.items)[0]).toMatchObject({ action: 'skip' });
    expect(held(run.items)[0]!.reason).toMatch(/Quiet Worker/);
    expect(s.named(s.ghl, 'New')).toHaveLength(0);
  });

  it('says what each answer does, and "keep apart" never creates over a record that could be it and was not shown', async () => {
    const s = await waiting();
    const row = s.store.conflicts.openBySubject(s.openReviews()[0]!)!;
    expect(row.label).toMatch(/interrupted create/);
    expect(row.label).toMatch(/"Link".*nothing is created again/);
    expect(row.label).toMatch(/"Keep apart".*created again/);
    s.store.apart.add(row.pair, row.entity, apartPairs(row));
    s.store.conflicts.close(row.id, 'dismissed', { action: 'keep_apart' });
    // Before the next run, a namesake appears in AroFlo: it could be what the create made.
    s.other.add({ firstName: 'Quiet', lastName: 'Worker', email: null, phone: null });
    await s.run();
    expect(s.named(s.other, 'Quiet')).toHaveLength(2);
    expect(s.store.outbox.pending('ghl-aroflo', 'contact')).toHaveLength(1);
    expect(s.openReviews()).toHaveLength(1);
  });
});
