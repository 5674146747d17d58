import { describe, expect, it } from 'vitest';
import { pageLeads, type FetchedLeadPage } from '../../main/connectors/aimfox/lead-search.js';
import type { AimfoxLead, LeadSearchPage, LeadSearchSummary } from '../../main/connectors/aimfox/types.js';

function lead(n: number): AimfoxLead {
  const id = `lead-${n}`;
  return {
    id: String(1000 + n),
    publicIdentifier: id,
    profileUrl: `https://www.linkedin.com/in/${id}/`,
    phones: [],
    leadOf: [],
    origins: [],
    labels: [],
  };
}
const all = Array.from({ length: 47 }, (_, i) => lead(i));

async function drain(gen: AsyncGenerator<LeadSearchPage, LeadSearchSummary, void>) {
  const pages: LeadSearchPage[] = [];
  for (let i = 0; i < 1000; i++) {
    const r = await gen.next();
    if (r.done) return { pages, summary: r.value, ids: pages.flatMap((p) => p.items.map((l) => l.id)) };
    pages.push(r.value);
  }
  throw new Error('iterator did not stop');
}

describe('lead search paging', () => {
  it('reads everything from a server that honours start/count, ending on an empty page', async () => {
    const calls: Array<[number, number]> = [];
    const fetch = async (start: number, count: number): Promise<FetchedLeadPage> => {
      calls.push([start, count]);
      return { items: all.slice(start, start + count), rejected: [] };
    };
    const { ids, summary } = await drain(pageLeads(fetch, { pageSize: 20 }));
    expect(ids).toEqual(all.map((l) => l.id));
    expect(calls).toEqual([
      [0, 20],
      [20, 20],
      [40, 20],
      [47, 20],
    ]);
    expect(summary).toMatchObject({ stoppedBecause: 'end', leads: 47, pages: 4 });
  });

  it('advances by what came back when the server sends 10 whatever was asked (as observed live)', async () => {
    const starts: number[] = [];
    const fetch = async (start: number): Promise<FetchedLeadPage> => {
      starts.push(start);
      return { items: all.slice(start, start + 10), rejected: [] };
    };
    const { ids } = await drain(pageLeads(fetch, { pageSize: 20 }));
    expect(ids).toEqual(all.map((l) => l.id));
    expect(starts).toEqual([0, 10, 20, 30, 40, 47]);
  });

  it('stops with a warning when the server ignores start and repeats the first page', async () => {
    let calls = 0;
    const fetch = async (): Promise<FetchedLeadPage> => {
      calls++;
      return { items: all.slice(0, 10), rejected: [] };
    };
    const { ids, summary } = await drain(pageLeads(fetch, { pageSize: 20 }));
    expect(ids).toEqual(all.slice(0, 10).map((l) => l.id));
    expect(calls).toBe(2);
    expect(summary.stoppedBecause).toBe('repeat');
    expect(summary.warning).toMatch(/same leads again/);
  });

  it('skips the repeated part of overlapping pages and keeps going', async () => {
    // The server's pages overlap by 5.
    const fetch = async (start: number): Promise<FetchedLeadPage> => ({
      items: all.slice(Math.max(0, start - 5), start + 10),
      rejected: [],
    });
    const { ids, pages } = await drain(pageLeads(fetch, { pageSize: 10 }));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(all.map((l) => l.id));
    expect(pages[1]?.repeated).toBe(5);
  });

  it('stops at a known total without the extra empty call', async () => {
    let calls = 0;
    const fetch = async (start: number, count: number): Promise<FetchedLeadPage> => {
      calls++;
      return { items: all.slice(start, start + count), rejected: [] };
    };
    const { summary } = await drain(pageLeads(fetch, { pageSize: 20, total: 47 }));
    expect(calls).toBe(3);
    expect(summary.stoppedBecause).toBe('total');
  });

  it('passes rejected items through once and counts them toward the position', async () => {
    const fetch = async (start: number): Promise<FetchedLeadPage> => {
      if (start === 0) return { items: all.slice(0, 9), rejected: [{ raw: { id: 'bad' }, id: 'bad', reason: 'x' }] };
      if (start === 10) return { items: all.slice(10, 12), rejected: [] };
      return { items: [], rejected: [] };
    };
    const { pages, summary } = await drain(pageLeads(fetch, { pageSize: 10 }));
    expect(pages.map((p) => p.start)).toEqual([0, 10]);
    expect(summary).toMatchObject({ leads: 11, rejected: 1 });
  });

  it('stops at maxPages with a warning', async () => {
    let n = 0;
    const fetch = async (): Promise<FetchedLeadPage> => ({ items: [lead(10_000 + n++)], rejected: [] });
    const { summary } = await drain(pageLeads(fetch, { pageSize: 1, maxPages: 5 }));
    expect(summary).toMatchObject({ stoppedBecause: 'limit', pages: 5, leads: 5 });
    expect(summary.warning).toMatch(/may be incomplete/);
  });
});
