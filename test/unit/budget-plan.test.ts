/**
 * Issue 15 item 2: the daily budget planner's slice sizing (main/sync/budget/plan.ts; main/sync/README.md, "Daily
 * budget and the rolling re-read"). The demands are what `demandOf` declares for HighLevel ⇄ AroFlo: contacts read by
 * id on both sides (HighLevel one a request, AroFlo 100 a request), notes and tasks read per contact in HighLevel.
 */
import { describe, expect, it } from 'vitest';
import {
  DAILY_BUDGETS,
  planBudget,
  WRITE_FLOOR_PERCENT,
  type ApiToday,
  type SliceDemand,
} from '../../main/sync/budget/index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

function today(api: 'ghl' | 'aroflo', over: Partial<ApiToday> = {}): ApiToday {
  return {
    api,
    perDay: DAILY_BUDGETS[api].perDay!,
    sharePercent: DAILY_BUDGETS[api].defaultSharePercent,
    used: 0,
    feedUsed: 0,
    runs: 0,
    msToReset: DAY,
    resetsAt: 0,
    ...over,
  };
}

/** People in HighLevel ⇄ AroFlo, with about one note and one task each. */
function demands(people: number, elapsedMs = 5 * MIN): SliceDemand[] {
  return [
    { name: 'contact', units: people, cost: { ghl: 1, aroflo: 1 / 100 }, elapsedMs, minBatch: 100 },
    { name: 'note', units: people, cost: { ghl: 1, aroflo: 1 / 100 }, elapsedMs, minBatch: 100 },
    { name: 'task', units: people, cost: { ghl: 1, aroflo: 1 / 100 }, elapsedMs, minBatch: 100 },
  ];
}

const plan = (
  people: number,
  o: {
    ghl?: Partial<ApiToday>;
    aroflo?: Partial<ApiToday>;
    elapsedMs?: number;
    windowMs?: number;
    intervalMs?: number;
  } = {},
) =>
  planBudget({
    apis: [today('ghl', o.ghl), today('aroflo', o.aroflo)],
    demands: demands(people, o.elapsedMs),
    intervalMs: o.intervalMs ?? 5 * MIN,
    windowMs: o.windowMs ?? DAY,
    writeFloorPercent: WRITE_FLOOR_PERCENT,
  });

describe('slice sizing', () => {
  it('10,000 people, defaults: every record within 24 h, well under the shares', () => {
    // Every 5 minutes 10,000 / 288 ≈ 35 are due: less than an AroFlo request's 100, so the slice waits…
    const p5 = plan(10_000);
    expect(p5.slices.get('contact')).toBe(0);
    // …until a request's worth is due (15 minutes: 104).
    const p = plan(10_000, { elapsedMs: 15 * MIN });
    expect(p.slices.get('contact')).toBe(Math.ceil((10_000 * 15) / (24 * 60)));
    for (const a of p.apis) expect(a.state).toBe('ok');
    const ghl = p.apis.find((a) => a.api === 'ghl')!;
    // A day's re-read: 3 × 10,000 HighLevel requests, of a 50,000 share.
    expect(ghl.rereadWanted).toBe(30_000);
    expect(ghl.projected).toBeLessThanOrEqual(ghl.allowance);
  });

  it('100,000 people, defaults: the HighLevel share cannot re-read all in 24 h, so the slice shrinks to fit', () => {
    // A sixth of 5 minutes' 347 is less than an AroFlo request's worth: the slice waits for it.
    expect(plan(100_000, { elapsedMs: 5 * MIN }).slices.get('contact')).toBe(0);
    const p = plan(100_000, { elapsedMs: 30 * MIN });
    const ghl = p.apis.find((a) => a.api === 'ghl')!;
    expect(ghl.state).toBe('shrunk');
    expect(ghl.rereadWanted).toBe(300_000);
    expect(ghl.projected).toBeLessThanOrEqual(ghl.allowance);
    const full = (100_000 * 30) / (24 * 60);
    const slice = p.slices.get('contact')!;
    expect(slice).toBeGreaterThan(0);
    expect(slice).toBeLessThan(full);
    // The share (50,000) over the wanted (300,000): a sixth of each slice.
    expect(slice).toBe(Math.ceil(full * (50_000 / 300_000)));
  });

  it('a larger share and a longer window (settings) re-read 100,000 people in full', () => {
    // 150,000 HighLevel requests a day for a 48-hour lap, under a 90 % share (180,000).
    // AroFlo's 1,500 (by id, 100 a request) needs more than its default half of 2,000: 80 %.
    const p = plan(100_000, {
      ghl: { sharePercent: 90 },
      aroflo: { sharePercent: 80 },
      windowMs: 48 * HOUR,
      elapsedMs: 30 * MIN,
    });
    expect(p.apis.map((a) => a.state)).toEqual(['ok', 'ok']);
    expect(p.slices.get('contact')).toBe(Math.ceil((100_000 * 30) / (48 * 60)));
  });

  it('a shorter window re-reads more a sync, a longer one less', () => {
    const at = (windowMs: number) =>
      plan(10_000, { ghl: { sharePercent: 100 }, elapsedMs: HOUR, windowMs }).slices.get('note')!;
    expect(at(12 * HOUR)).toBe(Math.ceil(10_000 / 12));
    expect(at(DAY)).toBe(Math.ceil(10_000 / 24));
    expect(at(48 * HOUR)).toBe(Math.ceil(10_000 / 48));
  });

  it('feeds come first: what they spent per sync today is set aside for every sync left', () => {
    // 100 syncs spent 40,000 HighLevel requests on feeds and writes: 400 a sync, 288 syncs left → 115,200 > share.
    const p = plan(10_000, { ghl: { used: 40_000, feedUsed: 40_000, runs: 100 }, elapsedMs: HOUR });
    const ghl = p.apis.find((a) => a.api === 'ghl')!;
    expect(ghl.state).toBe('paused');
    // HighLevel's side of every slice is left out; AroFlo's is still re-checked in full.
    expect([...p.paused]).toEqual(['ghl']);
    expect(p.slices.get('contact')).toBe(Math.ceil(10_000 / 24));
    // Feeds still run: the day is not spent.
    expect(p.spent).toBeUndefined();
  });

  it("AroFlo's feeds using up its share pause its re-reads, not HighLevel's (notes have no feed there)", () => {
    // 10 AroFlo requests a sync on feeds: 2,880 for the day's 288 syncs, over the 1,000 share.
    const p = plan(10_000, { aroflo: { used: 100, feedUsed: 100, runs: 10 }, elapsedMs: HOUR });
    expect(p.apis.map((a) => a.state)).toEqual(['ok', 'paused']);
    expect([...p.paused]).toEqual(['aroflo']);
    expect(p.slices.get('note')).toBe(Math.ceil(10_000 / 24));
  });

  it('a budget running low shrinks the slice before it pauses', () => {
    // Half a day left, 35,000 used (no feeds): 15,000 left of the share for 15,000 wanted → in full; 45,000 → a third.
    const half = { msToReset: 12 * HOUR };
    expect(plan(10_000, { ghl: { used: 35_000, ...half }, elapsedMs: HOUR }).apis[0]!.state).toBe('ok');
    const low = plan(10_000, { ghl: { used: 45_000, ...half }, elapsedMs: HOUR });
    expect(low.apis[0]!.state).toBe('shrunk');
    expect(low.slices.get('contact')).toBe(Math.ceil((10_000 / 24) * (5_000 / 15_000)));
    const none = plan(10_000, { ghl: { used: 50_000, ...half }, elapsedMs: HOUR });
    expect(none.apis[0]!.state).toBe('paused');
    expect(none.paused.has('ghl')).toBe(true);
  });

  it('with only the floor for writes left of the whole daily budget, the sync waits for the reset', () => {
    const p = plan(10_000, { aroflo: { used: 2_000 - 100 } });
    expect(p.spent?.api).toBe('aroflo');
    expect([...p.slices.values()].every((n) => n === 0)).toBe(true);
    expect(plan(10_000, { aroflo: { used: 2_000 - 101 } }).spent).toBeUndefined();
  });

  it('AroFlo at 10,000 people: its re-read costs about 300 of its 1,000-request share a day', () => {
    const p = plan(10_000, { elapsedMs: 15 * MIN });
    const aroflo = p.apis.find((a) => a.api === 'aroflo')!;
    expect(aroflo.rereadWanted).toBe(300);
    expect(aroflo.state).toBe('ok');
  });
});
