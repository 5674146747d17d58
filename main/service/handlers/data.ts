/** The data the bridge wrote: the audit log as CSV, and undoing a run. */
import type { BridgeApi } from '../../../preload/contract.js';
import { auditCsv } from '../../sync/engine/audit-export.js';
import { need, type HandlerContext, type Shared } from './common.js';

type DataApi = Pick<BridgeApi, 'exportAuditCsv' | 'undoRun'>;

export function dataHandlers(ctx: HandlerContext, { store, publishStatus }: Shared): DataApi {
  return {
    async exportAuditCsv() {
      const mappings = ctx.sync.mappings();
      const { csv, rows } = auditCsv(store.audit, (pair, entity, field) => {
        const ms = pair ? mappings.filter((m) => m.pair === pair) : mappings;
        for (const m of ms) {
          const f = m.entities
            .find((e) => e.entity === entity)
            ?.fields.find((x) => x.key === field || x.ghlField === field || x.otherField === field);
          if (f) return f.label;
        }
        return undefined;
      });
      return { csv, rows, fileName: `ghl-bridge-audit-${new Date(ctx.now()).toISOString().slice(0, 10)}.csv` };
    },
    async undoRun({ runId }) {
      const r = await ctx.sync.undo(need(runId, 'The run id'));
      await publishStatus();
      return r;
    },
  };
}
