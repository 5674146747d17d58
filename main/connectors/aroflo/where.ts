/**
 * Builds AroFlo `where` / `order` / `join` / paging URL variables (README "Facts: GET requests").
 *
 * A clause is `<and|or>|[(|]<field>|<op>|<value>[|)]`, one `where=` variable per clause, URI-encoded as a whole.
 * Grouping is one level deep: `and|(|a|=|1` + `or|b|=|2|)` means `AND (a = 1 OR b = 2)`.
 *
 * Escaping. AroFlo has no escape for its separators, so values are made safe like this:
 * - every variable is URI-encoded ({@link encodeStrict}), so base64-like ids keep their `=`, `+`, `/`
 *   (`JSZaSyRQLEwgCg==` goes out as `JSZaSyRQLEwgCg%3D%3D`) and non-ASCII goes out as UTF-8 percent-escapes;
 * - a value containing `|` (or a line break, or one that is exactly `(` / `)`) cannot be expressed: the builder
 *   refuses it with a typed `rejected` error instead of sending a filter that would match other records;
 * - IN / NOT IN lists are joined with `*` (README "Facts: GET requests": "multiple values separated by `*`"). A list item containing `*`
 *   cannot be expressed that way, so a top-level IN is rewritten as an OR group of `=` (NOT IN as an AND of `!=`).
 */
import { ConnectorError } from '../shared/errors.js';

export type WhereOp = '=' | '<' | '>' | '!=' | 'IN' | 'NOT IN';
export type WhereScalar = string | number | boolean;
export type WhereValue = WhereScalar | readonly WhereScalar[];

/** README "Facts: GET requests": IN values are separated by `*` ("docs say …, odd — verify"). One constant, easy to change. */
export const IN_SEPARATOR = '*';
/** README "Facts: GET requests": default and maximum page size. */
export const MAX_PAGE_SIZE = 500;

interface Cond {
  field: string;
  op: WhereOp;
  value: WhereValue;
}
type Term =
  { conj: 'and' | 'or'; cond: Cond } | { conj: 'and' | 'or'; group: Array<{ conj: 'and' | 'or'; cond: Cond }> };

const FIELD_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

function refuse(detail: string): ConnectorError {
  return new ConnectorError({
    system: 'aroflo',
    kind: 'rejected',
    detail,
    message: `AroFlo filter cannot be built: ${detail} — the record was not looked up this way; filter it after reading instead.`,
    operation: 'where',
  });
}

function scalarText(field: string, v: WhereScalar): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw refuse(`the value for "${field}" is not a finite number`);
    return String(v);
  }
  if (v.includes('|'))
    throw refuse(`the value for "${field}" contains "|", which AroFlo uses to separate filter parts`);
  if (/[\r\n]/.test(v)) throw refuse(`the value for "${field}" contains a line break`);
  if (v === '(' || v === ')')
    throw refuse(`the value for "${field}" is a lone bracket, which AroFlo reads as grouping`);
  return v;
}

function condText(c: Cond): string {
  if (!FIELD_RE.test(c.field)) throw refuse(`"${c.field}" is not a valid field name`);
  if (c.op === 'IN' || c.op === 'NOT IN') {
    const list = Array.isArray(c.value) ? (c.value as readonly WhereScalar[]) : [c.value as WhereScalar];
    if (!list.length) throw refuse(`the ${c.op} list for "${c.field}" is empty`);
    const items = list.map((v) => scalarText(c.field, v));
    if (items.some((s) => s.includes(IN_SEPARATOR)))
      throw refuse(`an ${c.op} item for "${c.field}" contains "${IN_SEPARATOR}"`);
    return `${c.field}|${c.op}|${items.join(IN_SEPARATOR)}`;
  }
  if (Array.isArray(c.value)) throw refuse(`operator ${c.op} on "${c.field}" takes one value, not a list`);
  return `${c.field}|${c.op}|${scalarText(c.field, c.value as WhereScalar)}`;
}

function needsExpansion(c: Cond): boolean {
  if (c.op !== 'IN' && c.op !== 'NOT IN') return false;
  const list = Array.isArray(c.value) ? (c.value as readonly WhereScalar[]) : [c.value as WhereScalar];
  return list.some((v) => typeof v === 'string' && v.includes(IN_SEPARATOR));
}

/** One bracketed group: start with `where`, continue with `and` / `or`. */
export class WhereGroup {
  readonly items: Array<{ conj: 'and' | 'or'; cond: Cond }> = [];
  where(field: string, op: WhereOp, value: WhereValue): this {
    return this.and(field, op, value);
  }
  and(field: string, op: WhereOp, value: WhereValue): this {
    this.items.push({ conj: 'and', cond: { field, op, value } });
    return this;
  }
  or(field: string, op: WhereOp, value: WhereValue): this {
    this.items.push({ conj: 'or', cond: { field, op, value } });
    return this;
  }
}

/** An immutable-ish list of clauses; `toParams()` gives the `where=` values in order (not yet URI-encoded). */
export class Where {
  private readonly terms: Term[] = [];

  static and(field: string, op: WhereOp, value: WhereValue): Where {
    return new Where().and(field, op, value);
  }

  and(field: string, op: WhereOp, value: WhereValue): this {
    this.terms.push({ conj: 'and', cond: { field, op, value } });
    return this;
  }
  or(field: string, op: WhereOp, value: WhereValue): this {
    this.terms.push({ conj: 'or', cond: { field, op, value } });
    return this;
  }
  andGroup(build: (g: WhereGroup) => WhereGroup): this {
    return this.group('and', build);
  }
  orGroup(build: (g: WhereGroup) => WhereGroup): this {
    return this.group('or', build);
  }
  private group(conj: 'and' | 'or', build: (g: WhereGroup) => WhereGroup): this {
    const g = build(new WhereGroup());
    if (!g.items.length) throw refuse('an empty bracket group');
    this.terms.push({ conj, group: [...g.items] });
    return this;
  }

  get isEmpty(): boolean {
    return this.terms.length === 0;
  }

  /** A copy with the same clauses, so callers can extend a base filter per page/cursor. */
  clone(): Where {
    const w = new Where();
    w.terms.push(...this.terms);
    return w;
  }

  toParams(): string[] {
    const out: string[] = [];
    for (const t of this.terms) {
      if ('cond' in t) {
        if (needsExpansion(t.cond)) {
          // IN with a `*` inside an item: the same meaning as a bracket group of = (or != for NOT IN).
          const list = (Array.isArray(t.cond.value) ? t.cond.value : [t.cond.value]) as readonly WhereScalar[];
          const eq = t.cond.op === 'IN';
          const items = list.map((v, i) => ({
            conj: (i === 0 ? t.conj : eq ? 'or' : 'and') as 'and' | 'or',
            cond: { field: t.cond.field, op: (eq ? '=' : '!=') as WhereOp, value: v },
          }));
          out.push(...groupParams(items, t.conj));
        } else out.push(`${t.conj}|${condText(t.cond)}`);
      } else {
        for (const g of t.group)
          if (needsExpansion(g.cond)) throw refuse(`an IN item with "${IN_SEPARATOR}" inside a bracket group`);
        out.push(...groupParams(t.group, t.conj));
      }
    }
    return out;
  }
}

function groupParams(items: Array<{ conj: 'and' | 'or'; cond: Cond }>, conj: 'and' | 'or'): string[] {
  return items.map((it, i) => {
    const first = i === 0;
    const last = i === items.length - 1;
    return `${first ? conj : it.conj}|${first ? '(|' : ''}${condText(it.cond)}${last ? '|)' : ''}`;
  });
}

/** `field|asc` / `field|desc`. */
export function orderBy(field: string, dir: 'asc' | 'desc' = 'asc'): string {
  if (!FIELD_RE.test(field)) throw refuse(`"${field}" is not a valid order field`);
  return `${field}|${dir}`;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** A UTC date for a DATE filter: `YYYY-MM-DD`. */
export function whereDate(d: Date | number): string {
  const x = new Date(d);
  return `${x.getUTCFullYear()}-${pad(x.getUTCMonth() + 1)}-${pad(x.getUTCDate())}`;
}

/** A UTC date-time for a DATETIME filter: `YYYY-MM-DD HH:mm:ss` (AroFlo's documented filter format, README "Facts: incremental polling"). */
export function whereDateTime(d: Date | number): string {
  const x = new Date(d);
  return `${whereDate(x)} ${pad(x.getUTCHours())}:${pad(x.getUTCMinutes())}:${pad(x.getUTCSeconds())}`;
}

/**
 * encodeURIComponent (what AroFlo's own pre-request script uses), plus `'` escaped as %27: the WHATWG URL parser
 * underneath got re-encodes a raw `'` in a query string, which would change the bytes after we signed them.
 * Everything encodeURIComponent leaves raw (`( ) * ! ~`) the URL parser leaves raw too, so the URL we sign is the
 * URL that goes out.
 */
export function encodeStrict(v: string): string {
  return encodeURIComponent(v).replaceAll("'", '%27');
}

export interface QuerySpec {
  zone: string;
  where: Where;
  /** Only for lookup zones (task types, business units) that have no hidden default filter and may take no where. */
  allowNoWhere?: boolean;
  order?: string[];
  join?: string[];
  page?: number;
  pageSize?: number;
}

/**
 * The GET varString (no leading "?"): `zone=…&where=…&where=…&order=…&join=…&page=…&pageSize=…`, each value
 * URI-encoded once. This exact string is signed and sent.
 * Refuses an empty `where`: AroFlo would then apply its hidden 30-day default filter and the listing would look
 * complete while missing older records.
 */
export function buildQuery(q: QuerySpec): string {
  if (q.where.isEmpty && !q.allowNoWhere)
    throw refuse(`a ${q.zone} listing without a filter (AroFlo would silently apply its 30-day default filter)`);
  const enc = encodeStrict;
  const parts: string[] = [`zone=${enc(q.zone)}`];
  for (const w of q.where.toParams()) parts.push(`where=${enc(w)}`);
  for (const o of q.order ?? []) parts.push(`order=${enc(o)}`);
  if (q.join?.length) parts.push(`join=${enc(q.join.join(','))}`);
  if (q.page !== undefined) parts.push(`page=${enc(String(q.page))}`);
  if (q.pageSize !== undefined) {
    if (!Number.isInteger(q.pageSize) || q.pageSize < 1 || q.pageSize > MAX_PAGE_SIZE)
      throw refuse(`page size ${q.pageSize} is outside 1..${MAX_PAGE_SIZE}`);
    parts.push(`pageSize=${enc(String(q.pageSize))}`);
  }
  return parts.join('&');
}

/** The POST body: `zone=<zone>&postxml=<encURI(xml)>`. This exact string is signed and sent. */
export function buildPostBody(zone: string, xml: string): string {
  return `zone=${encodeStrict(zone)}&postxml=${encodeStrict(xml)}`;
}
