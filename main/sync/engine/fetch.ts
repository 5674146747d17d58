/**
 * Step 2 of a run: read every entity from both sides — its change feeds from the saved cursors, or everything when
 * the run is full or a cursor is missing — then, on a run that is not full, the entity's slice of the rolling re-read
 * (`reread.ts`), and keep what was read in the mirror (main/sync/README.md, "One run").
 */
import type { SystemId } from '../../../preload/contract.js';
import { mirrorScope, type Store } from '../../store/repositories.js';
import { plural } from './plan-items.js';
import { readSlice, withSlice, type SliceRead } from './reread.js';
import { sameFields, type FreshReads } from './planner.js';
import type { WiredEntity } from './run.js';
import {
  scopeKey,
  type EntitySide,
  type EntityWiring,
  type FetchResult,
  type RunScope,
  type SideRecord,
} from './types.js';

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
  fullRun: boolean | { scope: RunScope; reads: FreshReads },
  progress: (done: number, message: string) => void,
  reread?: RereadRequest,
): Promise<Fetched> {
  const fetched: Fetched = new Map();
  // An incremental run reads every entity's HighLevel feed first, so the other side can read the counterparts of what
  // changed in HighLevel — which the planner reads fresh before writing — along with its own feed (one request, not
  // two: `EntitySide.want`; main/sync/README.md, "One read by id, shared").
  const ghlFirst = new Map<WiredEntity, FetchResult>();
  if (fullRun === false)
    for (const e of entities) {
      const cg = store.feeds.cursor('ghl', e.cursorName);
      if (cg === undefined || store.feeds.cursor(e.wiring.other.system, e.cursorName) === undefined) continue;
      const g = await e.wiring.ghl.fetchChanged(cg);
      ghlFirst.set(e, g);
      if (e.wiring.other.want) e.wiring.other.want(changedCounterparts(store, e.wiring, g.records));
    }
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
    const first = ghlFirst.get(e);
    let [g, o] = await Promise.all([
      full ? e.wiring.ghl.fetchAll() : first ? Promise.resolve(first) : e.wiring.ghl.fetchChanged(cg),
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

/**
 * The other side's ids of linked records whose HighLevel side no longer holds its base (the ones the planner will read
 * fresh before writing); records a feed lists again unchanged (HighLevel's open tasks, every sync) are left out.
 */
function changedCounterparts(store: Store, w: EntityWiring, records: SideRecord[]): string[] {
  const links = store.links.of(
    w.pair,
    w.entity,
    'ghl',
    records.map((r) => r.id),
  );
  if (!links.length) return [];
  const byGhl = new Map(records.map((r) => [r.id, r]));
  const bases = store.bases.of(links.map((l) => l.id));
  const out: string[] = [];
  for (const l of links) {
    const r = l.ghl_id ? byGhl.get(l.ghl_id) : undefined;
    const base = bases.get(l.id)?.ghl;
    if (!r || !l.other_id) continue;
    if (
      !base ||
      !sameFields(
        r.fields,
        base,
        Object.keys(base).filter((k) => k in r.fields),
      )
    )
      out.push(l.other_id);
  }
  return out;
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
