/**
 * Step 2 of a run: read every entity from both sides — its change feeds from the saved cursors, or everything when
 * the run is full or a cursor is missing — and keep what was read in the mirror (main/sync/README.md, "One run").
 */
import { mirrorScope, type Store } from '../../store/repositories.js';
import { plural } from './plan-items.js';
import type { FreshReads } from './planner.js';
import type { WiredEntity } from './run.js';
import { scopeKey, type EntitySide, type EntityWiring, type FetchResult, type RunScope } from './types.js';

export type Fetched = Map<WiredEntity, { ghl: FetchResult; other: FetchResult; full: boolean }>;

export async function fetchEntities(
  store: Store,
  entities: WiredEntity[],
  fullRun: boolean | { scope: RunScope; reads: FreshReads },
  progress: (done: number, message: string) => void,
): Promise<Fetched> {
  const fetched: Fetched = new Map();
  let i = 0;
  for (const e of entities) {
    progress(i++, `Reading ${plural(e.wiring.entity)}`);
    if (typeof fullRun === 'object') {
      const ids = fullRun.scope.ids[scopeKey(e.wiring.pair, e.wiring.entity)] ?? { ghl: [], other: [] };
      const [g, o] = await Promise.all([
        byId(fullRun.reads, e.wiring.ghl, ids.ghl),
        byId(fullRun.reads, e.wiring.other, ids.other),
      ]);
      fetched.set(e, { ghl: g, other: o, full: false });
      remember(store, e.wiring, 'ghl', g);
      remember(store, e.wiring, 'other', o);
      continue;
    }
    const cg = store.feeds.cursor('ghl', e.cursorName);
    const co = store.feeds.cursor(e.wiring.other.system, e.cursorName);
    const full = fullRun || cg === undefined || co === undefined;
    const [g, o] = await Promise.all([
      full ? e.wiring.ghl.fetchAll() : e.wiring.ghl.fetchChanged(cg),
      full ? e.wiring.other.fetchAll() : e.wiring.other.fetchChanged(co),
    ]);
    fetched.set(e, { ghl: g, other: o, full });
    remember(store, e.wiring, 'ghl', g);
    remember(store, e.wiring, 'other', o);
  }
  return fetched;
}

function remember(store: Store, w: EntityWiring, side: 'ghl' | 'other', f: FetchResult): void {
  const scope = mirrorScope(w.pair, w.entity, side === 'ghl' ? 'ghl' : w.other.system);
  if (f.complete) store.mirror.replaceAll(scope, f.records);
  else if (f.records.length) store.mirror.put(scope, f.records);
}

/**
 * A scoped run's read of one side: exactly these records, by id (the side's read-before-write read). What the side no
 * longer has is not in `records` and reads null from `reads`, which the planner takes as gone — the engine's delete
 * rules apply to it, as to any record read fresh (main/sync/README.md, "Deletes"). Never complete: nothing else is
 * inferred from what it did not list.
 */
async function byId(reads: FreshReads, side: EntitySide, ids: string[]): Promise<FetchResult> {
  if (!ids.length) return { records: [], rejected: [], complete: false };
  const got = await reads.read(side, ids);
  return { records: [...got.values()].filter((r) => r !== null), rejected: [], complete: false };
}
