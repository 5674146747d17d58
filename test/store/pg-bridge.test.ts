/**
 * The synchronous PostgreSQL bridge (main/store/pg/bridge.ts): transactions are real PostgreSQL transactions (nested
 * ones savepoints), refused statements throw SqlError with the SQLSTATE, a restarted server is reconnected to, but never
 * inside a transaction (a lost one fails whole).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgBridge } from '../../main/store/pg/bridge.js';
import { SqlError } from '../../main/store/sql.js';
import { pgAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.js';

describe.skipIf(!pgAvailable())('the PostgreSQL bridge', () => {
  let cluster: PgCluster;
  let db: PgBridge;
  let url: string;
  beforeAll(async () => {
    cluster = await startPgCluster();
    url = await cluster.createDatabase('bridge');
    db = new PgBridge({ connectionString: url, schema: 'b' });
    db.exec('create schema b; create table t (id bigint primary key, v text)');
  });
  afterAll(async () => {
    db?.close();
    await cluster?.stop();
  });
  const values = () =>
    db
      .prepare('select id from t order by id')
      .all()
      .map((r) => (r as { id: number }).id);

  it('a throw inside a transaction rolls it back; a nested one rolls back to its savepoint only', () => {
    const insert = db.prepare('insert into t(id, v) values (?, ?)');
    expect(() =>
      db.transaction(() => {
        insert.run(1, 'a');
        insert.run(1, 'again');
      })(),
    ).toThrow(SqlError);
    expect(values()).toEqual([]);
    db.transaction(() => {
      insert.run(2, 'kept');
      expect(() =>
        db.transaction(() => {
          insert.run(3, 'inner');
          throw new Error('inner fails');
        })(),
      ).toThrow('inner fails');
      insert.run(4, 'kept too');
    })();
    expect(values()).toEqual([2, 4]);
  });

  it('a refused statement is a SqlError carrying the SQLSTATE, and the next statement works', () => {
    let err: unknown;
    try {
      db.prepare('insert into t(id, v) values (?, ?)').run(2, 'dup');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SqlError);
    expect((err as SqlError).code).toBe('23505');
    expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 2 });
  });

  it('reconnects after the server restarted, and after it crashed', async () => {
    await cluster.restart('fast');
    expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 2 });
    await cluster.restart('immediate');
    // A statement sent on the connection the crash cut may fail once; the one after it reconnects.
    let answer: unknown;
    for (let i = 0; i < 2 && answer === undefined; i++) {
      try {
        answer = db.prepare('select count(*) as n from t').get();
      } catch (e) {
        expect(e).toBeInstanceOf(SqlError);
      }
    }
    expect(answer).toEqual({ n: 2 });
  });

  it('a connection lost mid-transaction fails the whole transaction, COMMIT included, and writes none of it', () => {
    const victim = new PgBridge({ connectionString: url, schema: 'b', applicationName: 'victim' });
    try {
      victim.exec('create table half (id bigint primary key)');
      const insert = victim.prepare('insert into half(id) values (?)');
      const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
      let err: unknown;
      const secondHalf: string[] = [];
      try {
        victim.transaction(() => {
          insert.run(1);
          // The server drops the connection between two statements (a restart, an admin, a network blip).
          db.queryPg(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'victim'`);
          pause(300);
          // A caller that swallows the failure of a statement must not get the rest auto-committed either.
          try {
            insert.run(2);
          } catch (e) {
            secondHalf.push((e as Error).message);
          }
          insert.run(3);
        })();
      } catch (e) {
        err = e;
      }
      expect(secondHalf).toHaveLength(1);
      expect(err).toBeInstanceOf(SqlError);
      expect((err as SqlError).code).toBe('08006');
      // After the rollback the bridge reconnects: nothing of the transaction was written.
      expect(victim.prepare('select id from half').all()).toEqual([]);
    } finally {
      victim.close();
    }
  });
});
