/**
 * The rolling re-read (main/sync/README.md, "Daily budget and the rolling re-read"): after its change feeds, each sync
 * re-checks a slice of an entity's linked records — the next links by id from where the last sync stopped (their
 * position is in the profile, shared by the app, serve mode and the CLI). A side that reads children by parent
 * (HighLevel notes and tasks: one request per contact) reads every child of the slice's parents; the others read the
 * slice's records by id. What a slice read completely is marked (`covers`), so the planner finds edits no feed
 * reports and deletes (a linked record the slice read and did not find) within the re-read window.
 */
import type { SystemId } from '../../../preload/contract.js';
import type { LinkRow, RereadPosition, Store } from '../../store/repositories.js';
import type { SliceDemand } from '../budget/plan.js';
import type { WiredEntity } from './run.js';
import type { EntitySide, FetchResult, SideRecord } from './types.js';

/** Whether an entity takes part in the rolling re-read (its HighLevel side says how it is re-checked). */
export const rereads = (e: WiredEntity): boolean => !!e.wiring.ghl.recheck;

/** The links a slice walks: the entity's own, or its parents' when its HighLevel side reads children by parent. */
function domainEntity(e: WiredEntity) {
  return e.wiring.ghl.recheck?.by === 'parent' && e.wiring.parentEntity ? e.wiring.parentEntity : e.wiring.entity;
}

/**
 * What one unit of this entity's slice costs on each API, and how long since its last slice, for the budget planner.
 * An entity seen for the first time starts its first lap now.
 */
export function demandOf(store: Store, e: WiredEntity, now: number): SliceDemand | undefined {
  if (!rereads(e)) return undefined;
  const at = store.budget.position(e.cursorName);
  if (!at) store.budget.setPosition(e.cursorName, { afterId: 0, lapStartedAt: now, lastAt: now });
  const w = e.wiring;
  const domain = domainEntity(e);
  const units = store.links.count(w.pair, domain);
  const byParent = domain !== w.entity;
  // Per unit: a side reading by parent re-checks one parent a request; a side reading by id re-checks each record of
  // the unit (for a parent unit, its linked children, on average) `perCall` a request.
  const childrenPerUnit = byParent && units ? store.links.count(w.pair, w.entity) / units : 1;
  const cost = (s: EntitySide): number => {
    const r = s.recheck ?? { by: 'id', perCall: 1 };
    if (r.perCall <= 0) return 0;
    if (r.by === 'parent' && byParent && s.readChildren) return 1 / r.perCall;
    return childrenPerUnit / r.perCall;
  };
  const out: Partial<Record<SystemId, number>> = {};
  for (const s of [w.ghl, w.other]) out[s.system] = (out[s.system] ?? 0) + cost(s);
  // A read by id waits for a request's worth of records.
  const batch = (s: EntitySide): number => {
    const r = s.recheck ?? { by: 'id', perCall: 1 };
    if (r.perCall <= 1 || (r.by === 'parent' && byParent && s.readChildren)) return 1;
    return Math.max(1, Math.floor(r.perCall / Math.max(1, childrenPerUnit)));
  };
  return {
    name: e.cursorName,
    units,
    cost: out,
    elapsedMs: at?.lastAt !== undefined ? now - at.lastAt : undefined,
    minBatch: Math.max(batch(w.ghl), batch(w.other)),
  };
}

export interface SliceRead {
  ghl?: FetchResult;
  other?: FetchResult;
  /** The position after this slice (saved once the run's writes are done). */
  next: RereadPosition;
  /** Links (or parents) re-checked. */
  checked: number;
}

/** Read the next `size` units of an entity's slice from both sides. */
export async function readSlice(
  store: Store,
  e: WiredEntity,
  size: number,
  now: number,
  paused?: ReadonlySet<SystemId>,
): Promise<SliceRead> {
  const w = e.wiring;
  const at = store.budget.position(e.cursorName) ?? { afterId: 0, lapStartedAt: now };
  // One link more than the slice tells whether this slice ends the lap.
  const page = store.links.page(w.pair, domainEntity(e), at.afterId, size + 1);
  const lapDone = page.length <= size;
  if (!lapDone) page.pop();
  const next: RereadPosition = lapDone
    ? { afterId: 0, lapStartedAt: now, lastLapMs: now - at.lapStartedAt, lastAt: now }
    : { afterId: page[page.length - 1]!.id, lapStartedAt: at.lapStartedAt, lastLapMs: at.lastLapMs, lastAt: now };
  if (!page.length) return { next, checked: 0 };
  // A side whose API's re-reads are paused is not read (nothing of it is covered).
  const live = (side: EntitySide) => !paused?.has(side.system);
  if (domainEntity(e) === w.entity) {
    const [g, o] = await Promise.all([
      live(w.ghl) ? byIds(w.ghl, ids(page, 'ghl')) : undefined,
      live(w.other) ? byIds(w.other, ids(page, 'other')) : undefined,
    ]);
    return { ghl: g, other: o, next, checked: page.length };
  }
  // Children of the slice's parents: every child where a side reads by parent, else the linked children by id.
  // The linked children are found under the HighLevel parents (an AroFlo child may hang under the client rather than
  // the person the parent link names).
  const read = async (side: EntitySide, which: 'ghl' | 'other'): Promise<FetchResult> => {
    if (side.recheck?.by === 'parent' && side.readChildren) return side.readChildren(ids(page, which));
    return byIds(side, ids(store.links.under(w.pair, w.entity, 'ghl', ids(page, 'ghl')), which));
  };
  const [g, o] = await Promise.all([
    live(w.ghl) ? read(w.ghl, 'ghl') : undefined,
    live(w.other) ? read(w.other, 'other') : undefined,
  ]);
  return { ghl: g, other: o, next, checked: page.length };
}

const ids = (links: LinkRow[], side: 'ghl' | 'other'): string[] =>
  links.map((l) => (side === 'ghl' ? l.ghl_id : l.other_id)).filter((x): x is string => !!x);

async function byIds(side: EntitySide, list: string[]): Promise<FetchResult> {
  if (!list.length) return { records: [], rejected: [], complete: false };
  const got = await side.getMany(list);
  const records = [...got.values()].filter((r): r is SideRecord => !!r);
  // Only what was read covers: an id the side could not read (left out of its answer) is not taken for gone.
  return { records, rejected: [], complete: false, covers: { ids: list.filter((id) => got.has(id)) } };
}

/** A feed's result with a slice's added: the slice's copy of a record wins (read later), the feed's cursor stays. */
export function withSlice(feed: FetchResult, slice: FetchResult | undefined): FetchResult {
  if (!slice || feed.complete) return feed;
  const mine = new Set(slice.records.map((r) => r.id));
  return {
    ...feed,
    records: [...feed.records.filter((r) => !mine.has(r.id)), ...slice.records],
    rejected: [...feed.rejected, ...slice.rejected.filter((r) => !r.id || !feed.rejected.some((x) => x.id === r.id))],
    covers: slice.covers,
  };
}
