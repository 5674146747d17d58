/**
 * The one handler object implementing the bridge API. Both transports (Electron IPC, serve mode) call these.
 * Each method validates its argument, does one task, and returns plain JSON; errors carry a message people can act on.
 * One file per area of the API (status, connections, mappings, conflicts, activity, settings, data); this one composes
 * them.
 */
import type { BridgeApi, PairId, PairMapping } from '../../../preload/contract.js';
import { BridgeError } from '../errors.js';
import { activityHandlers } from './activity.js';
import type { HandlerContext, Shared } from './common.js';
import { conflictHandlers } from './conflicts.js';
import { connectionHandlers } from './connections.js';
import { dashboardHandlers } from './dashboard.js';
import { dataHandlers } from './data.js';
import { locationHandlers } from './locations.js';
import { mappingHandlers } from './mappings.js';
import { recordHandlers } from './record.js';
import { settingsHandlers } from './settings.js';
import { statusHandlers, statusReader } from './status.js';

export { BridgeError };
export type { HandlerContext };

export function createHandlers(ctx: HandlerContext): BridgeApi {
  const { store } = ctx;
  const getStatus = statusReader(ctx, store);
  const shared: Shared = {
    store,
    publishStatus: async () => ctx.events.publish({ type: 'status', status: await getStatus() }),
    publishConflicts: () =>
      ctx.events.publish({
        type: 'conflicts-changed',
        open: store.conflicts.countOpen('conflict'),
        duplicates: store.conflicts.countOpen('duplicate'),
      }),
    mappingFor: (pair: PairId): PairMapping => {
      const m = ctx.sync.mappings().find((x) => x.pair === pair);
      if (!m) throw new BridgeError(`There is no mapping for ${pair}.`, 'not_found');
      return m;
    },
  };
  return {
    ...statusHandlers(ctx, shared, getStatus),
    ...connectionHandlers(ctx, shared),
    ...mappingHandlers(ctx, shared),
    ...conflictHandlers(ctx, shared),
    ...activityHandlers(ctx, shared),
    ...dashboardHandlers(ctx, shared),
    ...settingsHandlers(ctx, shared),
    ...dataHandlers(ctx, shared),
    ...locationHandlers(ctx, getStatus),
    ...recordHandlers(ctx, shared),
  };
}
