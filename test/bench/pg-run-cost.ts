/**
 * What the PostgreSQL store costs a whole sync: the same first full sync and quiet incremental sync of a sandbox world
 * (test/support/harness.ts: the three sandboxes in-process, over real HTTP, at 200× their real rate limits) on SQLite
 * and on PostgreSQL (a throwaway cluster), alternating, with the round trips the PostgreSQL store made.
 * `node --import tsx test/bench/pg-run-cost.ts`; the figures in main/store/README.md come from it.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { openPgStore, type PgStore } from '../../main/store/pg/index.js';
import { startBed } from '../support/harness.js';
import { startPgCluster } from '../support/pg-cluster.js';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 60);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

const cluster = await startPgCluster();
try {
  const url = await cluster.createDatabase('cost');
  console.log(
    `A sandbox world of ${CONTACTS} contacts (load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores)`,
  );
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of ['SQLite', 'PostgreSQL'] as const) {
      let pg: PgStore | undefined;
      const bed = await startBed({
        contacts: CONTACTS,
        store:
          kind === 'PostgreSQL'
            ? (now) => (pg = openPgStore({ connectionString: url, schema: `cost_${round}`, now }))
            : undefined,
      });
      const before = pg?.db.roundTrips ?? 0;
      let t = performance.now();
      const full = await bed.run({ full: true });
      const fullMs = performance.now() - t;
      const fullTrips = (pg?.db.roundTrips ?? 0) - before;
      t = performance.now();
      await bed.run();
      const quietMs = performance.now() - t;
      const quietTrips = (pg?.db.roundTrips ?? 0) - before - fullTrips;
      const written = Object.values(full.summary.created).reduce((a, b) => a + (b ?? 0), 0);
      console.log(
        `  ${kind.padEnd(10)} first full sync ${fullMs.toFixed(0)} ms (${written} records created${pg ? `, ${fullTrips} statements` : ''}); quiet incremental ${quietMs.toFixed(0)} ms${pg ? ` (${quietTrips} statements)` : ''}`,
      );
      await bed.close();
      pg?.close();
    }
  }
} finally {
  await cluster.stop();
}
process.exit(0);
