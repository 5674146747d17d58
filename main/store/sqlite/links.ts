import type { EntityKind, PairId } from '../../../preload/contract.js';
import type { LinkPatch, LinkRepo, LinkRow, NewLink } from '../repositories.js';
import { IN_CHUNK, marks, prepared, type Ctx } from './prepared.js';

export function sqliteLinks({ db, now }: Ctx): LinkRepo {
  return {
    active(pair: PairId, entity: EntityKind): LinkRow[] {
      // pair, entity and state are the same for every row: set here rather than read 100,000 times.
      const rows = prepared(
        db,
        `select id, ghl_id, other_id, ghl_parent, other_parent, other_kind, label from links where pair = ? and entity = ? and state = 'active'`,
      ).all(pair, entity) as LinkRow[];
      for (const r of rows) {
        r.pair = pair;
        r.entity = entity;
        r.state = 'active';
      }
      return rows;
    },
    page(pair, entity, afterId, limit) {
      return prepared(
        db,
        `select * from links where pair = ? and entity = ? and state = 'active' and id > ? order by id limit ?`,
      ).all(pair, entity, afterId, limit) as LinkRow[];
    },
    under(pair, entity, side, parents) {
      const col = side === 'ghl' ? 'ghl_parent' : 'other_parent';
      const out: LinkRow[] = [];
      for (let i = 0; i < parents.length; i += IN_CHUNK) {
        const chunk = parents.slice(i, i + IN_CHUNK);
        out.push(
          ...(db
            .prepare(
              `select * from links where pair = ? and entity = ? and state = 'active' and ${col} in (${marks(chunk.length)})`,
            )
            .all(pair, entity, ...chunk) as LinkRow[]),
        );
      }
      return out;
    },
    of(pair, entity, side, ids) {
      const col = side === 'ghl' ? 'ghl_id' : 'other_id';
      const out: LinkRow[] = [];
      for (let i = 0; i < ids.length; i += IN_CHUNK) {
        const chunk = ids.slice(i, i + IN_CHUNK);
        // `state != 'unlinked'` as written in the partial unique index, so SQLite searches it.
        const rows = db
          .prepare(
            `select * from links where pair = ? and entity = ? and state != 'unlinked' and ${col} in (${marks(chunk.length)})`,
          )
          .all(pair, entity, ...chunk) as LinkRow[];
        for (const r of rows) if (r.state === 'active') out.push(r);
      }
      return out;
    },
    byGhl(pair, entity, ghlId) {
      return prepared(
        db,
        `select * from links where pair = ? and entity = ? and ghl_id = ? and state != 'unlinked'`,
      ).get(pair, entity, ghlId) as LinkRow | undefined;
    },
    byOther(pair, entity, otherId) {
      return prepared(
        db,
        `select * from links where pair = ? and entity = ? and other_id = ? and state != 'unlinked'`,
      ).get(pair, entity, otherId) as LinkRow | undefined;
    },
    byId(id) {
      return prepared(db, `select * from links where id = ?`).get(id) as LinkRow | undefined;
    },
    retired(pair, entity) {
      const rows = prepared(
        db,
        `select ghl_id, other_id from links where pair = ? and entity = ? and state = 'deleted'`,
      ).all(pair, entity) as Array<{ ghl_id: string | null; other_id: string | null }>;
      return {
        ghl: new Set(rows.map((r) => r.ghl_id).filter(Boolean) as string[]),
        other: new Set(rows.map((r) => r.other_id).filter(Boolean) as string[]),
      };
    },
    count(pair, entity) {
      return (
        prepared(db, `select count(*) n from links where pair = ? and entity = ? and state = 'active'`).get(
          pair,
          entity,
        ) as { n: number }
      ).n;
    },
    ghlIdsOf(pair, entity) {
      const rows = prepared(db, `select ghl_id from links where pair = ? and entity = ? and ghl_id is not null`).all(
        pair,
        entity,
      ) as Array<{ ghl_id: string }>;
      return new Set(rows.map((r) => r.ghl_id));
    },
    everything() {
      return prepared(db, `select * from links order by id`).all() as Array<LinkRow & { created_at: number }>;
    },
    insert(l: NewLink) {
      const at = now();
      const r = prepared(
        db,
        `insert into links(pair, entity, ghl_id, other_id, ghl_parent, other_parent, other_kind, label, state, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        l.pair,
        l.entity,
        l.ghl_id,
        l.other_id,
        l.ghl_parent,
        l.other_parent,
        l.other_kind,
        l.label,
        l.state ?? 'active',
        at,
        at,
      );
      return Number(r.lastInsertRowid);
    },
    update(id: number, patch: LinkPatch) {
      const keys = Object.keys(patch) as Array<keyof LinkPatch>;
      if (!keys.length) return;
      prepared(db, `update links set ${keys.map((k) => `${k} = ?`).join(', ')}, updated_at = ? where id = ?`).run(
        ...keys.map((k) => patch[k] ?? null),
        now(),
        id,
      );
    },
  };
}
