/**
 * Figures over what the store holds, for the dashboard (main/store/README.md, "Reports"): records of the mirror
 * counted per scope, linked or not, narrowed by a business or a tag found on the mirrored records themselves.
 * Aggregates only: nothing is parsed per record in JavaScript.
 */
import type { SystemId } from '../../../preload/contract.js';
import type { ReportRepo, ScopeRef } from '../repositories.js';
import { mirrorScope } from '../repositories.js';
import { marks, prepared, type Ctx } from './prepared.js';

/** A LIKE pattern (escape '!') for an element of a set field as the mirror stores it: `"labels":"[\"a\",\"b\"]"`. */
function setElementPattern(value: string): string {
  const inner = JSON.stringify(JSON.stringify(value)).slice(1, -1);
  return `%${inner.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

export function sqliteReports({ db }: Ctx): ReportRepo {
  /** The condition that a person-level record (alias `p`) belongs to the business / carries the tag. */
  const personCond = (alias: string, s: ScopeRef, f: { business?: string; tag?: string }) => {
    const sql: string[] = [];
    const args: unknown[] = [];
    if (f.business && s.businessScope) {
      const name = f.business.trim().toLowerCase();
      sql.push(
        `(${alias}.parent_id in (select b.id from mirror b where b.scope = ? and lower(b.label) = ?) or lower(${alias}.parent_id) = ?)`,
      );
      args.push(s.businessScope, name, `name:${name}`);
    }
    if (f.tag && s.tagScopes?.length) {
      sql.push(
        `${alias}.id in (select t.id from mirror t where t.scope in (${marks(s.tagScopes.length)}) and t.fields like ? escape '!')`,
      );
      args.push(...s.tagScopes, setElementPattern(f.tag));
    }
    return { sql, args };
  };
  return {
    count(scopes, f) {
      const parts: string[] = [];
      const args: unknown[] = [];
      for (const s of scopes) {
        const where: string[] = ['m.scope = ?'];
        const a: unknown[] = [mirrorScope(s.pair, s.entity, s.system)];
        if (s.parentScope) {
          // A child (task, note): its parent person belongs to the business / carries the tag; a job or note of a
          // business client itself belongs to that business.
          const c = personCond('p', s, f);
          if (c.sql.length) {
            const own = f.business && s.businessScope ? personCond('m', { ...s, tagScopes: [] }, f) : undefined;
            where.push(
              `(m.parent_id in (select p.id from mirror p where p.scope = ? and ${c.sql.join(' and ')})${own?.sql.length && !f.tag ? ` or ${own.sql[0]}` : ''})`,
            );
            a.push(s.parentScope, ...c.args, ...(own?.sql.length && !f.tag ? own.args : []));
          }
        } else {
          const c = personCond('m', s, f);
          where.push(...c.sql);
          a.push(...c.args);
        }
        const side = s.system === 'ghl' ? 'ghl_id' : 'other_id';
        parts.push(
          `select m.id,
             case when exists (select 1 from links l where l.pair = ? and l.entity = ? and l.${side} = m.id and l.state != 'unlinked' and l.state = 'active') then 1 else 0 end linked,
             case when ? is not null and m.fields like ? then 1 else 0 end done,
             case when ? is not null and m.made_at >= ? then 1 else 0 end recent
           from mirror m where ${where.join(' and ')}`,
        );
        args.push(s.pair, s.entity, f.doneLike ?? null, f.doneLike ?? '', f.madeSince ?? null, f.madeSince ?? 0, ...a);
      }
      if (!parts.length) return { total: 0, linked: 0, done: 0, recent: 0 };
      // The same record read by two pairs (a HighLevel contact that is also a lead) counts once.
      const r = db
        .prepare(
          `select count(*) total, coalesce(sum(linked), 0) linked, coalesce(sum(done), 0) done, coalesce(sum(recent), 0) recent
           from (select id, max(linked) linked, max(done) done, max(recent) recent from (${parts.join(' union all ')}) x group by id) y`,
        )
        .get(...args) as { total: number; linked: number; done: number; recent: number };
      return r;
    },
    openItems() {
      return prepared(
        db,
        `select system, count(*) n from conflicts where status = 'open' group by system`,
      ).all() as Array<{ system: SystemId; n: number }>;
    },
    quarantined() {
      return prepared(db, `select system, count(*) n from quarantine group by system`).all() as Array<{
        system: SystemId;
        n: number;
      }>;
    },
    labels(scopes) {
      if (!scopes.length) return [];
      return (
        db
          .prepare(`select distinct label from mirror where scope in (${marks(scopes.length)}) order by label`)
          .all(...scopes) as Array<{ label: string }>
      ).map((r) => r.label);
    },
    setValues(scopes, field) {
      if (!scopes.length) return [];
      const out = new Set<string>();
      // Distinct stored sets (a few dozen tag combinations among thousands of records), parsed once each.
      for (const r of db
        .prepare(`select distinct fields from mirror where scope in (${marks(scopes.length)}) and fields like ?`)
        .all(...scopes, `%"${field}":"[%`) as Array<{ fields: string }>) {
        try {
          const v = (JSON.parse(r.fields) as Record<string, string | null>)[field];
          for (const t of JSON.parse(v ?? '[]') as unknown[]) if (typeof t === 'string') out.add(t);
        } catch {
          /* not a set */
        }
      }
      return [...out].sort((a, b) => a.localeCompare(b));
    },
  };
}
