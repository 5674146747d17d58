/** Step 1 of a plan: what writes nothing remote — quarantine, possible duplicates, unlinks, skips. */
import type { SideRecord } from '../types.js';
import type { Side } from '../planner.js';
import type { ExecContext } from './context.js';

export function executeLocal(x: ExecContext): void {
  const { store, counters, runId, pair, entity, otherSystem } = x;
  for (const op of x.ops) {
    if (op.op === 'quarantine') {
      store.quarantine.add({
        system: x.systemOf(op.side),
        entity,
        recordId: op.rejected.id ?? '(unknown id)',
        reason: op.rejected.reason,
        raw: op.rejected.raw,
        runId,
      });
      counters.quarantined++;
    } else if (op.op === 'duplicate') {
      const cand = (r: SideRecord, s: Side) => ({
        system: x.systemOf(s),
        id: r.id,
        label: r.label,
        details: { email: r.email ?? null, phone: r.phone ?? null, ...r.fields },
      });
      const { isNew } = store.conflicts.upsert({
        kind: 'duplicate',
        pair,
        entity,
        system: otherSystem,
        linkId: null,
        subject: op.subject,
        label: [...op.ghl, ...op.other][0]?.label ?? 'Possible duplicate',
        diffs: [],
        candidates: [...op.ghl.map((r) => cand(r, 'ghl')), ...op.other.map((r) => cand(r, 'other'))],
        runId,
      });
      counters.duplicates++;
      if (isNew) counters.newConflicts++;
    } else if (op.op === 'unlink') {
      store.commit.unlinked({
        linkId: op.link.id,
        retire: !!op.retire,
        audit: {
          runId,
          system: otherSystem,
          entity,
          recordId: op.link.other_id,
          linkId: op.link.id,
          action: 'unlink',
          field: null,
          before: null,
          after: op.reason,
        },
      });
    } else if (op.op === 'skip') {
      counters.skipped++;
    }
  }
}
