/**
 * The benchmark's yardsticks: the fewest calls the data allows (per API's batching rules) and the least time each
 * API's rate limits allow. If these were wrong, every "used / minimum" and "of the ceiling" figure would be too.
 */
import { describe, expect, it } from 'vitest';
import { pages, totals, writeTerms, type AuditRow } from '../bench/minimum.js';
import { ceilingPerSecond, leastTimeMs, steadyTimeMs } from '../bench/ceilings.js';
import { throughput } from '../bench/throughput.js';
import type { RunFigures } from '../bench/measure-run.js';

const row = (
  system: string,
  entity: string,
  action: string,
  record_id: string,
  extra: Partial<AuditRow> = {},
): AuditRow => ({ system, entity, action, record_id, field: null, before: null, after: null, ...extra });
const batch = { aroflo: 50, aimfoxBulk: 100 };
const callsOf = (rows: AuditRow[], labels?: Set<string>) => totals(writeTerms(rows, batch, labels));

describe('minimum calls', () => {
  it('a listing needs one page more than fills, so an exact multiple needs an empty page to end', () => {
    expect(pages(0, 500)).toBe(1);
    expect(pages(499, 500)).toBe(1);
    expect(pages(500, 500)).toBe(2);
    expect(pages(807, 500)).toBe(2);
  });

  it('HighLevel: one call per record created or updated (several fields of one record are one call)', () => {
    const rows = [
      ...Array.from({ length: 3 }, (_, i) => row('ghl', 'contact', 'create', `c${i}`)),
      row('ghl', 'task', 'create', 'c1/t1'),
      row('ghl', 'contact', 'update', 'c9', { field: 'firstName' }),
      row('ghl', 'contact', 'update', 'c9', { field: 'lastName' }),
      row('ghl', 'contact', 'link', 'c1'),
    ];
    expect(callsOf(rows)).toEqual({ ghl: 5, aroflo: 0, aimfox: 0 });
  });

  it('AroFlo: batches of 50 per kind of call; contacts go through their client; a completed job needs a status update', () => {
    const residential = Array.from({ length: 120 }, (_, i) => row('aroflo', 'contact', 'create', `client:r${i}`));
    // 60 people under 2 businesses: one client update per business carries its people.
    const workers = Array.from({ length: 60 }, (_, i) => row('aroflo', 'contact', 'create', `contact:b${i % 2}:u${i}`));
    const tasks = Array.from({ length: 51 }, (_, i) =>
      row('aroflo', 'task', 'create', `t${i}`, { after: JSON.stringify({ completed: i < 3 ? 'true' : 'false' }) }),
    );
    const t = writeTerms([...residential, ...workers, ...tasks], batch);
    expect(t.find((x) => x.what.startsWith('client inserts (residential'))?.calls).toBe(3);
    expect(t.find((x) => x.what.startsWith('client updates with nested'))?.calls).toBe(1);
    expect(t.find((x) => x.what === 'task inserts')?.calls).toBe(2);
    expect(t.find((x) => x.what.startsWith('task status updates'))?.calls).toBe(1);
    expect(totals(t).aroflo).toBe(7);
  });

  it('Aimfox: bulk adds, one label listing, one create per new label name, one call per lead and label, one per note', () => {
    const leads = Array.from({ length: 150 }, (_, i) =>
      row('aimfox', 'lead', 'create', `l${i}`, {
        after: JSON.stringify({ labels: i % 2 ? '["VIP","new"]' : '["vip"]' }),
      }),
    );
    const notes = Array.from({ length: 4 }, (_, i) => row('aimfox', 'note', 'create', `l${i}/n`));
    const t = writeTerms([...leads, ...notes], batch, new Set(['vip']));
    expect(t.find((x) => x.what.startsWith('bulk add'))?.calls).toBe(2);
    expect(t.find((x) => x.what === 'label creates')?.calls).toBe(1); // "new"; "VIP" is "vip"
    expect(t.find((x) => x.what.startsWith('label attach'))?.calls).toBe(75 * 2 + 75);
    expect(totals(t).aimfox).toBe(2 + 1 + 1 + 1 + 225 + 4);
  });

  it('AroFlo: what an update changed is read back, 100 ids a call (AroFlo shortens some fields silently)', () => {
    const people = Array.from({ length: 120 }, (_, i) =>
      row('aroflo', 'contact', 'update', `contact:c${i}:u${i}`, { field: 'lastName' }),
    );
    const t = writeTerms(people, batch);
    expect(t.find((x) => x.what === 'client updates (people)')?.calls).toBe(3);
    expect(t.find((x) => x.what.startsWith('read back after client updates'))?.calls).toBe(2);
  });

  it('a label change on a lead counts each label added or removed', () => {
    const t = writeTerms(
      [row('aimfox', 'lead', 'update', 'l1', { field: 'labels', before: '["a","b"]', after: '["b","c","d"]' })],
      batch,
      new Set(['a', 'b', 'c']),
    );
    expect(t.find((x) => x.what.startsWith('label attach'))?.calls).toBe(3);
    expect(t.find((x) => x.what === 'label creates')?.calls).toBe(1);
  });
});

describe('rate-limit ceilings', () => {
  it('the tightest window sets the steady rate, scaled by the time factor', () => {
    expect(ceilingPerSecond('ghl', 1)).toBe(10);
    expect(ceilingPerSecond('ghl', 20)).toBe(200);
    expect(ceilingPerSecond('aroflo', 1)).toBe(2); // 120 a minute is tighter than 3 a second
    expect(ceilingPerSecond('aimfox', 1)).toBe(1);
  });

  it('an ideal client sends a first burst at once, then one window per burst', () => {
    expect(leastTimeMs('ghl', 100, 1)).toBe(0);
    expect(leastTimeMs('ghl', 101, 1)).toBe(10_000);
    expect(leastTimeMs('ghl', 250, 20)).toBe(1_000);
    // AroFlo: 3 a second for the first 120, then the minute window holds.
    expect(leastTimeMs('aroflo', 4, 1)).toBe(1_000);
    expect(leastTimeMs('aroflo', 121, 1)).toBe(60_000);
    expect(steadyTimeMs('aimfox', 120, 1)).toBe(120_000);
  });

  it("an API's rate counts only over steps it bounds with more calls than one burst", () => {
    const step = (name: string, ms: number, ghl: number, aimfox: number, boundBy: 'ghl' | 'aimfox') => ({
      name,
      ms,
      calls: { ghl, aroflo: 0, aimfox },
      boundMs: 0,
      boundBy,
    });
    const r: RunFigures = {
      label: 'x',
      ms: 20_000,
      cpuMs: 0,
      boundMs: 18_000,
      calls: {} as RunFigures['calls'],
      steps: [
        step('reading', 10_000, 1800, 0, 'ghl'),
        step('small', 1_000, 50, 0, 'ghl'),
        step('leads', 9_000, 0, 120, 'aimfox'),
      ],
    };
    const t = throughput(r, 20);
    expect(t.perApi.ghl.calls).toBe(1800);
    expect(t.perApi.ghl.ofCeiling).toBeCloseTo(0.9);
    expect(t.perApi.aimfox.perSecond).toBeCloseTo(120 / 9);
    expect(t.perApi.aroflo.ofCeiling).toBeUndefined();
    expect(t.boundShare).toBeCloseTo(0.9);
  });
});
