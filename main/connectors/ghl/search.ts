/**
 * POST /contacts/search bodies and the change-feed cursor (README "Facts: search and change feed").
 *
 * The change feed sorts by dateUpdated ascending and pages with `searchAfter` (`[dateUpdatedMs, id]` of the last
 * item). A checkpoint is that pair. Because the search index lags writes by a few seconds, a resumed scan starts
 * `overlapMs` before the checkpoint (cursor `[checkpointMs - overlapMs, ""]`, i.e. everything updated at or after
 * that instant), so an edit indexed late is still read. Items re-read in the overlap are harmless: the engine
 * compares values with its base snapshot, not timestamps.
 */
import { ConnectorError } from '../shared/errors.js';

export type GhlSearchOperator = 'eq' | 'not_eq' | 'contains' | 'not_contains' | 'exists' | 'not_exists' | 'range';
export interface GhlRange {
  gt?: string | number;
  gte?: string | number;
  lt?: string | number;
  lte?: string | number;
}
export type GhlSearchFilter =
  | { field: string; operator: GhlSearchOperator; value?: string | number | boolean | GhlRange | string[] }
  | { group: 'AND' | 'OR'; filters: GhlSearchFilter[] };

/** Friendly filters; all given ones must match (AND). */
export interface GhlContactFilter {
  businessId?: string;
  /** Contacts carrying this tag. */
  tag?: string;
  email?: string;
  /** dateUpdated range, ISO text or epoch ms (range filter on dateUpdated is unverified on real GHL; the feed does not need it). */
  dateUpdated?: GhlRange;
  /** Any further raw filters, passed through. */
  raw?: GhlSearchFilter[];
}

export type GhlSearchCursor = [number | string, string];

export interface GhlSearchParams {
  filter?: GhlContactFilter;
  /** Full-text query, at most 75 characters. */
  query?: string;
  /** 1..500, default 100. */
  pageLimit?: number;
  /** 1-based page; page × pageLimit cannot pass 10,000. Do not combine with searchAfter. */
  page?: number;
  searchAfter?: GhlSearchCursor;
  sort?: Array<{ field: string; direction: 'asc' | 'desc' }>;
}

/** Where a change-feed scan got to. Plain JSON: store it as is and pass it back to resume. */
export interface GhlScanCheckpoint {
  v: 1;
  /** dateUpdated (epoch ms) of the last item read. */
  dateUpdatedMs: number;
  /** id of the last item read (tie-breaker among equal timestamps). */
  id: string;
}

export const SEARCH_MAX_PAGE_LIMIT = 500;
export const SEARCH_MAX_WINDOW = 10_000;
export const SEARCH_MAX_TEXT = 75;

function bad(detail: string): ConnectorError {
  return new ConnectorError({
    system: 'ghl',
    kind: 'config',
    operation: 'POST /contacts/search',
    detail,
    message: `HighLevel search not sent: ${detail}.`,
  });
}

export function filtersFor(f: GhlContactFilter | undefined): GhlSearchFilter[] {
  if (!f) return [];
  const out: GhlSearchFilter[] = [];
  if (f.businessId !== undefined) out.push({ field: 'businessId', operator: 'eq', value: f.businessId });
  if (f.tag !== undefined) out.push({ field: 'tags', operator: 'eq', value: f.tag });
  if (f.email !== undefined) out.push({ field: 'email', operator: 'eq', value: f.email });
  if (f.dateUpdated !== undefined) out.push({ field: 'dateUpdated', operator: 'range', value: f.dateUpdated });
  if (f.raw) out.push(...f.raw);
  for (const x of out) {
    if ('field' in x && typeof x.value === 'string' && x.value.length > SEARCH_MAX_TEXT) {
      throw bad(`the filter value for ${x.field} is longer than ${SEARCH_MAX_TEXT} characters`);
    }
  }
  return out;
}

/** The request body for one search page; refuses what GHL would refuse (or silently truncate). */
export function searchBody(locationId: string, p: GhlSearchParams): Record<string, unknown> {
  const pageLimit = p.pageLimit ?? 100;
  if (!Number.isInteger(pageLimit) || pageLimit < 1 || pageLimit > SEARCH_MAX_PAGE_LIMIT) {
    throw bad(`pageLimit must be 1..${SEARCH_MAX_PAGE_LIMIT}, got ${pageLimit}`);
  }
  if (p.page !== undefined && p.searchAfter !== undefined) throw bad('page and searchAfter cannot be combined');
  if (p.page !== undefined && (p.page < 1 || p.page * pageLimit > SEARCH_MAX_WINDOW)) {
    throw bad(
      `page ${p.page} × ${pageLimit} is beyond the first ${SEARCH_MAX_WINDOW} results — use the searchAfter cursor`,
    );
  }
  if (p.query !== undefined && p.query.length > SEARCH_MAX_TEXT)
    throw bad(`the search text is longer than ${SEARCH_MAX_TEXT} characters`);
  const body: Record<string, unknown> = { locationId, pageLimit };
  const filters = filtersFor(p.filter);
  if (filters.length) body.filters = filters;
  if (p.sort) body.sort = p.sort;
  if (p.query) body.query = p.query;
  if (p.searchAfter) body.searchAfter = p.searchAfter;
  else if (p.page !== undefined) body.page = p.page;
  return body;
}

/** The cursor to start a scan from: nothing (from the beginning) or `overlapMs` before the checkpoint. */
export function startCursor(checkpoint: GhlScanCheckpoint | undefined, overlapMs: number): GhlSearchCursor | undefined {
  if (!checkpoint) return undefined;
  return [Math.max(0, checkpoint.dateUpdatedMs - Math.max(0, overlapMs)), ''];
}

/** The cursor of a raw search item: its own `searchAfter`, else `[dateUpdated ms, id]`. */
export function itemCursor(raw: unknown): GhlSearchCursor | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as { searchAfter?: unknown; dateUpdated?: unknown; id?: unknown };
  if (Array.isArray(r.searchAfter) && r.searchAfter.length >= 2) {
    const [a, b] = r.searchAfter as unknown[];
    if ((typeof a === 'number' || typeof a === 'string') && (typeof b === 'string' || typeof b === 'number'))
      return [a, String(b)];
  }
  if (typeof r.id === 'string') {
    const ms =
      typeof r.dateUpdated === 'number'
        ? r.dateUpdated
        : typeof r.dateUpdated === 'string'
          ? Date.parse(r.dateUpdated)
          : NaN;
    if (Number.isFinite(ms)) return [ms, r.id];
  }
  return undefined;
}

/** The later of a checkpoint and a cursor (the checkpoint never moves backwards, even while re-reading the overlap). */
export function advance(
  checkpoint: GhlScanCheckpoint | undefined,
  cursor: GhlSearchCursor,
): GhlScanCheckpoint | undefined {
  const ms = typeof cursor[0] === 'number' ? cursor[0] : Number(cursor[0]);
  if (!Number.isFinite(ms)) return checkpoint;
  const next: GhlScanCheckpoint = { v: 1, dateUpdatedMs: ms, id: cursor[1] };
  if (!checkpoint) return next;
  if (ms > checkpoint.dateUpdatedMs || (ms === checkpoint.dateUpdatedMs && next.id > checkpoint.id)) return next;
  return checkpoint;
}

/** Read a stored checkpoint back; undefined for anything unreadable (the scan then starts from the beginning). */
export function parseCheckpoint(value: unknown): GhlScanCheckpoint | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Partial<GhlScanCheckpoint>;
  if (
    v.v === 1 &&
    typeof v.dateUpdatedMs === 'number' &&
    Number.isFinite(v.dateUpdatedMs) &&
    typeof v.id === 'string'
  ) {
    return { v: 1, dateUpdatedMs: v.dateUpdatedMs, id: v.id };
  }
  return undefined;
}
