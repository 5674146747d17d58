/** The throwaway PostgreSQL cluster the store and fleet tests start (test/support/pg-cluster.ts): real server, really gone. */
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { pgAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.js';

async function refused(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), ok(false)));
    s.once('error', () => ok(true));
  });
}

describe.skipIf(!pgAvailable())('a throwaway PostgreSQL cluster', () => {
  const started: PgCluster[] = [];
  afterAll(async () => {
    for (const c of started) await c.stop();
  });

  it('serves TCP and the unix socket, keeps data across a restart and a crash, and is gone after stop()', async () => {
    const c = await startPgCluster();
    started.push(c);
    const url = await c.createDatabase('bridge_test');
    const tcp = new pg.Client({ connectionString: url });
    await tcp.connect();
    await tcp.query('CREATE TABLE t (x BIGINT)');
    await tcp.query('INSERT INTO t VALUES (1700000000000)');
    await tcp.end();

    await c.restart('fast');
    await c.restart('immediate');
    const sock = new pg.Client({ host: c.socketDir, port: c.port, user: c.user, database: 'bridge_test' });
    await sock.connect();
    expect((await sock.query('SELECT x FROM t')).rows).toEqual([{ x: '1700000000000' }]);
    await sock.end();

    await c.stop();
    expect(existsSync(c.socketDir)).toBe(false);
    expect(await refused(c.port)).toBe(true);
    await c.stop(); // idempotent
  });

  it('with a password, TCP refuses a wrong one and accepts the right one', async () => {
    const c = await startPgCluster({ password: 's3cret' });
    started.push(c);
    const bad = new pg.Client({
      host: '127.0.0.1',
      port: c.port,
      user: 'postgres',
      password: 'nope',
      database: 'postgres',
    });
    await expect(bad.connect()).rejects.toThrow(/password authentication failed/);
    const good = new pg.Client({ connectionString: c.url() });
    await good.connect();
    expect((await good.query('SELECT 1 AS one')).rows[0]).toEqual({ one: 1 });
    await good.end();
  });
});
