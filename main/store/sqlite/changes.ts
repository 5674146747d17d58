/** The record-level change stream (table `changes`, main/store/README.md). */
import type {
  ChangeAction,
  ChangeField,
  ChangeItem,
  ChangeWho,
  EntityKind,
  PairId,
  SystemId,
} from '../../../preload/contract.js';
import type { ChangeRepo, KnownRecord } from '../repositories.js';
import { IN_CHUNK, marks, prepared, type Ctx } from './prepared.js';

interface ChangeDbRow {
  id: number;
  at: number;
  run_id: string;
  link_id: number | null;
  pair: PairId;
  entity: EntityKind;
  system: SystemId;
  record_id: string;
  label: string;
  email: string | null;
  who: ChangeWho;
  action: ChangeAction;
  fields: string | null;
  audit_ids: string | null;
}

interface AuditDbRow {
  id: number;
  action: string;
  field: string | null;
  before: string | null;
  after: string | null;
}

const DAY = 86_400_000;

/** A whole record's fields kept as JSON (a create's after, a delete's before), one entry per field. */
function recordFields(json: string | null): Record<string, string | null> {
  try {
    const v = JSON.parse(json ?? 'null') as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string | null>) : {};
  } catch {
    return {};
  }
}

/** The fields of a bridge write, from its audit entries. */
function auditFields(rows: AuditDbRow[]): ChangeField[] {
  return rows.flatMap((a): ChangeField[] => {
    if (a.field) return [{ field: a.field, before: a.before, after: a.after }];
    if (a.action === 'create')
      return Object.entries(recordFields(a.after)).map(([field, after]) => ({ field, before: null, after }));
    if (a.action === 'delete' || a.action === 'archive')
      return Object.entries(recordFields(a.before)).map(([field, before]) => ({ field, before, after: null }));
    return [];
  });
}

export function sqliteChanges({ db, now }: Ctx): ChangeRepo {
  return {
    add(rows) {
      if (!rows.length) return;
      const stmt = prepared(
        db,
        `insert into changes(at, run_id, link_id, pair, entity, system, record_id, label, email, who, action, fields, audit_ids)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const at = now();
      db.transaction(() => {
        for (const r of rows)
          stmt.run(
            at,
            r.runId,
            r.linkId,
            r.pair,
            r.entity,
            r.system,
            r.recordId,
            r.label,
            r.email ?? null,
            r.who,
            r.action,
            r.fields ? JSON.stringify(r.fields) : null,
            r.auditIds ? JSON.stringify(r.auditIds) : null,
          );
      })();
    },
    list(q) {
      const where: string[] = [];
      const args: unknown[] = [];
      const add = (sql: string, ...v: unknown[]) => {
        where.push(sql);
        args.push(...v);
      };
      if (q.linkId !== undefined) add('link_id = ?', q.linkId);
      if (q.system) add('system = ?', q.system);
      if (q.recordId) add('record_id = ?', q.recordId);
      if (q.who) add('who = ?', q.who);
      if (q.entity) add('entity = ?', q.entity);
      if (q.from !== undefined) add('at >= ?', q.from);
      if (q.to !== undefined) add('at <= ?', q.to);
      const text = q.query?.trim().toLowerCase();
      if (text) {
        const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        add(
          `(lower(label) like ? escape '\\' or lower(email) like ? escape '\\' or lower(record_id) like ? escape '\\')`,
          like,
          like,
          like,
        );
      }
      const w = where.length ? `where ${where.join(' and ')}` : '';
      const total = (db.prepare(`select count(*) n from changes ${w}`).get(...args) as { n: number }).n;
      const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
      const rows = db
        .prepare(`select * from changes ${w} order by at desc, id desc limit ? offset ?`)
        .all(...args, limit, Math.max(q.offset ?? 0, 0)) as ChangeDbRow[];
      // The bridge's rows: their fields are their audit entries, read for this page only.
      const ids = rows.flatMap((r) => (r.audit_ids ? (JSON.parse(r.audit_ids) as number[]) : []));
      const audits = new Map<number, AuditDbRow>();
      for (let i = 0; i < ids.length; i += IN_CHUNK) {
        const chunk = ids.slice(i, i + IN_CHUNK);
        for (const a of db
          .prepare(`select id, action, field, before, after from audit where id in (${marks(chunk.length)})`)
          .all(...chunk) as AuditDbRow[])
          audits.set(a.id, a);
      }
      const items: ChangeItem[] = rows.map((r) => ({
        id: r.id,
        at: r.at,
        runId: r.run_id,
        linkId: r.link_id,
        pair: r.pair,
        entity: r.entity,
        system: r.system,
        recordId: r.record_id,
        label: r.label,
        email: r.email,
        who: r.who,
        action: r.action,
        fields: r.audit_ids
          ? auditFields((JSON.parse(r.audit_ids) as number[]).flatMap((id) => audits.get(id) ?? []))
          : r.fields
            ? (JSON.parse(r.fields) as ChangeField[])
            : [],
      }));
      return { items, total };
    },
    perDay(since) {
      const rows = prepared(
        db,
        `select (at / ${DAY}) d, system, who, count(*) n from changes where at >= ? group by (at / ${DAY}), system, who order by d`,
      ).all(since) as Array<{ d: number; system: SystemId; who: ChangeWho; n: number }>;
      return rows.map((r) => ({
        day: new Date(r.d * DAY).toISOString().slice(0, 10),
        system: r.system,
        who: r.who,
        count: r.n,
      }));
    },
    known(system, recordIds) {
      const out = new Map<string, KnownRecord>();
      const ids = [...new Set(recordIds)];
      for (let i = 0; i < ids.length; i += IN_CHUNK) {
        const chunk = ids.slice(i, i + IN_CHUNK);
        const events: Array<{ at: number; id: string; created: boolean; fields: ChangeField[] }> = [];
        for (const a of db
          .prepare(
            `select at, record_id, action, field, before, after, id from audit where system = ? and record_id in (${marks(chunk.length)})
             and action in ('create', 'update') and undone_by is null order by id`,
          )
          .all(system, ...chunk) as Array<AuditDbRow & { at: number; record_id: string }>)
          events.push({ at: a.at, id: a.record_id, created: a.action === 'create', fields: auditFields([a]) });
        for (const c of db
          .prepare(
            `select at, record_id, action, fields from changes where system = ? and record_id in (${marks(chunk.length)})
             and who = 'person' order by id`,
          )
          .all(system, ...chunk) as Array<{ at: number; record_id: string; action: string; fields: string | null }>)
          events.push({
            at: c.at,
            id: c.record_id,
            created: c.action === 'create',
            fields: c.fields ? (JSON.parse(c.fields) as ChangeField[]) : [],
          });
        // Stable: at equal times the bridge's write (listed first) comes before what was seen.
        events.sort((a, b) => a.at - b.at);
        for (const e of events) {
          const k = out.get(e.id) ?? { created: false, fields: {} };
          k.created ||= e.created;
          for (const f of e.fields) k.fields[f.field] = f.after;
          out.set(e.id, k);
        }
      }
      return out;
    },
    prune(keep) {
      prepared(db, 'delete from changes where id <= (select max(id) from changes) - ?').run(keep);
    },
  };
}
