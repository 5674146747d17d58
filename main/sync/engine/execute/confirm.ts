/** Linking a created record to its source: the base it starts from, then one `store.commit.created`. */
import type { EntityKind, PairId, SystemId } from '../../../../preload/contract.js';
import type { SeenChange, Store } from '../../../store/repositories.js';
import type { Side } from '../planner.js';
import { formatSet, parseSet } from '../merge.js';
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
    /**
     * Set when recovery found the record an interrupted create made: `after` = the fields the target's create writes
     * once the record exists (`EntitySide.afterCreate`), `sets` = the set-valued fields among them.
     */
    recovered?: { after: string[]; sets: ReadonlySet<string> };
  },
): number {
  const baseCreated: Fields = {};
  for (const f of Object.keys(c.sentFields)) baseCreated[f] = c.created.fields[f] ?? null;
  // Fields that did not flow keep what each side holds.
  const source = { ...c.source.fields, ...(c.recovered ? notYetHeld(c.source.fields, c.created, c.recovered) : {}) };
  const ghl = c.target === 'ghl' ? { ...c.created.fields, ...baseCreated } : source;
  const other = c.target === 'ghl' ? source : { ...c.created.fields, ...baseCreated };
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

/**
 * A create interrupted between the record and its follow-up writes (main/sync/README.md, "Crash safety"): the source
 * side's base claims only what the record found holds of those fields — of a set, the elements it holds (as the
 * target spells them or not); of a value, what it holds — so the next run sees the rest as the source's change and
 * writes it. What it does hold stays the base of both sides: nothing is written twice, and no conflict is made.
 */
function notYetHeld(src: Fields, created: SideRecord, r: { after: string[]; sets: ReadonlySet<string> }): Fields {
  const out: Fields = {};
  for (const f of r.after) {
    if (!(f in created.fields) || !(f in src)) continue;
    const held = created.fields[f] ?? null;
    if (!r.sets.has(f)) {
      if (held !== (src[f] ?? null)) out[f] = held;
      continue;
    }
    const has = new Set(parseSet(held).map((x) => x.toLowerCase()));
    out[f] = formatSet(parseSet(src[f] ?? null).filter((x) => has.has(x.toLowerCase())));
  }
  return out;
}
