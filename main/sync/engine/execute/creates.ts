/** Step 2 of a plan: creates, batched per target; both systems at once (each bounded by its own rate limit). */
import { warnCarried } from '../warnings.js';
import type { PlanOp } from '../planner.js';
import type { WriteResult } from '../types.js';
import { confirmCreate } from './confirm.js';
import { createRef, eachTarget, inc, type ExecContext } from './context.js';
import { seenCreate } from './seen.js';

export async function executeCreates(x: ExecContext): Promise<void> {
  const { store, counters, runId, pair, entity, otherSystem, logger } = x;
  await eachTarget(async (target) => {
    const creates = x.ops.filter(
      (o): o is Extract<PlanOp, { op: 'create' }> => o.op === 'create' && o.target === target,
    );
    if (!creates.length) return;
    const system = x.systemOf(target);
    const outboxIds = creates.map((c) =>
      store.outbox.add({
        runId,
        pair,
        entity,
        system,
        action: 'create',
        linkId: null,
        subject: c.subject,
        payload: { item: { ...c.item, source: undefined }, source: c.source, sourceSide: c.sourceSide },
      }),
    );
    let results: WriteResult[];
    try {
      results = await x
        .sideOf(target)
        .create(creates.map((c, i) => ({ ...c.item, ref: createRef(outboxIds[i] as number, c.subject) })));
    } catch (e) {
      results = creates.map(() => ({ ok: false as const, error: e as Error }));
    }
    // The ids the target answered with, kept at once: a crash before the confirmation below leaves the entry pending,
    // and recovery then reads that exact record back instead of searching for it (main/sync/README.md, "Crash safety").
    store.outbox.noteResults(
      results.flatMap((r, i) => (r?.ok ? [{ id: outboxIds[i] as number, resultId: r.record.id }] : [])),
    );
    creates.forEach((c, i) => {
      const res = results[i] ?? { ok: false as const, error: new Error('no answer for this record') };
      const outboxId = outboxIds[i] as number;
      if (!res.ok) {
        counters.errors++;
        if (res.uncertain) {
          // The request went out but its answer was lost: the record may exist. The outbox entry stays open, so the
          // next run looks for it (and links it) before creating anything again — never a twin.
          logger.warn(
            `Could not tell whether ${entity} "${c.item.label}" was created in ${system} (${res.error.message}); the next run checks before creating it again.`,
            { entity, target: system },
          );
          return;
        }
        store.outbox.settle(outboxId, 'failed', null, res.error.message);
        logger.warn(`Could not create ${entity} "${c.item.label}" in ${system}: ${res.error.message}`, {
          entity,
          target: system,
        });
        return;
      }
      try {
        confirmCreate(store, {
          pair,
          entity,
          runId,
          outboxId,
          target,
          source: c.source,
          created: res.record,
          sentFields: c.item.fields,
          otherSystem,
          scope: x.scope(target),
          seen: seenCreate(x, c.source, c.sourceSide, c.item.fields),
        });
        inc(counters.created, entity);
        warnCarried(logger, entity, c.item.label, system, c.source, Object.keys(c.item.fields), x.label);
      } catch (e) {
        store.outbox.settle(outboxId, 'failed', res.record.id, (e as Error).message);
        counters.errors++;
        logger.warn(`Created ${entity} "${c.item.label}" in ${system} but could not link it: ${(e as Error).message}`, {
          entity,
        });
      }
    });
  });
}
