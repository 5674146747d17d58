/**
 * POST /contacts/search (README "Facts: search"): body validation, filters (eq, not_eq, contains, not_contains, exists,
 * not_exists, range; AND/OR groups), sort by dateUpdated/dateAdded, `page` (first 10,000 only) or
 * `searchAfter` paging, `total`.
 *
 * Speed: a page is a binary search into an array sorted by (sort value, id) plus a walk that stops after
 * `pageLimit` matches. Range filters on the sort field narrow the walk; eq filters on id/email/phone/
 * businessId start from the index maps. `total` for other filters is counted once per index version.
 */
import { badRequest, unprocessable } from './errors.js';
import { type ContactIndex, type IndexDoc, type SortField, compareKey, sortValue } from './contact-index.js';
import { normalizePhone } from './store.js';

export const MAX_PAGE_LIMIT = 500;
export const MAX_WINDOW = 10_000;
const MAX_VALUE_LEN = 75;
const OPERATORS = ['eq', 'not_eq', 'contains', 'not_contains', 'exists', 'not_exists', 'range'] as const;
type Operator = (typeof OPERATORS)[number];

type Kind = 'string' | 'id' | 'phone' | 'array' | 'date' | 'bool' | 'custom';
interface FieldDef {
  kind: Kind;
  get: (d: IndexDoc) => unknown;
}

const itemField = (name: string) => (d: IndexDoc) => d.item[name];

/** Filterable fields. Anything else → 400 `Invalid field <x>` [I#289]. */
const FIELDS: Record<string, FieldDef> = {
  id: { kind: 'id', get: (d) => d.id },
  email: { kind: 'string', get: itemField('email') },
  phone: { kind: 'phone', get: itemField('phone') },
  tags: { kind: 'array', get: itemField('tags') },
  businessId: { kind: 'id', get: (d) => d.businessId },
  companyName: { kind: 'string', get: itemField('companyName') },
  businessName: { kind: 'string', get: itemField('businessName') },
  firstName: { kind: 'string', get: itemField('firstName') },
  lastName: { kind: 'string', get: itemField('lastName') },
  firstNameLowerCase: { kind: 'string', get: itemField('firstNameLowerCase') },
  lastNameLowerCase: { kind: 'string', get: itemField('lastNameLowerCase') },
  contactName: { kind: 'string', get: itemField('contactName') },
  address: { kind: 'string', get: itemField('address') },
  city: { kind: 'string', get: itemField('city') },
  state: { kind: 'string', get: itemField('state') },
  postalCode: { kind: 'string', get: itemField('postalCode') },
  country: { kind: 'string', get: itemField('country') },
  website: { kind: 'string', get: itemField('website') },
  timezone: { kind: 'string', get: itemField('timezone') },
  source: { kind: 'string', get: itemField('source') },
  type: { kind: 'string', get: itemField('type') },
  assignedTo: { kind: 'id', get: itemField('assignedTo') },
  dnd: { kind: 'bool', get: itemField('dnd') },
  dateAdded: { kind: 'date', get: (d) => d.added },
  dateUpdated: { kind: 'date', get: (d) => d.updated },
  dateOfBirth: { kind: 'date', get: itemField('dateOfBirth') },
};

const OPS_BY_KIND: Record<Kind, readonly Operator[]> = {
  string: OPERATORS.filter((o) => o !== 'range'),
  id: ['eq', 'not_eq', 'exists', 'not_exists'],
  phone: ['eq', 'not_eq', 'contains', 'not_contains', 'exists', 'not_exists'],
  array: OPERATORS.filter((o) => o !== 'range'),
  date: ['eq', 'not_eq', 'range', 'exists', 'not_exists'],
  bool: ['eq', 'not_eq', 'exists', 'not_exists'],
  custom: ['eq', 'not_eq', 'exists', 'not_exists'],
};

const DND_CHANNELS = ['Call', 'Email', 'SMS', 'WhatsApp', 'GMB', 'FB'];
const record = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;

/**
 * Filters seen in live use beyond the documented list (README "Search"): `customFields.<id>` (eq / exists) and the
 * DND filters `dndSettings.<channel>.status`, `inboundDndSettings.all.status`.
 */
function liveField(field: string): FieldDef | undefined {
  const custom = /^customFields\.(.+)$/.exec(field);
  if (custom) {
    const id = custom[1]!;
    return {
      kind: 'custom',
      get: (d) => (d.item.customFields as Array<{ id: string; value: unknown }>).find((f) => f.id === id)?.value,
    };
  }
  const dnd = /^dndSettings\.([A-Za-z]+)\.status$/.exec(field);
  if (dnd && DND_CHANNELS.includes(dnd[1]!))
    return { kind: 'string', get: (d) => record(record(d.item.dndSettings)?.[dnd[1]!])?.status };
  if (field === 'inboundDndSettings.all.status')
    return { kind: 'string', get: (d) => record(record(d.item.inboundDndSettings)?.all)?.status };
  return undefined;
}

type Pred = (d: IndexDoc) => boolean;

export interface SearchRequest {
  locationId: string;
  pageLimit: number;
  page?: number;
  searchAfter?: [number, string];
  sort: { field: SortField; direction: 'asc' | 'desc' };
  filters: unknown[];
  query?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validate the body: 422 for the DTO checks (locationId, pageLimit…), 400 for paging/sort misuse. */
export function parseSearchBody(body: unknown): SearchRequest {
  const input = isObject(body) ? body : {};
  const errors: string[] = [];
  for (const key of Object.keys(input)) {
    if (!['locationId', 'pageLimit', 'page', 'searchAfter', 'filters', 'sort', 'query'].includes(key))
      errors.push(`property ${key} should not exist`);
  }
  if (typeof input.locationId !== 'string' || input.locationId === '')
    errors.push('locationId must be a string', 'locationId should not be empty');
  const pl = input.pageLimit;
  if (typeof pl !== 'number' || !Number.isInteger(pl))
    errors.push('pageLimit must be an integer number', `pageLimit must not be greater than ${MAX_PAGE_LIMIT}`);
  else if (pl > MAX_PAGE_LIMIT) errors.push(`pageLimit must not be greater than ${MAX_PAGE_LIMIT}`);
  else if (pl < 1) errors.push('pageLimit must not be less than 1');
  if (input.page !== undefined && (typeof input.page !== 'number' || !Number.isInteger(input.page) || input.page < 1))
    errors.push('page must not be less than 1');
  if (input.searchAfter !== undefined && !Array.isArray(input.searchAfter)) errors.push('searchAfter must be an array');
  if (input.filters !== undefined && !Array.isArray(input.filters)) errors.push('filters must be an array');
  if (input.sort !== undefined && !Array.isArray(input.sort)) errors.push('sort must be an array');
  if (input.query !== undefined) {
    if (typeof input.query !== 'string') errors.push('query must be a string');
    else if (input.query.length > MAX_VALUE_LEN)
      errors.push(`query must be shorter than or equal to ${MAX_VALUE_LEN} characters`);
  }
  if (errors.length) throw unprocessable(errors);

  const req: SearchRequest = {
    locationId: input.locationId as string,
    pageLimit: pl as number,
    sort: { field: 'dateAdded', direction: 'desc' },
    filters: (input.filters as unknown[] | undefined) ?? [],
    query: (input.query as string | undefined) || undefined,
  };
  if (input.page !== undefined && input.searchAfter !== undefined)
    throw badRequest('Send either page or searchAfter, not both');
  if (input.searchAfter !== undefined) {
    const sa = input.searchAfter as unknown[];
    const v = typeof sa[0] === 'string' && sa[0] !== '' ? Number(sa[0]) : sa[0];
    if (sa.length !== 2 || typeof v !== 'number' || !Number.isFinite(v) || typeof sa[1] !== 'string') {
      throw badRequest('Invalid searchAfter: send the searchAfter array of the last contact of the previous page');
    }
    req.searchAfter = [v, sa[1]];
  } else {
    req.page = (input.page as number | undefined) ?? 1;
    if ((req.page - 1) * req.pageLimit + req.pageLimit > MAX_WINDOW) {
      throw badRequest(
        `page and pageLimit can reach only the first ${MAX_WINDOW} contacts; use searchAfter to read further`,
      );
    }
  }
  const sort = input.sort as unknown[] | undefined;
  if (sort && sort.length) {
    if (sort.length > 1) throw badRequest('Only one sort field is supported');
    const s = sort[0];
    if (!isObject(s) || (s.field !== 'dateUpdated' && s.field !== 'dateAdded'))
      throw badRequest(`Invalid sort field ${isObject(s) ? String(s.field) : ''}`);
    if (s.direction !== 'asc' && s.direction !== 'desc')
      throw badRequest(`Invalid sort direction ${String(s.direction)}`);
    req.sort = { field: s.field, direction: s.direction };
  }
  return req;
}

// ---- filters ------------------------------------------------------------------------------------------

function toMs(v: unknown, field: string): number {
  const ms = typeof v === 'number' ? v : typeof v === 'string' ? (/^\d+$/.test(v) ? Number(v) : Date.parse(v)) : NaN;
  if (!Number.isFinite(ms)) throw badRequest(`Invalid date value for field ${field}`);
  return ms;
}

function checkLength(v: unknown): void {
  const values = Array.isArray(v) ? v : [v];
  for (const x of values)
    if (typeof x === 'string' && x.length > MAX_VALUE_LEN)
      throw unprocessable([`filters value must be shorter than or equal to ${MAX_VALUE_LEN} characters`]);
}

interface Range {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

function parseRange(v: unknown, field: string): Range {
  if (!isObject(v)) throw badRequest(`Invalid value for range on field ${field}: send {gt, gte, lt, lte}`);
  const r: Range = {};
  for (const k of ['gt', 'gte', 'lt', 'lte'] as const) if (v[k] !== undefined) r[k] = toMs(v[k], field);
  if (Object.keys(r).length === 0)
    throw badRequest(`Invalid value for range on field ${field}: send {gt, gte, lt, lte}`);
  return r;
}

function inRange(x: number, r: Range): boolean {
  return (
    (r.gt === undefined || x > r.gt) &&
    (r.gte === undefined || x >= r.gte) &&
    (r.lt === undefined || x < r.lt) &&
    (r.lte === undefined || x <= r.lte)
  );
}

const lower = (v: unknown): string => String(v).toLowerCase();

function leafPredicate(
  f: Record<string, unknown>,
  country: string,
): { pred: Pred; field: string; op: Operator; value: unknown } {
  const field = String(f.field);
  const def = FIELDS[field] ?? liveField(field);
  if (!def) throw badRequest(`Invalid field ${field}`);
  const op = f.operator as Operator;
  if (!OPERATORS.includes(op)) throw badRequest(`Invalid operator ${String(f.operator)}`);
  if (!OPS_BY_KIND[def.kind].includes(op)) throw badRequest(`Operator ${op} is not supported for field ${field}`);
  const value = f.value;
  checkLength(value);
  const get = def.get;
  const present = (d: IndexDoc): boolean => {
    const x = get(d);
    return x !== undefined && x !== null && x !== '' && !(Array.isArray(x) && x.length === 0);
  };
  if (op === 'exists') return { pred: present, field, op, value };
  if (op === 'not_exists') return { pred: (d) => !present(d), field, op, value };
  if (op === 'range') {
    const r = parseRange(value, field);
    return { pred: (d) => typeof get(d) === 'number' && inRange(get(d) as number, r), field, op, value: r };
  }
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0))
    throw badRequest(`Invalid value for field ${field}`);
  const values = Array.isArray(value) ? value : [value];
  let match: Pred;
  if (op === 'eq' || op === 'not_eq') {
    switch (def.kind) {
      case 'date': {
        const set = new Set(values.map((v) => toMs(v, field)));
        match = (d) => set.has(get(d) as number);
        break;
      }
      case 'bool': {
        const set = new Set(values.map((v) => v === true || v === 'true'));
        match = (d) => set.has(get(d) === true);
        break;
      }
      case 'id': {
        const set = new Set(values.map(String));
        match = (d) => set.has(String(get(d)));
        break;
      }
      case 'phone': {
        const set = new Set(values.map((v) => normalizePhone(String(v), country)));
        match = (d) => set.has(String(get(d)));
        break;
      }
      case 'custom': {
        // A custom value may be a string, a number or a list (checkbox / multi-select): any element matches.
        const set = new Set(values.map(lower));
        match = (d) => {
          const v = get(d);
          return v !== undefined && v !== null && (Array.isArray(v) ? v : [v]).some((x) => set.has(lower(x)));
        };
        break;
      }
      case 'array': {
        const set = new Set(values.map(lower));
        match = (d) => ((get(d) as string[] | undefined) ?? []).some((t) => set.has(t.toLowerCase()));
        break;
      }
      default: {
        const set = new Set(values.map(lower));
        match = (d) => get(d) !== undefined && get(d) !== null && set.has(lower(get(d)));
      }
    }
  } else {
    const needles = values.map((v) => lower(v));
    const has = (s: unknown): boolean => typeof s === 'string' && needles.some((n) => s.toLowerCase().includes(n));
    match = def.kind === 'array' ? (d) => ((get(d) as string[] | undefined) ?? []).some(has) : (d) => has(get(d));
  }
  const negate = op === 'not_eq' || op === 'not_contains';
  return { pred: negate ? (d) => !match(d) : match, field, op, value: values };
}

function compileFilter(f: unknown, country: string): Pred {
  if (!isObject(f)) throw unprocessable(['each value in filters must be an object']);
  if ('group' in f) {
    if (f.group !== 'AND' && f.group !== 'OR') throw badRequest(`Invalid filter group ${String(f.group)}`);
    if (!Array.isArray(f.filters)) throw badRequest('A filter group needs a filters array');
    const preds = f.filters.map((x) => compileFilter(x, country));
    return f.group === 'AND' ? (d) => preds.every((p) => p(d)) : (d) => preds.some((p) => p(d));
  }
  return leafPredicate(f, country).pred;
}

/** Full-text `query`: name, email, company name, or the digits of the phone. */
export function queryPredicate(query: string): Pred {
  const q = query.toLowerCase();
  const digits = q.replace(/\D/g, '');
  return (d) => {
    const it = d.item;
    for (const k of ['contactName', 'email', 'companyName'])
      if (typeof it[k] === 'string' && (it[k] as string).toLowerCase().includes(q)) return true;
    return (
      digits.length >= 3 && typeof it.phone === 'string' && (it.phone as string).replace(/\D/g, '').includes(digits)
    );
  };
}

// ---- execution --------------------------------------------------------------------------------------

interface Plan {
  pred: Pred;
  /** true when every top-level filter is a range on the sort field (fully applied by the bounds). */
  boundsOnly: boolean;
  range: Range;
  /** Docs to consider when a top-level eq on id/email/phone/businessId narrows the search. */
  candidates?: IndexDoc[];
}

function plan(req: SearchRequest, index: ContactIndex, country: string): Plan {
  const preds: Pred[] = [];
  let boundsOnly = true;
  const range: Range = {};
  let candidates: IndexDoc[] | undefined;
  for (const f of req.filters) {
    preds.push(compileFilter(f, country));
    if (!isObject(f) || 'group' in f) {
      boundsOnly = false;
      continue;
    }
    const leaf = leafPredicate(f, country);
    if (leaf.op === 'range' && leaf.field === req.sort.field) {
      const r = leaf.value as Range;
      for (const k of ['gt', 'gte'] as const) if (r[k] !== undefined) range[k] = Math.max(range[k] ?? -Infinity, r[k]!);
      for (const k of ['lt', 'lte'] as const) if (r[k] !== undefined) range[k] = Math.min(range[k] ?? Infinity, r[k]!);
      continue;
    }
    boundsOnly = false;
    if (leaf.op === 'eq' && !candidates) {
      const values = leaf.value as unknown[];
      if (leaf.field === 'id')
        candidates = values.map((v) => index.docs.get(String(v))).filter((d): d is IndexDoc => !!d);
      else if (leaf.field === 'email') candidates = values.flatMap((v) => index.lookup('email', lower(v)));
      else if (leaf.field === 'phone')
        candidates = values.flatMap((v) => index.lookup('phone', normalizePhone(String(v), country)));
      else if (leaf.field === 'businessId') candidates = values.flatMap((v) => index.lookup('businessId', String(v)));
    }
  }
  if (req.query) {
    boundsOnly = false;
    preds.push(queryPredicate(req.query));
  }
  return { pred: (d) => preds.every((p) => p(d)), boundsOnly, range, candidates };
}

/** [lo, hi) positions of the sort range in the ascending array (dates are whole ms). */
function bounds(index: ContactIndex, field: SortField, r: Range): [number, number] {
  let lo = 0;
  let hi = index.size;
  if (r.gte !== undefined) lo = Math.max(lo, index.lowerBound(field, Math.ceil(r.gte), ''));
  if (r.gt !== undefined) lo = Math.max(lo, index.lowerBound(field, Math.floor(r.gt) + 1, ''));
  if (r.lt !== undefined) hi = Math.min(hi, index.lowerBound(field, Math.ceil(r.lt), ''));
  if (r.lte !== undefined) hi = Math.min(hi, index.lowerBound(field, Math.floor(r.lte) + 1, ''));
  return [lo, Math.max(lo, hi)];
}

const totals = new WeakMap<ContactIndex, Map<string, { version: number; total: number }>>();

function countMatches(
  index: ContactIndex,
  key: string,
  arr: readonly IndexDoc[],
  lo: number,
  hi: number,
  pred: Pred,
): number {
  let cache = totals.get(index);
  if (!cache) totals.set(index, (cache = new Map()));
  const hit = cache.get(key);
  if (hit && hit.version === index.version) return hit.total;
  let n = 0;
  for (let i = lo; i < hi; i++) if (pred(arr[i] as IndexDoc)) n++;
  if (cache.size > 32) cache.clear();
  cache.set(key, { version: index.version, total: n });
  return n;
}

export interface SearchResult {
  docs: IndexDoc[];
  field: SortField;
  total: number;
}

/** A doc's complete item JSON incl. its searchAfter for a sort field, computed once per indexed version. */
function itemJson(d: IndexDoc, field: SortField): string {
  const cache = (d.json ??= {});
  return (cache[field] ??=
    `${JSON.stringify(d.item).slice(0, -1)},"searchAfter":[${sortValue(d, field)},${JSON.stringify(d.id)}]}`);
}

/** The answer body `{contacts, total, traceId}`, joined from cached item JSON (the hot path of a scan). */
export function searchBody(r: SearchResult, traceId: string): string {
  return `{"contacts":[${r.docs.map((d) => itemJson(d, r.field)).join(',')}],"total":${r.total},"traceId":${JSON.stringify(traceId)}}`;
}

export function runSearch(req: SearchRequest, index: ContactIndex, country: string): SearchResult {
  const { field, direction } = req.sort;
  const p = plan(req, index, country);
  const out: IndexDoc[] = [];
  let total: number;
  const skip = req.page ? (req.page - 1) * req.pageLimit : 0;

  if (p.candidates) {
    const seen = new Set<string>();
    const all = p.candidates
      .filter((d) => (seen.has(d.id) ? false : (seen.add(d.id), true)))
      .filter((d) => p.pred(d))
      .sort(
        (a, b) => compareKey(sortValue(a, field), a.id, sortValue(b, field), b.id) * (direction === 'asc' ? 1 : -1),
      );
    total = all.length;
    let start = 0;
    if (req.searchAfter) {
      const [v, id] = req.searchAfter;
      start = all.findIndex((d) => compareKey(sortValue(d, field), d.id, v, id) * (direction === 'asc' ? 1 : -1) > 0);
      if (start < 0) start = all.length;
    }
    out.push(...all.slice(start + skip, start + skip + req.pageLimit));
  } else {
    const arr = index.sortedBy(field);
    const [lo, hi] = bounds(index, field, p.range);
    total = p.boundsOnly
      ? hi - lo
      : countMatches(index, `${field}|${JSON.stringify(req.filters)}|${req.query ?? ''}`, arr, lo, hi, p.pred);
    let skipped = 0;
    const take = (d: IndexDoc): boolean => {
      if (!p.boundsOnly && !p.pred(d)) return true;
      if (skipped < skip) {
        skipped++;
        return true;
      }
      out.push(d);
      return out.length < req.pageLimit;
    };
    if (direction === 'asc') {
      let i = req.searchAfter ? Math.max(lo, index.upperBound(field, req.searchAfter[0], req.searchAfter[1])) : lo;
      while (i < hi && take(arr[i] as IndexDoc)) i++;
    } else {
      let i = req.searchAfter
        ? Math.min(hi, index.lowerBound(field, req.searchAfter[0], req.searchAfter[1])) - 1
        : hi - 1;
      while (i >= lo && take(arr[i] as IndexDoc)) i--;
    }
  }
  return { docs: out, field, total };
}
