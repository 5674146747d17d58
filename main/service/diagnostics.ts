/**
 * "Copy diagnostics": what support needs to help, with every secret removed — versions, platform, data level,
 * connection health (no credentials), settings (no secrets live there), recent runs and the last log lines.
 */
import os from 'node:os';
import type { ConnectionInfo } from '../../preload/contract.js';
import { databaseLevel, type Db } from '../store/db.js';
import type { ConfigStore } from '../store/settings.js';
import type { Store } from '../store/repositories.js';
import type { Logger } from './logger.js';
import type { Redactor } from './redact.js';

export function diagnosticsBundle(ctx: {
  version: string;
  profileDir: string;
  db: Db;
  store: Store;
  config: ConfigStore;
  logger: Logger;
  redactor: Redactor;
  connections: ConnectionInfo[];
  now: () => number;
}): string {
  const { store } = ctx;
  const cfg = ctx.config.read();
  const bundle = {
    generatedAt: new Date(ctx.now()).toISOString(),
    app: {
      version: ctx.version,
      node: process.versions.node,
      electron: process.versions.electron ?? null,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    },
    profile: { dir: ctx.profileDir, databaseLevel: databaseLevel(ctx.db) },
    // The ids the window never shows (it names accounts in words): support may need them.
    accountIds: { ghlLocationId: cfg.connections.ghl.locationId ?? null },
    connections: ctx.connections.map((c) => ({
      system: c.system,
      configured: c.configured,
      method: c.method,
      health: c.health,
      account: c.account,
      scopes: c.scopes,
      quota: c.quota,
      message: c.message,
      warnings: c.warnings,
    })),
    settings: cfg.settings,
    paused: cfg.paused,
    mappings: cfg.mappings.map((m) => ({
      pair: m.pair,
      syncEnabled: m.syncEnabled,
      fingerprint: m.fingerprint,
      previewed: m.previewedFingerprint === m.fingerprint,
      entities: m.entities.map((e) => ({
        entity: e.entity,
        enabled: e.enabled,
        deletePolicy: e.deletePolicy,
        fields: e.fields.map((f) => `${f.key}:${f.direction}:${f.conflictDefault}`),
      })),
    })),
    counts: {
      openConflicts: store.conflicts.countOpen('conflict'),
      openDuplicates: store.conflicts.countOpen('duplicate'),
      quarantined: store.quarantine.count(),
    },
    quarantine: store.quarantine.list(20),
    recentRuns: store.runs.list(20),
    recentLogs: ctx.logger.list({ limit: 300 }),
  };
  return ctx.redactor.text(JSON.stringify(ctx.redactor.value(bundle), null, 2));
}
