/** Linking a created record to its source: the base it starts from, then one `store.commit.created`. */
import type { EntityKind, PairId, SystemId } from '../../../../preload/contract.js';
import type { SeenChange, Store } from '../../../store/repositories.js';
import type { Side } from '../planner.js';
import type { Fields, SideRecord } from '../types.js';

export function confirmCreate(
  store: Store,
  c: {
    pair: PairId;
    entity: EntityKind;
    runId: string;
    outboxId: number;
    target: Side;
    source: SideRecord;
    created: SideRecord;
    sentFields: Fields;
    otherSystem: SystemId;
    scope: string;
    /** The source record as seen in its own system (the change stream). */
    seen?: SeenChange[];
  },
): number {
  const baseCreated: Fields = {};
  for (const f of Object.keys(c.sentFields)) baseCreated[f] = c.created.fields[f] ?? null;
  // Fields that did not flow keep what each side holds.
  const ghl = c.target === 'ghl' ? { ...c.created.fields, ...baseCreated } : { ...c.source.fields };
  const other = c.target === 'ghl' ? { ...c.source.fields } : { ...c.created.fields, ...baseCreated };
  return store.commit.created({
    pair: c.pair,
    entity: c.entity,
    runId: c.runId,
    outboxId: c.outboxId,
    target: c.target,
    source: c.source,
    created: c.created,
    base: { ghl, other },
    otherSystem: c.otherSystem,
    scope: c.scope,
    seen: c.seen,
  });
}
