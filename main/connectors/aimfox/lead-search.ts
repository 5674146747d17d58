/**
 * Paging through `POST /leads:search?start=&count=` without trusting the server to page.
 *
 * README "Facts: paging": the docs show `start`/`count`, but a live probe got 10 leads per call whatever it asked for and saw
 * other paging names ignored. So: advance `start` by what actually came back (not by what we asked), skip leads
 * already yielded, and stop when a page is empty, when the server's total is reached, when a page brings
 * nothing new (the server ignored `start` and repeated itself), or after `maxPages`.
 */
import type { AimfoxLead, LeadSearchPage, LeadSearchSummary, RejectedItem } from './types.js';

export interface FetchedLeadPage {
  items: AimfoxLead[];
  rejected: RejectedItem[];
  /** When the answer carries a total. */
  total?: number;
}

export interface LeadPagingOptions {
  /** `count` to ask for. Default 20 (the documented example). */
  pageSize?: number;
  /** Safety bound. Default 5,000 pages. */
  maxPages?: number;
  /** The total from `leads:search/total`, when the caller already knows it (saves the extra empty-page call). */
  total?: number;
}

export async function* pageLeads(
  fetchPage: (start: number, count: number) => Promise<FetchedLeadPage>,
  opts: LeadPagingOptions = {},
): AsyncGenerator<LeadSearchPage, LeadSearchSummary, void> {
  const pageSize = opts.pageSize ?? 20;
  const maxPages = opts.maxPages ?? 5_000;
  let total = opts.total;
  const seen = new Set<string>();
  let start = 0;
  let pages = 0;
  let leads = 0;
  let rejectedCount = 0;
  let previousSignature: string | undefined;
  const done = (stoppedBecause: LeadSearchSummary['stoppedBecause'], warning?: string): LeadSearchSummary => ({
    pages,
    leads,
    rejected: rejectedCount,
    stoppedBecause,
    warning,
  });

  for (;;) {
    if (total !== undefined && start >= total) return done('total');
    if (pages >= maxPages) {
      return done(
        'limit',
        `Stopped reading Aimfox leads after ${pages} pages (${leads} leads) — the listing may be incomplete; the next full sync continues.`,
      );
    }
    const page = await fetchPage(start, pageSize);
    pages++;
    if (page.total !== undefined) total = page.total;
    const received = page.items.length + page.rejected.length;
    if (received === 0) return done('end');

    const signature = [
      ...page.items.map((l) => `i:${l.id}`),
      ...page.rejected.map((r) => `r:${r.id ?? JSON.stringify(r.raw)}`),
    ].join('|');
    const fresh = page.items.filter((l) => !seen.has(l.id));
    const freshRejected = page.rejected.filter((r) => r.id === undefined || !seen.has(`r:${r.id}`));
    if (signature === previousSignature || (fresh.length === 0 && freshRejected.length === 0)) {
      return done(
        'repeat',
        `Aimfox sent the same leads again instead of the next page (after ${leads} leads) — the lead listing may be incomplete; campaign audiences are still read in full.`,
      );
    }
    previousSignature = signature;
    for (const l of fresh) seen.add(l.id);
    for (const r of freshRejected) if (r.id !== undefined) seen.add(`r:${r.id}`);
    leads += fresh.length;
    rejectedCount += freshRejected.length;
    yield { start, items: fresh, rejected: freshRejected, repeated: page.items.length - fresh.length };
    start += received;
  }
}
