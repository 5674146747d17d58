/**
 * What the synchronous PostgreSQL bridge (main/store/pg/bridge.ts) costs per statement, next to SQLite and to the
 * same statement sent with `pg` asynchronously (no bridge): `node --import tsx test/bench/pg-bridge.ts`. Starts its own
 * throwaway cluster (test/support/pg-cluster.ts). The figures in main/store/README.md come from this script.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { openDatabase } from '../../main/store/db.js';
import { openPgStore } from '../../main/store/pg/index.js';
import type { Store } from '../../main/store/repositories.js';
import { openSqliteStore } from '../../main/store/sqlite/index.js';
import { startPgCluster } from '../support/pg-cluster.js';

const N = Number(process.env.BENCH_N ?? 5000);

function seed(s: Store): number {
  let id = 0;
  for (let i = 0; i < 200; i++)
    id = s.links.insert({
      pair: 'ghl-aroflo',
      entity: 'contact',
      ghl_id: `g${i}`,
      other_id: `o${i}`,
      ghl_parent: null,
      other_parent: null,
      other_kind: 'client',
      label: `Person ${i}`,
    });
  return id;
}

/** µs per call of fn, over n calls after a short warm-up. */
function perCall(n: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(200, n); i++) fn(i);
  const t = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  return ((performance.now() - t) * 1000) / n;
}

async function perCallAsync(n: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(200, n); i++) await fn(i);
  const t = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  return ((performance.now() - t) * 1000) / n;
}

function created(s: Store, i: number): void {
  const outboxId = s.outbox.add({
    runId: 'bench',
    pair: 'ghl-aroflo',
    entity: 'contact',
    system: 'aroflo',
    action: 'create',
    linkId: null,
    subject: `ghl:n${i}`,
    payload: {},
  });
  const rec = (id: string) => ({
    id,
    label: 'New Person',
    fields: { name: 'New Person' },
    email: null,
    phone: null,
    altKey: null,
  });
  s.commit.created({
    pair: 'ghl-aroflo',
    entity: 'contact',
    runId: 'bench',
    outboxId,
    target: 'other',
    source: rec(`n${i}`),
    created: rec(`client:n${i}`),
    base: { ghl: { name: 'New Person' }, other: { name: 'New Person' } },
    otherSystem: 'aroflo',
    scope: 'ghl-aroflo:contact:aroflo',
  });
}

const cluster = await startPgCluster();
const load = os.loadavg()[0]!.toFixed(1);
try {
  const url = await cluster.createDatabase('bench');
  const sqlite = openSqliteStore(openDatabase(':memory:'));
  const pgStore = openPgStore({ connectionString: url, schema: 'bench' });
  const lastSqlite = seed(sqlite);
  const lastPg = seed(pgStore);

  const client = new pg.Client({ connectionString: url, options: '-c search_path=bench' });
  await client.connect();
  const upsert = 'insert into meta(key, value) values ($1, $2) on conflict(key) do update set value = excluded.value';
  // Rounds alternate the bridge and async pg, and the median round counts: the machine's load drifts (it is shared),
  // and alternating puts both under the same drift.
  const ROUNDS = 7;
  const n = Math.ceil(N / ROUNDS);
  const samples = {
    sqlite: [] as number[],
    bridge: [] as number[],
    direct: [] as number[],
    wBridge: [] as number[],
    wDirect: [] as number[],
  };
  for (let r = 0; r < ROUNDS; r++) {
    samples.sqlite.push(perCall(n, (i) => sqlite.links.byId(lastSqlite - (i % 200))));
    samples.bridge.push(perCall(n, (i) => pgStore.links.byId(lastPg - (i % 200))));
    samples.direct.push(
      await perCallAsync(n, (i) => client.query('select * from links where id = $1', [lastPg - (i % 200)])),
    );
    samples.wBridge.push(perCall(n / 5, (i) => pgStore.meta.set(`k${i % 100}`, String(i))));
    samples.wDirect.push(await perCallAsync(n / 5, (i) => client.query(upsert, [`k${i % 100}`, String(i)])));
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const rows = { sqlite: median(samples.sqlite), bridge: median(samples.bridge), direct: median(samples.direct) };
  const writes = { bridge: median(samples.wBridge), direct: median(samples.wDirect) };
  const commits = Math.max(200, Math.floor(N / 10));
  const tx = {
    sqlite: perCall(commits, (i) => created(sqlite, i)),
    bridge: perCall(commits, (i) => created(pgStore, i)),
  };
  await client.end();
  pgStore.close();

  const f = (us: number) => `${us.toFixed(0)} µs`;
  console.log(
    `PostgreSQL store bridge, ${N} reads by id (links.byId), ${commits} commit.created transactions (load average ${load} on ${os.cpus().length} cores)`,
  );
  console.log(
    `  read by id   SQLite ${f(rows.sqlite)}   PostgreSQL via bridge ${f(rows.bridge)}   PostgreSQL async pg ${f(rows.direct)}`,
  );
  console.log(`  upsert       PostgreSQL via bridge ${f(writes.bridge)}   PostgreSQL async pg ${f(writes.direct)}`);
  console.log(
    `  bridge overhead per statement (median of ${ROUNDS} alternating rounds): read ${f(rows.bridge - rows.direct)}, write ${f(writes.bridge - writes.direct)} (bridge − async pg, same server, same SQL)`,
  );
  console.log(
    `  commit.created (outbox add + 1 transaction of ~9 statements)   SQLite ${f(tx.sqlite)}   PostgreSQL via bridge ${f(tx.bridge)}`,
  );
} finally {
  await cluster.stop();
}
