import type { FeedStateRepo, RereadRow } from '../repositories.js';
import { prepared, type Ctx } from './prepared.js';

export function sqliteFeeds({ db, now }: Ctx): FeedStateRepo {
  return {
    cursor(system, feed) {
      return (
        prepared(db, `select value from cursors where system = ? and name = ?`).get(system, feed) as
          { value: string } | undefined
      )?.value;
    },
    setCursor(system, feed, value) {
      prepared(
        db,
        `insert into cursors(system, name, value, updated_at) values (?, ?, ?, ?) on conflict(system, name) do update set value = excluded.value, updated_at = excluded.updated_at`,
      ).run(system, feed, value, now());
    },
    echoes(system) {
      const rows = prepared(db, `select record_id, stamp from feed_echo where system = ?`).all(system) as Array<{
        record_id: string;
        stamp: number;
      }>;
      return new Map(rows.map((r) => [r.record_id, r.stamp]));
    },
    setEchoes(system, echoes, runId) {
      const insert = prepared(db, `insert into feed_echo(system, record_id, stamp, run_id) values (?, ?, ?, ?)`);
      db.transaction(() => {
        prepared(db, `delete from feed_echo where system = ?`).run(system);
        for (const [id, stamp] of echoes) insert.run(system, id, stamp, runId);
      })();
    },
    rereads(system) {
      const rows = prepared(db, `select parent_id, pair, kind from feed_reread where system = ? order by seq`).all(
        system,
      ) as Array<{ parent_id: string; pair: string; kind: string }>;
      return rows.map((r): RereadRow =>
        r.pair && (r.kind === 'task' || r.kind === 'note')
          ? { parentId: r.parent_id, pair: r.pair, kind: r.kind }
          : { parentId: r.parent_id },
      );
    },
    setRereads(system, rows, runId) {
      const insert = prepared(
        db,
        `insert into feed_reread(system, parent_id, pair, kind, run_id) values (?, ?, ?, ?, ?) on conflict do nothing`,
      );
      db.transaction(() => {
        prepared(db, `delete from feed_reread where system = ?`).run(system);
        for (const r of rows) insert.run(system, r.parentId, r.pair ?? '', r.kind ?? '', runId);
      })();
    },
    addRereads(system, rows, runId) {
      const insert = prepared(
        db,
        `insert into feed_reread(system, parent_id, pair, kind, run_id) values (?, ?, ?, ?, ?) on conflict do nothing`,
      );
      db.transaction(() => {
        for (const r of rows) insert.run(system, r.parentId, r.pair ?? '', r.kind ?? '', runId);
      })();
    },
    removeRereads(system, rows) {
      const remove = prepared(
        db,
        `delete from feed_reread where system = ? and parent_id = ? and pair = ? and kind = ?`,
      );
      db.transaction(() => {
        for (const r of rows) remove.run(system, r.parentId, r.pair ?? '', r.kind ?? '');
      })();
    },
    addEchoes(system, echoes, runId) {
      const upsert = prepared(
        db,
        `insert into feed_echo(system, record_id, stamp, run_id) values (?, ?, ?, ?) on conflict(system, record_id) do update set stamp = excluded.stamp, run_id = excluded.run_id`,
      );
      db.transaction(() => {
        for (const [id, stamp] of echoes) upsert.run(system, id, stamp, runId);
      })();
    },
    counter(name) {
      return (
        (prepared(db, `select value from feed_counter where name = ?`).get(name) as { value: number } | undefined)
          ?.value ?? 0
      );
    },
    setCounter(name, value) {
      prepared(
        db,
        `insert into feed_counter(name, value) values (?, ?) on conflict(name) do update set value = excluded.value`,
      ).run(name, value);
    },
  };
}
