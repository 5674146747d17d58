/** Step 4 of a plan: deletes, batched per target, both systems at once; each confirmed in one `store.commit.deleted`. */
import type { PlanOp } from '../planner.js';
import type { WriteResult } from '../types.js';
import { eachTarget, inc, type ExecContext } from './context.js';
import { seenDelete } from './seen.js';

export async function executeDeletes(x: ExecContext): Promise<void> {
  const { store, counters, runId, pair, entity, logger } = x;
  await eachTarget(async (target) => {
    const dels = x.ops.filter((o): o is Extract<PlanOp, { op: 'delete' }> => o.op === 'delete' && o.target === target);
    if (!dels.length) return;
    const system = x.systemOf(target);
    const outboxIds = dels.map((d) =>
      store.outbox.add({
        runId,
        pair,
        entity,
        system,
        action: d.policy === 'archive' ? 'archive' : 'delete',
        linkId: d.link.id,
        subject: d.subject,
        payload: { id: d.record.id },
      }),
    );
    let results: WriteResult[];
    try {
      results = await x.sideOf(target).remove(
        dels.map((d) => ({
          id: d.record.id,
          parentId: d.record.parentId,
          kind: d.record.kind,
          policy: d.policy,
          label: d.record.label,
        })),
      );
    } catch (e) {
      results = dels.map(() => ({ ok: false as const, error: e as Error }));
    }
    dels.forEach((d, i) => {
      const res = results[i] ?? { ok: false as const, error: new Error('no answer') };
      const outboxId = outboxIds[i] as number;
      if (!res.ok) {
        store.outbox.settle(outboxId, 'failed', null, res.error.message);
        counters.errors++;
        logger.warn(
          `Could not ${d.policy === 'archive' ? 'archive' : 'delete'} ${entity} "${d.record.label}" in ${system}: ${res.error.message}`,
          { entity },
        );
        return;
      }
      const before = JSON.stringify(d.record.fields);
      store.commit.deleted({
        linkId: d.link.id,
        // A target that cannot do it wrote nothing: the audit says the record is no longer synced, and why.
        audit: res.skipped
          ? {
              runId,
              system,
              entity,
              recordId: d.record.id,
              linkId: d.link.id,
              action: 'unlink',
              field: null,
              before,
              after: res.skipped,
            }
          : {
              runId,
              system,
              entity,
              recordId: d.record.id,
              linkId: d.link.id,
              action: d.policy === 'archive' ? 'archive' : 'delete',
              field: null,
              before,
              after: null,
            },
        outbox: {
          id: outboxId,
          state: res.skipped ? 'abandoned' : 'confirmed',
          resultId: d.record.id,
          error: res.skipped,
        },
        scope: x.scope(target),
        recordId: d.record.id,
        seen: seenDelete(
          x,
          target === 'ghl' ? 'other' : 'ghl',
          target === 'ghl' ? d.link.other_id : d.link.ghl_id,
          d.link.label,
        ),
      });
      if (res.skipped) counters.skipped++;
      else inc(counters.deleted, entity);
    });
  });
}
