/**
 * The per-location run lock (main/store/fleet/index.ts), the second guard against two runs of one location, across a
 * PostgreSQL restart that drops its session (test/fleet/README.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetStore } from '../../main/store/fleet/index.js';
import { pgAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.js';

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

  const lostOnce = (lock: { onLost(fn: () => void): void }) => new Promise<void>((r) => lock.onLost(r));

  it('the holder learns its lock was dropped, takes it again, and a second worker then cannot take it', async () => {
    const first = (await a.tryLocationLock('harbour'))!;
    expect(first).toBeDefined();
    const lost = lostOnce(first);
    await cluster.restart('fast');
    await lost;
    expect(first.lost).toBe(true);
    expect(await first.retake()).toBe(true);
    expect(first.lost).toBe(false);
    expect(await b.tryLocationLock('harbour')).toBeUndefined();
    await first.release();
    const after = await b.tryLocationLock('harbour');
    expect(after).toBeDefined();
    await after!.release();
  });

  it('a holder whose dropped lock was taken by another worker meanwhile cannot take it again', async () => {
    const first = (await a.tryLocationLock('bay'))!;
    const lost = lostOnce(first);
    await cluster.restart('fast');
    await lost;
    const second = await b.tryLocationLock('bay');
    expect(second).toBeDefined();
    expect(await first.retake()).toBe(false);
    expect(first.lost).toBe(true);
    await first.release();
    await second!.release();
  });
});
