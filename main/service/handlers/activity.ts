/** Activity and logs: the timeline, its per-day counts, the log lines and the diagnostics bundle. */
import type { ActivityBucket, BridgeApi } from '../../../preload/contract.js';
import { diagnosticsBundle } from '../diagnostics.js';
import type { HandlerContext, Shared } from './common.js';

type ActivityApi = Pick<BridgeApi, 'listActivity' | 'activityStats' | 'listLogs' | 'getDiagnostics'>;

export function activityHandlers(ctx: HandlerContext, { store }: Shared): ActivityApi {
  return {
    async listActivity(args = {}) {
      return store.activity.list(args);
    },
    async activityStats({ days } = {}) {
      const span = Math.min(Math.max(days ?? 14, 1), 365);
      const since = ctx.now() - span * 86_400_000;
      const runs = store.runs.since(since);
      const buckets = new Map<string, ActivityBucket>();
      for (let d = 0; d < span; d++) {
        const day = new Date(ctx.now() - (span - 1 - d) * 86_400_000).toISOString().slice(0, 10);
        buckets.set(day, { day, synced: 0, conflicts: 0, errors: 0 });
      }
      for (const s of runs) {
        const b = buckets.get(new Date(s.startedAt).toISOString().slice(0, 10));
        if (!b) continue;
        const sum = (o: Record<string, number>) => Object.values(o ?? {}).reduce((a, n) => a + n, 0);
        b.synced += sum(s.created) + sum(s.updated) + sum(s.deleted);
        b.conflicts += s.conflicts ?? 0;
        b.errors += s.errors ?? 0;
      }
      return [...buckets.values()];
    },
    async listLogs(args = {}) {
      return ctx.logger.list(args);
    },
    async getDiagnostics() {
      return {
        text: diagnosticsBundle({
          version: ctx.version,
          profileDir: ctx.profileDir,
          db: ctx.db,
          store: ctx.store,
          config: ctx.config,
          logger: ctx.logger,
          redactor: ctx.redactor,
          connections: ctx.connections.list(),
          now: ctx.now,
        }),
      };
    },
  };
}
