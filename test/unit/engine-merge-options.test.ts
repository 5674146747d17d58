/**
 * The merge's per-field and per-entity options (main/sync/README.md, "Empty never blanks" and "Create and
 * update switches"): an empty value never overwrites a filled one, and a side whose updates are off is not written
 * while its differences are kept for when updates are on again.
 */
import { describe, expect, it } from 'vitest';
import { mergeRecord, type MergeField } from '../../main/sync/engine/merge.js';

const guarded = (key: string, extra: Partial<MergeField> = {}): MergeField => ({
  key,
  direction: 'both',
  conflictDefault: 'ask',
  emptyNeverBlanks: true,
  ...extra,
});
const base = (g: Record<string, string | null>, o: Record<string, string | null> = g) => ({ ghl: g, other: o });

describe('empty never blanks', () => {
  it('a value cleared on one side is not cleared on the other, and the cleared side keeps its base', () => {
    const m = mergeRecord(
      [guarded('phone')],
      base({ phone: '+61400000001' }),
      { phone: null },
      { phone: '+61400000001' },
    );
    expect(m.toOther).toEqual({});
    expect(m.toGhl).toEqual({});
    expect(m.conflicts).toEqual([]);
    expect(m.baseGhl).toEqual({ phone: '+61400000001' });
    expect(m.baseOther).toEqual({ phone: '+61400000001' });
  });

  it('the same from the other side', () => {
    const m = mergeRecord([guarded('city')], base({ city: 'Geelong' }), { city: 'Geelong' }, { city: null });
    expect(m.toGhl).toEqual({});
    expect(m.baseOther).toEqual({ city: 'Geelong' });
  });

  it('a later fill on the cleared side still flows (its base was not advanced to the empty value)', () => {
    const first = mergeRecord([guarded('city')], base({ city: 'Geelong' }), { city: null }, { city: 'Geelong' });
    const later = mergeRecord(
      [guarded('city')],
      { ghl: first.baseGhl, other: first.baseOther },
      { city: 'Ballarat' },
      { city: 'Geelong' },
    );
    expect(later.toOther).toEqual({ city: 'Ballarat' });
    expect(later.baseGhl).toEqual({ city: 'Ballarat' });
    expect(later.baseOther).toEqual({ city: 'Ballarat' });
  });

  it('an edit on the filled side while the other is empty fills the empty side instead of raising a conflict', () => {
    const m = mergeRecord([guarded('city')], base({ city: 'Geelong' }), { city: null }, { city: 'Ballarat' });
    expect(m.conflicts).toEqual([]);
    expect(m.toGhl).toEqual({ city: 'Ballarat' });
    expect(m.toOther).toEqual({});
  });

  it('on first link the empty side takes the filled value (as without the option)', () => {
    const m = mergeRecord([guarded('city')], undefined, { city: null }, { city: 'Geelong' });
    expect(m.toGhl).toEqual({ city: 'Geelong' });
    expect(m.baseGhl).toEqual({ city: 'Geelong' });
  });

  it('both sides cleared settle on empty', () => {
    const m = mergeRecord([guarded('city')], base({ city: 'Geelong' }), { city: null }, { city: null });
    expect(m.toGhl).toEqual({});
    expect(m.toOther).toEqual({});
    expect(m.baseGhl).toEqual({ city: null });
    expect(m.baseOther).toEqual({ city: null });
  });

  it('switched off, a cleared value is cleared on the other side as before', () => {
    const m = mergeRecord(
      [guarded('city', { emptyNeverBlanks: false })],
      base({ city: 'Geelong' }),
      { city: null },
      { city: 'Geelong' },
    );
    expect(m.toOther).toEqual({ city: null });
  });

  it('a one-way field cleared at its source leaves the target alone', () => {
    const m = mergeRecord(
      [guarded('body', { direction: 'to_other' })],
      base({ body: 'notes' }),
      { body: null },
      { body: 'notes' },
    );
    expect(m.toOther).toEqual({});
    expect(m.baseGhl).toEqual({ body: 'notes' });
  });

  it('a set emptied on one side does not empty the other', () => {
    const m = mergeRecord(
      [guarded('labels', { kind: 'set' })],
      base({ labels: '["a","b"]' }),
      { labels: null },
      { labels: '["a","b"]' },
    );
    expect(m.toOther).toEqual({});
    expect(m.baseGhl).toEqual({ labels: '["a","b"]' });
  });

  it('a set that only loses some elements still carries the removal', () => {
    const m = mergeRecord(
      [guarded('labels', { kind: 'set' })],
      base({ labels: '["a","b"]' }),
      { labels: '["a"]' },
      { labels: '["a","b"]' },
    );
    expect(m.toOther).toEqual({ labels: '["a"]' });
  });
});

describe('fields a record does not have', () => {
  it('a field one side lacks on this kind of record (an ABN on a contact of a business) is neither written nor blanked', () => {
    const m = mergeRecord(
      [guarded('abn', { emptyNeverBlanks: false })],
      base({ abn: '51 824 753 556' }, {}),
      { abn: '11 222 333 444' },
      {},
    );
    expect(m.toOther).toEqual({});
    expect(m.toGhl).toEqual({});
    expect(m.baseOther).toEqual({});
    expect(m.baseGhl).toEqual({ abn: '51 824 753 556' });
  });
});

describe('update switches', () => {
  const f = (key: string) => guarded(key);

  it('updates off towards the other side: nothing is written there and both bases stay, so the change is carried later', () => {
    const b = base({ city: 'Geelong' });
    const off = mergeRecord(
      [f('city')],
      b,
      { city: 'Ballarat' },
      { city: 'Geelong' },
      {},
      { update: { ghl: true, other: false } },
    );
    expect(off.toOther).toEqual({});
    expect(off.baseGhl).toEqual({ city: 'Geelong' });
    expect(off.baseOther).toEqual({ city: 'Geelong' });
    const on = mergeRecord(
      [f('city')],
      { ghl: off.baseGhl, other: off.baseOther },
      { city: 'Ballarat' },
      { city: 'Geelong' },
    );
    expect(on.toOther).toEqual({ city: 'Ballarat' });
  });

  it('updates off towards one side do not stop the other direction', () => {
    const m = mergeRecord(
      [f('city')],
      base({ city: 'Geelong' }),
      { city: 'Geelong' },
      { city: 'Ballarat' },
      {},
      { update: { ghl: true, other: false } },
    );
    expect(m.toGhl).toEqual({ city: 'Ballarat' });
  });

  it('updates off on a first link: nothing is written and no base is kept for the field', () => {
    const m = mergeRecord(
      [f('city')],
      undefined,
      { city: 'Ballarat' },
      { city: null },
      {},
      { update: { ghl: true, other: false } },
    );
    expect(m.toOther).toEqual({});
    expect('city' in m.baseGhl || 'city' in m.baseOther).toBe(false);
  });

  it('a set change is held back too', () => {
    const m = mergeRecord(
      [guarded('labels', { kind: 'set' })],
      base({ labels: '["a"]' }),
      { labels: '["a","b"]' },
      { labels: '["a"]' },
      {},
      { update: { ghl: false, other: false } },
    );
    expect(m.toOther).toEqual({});
    expect(m.baseGhl).toEqual({ labels: '["a"]' });
  });

  it("a person's resolution of a conflict is applied whatever the switches say", () => {
    const m = mergeRecord(
      [f('city')],
      base({ city: 'Geelong' }),
      { city: 'A' },
      { city: 'B' },
      { city: 'C' },
      { update: { ghl: false, other: false } },
    );
    expect(m.toGhl).toEqual({ city: 'C' });
    expect(m.toOther).toEqual({ city: 'C' });
  });
});
