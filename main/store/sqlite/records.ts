/**
 * One record's view across the store (the record page, `ghl-bridge record`, the check after a run): the links that
 * hold it and its children, and every write, outbox entry and conflict about them.
 */
import type { PairId } from '../../../preload/contract.js';
import type { ConflictRow, LinkRow, OutboxRow, RecordRepo } from '../repositories.js';
import { IN_CHUNK, marks, prepared, type Ctx } from './prepared.js';
import { toAuditRow } from './audit.js';

export function sqliteRecords({ db }: Ctx): RecordRepo {
  const chunked = <T>(ids: readonly (string | number)[], sql: (m: string) => string, ...pre: unknown[]): T[] => {
    const out: T[] = [];
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      const chunk = ids.slice(i, i + IN_CHUNK);
      out.push(...(db.prepare(sql(marks(chunk.length))).all(...pre, ...chunk) as T[]));
    }
    return out;
  };
  return {
    linksFor(id) {
      // The unique indexes lead with (pair, entity): name every pair and entity so SQLite searches them.
      return prepared(db, `select * from links where ghl_id = ? or other_id = ? order by id`).all(id, id) as LinkRow[];
    },
    search(text, limit) {
      const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      return prepared(
        db,
        `select * from links where state = 'active' and entity in ('contact', 'lead') and label like ? escape '\\' order by label limit ?`,
      ).all(like, limit) as LinkRow[];
    },
    children(pair: PairId, side, parentIds) {
      const col = side === 'ghl' ? 'ghl_parent' : 'other_parent';
      return chunked<LinkRow>(
        parentIds,
        (m) => `select * from links where pair = ? and ${col} in (${m}) and state = 'active' order by id`,
        pair,
      );
    },
    audit(linkIds, limit) {
      const rows = chunked<Record<string, unknown>>(
        linkIds,
        (m) => `select * from audit where link_id in (${m}) order by id desc limit ${Math.max(1, Math.floor(limit))}`,
      );
      return rows
        .sort((a, b) => (b.id as number) - (a.id as number))
        .slice(0, limit)
        .map(toAuditRow);
    },
    outbox(linkIds, limit) {
      return chunked<OutboxRow & { error: string | null }>(
        linkIds,
        (m) => `select * from outbox where link_id in (${m}) order by id desc limit ${Math.max(1, Math.floor(limit))}`,
      )
        .sort((a, b) => b.id - a.id)
        .slice(0, limit);
    },
    conflicts(linkIds) {
      return chunked<ConflictRow>(
        linkIds,
        (m) => `select * from conflicts where link_id in (${m}) order by created_at desc limit 100`,
      );
    },
    mirrorSeenAt(scope, id) {
      return (
        prepared(db, `select seen_at from mirror where scope = ? and id = ?`).get(scope, id) as
          { seen_at: number } | undefined
      )?.seen_at;
    },
    baseSyncedAt(linkId) {
      return (
        prepared(db, `select synced_at from base_snapshots where link_id = ?`).get(linkId) as
          { synced_at: number } | undefined
      )?.synced_at;
    },
    sample(pair, entity, afterId, limit) {
      return prepared(
        db,
        `select * from links where pair = ? and entity = ? and state = 'active' and id > ? order by id limit ?`,
      ).all(pair, entity, afterId, limit) as LinkRow[];
    },
  };
}
