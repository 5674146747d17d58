/**
 * One fleet location's service: the service the desktop app runs (main/service) on the location's PostgreSQL store
 * and encrypted secrets (its schema, main/store/README.md "The PostgreSQL store") and its settings from the locations
 * table. The worker runs its syncs on it; `serve --database` opens it for the window (registry.ts). One code path, so
 * what the window edits is exactly what the next worker run reads.
 */
import { join } from 'node:path';
import { createService, type Service } from '../service/index.js';
import { locationSchema, type FleetStore } from '../store/fleet/index.js';
import { openPgStore } from '../store/pg/index.js';
import { PgVault } from '../store/pg/secrets.js';
import type { KeySource } from '../store/vault.js';

export interface FleetLocationService {
  svc: Service;
  /** Reads the location's settings row again (serve, before each call of the window). */
  refreshSettings(): Promise<void>;
  /** Waits until the settings written so far are in PostgreSQL. */
  settleSettings(): Promise<void>;
  /** Closes the location's PostgreSQL store at once (between two statements): a run on it stops at its next one. */
  closeStore(): void;
  /** Closes the service, its store and vault, and writes back the settings it changed. */
  close(): Promise<void>;
}

export async function openFleetLocation(o: {
  fleet: FleetStore;
  databaseUrl: string;
  id: string;
  /** Per-location logs and pacing files on this machine: `<dataDir>/<id>`. */
  dataDir: string;
  keySource: KeySource;
  env: NodeJS.ProcessEnv;
  processName: string;
  /** Retries the settings write-back while PostgreSQL restarts (the worker). */
  persist?: <T>(fn: () => Promise<T>) => Promise<T>;
  /**
   * Write the settings back on close if they changed (the worker: one run). false (serve): every write already went
   * to PostgreSQL as it was made, and a write-back at the end would put back a copy older than a worker's.
   */
  writeBack?: boolean;
}): Promise<FleetLocationService> {
  const persist = o.persist ?? (<T>(fn: () => Promise<T>) => fn());
  const config = await o.fleet.configStore(o.id);
  const schema = locationSchema(o.id);
  const vault = new PgVault({ connectionString: o.databaseUrl, schema, source: o.keySource });
  let pgStore: ReturnType<typeof openPgStore> | undefined;
  const svc = await createService({
    profileDir: join(o.dataDir, o.id),
    vault,
    configStore: config,
    env: o.env,
    processName: o.processName,
    openStore: (_db, now) => (pgStore = openPgStore({ connectionString: o.databaseUrl, schema, now })),
  }).catch(async (e: unknown) => {
    pgStore?.close();
    await vault.close();
    throw e;
  });
  return {
    svc,
    refreshSettings: () => config.refresh(),
    settleSettings: () => config.settle(),
    closeStore: () => pgStore?.close(),
    async close() {
      try {
        await svc.close();
      } finally {
        pgStore?.close();
        await vault.close();
        await persist(() => (o.writeBack === false ? config.settle() : config.flush()));
      }
    },
  };
}
