/**
 * Parents across sides: a child record (a task, a note) is written under its parent's counterpart, found through the
 * parent entity's links, or under a parent only planned in this run (a placeholder until it is created).
 */
import type { LinkRow, Store } from '../../store/repositories.js';
import type { EntityPlan, ParentResolver } from './planner.js';
import type { EntityWiring } from './types.js';

/** Parent ids across sides through the parent entity's links (plus placeholders for parents only planned). */
export function parentResolver(
  store: Store,
  w: EntityWiring,
  pending?: Map<string, Map<string, string>>,
): ParentResolver | undefined {
  if (!w.parentEntity) return undefined;
  const parent = w.parentEntity;
  const planned = pending?.get(`${w.pair}:${parent}`);
  // Only a live link: a parent whose link was retired (deleted on one side) has no counterpart to put children under.
  const live = (l: LinkRow | undefined) => (l?.state === 'active' ? l : undefined);
  return {
    toOther: (ghlParentId) =>
      live(store.links.byGhl(w.pair, parent, ghlParentId))?.other_id ?? planned?.get(`ghl:${ghlParentId}`) ?? undefined,
    toGhl: (otherParentId) =>
      live(store.links.byOther(w.pair, parent, otherParentId))?.ghl_id ??
      planned?.get(`other:${otherParentId}`) ??
      undefined,
  };
}

export function notePendingParents(pending: Map<string, Map<string, string>>, w: EntityWiring, plan: EntityPlan): void {
  const m = new Map<string, string>();
  for (const op of plan.ops) {
    if (op.op === 'create') m.set(`${op.sourceSide}:${op.source.id}`, `pending:${op.subject}`);
    if (op.op === 'merge' && !op.link) {
      m.set(`ghl:${op.ghl.id}`, op.other.id);
      m.set(`other:${op.other.id}`, op.ghl.id);
    }
  }
  pending.set(`${w.pair}:${w.entity}`, m);
}
