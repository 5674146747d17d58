import type { BaseRepo, BaseRow } from '../repositories.js';
import { IN_CHUNK, marks, prepared, type Ctx } from './prepared.js';

const parse = (r: { ghl: string; other: string }): BaseRow => ({
  ghl: JSON.parse(r.ghl) as BaseRow['ghl'],
  other: JSON.parse(r.other) as BaseRow['other'],
});
const ACTIVE = `select b.link_id, b.ghl, b.other from base_snapshots b join links l on l.id = b.link_id where l.pair = ? and l.entity = ? and l.state = 'active'`;

export function sqliteBases({ db, now }: Ctx): BaseRepo {
  return {
    get(linkId) {
      const r = prepared(db, `select ghl, other from base_snapshots where link_id = ?`).get(linkId) as
        { ghl: string; other: string } | undefined;
      return r ? parse(r) : undefined;
    },
    all(pair, entity) {
      const rows = prepared(db, ACTIVE).all(pair, entity) as Array<{ link_id: number; ghl: string; other: string }>;
      return new Map(rows.map((r) => [r.link_id, parse(r)]));
    },
    textsFor(pair, entity) {
      const rows = prepared(db, ACTIVE).all(pair, entity) as Array<{ link_id: number; ghl: string; other: string }>;
      return new Map(rows.map((r) => [r.link_id, { ghl: r.ghl, other: r.other }]));
    },
    of(linkIds) {
      const out = new Map<number, BaseRow>();
      for (let i = 0; i < linkIds.length; i += IN_CHUNK) {
        const chunk = linkIds.slice(i, i + IN_CHUNK);
        const rows = db
          .prepare(`select link_id, ghl, other from base_snapshots where link_id in (${marks(chunk.length)})`)
          .all(...chunk) as Array<{ link_id: number; ghl: string; other: string }>;
        for (const r of rows) out.set(r.link_id, parse(r));
      }
      return out;
    },
    set(linkId, base, runId) {
      prepared(
        db,
        `insert into base_snapshots(link_id, ghl, other, run_id, synced_at) values (?, ?, ?, ?, ?)
         on conflict(link_id) do update set ghl = excluded.ghl, other = excluded.other, run_id = excluded.run_id, synced_at = excluded.synced_at`,
      ).run(linkId, JSON.stringify(base.ghl), JSON.stringify(base.other), runId, now());
    },
  };
}
