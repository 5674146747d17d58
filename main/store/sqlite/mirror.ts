import type { MirrorInput, MirrorRecord, MirrorRepo } from '../repositories.js';
import { prepared, type Ctx } from './prepared.js';

interface MirrorDbRow {
  id: string;
  parent_id: string | null;
  kind: string | null;
  label: string;
  fields: string;
  email: string | null;
  phone: string | null;
  alt_key: string | null;
  made_at: number | null;
}

function fromRow(r: MirrorDbRow): MirrorRecord {
  return {
    id: r.id,
    parentId: r.parent_id ?? undefined,
    kind: r.kind ?? undefined,
    label: r.label,
    fields: JSON.parse(r.fields) as Record<string, string | null>,
    email: r.email,
    phone: r.phone,
    altKey: r.alt_key,
    ...(r.made_at !== null ? { madeAt: r.made_at } : {}),
  };
}

export function sqliteMirror({ db, now }: Ctx): MirrorRepo {
  const put = (scope: string, records: MirrorInput[]) => {
    const stmt = prepared(
      db,
      `insert into mirror(scope, id, parent_id, kind, label, fields, email, phone, alt_key, seen_at, made_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict(scope, id) do update set parent_id = excluded.parent_id, kind = excluded.kind, label = excluded.label, fields = excluded.fields,
         email = excluded.email, phone = excluded.phone, alt_key = excluded.alt_key, seen_at = excluded.seen_at,
         made_at = coalesce(excluded.made_at, mirror.made_at)`,
    );
    const at = now();
    db.transaction(() => {
      for (const r of records)
        stmt.run(
          scope,
          r.id,
          r.parentId ?? null,
          r.kind ?? null,
          r.label,
          JSON.stringify(r.fields),
          r.email ?? null,
          r.phone ?? null,
          r.altKey ?? null,
          at,
          r.madeAt ?? null,
        );
    })();
  };
  return {
    put,
    remove(scope, ids) {
      const stmt = prepared(db, `delete from mirror where scope = ? and id = ?`);
      db.transaction(() => {
        for (const id of ids) stmt.run(scope, id);
      })();
    },
    replaceAll(scope, records) {
      db.transaction(() => {
        prepared(db, `delete from mirror where scope = ?`).run(scope);
        put(scope, records);
      })();
    },
    seenBefore(scope, id, at) {
      return (
        prepared(db, `select 1 from mirror where scope = ? and id = ? and seen_at < ?`).get(scope, id, at) !== undefined
      );
    },
    get(scope, ids) {
      const out = new Map<string, MirrorRecord>();
      const stmt = prepared(db, `select * from mirror where scope = ? and id = ?`);
      for (const id of ids) {
        const r = stmt.get(scope, id) as MirrorDbRow | undefined;
        if (r) out.set(id, fromRow(r));
      }
      return out;
    },
    all(scope) {
      return (prepared(db, `select * from mirror where scope = ?`).all(scope) as MirrorDbRow[]).map(fromRow);
    },
    findBy(scope, key, value) {
      return (
        prepared(db, `select * from mirror where scope = ? and ${key} = ?`).all(scope, value) as MirrorDbRow[]
      ).map(fromRow);
    },
    count(scope) {
      return (prepared(db, `select count(*) n from mirror where scope = ?`).get(scope) as { n: number }).n;
    },
  };
}
