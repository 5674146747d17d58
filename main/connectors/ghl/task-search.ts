/**
 * HighLevel's location-wide task search, POST /locations/{locationId}/tasks/search (scope `locations/tasks.readonly`;
 * README "Location task search"): the tasks of many contacts, or of the whole location, a page at a time, where
 * GET /contacts/{id}/tasks needs one call per contact. Paged by `skip`/`limit`; no total, no sort, no "updated since".
 */
import { ConnectorError } from '../shared/errors.js';
import type { GhlList, GhlTask } from './records.js';
import { envelopes, normalizeSearchTask, rawSearchTaskSchema, splitItems } from './schemas.js';
import { seg, type GhlTransport } from './transport.js';

/** Unverified limits (README "Location task search" — change here): the largest `limit` and `contactId` list sent. */
export const GHL_TASK_SEARCH = { maxLimit: 100, maxContactIds: 100 } as const;

export const TASK_SEARCH_OPERATION = 'POST /locations/{id}/tasks/search';

export interface GhlTaskSearchParams {
  /** Only the tasks of these contacts (at most GHL_TASK_SEARCH.maxContactIds). Absent: the whole location. */
  contactIds?: readonly string[];
  /** Only completed (true) or open (false) tasks. */
  completed?: boolean;
  /** Items per page, 1..GHL_TASK_SEARCH.maxLimit. */
  limit: number;
  /** Items to skip (the page's offset). */
  skip: number;
}

export interface GhlTaskSearchPage extends GhlList<GhlTask> {
  /** How many items GHL returned (items + rejected). */
  received: number;
  /** Pass as `skip` for the next page; absent when this page was the last (fewer than `limit` items). */
  nextSkip?: number;
}

export interface GhlTaskScanOptions {
  /** Only the tasks of these contacts, read in batches of GHL_TASK_SEARCH.maxContactIds; an empty list reads nothing. */
  contactIds?: readonly string[];
  completed?: boolean;
  /** Items per page. Default GHL_TASK_SEARCH.maxLimit. */
  pageLimit?: number;
}

function refuse(detail: string): never {
  throw new ConnectorError({
    system: 'ghl',
    kind: 'config',
    operation: TASK_SEARCH_OPERATION,
    detail,
    message: `HighLevel task search not sent: ${detail}.`,
  });
}

/** One page of the location task search. */
export async function searchTasks(
  t: GhlTransport,
  locationId: string,
  p: GhlTaskSearchParams,
): Promise<GhlTaskSearchPage> {
  const { limit, skip, contactIds } = p;
  if (!Number.isInteger(limit) || limit < 1 || limit > GHL_TASK_SEARCH.maxLimit)
    refuse(`limit must be 1..${GHL_TASK_SEARCH.maxLimit}, got ${limit}`);
  if (!Number.isInteger(skip) || skip < 0) refuse(`skip must be a whole number ≥ 0, got ${skip}`);
  // An empty contactId list could read as "no filter" (the whole location): never send one.
  if (contactIds && (contactIds.length === 0 || contactIds.length > GHL_TASK_SEARCH.maxContactIds)) {
    refuse(`contactIds must hold 1..${GHL_TASK_SEARCH.maxContactIds} ids, got ${contactIds.length}`);
  }
  const json = {
    ...(contactIds ? { contactId: [...contactIds] } : {}),
    ...(p.completed !== undefined ? { completed: p.completed } : {}),
    limit,
    skip,
  };
  // A search changes nothing, so a resend after a timeout is safe.
  const r = await t.request(
    {
      method: 'POST',
      path: `/locations/${seg(locationId)}/tasks/search`,
      operation: TASK_SEARCH_OPERATION,
      json,
      idempotent: true,
    },
    envelopes.taskSearch,
  );
  const page = splitItems(r.tasks, rawSearchTaskSchema, normalizeSearchTask);
  const received = r.tasks.length;
  return { ...page, received, ...(received >= limit ? { nextSkip: skip + received } : {}) };
}

/** Every page of a task search: the whole location, or the given contacts in batches; each page as it arrives. */
export async function* scanTasks(
  t: GhlTransport,
  locationId: string,
  o: GhlTaskScanOptions = {},
): AsyncGenerator<GhlTaskSearchPage> {
  const limit = o.pageLimit ?? GHL_TASK_SEARCH.maxLimit;
  const ids = o.contactIds ? [...new Set(o.contactIds)] : undefined;
  const batches: Array<readonly string[] | undefined> = [];
  if (!ids) batches.push(undefined);
  else
    for (let i = 0; i < ids.length; i += GHL_TASK_SEARCH.maxContactIds)
      batches.push(ids.slice(i, i + GHL_TASK_SEARCH.maxContactIds));
  for (const contactIds of batches) {
    let skip: number | undefined = 0;
    while (skip !== undefined) {
      const page: GhlTaskSearchPage = await searchTasks(t, locationId, {
        ...(contactIds ? { contactIds } : {}),
        completed: o.completed,
        limit,
        skip,
      });
      yield page;
      skip = page.nextSkip;
    }
  }
}
