import type { MirrorInput, MirrorRecord, MirrorRepo } from '../repositories.js';
import { IN_CHUNK, marks, prepared, type Ctx } from './prepared.js';

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
    const write = () => {
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
    };
    // One row is atomic by itself: no transaction (on PostgreSQL a savepoint inside a commit costs two round trips).
    if (records.length > 1) db.transaction(write)();
    else write();
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
      // One query per 500 ids rather than one per id (on PostgreSQL each statement is a round trip); the map keeps
      // the order of `ids`.
      const found = new Map<string, MirrorDbRow>();
      if (ids.length === 1) {
        // The usual call (one record at a time while planning): a statement compiled once.
        const r = prepared(db, `select * from mirror where scope = ? and id = ?`).get(scope, ids[0]) as
          MirrorDbRow | undefined;
        return r ? new Map([[r.id, fromRow(r)]]) : new Map();
      }
      for (let i = 0; i < ids.length; i += IN_CHUNK) {
        const chunk = ids.slice(i, i + IN_CHUNK);
        const rows = db
          .prepare(`select * from mirror where scope = ? and id in (${marks(chunk.length)})`)
          .all(scope, ...chunk) as MirrorDbRow[];
        for (const r of rows) found.set(r.id, r);
      }
      const out = new Map<string, MirrorRecord>();
      for (const id of ids) {
        const r = found.get(id);
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
