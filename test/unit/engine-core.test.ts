import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runSync } from '../../main/sync/engine/run.js';
import { crashStore, StoreDeadError } from '../support/crash-store.js';
import type { MergeField } from '../../main/sync/engine/merge.js';
import { MemorySide } from '../support/memory-side.js';
import { contactEntity, memoryStore } from '../support/engine-bed.js';
import type { Settings } from '../../preload/contract.js';

const FIELDS: MergeField[] = ['firstName', 'lastName', 'email', 'phone'].map((key) => ({
  key,
  direction: 'both',
  conflictDefault: 'ask',
}));
const GUARD: Settings['guard'] = { maxDeletes: 1000, maxDeletePercent: 100, maxChanges: 100000, maxChangePercent: 100 };

function setup(opts: { fields?: MergeField[] } = {}) {
  const { db, now, store } = memoryStore();
  const ghl = new MemorySide('ghl', 'contact', 'g');
  const other = new MemorySide('aroflo', 'contact', 'a');
  const entity = contactEntity(ghl, other, opts.fields ?? FIELDS);
  let n = 0;
  const run = (
    o: {
      dryRun?: boolean;
      full?: boolean;
      approve?: boolean;
      guard?: Settings['guard'];
      crashAfterSend?: boolean;
    } = {},
  ) =>
    runSync(
      {
        store: o.crashAfterSend ? crashStore(store, { after: 1 }) : store,
        logger: { info() {}, warn() {}, error() {} },
        now,
        requestCounts: () => ({ ghl: 0, aroflo: 0, aimfox: 0 }),
      },
      [entity],
      {
        runId: `r${++n}`,
        trigger: 'cli',
        dryRun: o.dryRun ?? false,
        full: o.full ?? false,
        approve: o.approve,
        guard: o.guard ?? GUARD,
      },
    );
  return { db, store, ghl, other, run };
}

const person = (first: string, email: string | null, phone: string | null = null) => ({
  firstName: first,
  lastName: 'Smith',
  email,
  phone,
});

describe('sync engine core', () => {
  it('links records that share an email, creates the rest once, and a second run writes nothing', async () => {
    const s = setup();
    s.ghl.add(person('Ann', 'ann@x.com'));
    s.other.add(person('Ann', 'ann@x.com', '+61400000001'));
    s.ghl.add(person('Bob', 'bob@x.com'));
    s.other.add(person('Cy', 'cy@x.com'));
    const r1 = await s.run();
    expect(r1.summary.status).toBe('ok');
    expect(s.ghl.live()).toHaveLength(3);
    expect(s.other.live()).toHaveLength(3);
    // Ann's phone filled into GHL from AroFlo (one side empty on first link).
    expect(s.ghl.live().find((r) => r.fields.email === 'ann@x.com')?.fields.phone).toBe('+61400000001');
    const writes = () => s.ghl.calls.create + s.ghl.calls.update + s.other.calls.create + s.other.calls.update;
    const before = writes();
    const r2 = await s.run();
    expect(writes()).toBe(before);
    expect(r2.items).toEqual([]);
  });

  it('writes to both systems at once: HighLevel creates do not wait for the other system, and each is confirmed', async () => {
    const s = setup();
    s.ghl.add(person('Ann', 'ann@x.com'));
    s.other.add(person('Bob', 'bob@x.com'));
    const inFlight = new Set<string>();
    let overlapped = false;
    for (const side of [s.ghl, s.other]) {
      const create = side.create.bind(side);
      side.create = async (items) => {
        inFlight.add(side.system);
        if (inFlight.size === 2) overlapped = true;
        await new Promise((r) => setTimeout(r, 20));
        inFlight.delete(side.system);
        return create(items);
      };
    }
    const r = await s.run();
    expect(overlapped).toBe(true);
    expect(r.summary.created).toEqual({ contact: 2 });
    expect(s.ghl.live()).toHaveLength(2);
    expect(s.other.live()).toHaveLength(2);
    expect(s.store.outbox.pending()).toEqual([]);
  });

  it('propagates a one-sided edit and does not bounce it back', async () => {
    const s = setup();
    const g = s.ghl.add(person('Ann', 'ann@x.com'));
    await s.run();
    s.ghl.edit(g, { firstName: 'Anne' });
    await s.run();
    expect(s.other.live()[0]?.fields.firstName).toBe('Anne');
    const updates = s.ghl.calls.update + s.other.calls.update;
    for (let i = 0; i < 10; i++) await s.run();
    expect(s.ghl.calls.update + s.other.calls.update).toBe(updates);
  });

  it('raises a conflict when both sides change a field differently, keeps both values, and applies the resolution', async () => {
    const s = setup();
    const g = s.ghl.add(person('Ann', 'ann@x.com'));
    await s.run();
    const a = s.other.live()[0]!.id;
    s.ghl.edit(g, { firstName: 'Annie', lastName: 'Jones' });
    s.other.edit(a, { firstName: 'Anna' });
    const r = await s.run();
    expect(r.summary.conflicts).toBe(1);
    // The non-conflicting field still flowed.
    expect(s.other.records.get(a)!.fields.lastName).toBe('Jones');
    expect(s.ghl.records.get(g)!.fields.firstName).toBe('Annie');
    expect(s.other.records.get(a)!.fields.firstName).toBe('Anna');
    const open = s.store.conflicts.list({});
    expect(open.total).toBe(1);
    const row = s.store.conflicts.get(open.items[0]!.id)!;
    expect(JSON.parse(row.diffs)).toEqual([
      { field: 'firstName', label: 'firstName', base: 'Ann', ghl: 'Annie', other: 'Anna' },
    ]);
    // Running again does not duplicate the conflict or overwrite either side.
    await s.run();
    expect(s.store.conflicts.list({}).total).toBe(1);
    expect(s.other.records.get(a)!.fields.firstName).toBe('Anna');
    // A person picks AroFlo's value.
    s.store.conflicts.close(row.id, 'resolved', { values: { firstName: 'Anna' }, applied: false });
    await s.run();
    expect(s.ghl.records.get(g)!.fields.firstName).toBe('Anna');
    expect(s.store.conflicts.pendingResolutions('ghl-aroflo', 'contact').size).toBe(0);
    const u = s.ghl.calls.update + s.other.calls.update;
    await s.run();
    expect(s.ghl.calls.update + s.other.calls.update).toBe(u);
  });

  it('does not ping-pong with a side that stores values differently (truncation)', async () => {
    const s = setup();
    s.other.store = (_f, v) => (v === null ? v : v.slice(0, 5));
    const g = s.ghl.add(person('Alexandra', 'al@x.com'));
    await s.run();
    expect(s.other.live()[0]!.fields.firstName).toBe('Alexa');
    s.ghl.edit(g, { lastName: 'Montgomery' });
    const counts: number[] = [];
    for (let i = 0; i < 10; i++) {
      await s.run();
      counts.push(s.ghl.calls.update + s.other.calls.update);
    }
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(s.ghl.records.get(g)!.fields.firstName).toBe('Alexandra');
  });

  it('never overwrites a change the change feed did not report (read-before-write)', async () => {
    const s = setup();
    const g = s.ghl.add(person('Ann', 'ann@x.com'));
    await s.run();
    const a = s.other.live()[0]!.id;
    // AroFlo's edit does not show up in its feed (silent), GHL's does.
    const rec = s.other.records.get(a)!;
    rec.fields.firstName = 'Anna';
    s.ghl.edit(g, { firstName: 'Annie' });
    const r = await s.run();
    expect(r.summary.conflicts).toBe(1);
    expect(s.other.records.get(a)!.fields.firstName).toBe('Anna');
  });

  it('treats two possible matches as a possible duplicate for review, never a silent merge or a twin', async () => {
    const s = setup();
    s.ghl.add(person('Ann', 'ann@x.com'));
    s.other.add(person('Ann', 'ann@x.com'));
    s.other.add(person('Annie', 'ann@x.com'));
    const r = await s.run();
    expect(s.store.conflicts.countOpen('duplicate')).toBe(1);
    expect(s.ghl.live()).toHaveLength(1);
    expect(s.other.live()).toHaveLength(2);
    expect(r.items.some((i) => i.action === 'duplicate')).toBe(true);
  });

  it('after a crash between the create and its confirmation, the next run links instead of creating a twin', async () => {
    const s = setup();
    s.ghl.add(person('Ann', 'ann@x.com'));
    s.ghl.add(person('Bob', 'bob@x.com'));
    await expect(s.run({ crashAfterSend: true })).rejects.toBeInstanceOf(StoreDeadError);
    expect(s.other.live()).toHaveLength(2); // the remote did create them
    expect(s.store.outbox.pending()).toHaveLength(2);
    await s.run();
    expect(s.other.live()).toHaveLength(2);
    expect(s.store.outbox.pending()).toHaveLength(0);
    expect(s.store.links.count('ghl-aroflo', 'contact')).toBe(2);
    await s.run();
    expect(s.other.live()).toHaveLength(2);
    expect(s.ghl.live()).toHaveLength(2);
  });

  it('after a crash between an update and its confirmation, the next run settles without losing or repeating anything', async () => {
    const s = setup();
    const g = s.ghl.add(person('Ann', 'ann@x.com'));
    await s.run();
    s.ghl.edit(g, { firstName: 'Anne' });
    await expect(s.run({ crashAfterSend: true })).rejects.toBeInstanceOf(StoreDeadError);
    await s.run();
    expect(s.other.live()[0]!.fields.firstName).toBe('Anne');
    expect(s.store.conflicts.list({}).total).toBe(0);
  });

  it('stops before writing when a run would delete more than the guard allows, and goes ahead once approved', async () => {
    const s = setup();
    for (let i = 0; i < 30; i++) s.ghl.add(person(`P${i}`, `p${i}@x.com`));
    await s.run();
    for (const r of s.ghl.live().slice(0, 10)) s.ghl.del(r.id);
    const guard = { maxDeletes: 5, maxDeletePercent: 10, maxChanges: 1000, maxChangePercent: 100 };
    const r = await s.run({ full: true, guard });
    expect(r.summary.status).toBe('needs_approval');
    expect(r.summary.message).toMatch(/delete 10 of 30/);
    expect(s.other.live()).toHaveLength(30);
    const ok = await s.run({ full: true, guard, approve: true });
    expect(ok.summary.status).toBe('ok');
    expect(s.other.live()).toHaveLength(20);
  });

  it('stops when a side that had data suddenly lists nothing', async () => {
    const s = setup();
    for (let i = 0; i < 3; i++) s.ghl.add(person(`P${i}`, `p${i}@x.com`));
    await s.run();
    for (const r of s.ghl.live()) s.ghl.del(r.id);
    const r = await s.run({ full: true });
    expect(r.summary.status).toBe('needs_approval');
    expect(r.summary.message).toMatch(/returned no contacts/);
    expect(s.other.live()).toHaveLength(3);
  });

  it('a dry run returns exactly the plan the real run then executes', async () => {
    const s = setup();
    const g = s.ghl.add(person('Ann', 'ann@x.com'));
    s.other.add(person('Zed', 'zed@x.com'));
    await s.run();
    s.ghl.edit(g, { firstName: 'Anne' });
    s.ghl.add(person('New', 'new@x.com'));
    const dry = await s.run({ dryRun: true });
    const writesBefore = s.ghl.calls.create + s.ghl.calls.update + s.other.calls.create + s.other.calls.update;
    expect(writesBefore).toBe(2); // only the first run's creates
    const real = await s.run();
    expect(real.items).toEqual(dry.items);
    expect(dry.items.map((i) => `${i.action}:${i.target}:${i.label}`).sort()).toEqual([
      'create:aroflo:New Smith',
      'update:aroflo:Ann Smith',
    ]);
  });

  it('a record deleted on one side but edited on the other is kept and recreated, not deleted', async () => {
    const s = setup();
    const g = s.ghl.add(person('Ann', 'ann@x.com'));
    s.ghl.add(person('Bob', 'bob@x.com'));
    await s.run();
    s.ghl.edit(g, { firstName: 'Anne' });
    s.other.del(s.other.live().find((r) => r.fields.email === 'ann@x.com')!.id);
    const r = await s.run({ full: true });
    expect(r.summary.status).toBe('ok');
    expect(s.ghl.live()).toHaveLength(2);
    expect(s.other.live()).toHaveLength(2);
    expect(s.other.live().find((x) => x.fields.email === 'ann@x.com')!.fields.firstName).toBe('Anne');
    // A plain delete (no edit on the other side) propagates.
    s.other.del(s.other.live().find((x) => x.fields.email === 'bob@x.com')!.id);
    await s.run({ full: true });
    expect(s.ghl.live().map((x) => x.fields.email)).toEqual(['ann@x.com']);
  });

  it('random edits on both sides always converge with no lost edit (every edit synced or held in a conflict)', async () => {
    const names = ['Ann', 'Bea', 'Cat', 'Dee', 'Eve'];
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            side: fc.constantFrom('ghl', 'other'),
            rec: fc.nat(3),
            field: fc.constantFrom('firstName', 'lastName', 'phone'),
            value: fc.constantFrom(...names, null),
            runAfter: fc.boolean(),
          }),
          { minLength: 1, maxLength: 25 },
        ),
        async (edits) => {
          const s = setup();
          for (let i = 0; i < 4; i++) s.ghl.add(person(`P${i}`, `p${i}@x.com`));
          await s.run();
          const idsG = s.ghl.live().map((r) => r.id);
          const byEmail = (e: string) => s.other.live().find((r) => r.fields.email === e)!.id;
          const idsO = idsG.map((id) => byEmail(s.ghl.records.get(id)!.fields.email!));
          const lastEdit = new Map<string, { side: string; value: string | null }>();
          for (const e of edits) {
            const id = e.side === 'ghl' ? idsG[e.rec]! : idsO[e.rec]!;
            (e.side === 'ghl' ? s.ghl : s.other).edit(id, { [e.field]: e.value });
            lastEdit.set(`${e.rec}:${e.field}:${e.side}`, { side: e.side, value: e.value });
            if (e.runAfter) await s.run();
          }
          for (let i = 0; i < 3; i++) await s.run();
          const conflicts = s.store.conflicts.list({}).items.map((c) => s.store.conflicts.get(c.id)!);
          for (let rec = 0; rec < 4; rec++) {
            for (const field of ['firstName', 'lastName', 'phone']) {
              const gv = s.ghl.records.get(idsG[rec]!)!.fields[field] ?? null;
              const ov = s.other.records.get(idsO[rec]!)!.fields[field] ?? null;
              const linkConflict = conflicts.find(
                (c) =>
                  (JSON.parse(c.diffs) as Array<{ field: string }>).some((d) => d.field === field) &&
                  s.store.links.byId(c.link_id!)?.ghl_id === idsG[rec],
              );
              if (linkConflict) {
                // Both values are kept: each side still holds its own, and the conflict records both.
                const d = (
                  JSON.parse(linkConflict.diffs) as Array<{ field: string; ghl: string | null; other: string | null }>
                ).find((x) => x.field === field)!;
                expect(d.ghl).toBe(gv);
                expect(d.other).toBe(ov);
              } else {
                expect(gv).toBe(ov);
                // The final value is one that somebody actually typed last on one side (or the original).
                const lg = lastEdit.get(`${rec}:${field}:ghl`);
                const lo = lastEdit.get(`${rec}:${field}:other`);
                if (lg || lo) expect([lg?.value, lo?.value]).toContain(gv);
              }
            }
          }
          // Converged: another run writes nothing.
          const w = s.ghl.calls.update + s.other.calls.update + s.ghl.calls.create + s.other.calls.create;
          await s.run();
          expect(s.ghl.calls.update + s.other.calls.update + s.ghl.calls.create + s.other.calls.create).toBe(w);
        },
      ),
      { numRuns: 60, seed: 42 },
    );
  });
});
