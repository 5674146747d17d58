/**
 * A plan as people see it (the preview, a guard stop, the CLI) and counted as a real run counts it.
 */
import type { Counts, EntityKind, PlanItem, SystemId } from '../../../preload/contract.js';
import type { EntityPlan, PlanOp } from './planner.js';
import type { WiredEntity } from './run.js';
import { carriedWarnings } from './warnings.js';

const reasonOf = (w: string | undefined) => (w ? { reason: `a value could not be converted: ${w}` } : {});

const SYSTEM_OF = (e: WiredEntity, s: 'ghl' | 'other'): SystemId => (s === 'ghl' ? 'ghl' : e.wiring.other.system);

/** The plan as people (and the dry-run ≡ real-run check) see it. */
export function toPlanItems(e: WiredEntity, plan: EntityPlan): PlanItem[] {
  const out: PlanItem[] = [];
  const entity = e.wiring.entity;
  const lbl = (f: string) => e.fieldLabels[f] ?? f;
  for (const op of plan.ops as PlanOp[]) {
    switch (op.op) {
      case 'create':
        out.push({
          id: op.subject,
          action: 'create',
          target: SYSTEM_OF(e, op.target),
          entity,
          label: op.item.label,
          fields: Object.entries(op.item.fields).map(([field, to]) => ({ field: lbl(field), to })),
          ...reasonOf(carriedWarnings(op.source, Object.keys(op.item.fields), lbl)),
        });
        break;
      case 'merge': {
        if (!op.link)
          out.push({
            id: `${op.subject}:link`,
            action: 'link',
            target: e.wiring.other.system,
            entity,
            label: op.ghl.label || op.other.label,
            reason: 'same email or phone',
          });
        for (const [side, changes, rec] of [
          ['ghl', op.merge.toGhl, op.ghl],
          ['other', op.merge.toOther, op.other],
        ] as const) {
          const keys = Object.keys(changes);
          const warned = carriedWarnings(side === 'ghl' ? op.other : op.ghl, keys, lbl);
          if (keys.length)
            out.push({
              id: `${op.subject}:${side}`,
              action: 'update',
              target: SYSTEM_OF(e, side),
              entity,
              label: rec.label,
              fields: keys.map((k) => ({ field: lbl(k), from: rec.fields[k] ?? null, to: changes[k] ?? null })),
              ...reasonOf(warned),
            });
        }
        if (op.merge.conflicts.length)
          out.push({
            id: `${op.subject}:conflict`,
            action: 'conflict',
            target: e.wiring.other.system,
            entity,
            label: op.ghl.label || op.other.label,
            fields: op.merge.conflicts.map((c) => ({ field: lbl(c.field), from: c.ghl, to: c.other })),
            reason: 'changed on both sides',
          });
        break;
      }
      case 'delete':
        out.push({
          id: op.subject,
          action: op.policy === 'archive' ? 'archive' : 'delete',
          target: SYSTEM_OF(e, op.target),
          entity,
          label: op.record.label,
        });
        break;
      case 'unlink':
        out.push({
          id: op.subject,
          action: 'skip',
          target: e.wiring.other.system,
          entity,
          label: op.link.label,
          reason: op.reason,
        });
        break;
      case 'duplicate':
        out.push({
          id: op.subject,
          action: 'duplicate',
          target: e.wiring.other.system,
          entity,
          label: [...op.ghl, ...op.other][0]?.label ?? '',
          reason: op.reason,
        });
        break;
      case 'skip':
        out.push({
          id: op.subject,
          action: 'skip',
          target: SYSTEM_OF(e, op.side === 'ghl' ? 'other' : 'ghl'),
          entity,
          label: op.record.label,
          reason: op.reason,
        });
        break;
      case 'quarantine':
        out.push({
          id: op.subject,
          action: 'skip',
          target: SYSTEM_OF(e, op.side),
          entity,
          label: op.rejected.id ?? '(unreadable record)',
          reason: `unreadable: ${op.rejected.reason}`,
        });
        break;
    }
  }
  return out;
}

/**
 * What a plan would do, counted as a real run counts: one per record created, updated (on either side or both) or
 * deleted, and one per record waiting for review (a conflict or a possible duplicate).
 */
export function planCounts(items: PlanItem[]): { created: Counts; updated: Counts; deleted: Counts; review: number } {
  const created: Counts = {};
  const deleted: Counts = {};
  const updated = new Map<EntityKind, Set<string>>();
  let review = 0;
  const inc = (c: Counts, e: EntityKind) => void (c[e] = (c[e] ?? 0) + 1);
  for (const i of items) {
    if (i.action === 'create') inc(created, i.entity);
    else if (i.action === 'delete' || i.action === 'archive') inc(deleted, i.entity);
    else if (i.action === 'conflict' || i.action === 'duplicate') review++;
    else if (i.action === 'update') {
      const set = updated.get(i.entity) ?? new Set<string>();
      set.add(i.id.replace(/:(ghl|other)$/, ''));
      updated.set(i.entity, set);
    }
  }
  return { created, updated: Object.fromEntries([...updated].map(([e, s]) => [e, s.size])) as Counts, deleted, review };
}

const PLURAL: Record<string, string> = {
  business: 'businesses',
  rule_task: 'note-to-task rule',
  contact: 'contacts',
  task: 'tasks',
  note: 'notes',
  lead: 'leads',
};
export function plural(entity: string): string {
  return PLURAL[entity] ?? `${entity}s`;
}
