/**
 * Changes seen on a side, for the record-level change stream (main/store/README.md, `changes`): where the engine
 * already compares a linked record with its base, a field that differs from that side's base was changed there; a
 * record copied to the other system was made there; a record gone from one side was deleted there. A value the
 * stream already accounts for (the bridge's own write, seen again by the other pair or in a later run, or one edit
 * seen by both pairs) is not a new change: the bridge's writes are recorded by the commit from its audit entries.
 */
import type { BaseRow, SeenChange } from '../../../store/repositories.js';
import type { PlanOp, Side } from '../planner.js';
import type { SideRecord } from '../types.js';
import type { ExecContext } from './context.js';

type Merge = Extract<PlanOp, { op: 'merge' }>;

function notKnown(x: ExecContext, c: SeenChange): SeenChange | undefined {
  const known = x.store.changes.known(c.system, [c.recordId]).get(c.recordId);
  if (!known) return c;
  if (c.action === 'create') return known.created ? undefined : c;
  const fields = c.fields.filter((f) => !(f.field in known.fields && known.fields[f.field] === f.after));
  return fields.length ? { ...c, fields } : undefined;
}

/** Fields of a linked record that differ from each side's base. */
export function seenInMerge(x: ExecContext, m: Merge, base: BaseRow | undefined): SeenChange[] {
  if (!m.link || !base) return [];
  const keys = x.config.fields.filter((f) => f.direction !== 'off').map((f) => f.key);
  const out: SeenChange[] = [];
  for (const side of ['ghl', 'other'] as const) {
    const rec = side === 'ghl' ? m.ghl : m.other;
    const b = side === 'ghl' ? base.ghl : base.other;
    const fields = keys
      .filter((k) => k in b && k in rec.fields && (rec.fields[k] ?? null) !== (b[k] ?? null))
      .map((k) => ({ field: k, before: b[k] ?? null, after: rec.fields[k] ?? null }));
    if (!fields.length) continue;
    const c = notKnown(x, {
      system: x.systemOf(side),
      recordId: rec.id,
      label: rec.label || m.link.label,
      email: rec.email ?? null,
      action: 'update',
      fields,
    });
    if (c) out.push(c);
  }
  return out;
}

/** A record new to the bridge, about to be copied: made in its own system. */
export function seenCreate(x: ExecContext, source: SideRecord, from: Side, fields: Record<string, string | null>) {
  const c = notKnown(x, {
    system: x.systemOf(from),
    recordId: source.id,
    label: source.label,
    email: source.email ?? null,
    action: 'create',
    fields: Object.entries(fields).map(([field, after]) => ({ field, before: null, after })),
  });
  return c ? [c] : [];
}

/** A linked record gone from one side: deleted there. */
export function seenDelete(x: ExecContext, gone: Side, recordId: string | null, label: string): SeenChange[] {
  if (!recordId) return [];
  return [{ system: x.systemOf(gone), recordId, label, action: 'delete', fields: [] }];
}
