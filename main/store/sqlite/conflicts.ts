import type { ConflictSummary, FieldDiff } from '../../../preload/contract.js';
import type { ConflictRepo, ConflictRow } from '../repositories.js';
import { prepared, type Ctx } from './prepared.js';

export function sqliteConflicts({ db, now }: Ctx): ConflictRepo {
  const repo: ConflictRepo = {
    openBySubject(subject) {
      return prepared(db, `select * from conflicts where subject = ? and status = 'open'`).get(subject) as
        ConflictRow | undefined;
    },
    latestBySubject(subject) {
      return prepared(db, `select * from conflicts where subject = ? order by created_at desc, id desc limit 1`).get(
        subject,
      ) as ConflictRow | undefined;
    },
    upsert(c) {
      const existing = repo.openBySubject(c.subject);
      const candidates = c.candidates ? JSON.stringify(c.candidates) : null;
      if (existing) {
        prepared(db, `update conflicts set diffs = ?, candidates = ?, label = ?, run_id = ? where id = ?`).run(
          JSON.stringify(c.diffs),
          candidates,
          c.label,
          c.runId,
          existing.id,
        );
        return { id: existing.id, isNew: false };
      }
      const id = `${c.kind === 'conflict' ? 'c' : 'd'}_${now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
      prepared(
        db,
        `insert into conflicts(id, kind, pair, entity, system, link_id, subject, label, diffs, candidates, status, run_id, created_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
      ).run(
        id,
        c.kind,
        c.pair,
        c.entity,
        c.system,
        c.linkId,
        c.subject,
        c.label,
        JSON.stringify(c.diffs),
        candidates,
        c.runId,
        now(),
      );
      return { id, isNew: true };
    },
    get(id) {
      return prepared(db, `select * from conflicts where id = ?`).get(id) as ConflictRow | undefined;
    },
    close(id, status, resolution) {
      prepared(db, `update conflicts set status = ?, resolution = ?, resolved_at = ? where id = ?`).run(
        status,
        JSON.stringify(resolution),
        now(),
        id,
      );
    },
    pendingResolutions(pair, entity) {
      const rows = prepared(
        db,
        `select id, link_id, resolution from conflicts where pair = ? and entity = ? and kind = 'conflict' and status = 'resolved' and resolution like '%"applied":false%'`,
      ).all(pair, entity) as Array<{ id: string; link_id: number | null; resolution: string }>;
      const out = new Map<number, { conflictId: string; values: Record<string, string | null> }>();
      for (const r of rows) {
        if (r.link_id === null) continue;
        const res = JSON.parse(r.resolution) as { values: Record<string, string | null> };
        out.set(r.link_id, { conflictId: r.id, values: res.values });
      }
      return out;
    },
    markResolutionApplied(conflictId) {
      const row = repo.get(conflictId);
      if (!row?.resolution) return;
      const res = JSON.parse(row.resolution) as Record<string, unknown>;
      res.applied = true;
      prepared(db, `update conflicts set resolution = ? where id = ?`).run(JSON.stringify(res), conflictId);
    },
    countOpen(kind) {
      return (
        prepared(db, `select count(*) n from conflicts where status = 'open' and kind = ?`).get(kind) as { n: number }
      ).n;
    },
    list(f) {
      const where: string[] = [`status = ?`];
      const args: unknown[] = [f.status ?? 'open'];
      if (f.system) {
        where.push('system = ?');
        args.push(f.system);
      }
      if (f.entity) {
        where.push('entity = ?');
        args.push(f.entity);
      }
      if (f.kind) {
        where.push('kind = ?');
        args.push(f.kind);
      }
      if (f.query) {
        where.push('label like ?');
        args.push(`%${f.query}%`);
      }
      const w = where.join(' and ');
      const total = (prepared(db, `select count(*) n from conflicts where ${w}`).get(...args) as { n: number }).n;
      const rows = prepared(db, `select * from conflicts where ${w} order by created_at desc, id limit ? offset ?`).all(
        ...args,
        Math.min(f.limit ?? 100, 10_000),
        f.offset ?? 0,
      ) as ConflictRow[];
      return { items: rows.map(toConflictSummary), total };
    },
    openRows() {
      return prepared(db, `select * from conflicts where status = 'open' order by id`).all() as ConflictRow[];
    },
  };
  return repo;
}

function toConflictSummary(r: ConflictRow): ConflictSummary {
  const diffs = JSON.parse(r.diffs) as FieldDiff[];
  return {
    id: r.id,
    kind: r.kind,
    pair: r.pair,
    system: r.system,
    entity: r.entity,
    label: r.label,
    fields: diffs.map((d) => d.label || d.field),
    createdAt: r.created_at,
    runId: r.run_id ?? undefined,
  };
}
