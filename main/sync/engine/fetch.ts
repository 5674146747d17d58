/**
 * Step 2 of a run: read every entity from both sides — its change feeds from the saved cursors, or everything when
 * the run is full or a cursor is missing — then, on a run that is not full, the entity's slice of the rolling re-read
 * (`reread.ts`), and keep what was read in the mirror (main/sync/README.md, "One run").
 */
import type { SystemId } from '../../../preload/contract.js';
import { mirrorScope, type Store } from '../../store/repositories.js';
import { plural } from './plan-items.js';
import { readSlice, withSlice, type SliceRead } from './reread.js';
import type { WiredEntity } from './run.js';
import type { EntityWiring, FetchResult } from './types.js';

export type Fetched = Map<WiredEntity, { ghl: FetchResult; other: FetchResult; full: boolean; slice?: SliceRead }>;

/** The rolling re-read of this run: units per entity (by cursor name), and how to count what the slices cost. */
export interface RereadRequest {
  sizes: ReadonlyMap<string, number>;
  /** APIs whose re-reads are paused: their side of a slice is not read. */
  paused?: ReadonlySet<SystemId>;
  requestCounts: () => Record<SystemId, number>;
  now: () => number;
  /** A slice that could not be read is left for the next sync (the feeds still run). */
  warn: (message: string) => void;
  /** Filled in: requests the slices cost, per API. */
  spent: Record<SystemId, number>;
}

export async function fetchEntities(
  store: Store,
  entities: WiredEntity[],
  fullRun: boolean,
  progress: (done: number, message: string) => void,
  reread?: RereadRequest,
): Promise<Fetched> {
  const fetched: Fetched = new Map();
  let i = 0;
  for (const e of entities) {
    progress(i++, `Reading ${plural(e.wiring.entity)}`);
    const cg = store.feeds.cursor('ghl', e.cursorName);
    const co = store.feeds.cursor(e.wiring.other.system, e.cursorName);
    const full = fullRun || cg === undefined || co === undefined;
    let [g, o] = await Promise.all([
      full ? e.wiring.ghl.fetchAll() : e.wiring.ghl.fetchChanged(cg),
      full ? e.wiring.other.fetchAll() : e.wiring.other.fetchChanged(co),
    ]);
    // Feeds first; then this entity's slice of the rolling re-read, its cost counted apart.
    let slice: SliceRead | undefined;
    const size = full ? 0 : (reread?.sizes.get(e.cursorName) ?? 0);
    if (reread && size > 0) {
      const before = reread.requestCounts();
      try {
        slice = await readSlice(store, e, size, reread.now(), reread.paused);
        g = withSlice(g, slice.ghl);
        o = withSlice(o, slice.other);
      } catch (err) {
        reread.warn(`The re-read of ${plural(e.wiring.entity)} waits for the next sync: ${(err as Error).message}`);
      }
      const after = reread.requestCounts();
      for (const k of Object.keys(after) as SystemId[])
        reread.spent[k] = (reread.spent[k] ?? 0) + (after[k] ?? 0) - (before[k] ?? 0);
    }
    fetched.set(e, { ghl: g, other: o, full, slice });
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
