/**
 * Reading AroFlo listings to the end, and the `lastupdate` change feed.
 *
 * Listings always carry an explicit `where` (the builder refuses an empty one), so AroFlo's hidden 30-day default
 * filter never applies; should AroFlo still say it applied one, the listing fails loudly rather than looking complete.
 * Pages of 500 are read until `currentpageresults < maxpageresults` (README "Facts: GET requests"). If AroFlo answers "too large"
 * (status 8, > 3.5 MB) the page size steps down 500 → 250 → 125 → 25 → 5 → 1 — each divides the previous one,
 * so the records already read stay aligned with the new page numbers.
 */
import type { z } from 'zod';
import { ConnectorError } from '../shared/errors.js';
import { defaultFilterApplied, pageMeta, zoneItems } from './envelope.js';
import { parseEach, type Listing } from './fields.js';
import { changeSchema, type ArofloChange } from './records.js';
import type { ArofloTransport, CallCategory } from './transport.js';
import { buildQuery, MAX_PAGE_SIZE, orderBy, Where, whereDateTime } from './where.js';

const PAGE_SIZES = [MAX_PAGE_SIZE, 250, 125, 25, 5, 1];

export interface ListSpec<T> {
  zone: string;
  where: Where;
  schema: z.ZodType<T>;
  /** For messages: "client", "task". */
  what: string;
  join?: string[];
  order?: string[];
  category?: CallCategory;
  /** Safety bound on pages read (default 1,000 = 500,000 records). */
  maxPages?: number;
  /**
   * Lookup zones only: if AroFlo refuses the where clause itself ("Invalid WHERE Clause"), read again without one.
   * Lookups (task types, business units) are short lists with no hidden 30-day default; AroFlo's docs list where
   * fields for them, but a site (or the sandbox) may accept none.
   */
  whereOptional?: boolean;
  /** Zones already known to refuse a where (shared by the caller so the probe is paid once). */
  noWhereZones?: Set<string>;
}

export interface PageInfo {
  pages: number;
  pageSize: number;
}

export async function listAll<T>(t: ArofloTransport, spec: ListSpec<T>): Promise<Listing<T> & PageInfo> {
  const out: Listing<T> & PageInfo = { items: [], rejected: [], pages: 0, pageSize: MAX_PAGE_SIZE };
  let sizeIdx = 0;
  let page = 1;
  let readSoFar = 0;
  const maxPages = spec.maxPages ?? 1_000;
  const operation = `GET ${spec.zone}`;
  let noWhere = !!spec.whereOptional && !!spec.noWhereZones?.has(spec.zone);
  let where = noWhere ? new Where() : spec.where;
  for (let n = 0; ; n++) {
    if (n >= maxPages) {
      throw new ConnectorError({
        system: 'aroflo',
        kind: 'malformed',
        operation,
        detail: `more than ${maxPages} pages; stopped to stay within the daily allowance`,
      });
    }
    const size = PAGE_SIZES[sizeIdx] as number;
    const q = buildQuery({
      zone: spec.zone,
      where,
      allowNoWhere: noWhere,
      order: spec.order,
      join: spec.join,
      page,
      pageSize: size,
    });
    let env;
    try {
      env = await t.get(q, operation, spec.category ?? 'counted');
    } catch (e) {
      if (
        e instanceof ConnectorError &&
        spec.whereOptional &&
        !noWhere &&
        page === 1 &&
        e.kind === 'rejected' &&
        /where/i.test(e.detail ?? '')
      ) {
        noWhere = true;
        where = new Where();
        spec.noWhereZones?.add(spec.zone);
        continue;
      }
      if (e instanceof ConnectorError && e.status === '8' && sizeIdx < PAGE_SIZES.length - 1) {
        sizeIdx++;
        page = readSoFar / (PAGE_SIZES[sizeIdx] as number) + 1;
        continue;
      }
      throw e;
    }
    if (defaultFilterApplied(env)) {
      throw new ConnectorError({
        system: 'aroflo',
        kind: 'rejected',
        operation,
        detail: env.statusmessage,
        message: `AroFlo ignored our filter and applied its 30-day default for ${spec.zone} — the listing would be incomplete, so it was not used. Please report this.`,
      });
    }
    const raws = zoneItems(env.zoneresponse, spec.zone);
    const meta = pageMeta(env.zoneresponse, operation);
    const parsed = parseEach(raws, spec.schema, spec.what);
    out.items.push(...parsed.items);
    out.rejected.push(...parsed.rejected);
    out.pages++;
    out.pageSize = size;
    readSoFar += raws.length;
    const current = meta.currentPageResults ?? raws.length;
    const max = meta.maxPageResults ?? size;
    if (raws.length === 0 || current < max) return out;
    page++;
  }
}

export interface ChangeFeed extends Listing<ArofloChange> {
  /** The newest `lastupdateutc` seen (ISO), to pass as `since` next time; the old `since` when nothing changed. */
  cursor?: string;
  pages: number;
}

/**
 * Rows of the `lastupdate` feed for one zone changed after `since`, oldest first, each (zone, id, time) once.
 * The zone is free (no daily budget). AroFlo's times have whole seconds and its filter only has `>`, so the
 * request goes from `since − overlapMs` (default 1 s) and repeats are dropped here; the engine should still
 * treat a change it already applied as a no-op.
 *
 * Paging is by cursor (the last time seen, minus a second) rather than page numbers, so rows changing while
 * we read cannot shift a row past us; when a whole page shares one second, it falls back to the next page number.
 */
export async function changedSince(
  t: ArofloTransport,
  zone: string,
  since?: string | Date,
  opts: { overlapMs?: number; maxPages?: number } = {},
): Promise<ChangeFeed> {
  const overlap = opts.overlapMs ?? 1_000;
  const sinceMs = since === undefined ? undefined : new Date(since).getTime();
  if (sinceMs !== undefined && !Number.isFinite(sinceMs)) {
    throw new ConnectorError({
      system: 'aroflo',
      kind: 'config',
      operation: 'GET lastupdate',
      detail: `"${String(since)}" is not a date`,
    });
  }
  let cursorMs = sinceMs === undefined ? undefined : sinceMs - overlap;
  let page = 1;
  const seen = new Set<string>();
  const feed: ChangeFeed = {
    items: [],
    rejected: [],
    pages: 0,
    cursor: sinceMs === undefined ? undefined : new Date(sinceMs).toISOString(),
  };
  const maxPages = opts.maxPages ?? 2_000;
  for (let n = 0; ; n++) {
    if (n >= maxPages) {
      throw new ConnectorError({
        system: 'aroflo',
        kind: 'malformed',
        operation: 'GET lastupdate',
        detail: `more than ${maxPages} pages of changes`,
      });
    }
    const where = Where.and('zonename', '=', zone);
    if (cursorMs !== undefined) where.and('lastupdateutc', '>', whereDateTime(cursorMs));
    const q = buildQuery({
      zone: 'lastupdate',
      where,
      order: [orderBy('lastupdateutc', 'asc')],
      page,
      pageSize: MAX_PAGE_SIZE,
    });
    const env = await t.get(q, 'GET lastupdate', 'free');
    const raws = zoneItems(env.zoneresponse, 'lastupdate');
    const meta = pageMeta(env.zoneresponse, 'GET lastupdate');
    const parsed = parseEach(raws, changeSchema, 'change-feed row');
    feed.rejected.push(...parsed.rejected);
    feed.pages++;
    let newest: number | undefined;
    for (const row of parsed.items) {
      const at = Date.parse(row.updatedUtc);
      newest = newest === undefined ? at : Math.max(newest, at);
      const key = `${row.zone}|${row.id}|${row.updatedUtc}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (sinceMs !== undefined && at <= sinceMs - overlap) continue; // defensive: older than asked for
      feed.items.push(row);
    }
    if (newest !== undefined && (!feed.cursor || newest > Date.parse(feed.cursor)))
      feed.cursor = new Date(newest).toISOString();
    const current = meta.currentPageResults ?? raws.length;
    const max = meta.maxPageResults ?? MAX_PAGE_SIZE;
    if (raws.length === 0 || current < max) break;
    const next = newest === undefined ? undefined : newest - 1_000;
    if (next !== undefined && (cursorMs === undefined || next > cursorMs)) {
      cursorMs = next;
      page = 1;
    } else page++;
  }
  feed.items.sort((a, b) => Date.parse(a.updatedUtc) - Date.parse(b.updatedUtc));
  return feed;
}
