/**
 * Runs a GET against a zone: where (or the hidden 30-day default), order, paging, joins.
 * Fast on 50,000+ records: id look-ups and time ranges go through indexes, and the filtered, ordered list is
 * cached per (zone, where, order) and data version, so paging through a result costs one scan, not one per page.
 */
import { compileWhere, parseWhere, WhereError } from './where.js';
import { DAY_MS, type SiteZone } from './time.js';
import type { Json } from './render.js';
import type { ArofloDb } from './db.js';
import type { ZoneName, ZoneSpec } from './zones.js';

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_FILTER_DAYS = 30;

export class OrderError extends Error {}

export interface GetRequest {
  zone: ZoneName;
  where: string[];
  order: string[];
  join: string[];
  page: number;
  pageSize: number;
}

export interface GetResult {
  records: Array<{ [k: string]: Json }>;
  defaultFilterApplied: boolean;
  page: number;
  pageSize: number;
  queryMs: number;
}

type Row = { seq?: number };

export class QueryEngine {
  private readonly cache = new Map<string, { version: number; rows: Row[] }>();

  constructor(
    private readonly db: ArofloDb,
    private readonly zones: Record<ZoneName, ZoneSpec<unknown>>,
    private readonly site: SiteZone,
    private readonly now: () => number,
  ) {}

  clearCache(): void {
    this.cache.clear();
  }

  run(req: GetRequest): GetResult {
    const started = performance.now();
    const spec = this.zones[req.zone] as ZoneSpec<Row>;
    const defaultFilterApplied = req.where.length === 0 && !!spec.defaultFilterIndex;
    const cutoff = defaultFilterApplied ? this.now() - DEFAULT_FILTER_DAYS * DAY_MS : 0;
    const key = [req.zone, ...req.where, '\u0000', ...req.order, '\u0000', defaultFilterApplied ? cutoff : ''].join(
      '\u0001',
    );
    let rows = this.cached(key);
    if (!rows) {
      rows = this.select(spec, req, defaultFilterApplied, cutoff);
      this.remember(key, rows);
    }
    const page = Math.max(1, req.page);
    const size = Math.min(MAX_PAGE_SIZE, Math.max(1, req.pageSize));
    const joins = new Set(req.join.map((j) => j.trim().toLowerCase()).filter((j) => spec.joins.includes(j)));
    const records = rows.slice((page - 1) * size, page * size).map((r) => spec.render(r, joins));
    return { records, defaultFilterApplied, page, pageSize: size, queryMs: Math.round(performance.now() - started) };
  }

  private cached(key: string): Row[] | undefined {
    const hit = this.cache.get(key);
    if (!hit || hit.version !== this.db.version) return undefined;
    this.cache.delete(key);
    this.cache.set(key, hit); // most recently used last
    return hit.rows;
  }

  private remember(key: string, rows: Row[]): void {
    this.cache.set(key, { version: this.db.version, rows });
    while (this.cache.size > 16) this.cache.delete(this.cache.keys().next().value!);
  }

  private select(spec: ZoneSpec<Row>, req: GetRequest, defaultFilter: boolean, cutoff: number): Row[] {
    const all = spec.rows() as Row[];
    const seqOf = (r: Row): number => r.seq ?? all.indexOf(r);
    let candidates: Row[];
    let inSeqOrder = false;
    let test: ((r: Row) => boolean) | undefined;

    if (defaultFilter) {
      const index = spec.table!.index(spec.defaultFilterIndex!)!;
      candidates = index.range(cutoff, Infinity).map((s) => spec.table!.rows[s]!);
    } else {
      const node = parseWhere(req.where);
      if (node && !Object.keys(spec.fields).length) throw new WhereError(`zone ${spec.name} takes no where clause`);
      const compiled = node ? compileWhere(node, spec.fields, this.site, spec.name, spec.idField) : undefined;
      test = compiled?.test;
      const plan = compiled?.plan;
      if (plan?.kind === 'id' && spec.table) {
        candidates = [...new Set(plan.ids)]
          .map((id) => spec.table!.get(id))
          .filter((r): r is Row & { seq: number } => !!r);
      } else if (plan?.kind === 'range' && spec.table?.index(plan.index)) {
        candidates = spec.table
          .index(plan.index)!
          .range(plan.from, plan.to)
          .map((s) => spec.table!.rows[s]!);
      } else {
        candidates = all;
        inSeqOrder = true;
      }
    }
    let rows = test ? candidates.filter(test) : inSeqOrder ? [...candidates] : candidates;

    const orders = req.order.map((o) => {
      const [f, d] = o.split('|');
      const field = (f ?? '').trim().toLowerCase();
      const get = spec.orders[field];
      if (!get)
        throw new OrderError(
          `cannot order zone ${spec.name} by "${f}" (orderable: ${Object.keys(spec.orders).join(', ') || 'none'})`,
        );
      const dir = (d ?? 'asc').trim().toLowerCase();
      if (dir !== 'asc' && dir !== 'desc') throw new OrderError(`order direction must be asc or desc, got "${d}"`);
      return { get, sign: dir === 'desc' ? -1 : 1 };
    });
    if (!orders.length && spec.defaultOrder) orders.push({ get: spec.defaultOrder, sign: 1 });
    if (orders.length) {
      const keyed = rows.map((r) => ({ r, k: orders.map((o) => o.get(r)), s: seqOf(r) }));
      keyed.sort((a, b) => {
        for (let i = 0; i < orders.length; i++) {
          const x = a.k[i]!;
          const y = b.k[i]!;
          if (x < y) return -orders[i]!.sign;
          if (x > y) return orders[i]!.sign;
        }
        return a.s - b.s;
      });
      rows = keyed.map((k) => k.r);
    } else if (!inSeqOrder) {
      rows = [...rows].sort((a, b) => seqOf(a) - seqOf(b));
    }
    return rows;
  }
}
