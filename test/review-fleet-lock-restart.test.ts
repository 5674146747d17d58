/**
 * Review 19: the run lock (second guard) is a session advisory lock; a PostgreSQL restart drops it, and the worker
 * never reads `lock.lost` (main/fleet/worker.ts), so the run goes on while another worker can take the same lock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetStore } from '../main/store/fleet/index.js';
import { pgAvailable, startPgCluster, type PgCluster } from './support/pg-cluster.js';

describe.skipIf(!pgAvailable())('the location run lock across a PostgreSQL restart', () => {
  let cluster: PgCluster;
  let a: FleetStore;
  let b: FleetStore;
  beforeAll(async () => {
    cluster = await startPgCluster();
    const url = await cluster.createDatabase('fleet');
    a = new FleetStore(url);
    b = new FleetStore(url);
  });
  afterAll(async () => {
    await a?.close().catch(() => undefined);
    await b?.close().catch(() => undefined);
    await cluster?.stop();
  });

  it('a run whose lock was dropped is not still running while a second worker holds the same lock', async () => {
    const first = await a.tryLocationLock('harbour');
    expect(first).toBeDefined();
    await cluster.restart('fast');
    // Worker 1 is still inside runOne (its sync's PgBridge reconnects by itself); worker 2 gets a retried job.
    const second = await b.tryLocationLock('harbour');
    const overlap = second !== undefined; // worker.ts goes on regardless of first.lost
    await first?.release();
    await second?.release();
    expect({ overlap, firstKnowsItIsLost: first?.lost }).toEqual({ overlap: false, firstKnowsItIsLost: true });
  });
});
