/** Step 3 of a plan: updates (merges), batched per target, then each merge confirmed in one `store.commit.merged`. */
import { warnCarried } from '../warnings.js';
import type { PlanOp } from '../planner.js';
import type { BaseRow } from '../../../store/repositories.js';
import type { Fields, UpdateItem, WriteResult } from '../types.js';
import { conflictSubject, eachTarget, inc, type ExecContext } from './context.js';
import { seenInMerge } from './seen.js';

type Merge = Extract<PlanOp, { op: 'merge' }>;
interface Outcome {
  ghl?: WriteResult;
  other?: WriteResult;
  outbox: number[];
}

export async function executeMerges(x: ExecContext): Promise<void> {
  const merges = x.ops.filter((o): o is Merge => o.op === 'merge');
  const outcome = new Map<Merge, Outcome>();
  for (const m of merges) outcome.set(m, { outbox: [] });
  await sendMerges(x, merges, outcome);
  for (const m of merges) confirmMerge(x, m, outcome.get(m)!);
}

/** Both systems at once. The outbox rows are written before the first request goes (other first, then HighLevel: the order the confirmation reads them in). */
async function sendMerges(x: ExecContext, merges: Merge[], outcome: Map<Merge, Outcome>): Promise<void> {
  const { store, runId, pair, entity } = x;
  await eachTarget(async (target) => {
    const todo = merges.filter((m) => Object.keys(target === 'ghl' ? m.merge.toGhl : m.merge.toOther).length > 0);
    if (!todo.length) return;
    const items: UpdateItem[] = todo.map((m) => {
      const rec = target === 'ghl' ? m.ghl : m.other;
      return {
        id: rec.id,
        parentId: rec.parentId,
        kind: rec.kind,
        changes: target === 'ghl' ? m.merge.toGhl : m.merge.toOther,
        current: rec,
        label: rec.label,
      };
    });
    todo.forEach((m, i) => {
      outcome.get(m)!.outbox.push(
        store.outbox.add({
          runId,
          pair,
          entity,
          system: x.systemOf(target),
          action: 'update',
          linkId: m.link?.id ?? null,
          subject: m.subject,
          payload: { id: items[i]!.id, changes: items[i]!.changes },
        }),
      );
    });
    let results: WriteResult[];
    try {
      results = await x.sideOf(target).update(items);
    } catch (e) {
      results = items.map(() => ({ ok: false as const, error: e as Error }));
    }
    todo.forEach((m, i) => {
      outcome.get(m)![target] = results[i] ?? { ok: false, error: new Error('no answer for this record') };
    });
  });
}

/** A field's base only moves when every write of that field succeeded, so a failed propagation is retried next run. */
function newBase(m: Merge, o: Outcome, oldBase: BaseRow | undefined): { ghl: Fields; other: Fields } {
  const baseGhl: Fields = { ...m.merge.baseGhl };
  const baseOther: Fields = { ...m.merge.baseOther };
  for (const s of ['ghl', 'other'] as const) {
    const res = o[s];
    const written = s === 'ghl' ? m.merge.toGhl : m.merge.toOther;
    if (!res) continue;
    if (res.ok) {
      // What the target really holds now is the base for that side (echo suppression for lossy targets).
      for (const f of Object.keys(written))
        (s === 'ghl' ? baseGhl : baseOther)[f] = res.record.fields[f] ?? written[f] ?? null;
    } else {
      for (const f of Object.keys(written)) {
        for (const [b, old] of [
          [baseGhl, oldBase?.ghl],
          [baseOther, oldBase?.other],
        ] as const) {
          if (old && f in old) b[f] = old[f] ?? null;
          else delete b[f];
        }
      }
    }
  }
  return { ghl: baseGhl, other: baseOther };
}

function confirmMerge(x: ExecContext, m: Merge, o: Outcome): void {
  const { store, counters, runId, pair, entity, otherSystem, logger } = x;
  const failed = (['ghl', 'other'] as const).filter((s) => o[s] && !o[s]!.ok);
  const label = m.ghl.label || m.other.label;
  const oldBase = m.link ? store.bases.get(m.link.id) : undefined;
  const audits = (['ghl', 'other'] as const).flatMap((s) => {
    const res = o[s];
    if (!res?.ok) return [];
    const written = s === 'ghl' ? m.merge.toGhl : m.merge.toOther;
    const before = s === 'ghl' ? m.ghl : m.other;
    return Object.keys(written).map((f) => ({
      system: x.systemOf(s),
      entity,
      recordId: before.id,
      action: 'update' as const,
      field: f,
      before: before.fields[f] ?? null,
      after: written[f] ?? null,
    }));
  });
  const outbox = o.outbox.map((id, idx) => {
    const res = o[idx === 0 && Object.keys(m.merge.toOther).length ? 'other' : 'ghl'];
    return {
      id,
      state: res?.ok ? ('confirmed' as const) : ('failed' as const),
      resultId: res?.ok ? res.record.id : null,
      error: res && !res.ok ? res.error.message : undefined,
    };
  });
  const { conflict } = store.commit.merged({
    pair,
    entity,
    runId,
    otherSystem,
    link: m.link,
    ghl: m.ghl,
    other: m.other,
    label,
    base: newBase(m, o, oldBase),
    audits,
    outbox,
    conflict: {
      subject: (linkId) => conflictSubject(pair, entity, linkId),
      diffs: m.merge.conflicts.map((c) => ({
        field: c.field,
        label: x.label(c.field),
        base: c.base,
        ghl: c.ghl,
        other: c.other,
      })),
    },
    resolutionApplied: !failed.length,
    mirror: [
      { scope: x.scope('ghl'), record: o.ghl?.ok ? o.ghl.record : m.ghl },
      { scope: x.scope('other'), record: o.other?.ok ? o.other.record : m.other },
    ],
    seen: seenInMerge(x, m, oldBase),
  });
  if (conflict) {
    counters.conflicts++;
    if (conflict.isNew) counters.newConflicts++;
  }
  if (failed.length) {
    counters.errors += failed.length;
    for (const s of failed)
      logger.warn(
        `Could not update ${entity} "${label}" in ${x.systemOf(s)}: ${(o[s] as { error: Error }).error.message}`,
        { entity },
      );
  } else if (o.ghl || o.other) inc(counters.updated, entity);
  for (const s of ['ghl', 'other'] as const) {
    if (!o[s]?.ok) continue;
    const written = s === 'ghl' ? m.merge.toGhl : m.merge.toOther;
    warnCarried(
      logger,
      entity,
      (s === 'ghl' ? m.ghl : m.other).label,
      x.systemOf(s),
      s === 'ghl' ? m.other : m.ghl,
      Object.keys(written),
      x.label,
    );
  }
}
