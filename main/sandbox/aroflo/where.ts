/**
 * `where` clauses (README "Facts: where"): `<and|or>|[(|]<field>|<op>|<value>[|)]`, repeatable, combined with SQL precedence
 * (AND binds tighter than OR; parentheses group). The first clause's and/or is ignored.
 * Operators: = < > != IN "NOT IN" (case-insensitive). IN lists are separated by `*` (the docs' separator; ids are
 * base64 and never contain `*`). A value may itself contain `|` (everything between the operator and an optional
 * final `|)` is the value).
 * Comparisons: strings case-insensitively (SQL Server's default collation); ids exactly; dates per field:
 * "date" fields compare calendar days, "datetime" fields compare to the second; "...utc" fields are UTC, the rest
 * site-local. A record with no value for a date field matches nothing (SQL NULL).
 * Anything malformed, an unknown field or operator, or a value of the wrong type → WhereError
 * ("Invalid WHERE Clause", status 1 — see api.ts).
 */
import { parseTaskStatus } from './ops.js';
import { parseWhereDate, UTC_ZONE, type SiteZone } from './time.js';

export type Op = '=' | '<' | '>' | '!=' | 'IN' | 'NOT IN';
const OPS: readonly Op[] = ['=', '<', '>', '!=', 'IN', 'NOT IN'];

export interface Cond {
  field: string;
  op: Op;
  value: string;
}

export type WhereNode = { kind: 'cond'; cond: Cond } | { kind: 'and' | 'or'; items: WhereNode[] };

export class WhereError extends Error {}

export type FieldType = 'id' | 'string' | 'bool' | 'number' | 'date' | 'datetime' | 'status';

export interface FieldDef<R> {
  type: FieldType;
  /** date/datetime: the field is UTC (else site-local). */
  utc?: boolean;
  get: (r: R) => string | number | boolean | undefined;
  /** Name of the table's sorted index holding the same value (date/datetime ranges). */
  index?: string;
}

type Token = { t: 'cond'; cond: Cond } | { t: 'and' | 'or' | '(' | ')' };

export function parseWhere(clauses: string[]): WhereNode | undefined {
  if (!clauses.length) return undefined;
  const tokens: Token[] = [];
  clauses.forEach((clause, i) => {
    const parts = clause.split('|');
    const conj = parts[0]?.trim().toLowerCase();
    if (conj !== 'and' && conj !== 'or') throw new WhereError(`clause "${clause}" must start with and| or or|`);
    let at = 1;
    const open = parts[at]?.trim() === '(';
    if (open) at++;
    const close = parts.length >= at + 4 && parts[parts.length - 1]?.trim() === ')';
    const end = close ? parts.length - 1 : parts.length;
    if (end - at < 3) throw new WhereError(`clause "${clause}" needs <field>|<operator>|<value>`);
    const field = parts[at]!.trim().toLowerCase();
    const opText = parts[at + 1]!.trim().toUpperCase().replace(/\s+/g, ' ');
    const op = OPS.find((o) => o === opText);
    if (!op) throw new WhereError(`unknown operator "${parts[at + 1]}" in "${clause}" (use = < > != IN "NOT IN")`);
    const value = parts.slice(at + 2, end).join('|');
    if (i > 0) tokens.push({ t: conj });
    if (open) tokens.push({ t: '(' });
    tokens.push({ t: 'cond', cond: { field, op, value } });
    if (close) tokens.push({ t: ')' });
  });

  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const expr = (): WhereNode => {
    const items = [term()];
    while (peek()?.t === 'or') {
      pos++;
      items.push(term());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  };
  const term = (): WhereNode => {
    const items = [factor()];
    while (peek()?.t === 'and') {
      pos++;
      items.push(factor());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  };
  const factor = (): WhereNode => {
    const tok = tokens[pos++];
    if (!tok) throw new WhereError('the where clauses end too early');
    if (tok.t === 'cond') return { kind: 'cond', cond: tok.cond };
    if (tok.t === '(') {
      const inner = expr();
      if (tokens[pos++]?.t !== ')') throw new WhereError('a "(" is never closed');
      return inner;
    }
    throw new WhereError(`unexpected "${tok.t}"`);
  };
  const node = expr();
  if (pos !== tokens.length) throw new WhereError('a ")" has no matching "("');
  return node;
}

function parseBool(v: string): boolean {
  const t = v.trim().toLowerCase();
  if (t === 'true' || t === '1' || t === 'yes') return true;
  if (t === 'false' || t === '0' || t === 'no') return false;
  throw new WhereError(`"${v}" is not true or false`);
}

const statusKey = (s: string): string => s.toLowerCase().replace(/\s+/g, '');

export interface RangePlan {
  kind: 'range';
  index: string;
  from: number;
  to: number;
}
export interface IdPlan {
  kind: 'id';
  ids: string[];
}
export type Plan = RangePlan | IdPlan;

export interface Compiled<R> {
  test: (r: R) => boolean;
  plan?: Plan;
}

export function compileWhere<R>(
  node: WhereNode,
  fields: Record<string, FieldDef<R>>,
  site: SiteZone,
  zone: string,
  idField?: string,
): Compiled<R> {
  const test = compileNode(node, fields, site, zone);
  return { test, plan: planFor(node, fields, site, idField) };
}

function compileNode<R>(
  node: WhereNode,
  fields: Record<string, FieldDef<R>>,
  site: SiteZone,
  zone: string,
): (r: R) => boolean {
  if (node.kind === 'cond') return compileCond(node.cond, fields, site, zone);
  const fs = node.items.map((n) => compileNode(n, fields, site, zone));
  return node.kind === 'and' ? (r) => fs.every((f) => f(r)) : (r) => fs.some((f) => f(r));
}

function compileCond<R>(c: Cond, fields: Record<string, FieldDef<R>>, site: SiteZone, zone: string): (r: R) => boolean {
  const def = fields[c.field];
  if (!def)
    throw new WhereError(
      `field "${c.field}" cannot be filtered in zone ${zone} (filterable: ${Object.keys(fields).join(', ')})`,
    );
  const list = c.op === 'IN' || c.op === 'NOT IN';
  const raw = list ? c.value.split('*') : [c.value];
  const cmp = <T>(x: T, vs: T[], gt: (a: T, b: T) => boolean): boolean => {
    const v = vs[0]!;
    switch (c.op) {
      case '=':
        return x === v;
      case '!=':
        return x !== v;
      case '<':
        return gt(v, x);
      case '>':
        return gt(x, v);
      case 'IN':
        return vs.includes(x);
      case 'NOT IN':
        return !vs.includes(x);
    }
  };
  const gt = <T>(a: T, b: T): boolean => a > b;
  const get = def.get;
  switch (def.type) {
    case 'id': {
      const vs = raw;
      const set = new Set(vs);
      if (c.op === '=') return (r) => get(r) === vs[0];
      if (c.op === 'IN') return (r) => set.has(String(get(r)));
      if (c.op === 'NOT IN') return (r) => !set.has(String(get(r)));
      return (r) => cmp(String(get(r) ?? ''), vs, gt);
    }
    case 'string': {
      const vs = raw.map((v) => v.trim().toLowerCase());
      return (r) =>
        cmp(
          String(get(r) ?? '')
            .trim()
            .toLowerCase(),
          vs,
          gt,
        );
    }
    case 'bool': {
      const vs = raw.map(parseBool);
      return (r) => cmp(Boolean(get(r)), vs, gt);
    }
    case 'number': {
      const vs = raw.map((v) => {
        const n = Number(v.trim());
        if (!v.trim() || !Number.isFinite(n)) throw new WhereError(`"${v}" is not a number (field ${c.field})`);
        return n;
      });
      return (r) => cmp(Number(get(r)), vs, gt);
    }
    case 'status': {
      const vs = raw.map((v) => {
        const s = parseTaskStatus(v);
        if (!s)
          throw new WhereError(`"${v}" is not a task status (quote|notstarted|inprogress|pending|completed|archived)`);
        return statusKey(s);
      });
      return (r) => cmp(statusKey(String(get(r))), vs, gt);
    }
    case 'date': {
      const zoneOf = def.utc ? UTC_ZONE : site;
      const vs = raw.map((v) => {
        const d = parseWhereDate(v, zoneOf);
        if (!d) throw new WhereError(`"${v}" is not a date (YYYY-MM-DD or YYYY/MM/DD) for ${c.field}`);
        return d.dayKey;
      });
      return (r) => {
        const ms = get(r);
        return typeof ms === 'number' && cmp(zoneOf.dayKey(ms), vs, gt);
      };
    }
    case 'datetime': {
      const zoneOf = def.utc ? UTC_ZONE : site;
      const vs = raw.map((v) => {
        const d = parseWhereDate(v, zoneOf);
        if (!d) throw new WhereError(`"${v}" is not a date-time (YYYY-MM-DD HH:mm:ss) for ${c.field}`);
        return Math.floor(d.ms / 1000);
      });
      return (r) => {
        const ms = get(r);
        return typeof ms === 'number' && cmp(Math.floor(ms / 1000), vs, gt);
      };
    }
  }
}

/** An index look-up that returns a superset of the matches of an AND-only where (the full test runs after). */
function planFor<R>(
  node: WhereNode,
  fields: Record<string, FieldDef<R>>,
  site: SiteZone,
  idField?: string,
): Plan | undefined {
  const conds: Cond[] = [];
  const collect = (n: WhereNode): boolean => {
    if (n.kind === 'cond') {
      conds.push(n.cond);
      return true;
    }
    if (n.kind === 'and') return n.items.every(collect);
    return false;
  };
  if (!collect(node)) return undefined;
  for (const c of conds) {
    if (idField && c.field === idField && (c.op === '=' || c.op === 'IN'))
      return { kind: 'id', ids: c.op === '=' ? [c.value] : c.value.split('*') };
  }
  for (const c of conds) {
    const def = fields[c.field];
    if (!def?.index || (def.type !== 'date' && def.type !== 'datetime') || !['=', '<', '>'].includes(c.op)) continue;
    const zoneOf = def.utc ? UTC_ZONE : site;
    const d = parseWhereDate(c.value, zoneOf);
    if (!d) continue;
    let lo: number;
    let hi: number;
    if (def.type === 'date') {
      lo = zoneOf.startOfDay(d.dayKey);
      hi = zoneOf.startOfDay(d.dayKey, 1);
    } else {
      lo = Math.floor(d.ms / 1000) * 1000;
      hi = lo + 1000;
    }
    if (c.op === '=') return { kind: 'range', index: def.index, from: lo, to: hi };
    if (c.op === '>') return { kind: 'range', index: def.index, from: hi, to: Infinity };
    return { kind: 'range', index: def.index, from: -Infinity, to: lo };
  }
  return undefined;
}
