/**
 * Planning one entity of one pair: from what each side reported (and what we remember), decide every write.
 *
 * The plan is a list of operations; the executor carries them out exactly, and a dry run simply stops here, so a
 * preview is the plan a real run executes. Before any update or delete is planned, the record it would overwrite is
 * read fresh (read-before-write): a change the feed did not report becomes a conflict instead of being overwritten.
 */
import type { DeletePolicy, EntityKind, PairId, SystemId } from '../../../preload/contract.js';
import { isSmokeRecord, SMOKE_SKIP_REASON } from '../../smoke/marker.js';
import { mirrorScope, type BaseRow, type LinkRow, type Store } from '../../store/repositories.js';
import { matchUnlinked } from './matching.js';
import { mergeRecord, type MergeField, type MergeResult } from './merge.js';
import type { CreateItem, EntitySide, EntityWiring, FetchResult, Fields, Rejected, SideRecord } from './types.js';

export type Side = 'ghl' | 'other';

export type PlanOp =
  | { op: 'merge'; link?: LinkRow; ghl: SideRecord; other: SideRecord; merge: MergeResult; subject: string }
  | { op: 'create'; target: Side; item: CreateItem; source: SideRecord; sourceSide: Side; subject: string }
  | { op: 'delete'; target: Side; link: LinkRow; record: SideRecord; policy: 'propagate' | 'archive'; subject: string }
  /** `retire`: the record left on one side is no longer synced at all (not copied back as if it were new). */
  | { op: 'unlink'; link: LinkRow; reason: string; subject: string; retire?: boolean }
  | { op: 'duplicate'; ghl: SideRecord[]; other: SideRecord[]; subject: string; reason: string }
  | { op: 'skip'; record: SideRecord; side: Side; reason: string; subject: string }
  | { op: 'quarantine'; side: Side; rejected: Rejected; subject: string };

export interface EntityPlan {
  pair: PairId;
  entity: EntityKind;
  ops: PlanOp[];
  /** Links in scope before this run (for the guard's percentages). */
  linkedBefore: number;
  /** A side answered an empty complete listing while we have links: stop and ask. */
  emptyListing?: Side;
}

export interface EntityConfig {
  fields: MergeField[];
  deletePolicy: DeletePolicy;
  /** Creates allowed towards each side (entity enabled, direction allows, and the mapping's create switch). */
  createTo: { ghl: boolean; other: boolean };
  /** Updates of linked records allowed towards each side (the mapping's update switch; missing = both). */
  updateTo?: { ghl: boolean; other: boolean };
}

/** Fresh reads shared by the whole run (planning for the preview and for execution never read twice). */
export class FreshReads {
  private readonly cache = new Map<string, SideRecord | null>();
  constructor(private readonly key: (side: EntitySide) => string) {}

  /** The records read (null: gone). An id the side could not read (left out of `getMany`) is left out here too. */
  async read(side: EntitySide, ids: string[]): Promise<Map<string, SideRecord | null>> {
    const k = this.key(side);
    const missing = [...new Set(ids)].filter((id) => !this.cache.has(`${k}|${id}`));
    if (missing.length) {
      const got = await side.getMany(missing);
      for (const id of missing) if (got.has(id)) this.cache.set(`${k}|${id}`, got.get(id) ?? null);
    }
    return new Map(
      ids.filter((id) => this.cache.has(`${k}|${id}`)).map((id) => [id, this.cache.get(`${k}|${id}`) ?? null]),
    );
  }

  /** A record already read fresh in this run: the record, null (gone), or undefined (not read). */
  peek(side: EntitySide, id: string): SideRecord | null | undefined {
    return this.cache.get(`${this.key(side)}|${id}`);
  }
}

/** How a child record's parent on one side maps to the other side (through the parent entity's links). */
export interface ParentResolver {
  toOther(ghlParentId: string): string | undefined;
  toGhl(otherParentId: string): string | undefined;
}

/** Whether two records' fields agree on `keys` (missing = null). */
export function sameFields(a: Fields, b: Fields, keys: string[]): boolean {
  return keys.every((k) => (a[k] ?? null) === (b[k] ?? null));
}

interface PlanArgs {
  wiring: EntityWiring;
  config: EntityConfig;
  store: Store;
  fetched: { ghl: FetchResult; other: FetchResult };
  reads: FreshReads;
  full: boolean;
  parents?: ParentResolver;
}

/** What planning one entity needs, read once: links, bases, the fetched records, what is retired or unreadable. */
function planContext(args: PlanArgs) {
  const { wiring: w, config, store, fetched, reads, parents } = args;
  const { pair, entity } = w;
  const scopeG = mirrorScope(pair, entity, 'ghl');
  const scopeO = mirrorScope(pair, entity, w.other.system);
  const fieldKeys = config.fields.map((f) => f.key);
  const ops: PlanOp[] = [];
  // A change feed reports a few records: read only their links and bases, not every link of the entity (planning
  // 1 % of 100,000 went from 2.2 s of CPU to a tenth of that). A complete listing needs them all.
  const partial = !fetched.ghl.complete && !fetched.other.complete;
  const resolutions = store.conflicts.pendingResolutions(pair, entity);
  const links = partial
    ? partialLinks(store, pair, entity, fetched, [...resolutions.keys()])
    : store.links.active(pair, entity);
  // Bases are parsed when needed: in a full reconcile most links are unchanged, which their stored text shows.
  const baseText = partial ? undefined : store.bases.textsFor(pair, entity);
  const parsedBases = partial ? store.bases.of(links.map((l) => l.id)) : new Map<number, BaseRow>();
  const bases = {
    get(linkId: number): BaseRow | undefined {
      let b = parsedBases.get(linkId);
      const t = b ? undefined : baseText?.get(linkId);
      if (t)
        parsedBases.set(
          linkId,
          (b = { ghl: JSON.parse(t.ghl) as BaseRow['ghl'], other: JSON.parse(t.other) as BaseRow['other'] }),
        );
      return b;
    },
  };
  /** The text a base holding exactly these field values is stored as (the mapped fields, in mapping order). */
  const asBaseText = (f: Fields): string => {
    const o: Fields = {};
    for (const k of fieldKeys) if (k in f) o[k] = f[k] ?? null;
    return JSON.stringify(o);
  };
  const byGhl = new Map<string, LinkRow>();
  const byOther = new Map<string, LinkRow>();
  for (const l of links) {
    if (l.ghl_id) byGhl.set(l.ghl_id, l);
    if (l.other_id) byOther.set(l.other_id, l);
  }
  /** Whether a record has an active link (all are loaded for a complete listing; asked of the database otherwise). */
  const linkedCache = new Map<string, boolean>();
  const isLinked = (side: Side, id: string): boolean => {
    if ((side === 'ghl' ? byGhl : byOther).has(id)) return true;
    if (!partial) return false;
    const key = `${side}:${id}`;
    let v = linkedCache.get(key);
    if (v === undefined)
      linkedCache.set(
        key,
        (v =
          (side === 'ghl' ? store.links.byGhl(pair, entity, id) : store.links.byOther(pair, entity, id))?.state ===
          'active'),
      );
    return v;
  };
  const plan: EntityPlan = {
    pair,
    entity,
    ops,
    linkedBefore: partial ? store.links.count(pair, entity) : links.length,
  };

  const quarantine = (): void => {
    for (const r of fetched.ghl.rejected)
      ops.push({ op: 'quarantine', side: 'ghl', rejected: r, subject: `q:ghl:${entity}:${r.id ?? '?'}` });
    for (const r of fetched.other.rejected)
      ops.push({
        op: 'quarantine',
        side: 'other',
        rejected: r,
        subject: `q:${w.other.system}:${entity}:${r.id ?? '?'}`,
      });
  };
  const rejectedIds = {
    ghl: new Set(fetched.ghl.rejected.map((r) => r.id).filter(Boolean) as string[]),
    other: new Set(fetched.other.rejected.map((r) => r.id).filter(Boolean) as string[]),
  };
  const retired = store.links.retired(pair, entity);
  const keep = (records: SideRecord[], exclude: ReadonlySet<string> | undefined, gone: Set<string>) => {
    const m = new Map<string, SideRecord>();
    for (const r of records) if (!exclude?.has(r.id) && !gone.has(r.id)) m.set(r.id, r);
    return m;
  };
  const gFetched = keep(fetched.ghl.records, w.exclude?.ghl, retired.ghl);
  const oFetched = keep(fetched.other.records, w.exclude?.other, retired.other);

  return {
    w,
    config,
    store,
    fetched,
    reads,
    parents,
    pair,
    entity,
    scopeG,
    scopeO,
    fieldKeys,
    ops,
    partial,
    resolutions,
    links,
    baseText,
    bases,
    asBaseText,
    byGhl,
    byOther,
    isLinked,
    plan,
    rejectedIds,
    retired,
    gFetched,
    oFetched,
    quarantine,
  };
}

type PlanCtx = ReturnType<typeof planContext>;

/**
 * Plan one entity of one pair: the steps are quarantine (unreadable records) → empty-listing stop → linked records
 * (merge, delete, unlink) → records never linked (match, create, skip). Nothing is written here.
 */
export async function planEntity(args: PlanArgs): Promise<EntityPlan> {
  const x = planContext(args);
  x.quarantine();
  if (emptyListing(x)) return x.plan;
  await planLinked(x);
  planUnlinked(x);
  return x.plan;
}

/** A complete listing that came back empty from a side that had linked records: stop (the guard asks a person). */
function emptyListing(x: PlanCtx): boolean {
  const { plan, fetched } = x;
  if (plan.linkedBefore > 0) {
    if (fetched.ghl.complete && fetched.ghl.records.length === 0 && fetched.ghl.rejected.length === 0)
      plan.emptyListing = 'ghl';
    else if (fetched.other.complete && fetched.other.records.length === 0 && fetched.other.rejected.length === 0)
      plan.emptyListing = 'other';
    if (plan.emptyListing) return true;
  }
  return false;
}

/** Linked records: merge both sides against the base, or carry a delete, or unlink. */
async function planLinked(x: PlanCtx): Promise<void> {
  const {
    w,
    config,
    store,
    fetched,
    reads,
    parents,
    scopeG,
    scopeO,
    fieldKeys,
    ops,
    resolutions,
    links,
    baseText,
    bases,
    asBaseText,
    byGhl,
    byOther,
    rejectedIds,
    gFetched,
    oFetched,
  } = x;
  const covering = {
    ghl: coverSets(fetched.ghl),
    other: coverSets(fetched.other),
  };
  /** Whether a rolling re-read read this link's record on `side` completely (by its id, or all its parent's children). */
  function covered(side: Side, l: LinkRow): boolean {
    const c = covering[side];
    if (!c) return false;
    const id = side === 'ghl' ? l.ghl_id : l.other_id;
    const parent = side === 'ghl' ? l.ghl_parent : l.other_parent;
    return (!!id && c.ids.has(id)) || (!!parent && c.parents.has(parent));
  }
  const candidates = new Set<LinkRow>();
  for (const id of gFetched.keys()) {
    const l = byGhl.get(id);
    if (l) candidates.add(l);
  }
  for (const id of oFetched.keys()) {
    const l = byOther.get(id);
    if (l) candidates.add(l);
  }
  for (const linkId of resolutions.keys()) {
    const l = links.find((x) => x.id === linkId);
    if (l) candidates.add(l);
  }
  if (fetched.ghl.complete || fetched.other.complete) for (const l of links) candidates.add(l);
  // A rolling re-read's slice is re-checked whole: a linked record it read and missed is gone (covered() below).
  else if (covering.ghl || covering.other)
    for (const l of links) if (covered('ghl', l) || covered('other', l)) candidates.add(l);

  type Current = { rec: SideRecord | null | undefined; fresh: boolean };
  const current = (side: Side, l: LinkRow): Current => {
    const id = side === 'ghl' ? l.ghl_id : l.other_id;
    if (!id) return { rec: undefined, fresh: false };
    const f = side === 'ghl' ? fetched.ghl : fetched.other;
    const map = side === 'ghl' ? gFetched : oFetched;
    const sideObj = side === 'ghl' ? w.ghl : w.other;
    const hit = map.get(id);
    if (hit) return { rec: hit, fresh: true };
    const read = reads.peek(sideObj, id);
    if (read !== undefined) return { rec: read, fresh: true };
    // A complete listing shows a record is gone only if it could read every record: an unreadable one may be this
    // one (under an id we cannot match), so with any record unreadable, nothing is taken for deleted.
    if (f.complete && !f.rejected.length) return { rec: null, fresh: true };
    // Read by id and not found, or not among every child of its parent (main/sync/README.md, "Deletes").
    if (covered(side, l)) return { rec: null, fresh: true };
    const cached = store.mirror.get(side === 'ghl' ? scopeG : scopeO, [id]).get(id);
    return {
      rec: cached ? { ...cached, email: cached.email, phone: cached.phone, altKey: cached.altKey } : undefined,
      fresh: false,
    };
  };
  const fromBase = (l: LinkRow, side: Side): SideRecord => {
    const b = bases.get(l.id);
    return {
      id: (side === 'ghl' ? l.ghl_id : l.other_id) as string,
      fields: (side === 'ghl' ? b?.ghl : b?.other) ?? {},
      label: l.label,
      parentId: (side === 'ghl' ? l.ghl_parent : l.other_parent) ?? undefined,
      kind: side === 'other' ? (l.other_kind ?? undefined) : undefined,
    };
  };

  // First pass: which linked records would we write to? Those need a fresh read first.
  const needRead = { ghl: new Set<string>(), other: new Set<string>() };
  const firstPass = new Map<number, { g: Current; o: Current; gRec: SideRecord; oRec: SideRecord; m?: MergeResult }>();
  for (const l of candidates) {
    if (rejectedIds.ghl.has(l.ghl_id ?? '') || rejectedIds.other.has(l.other_id ?? '')) continue;
    const g = current('ghl', l);
    const o = current('other', l);
    // Unchanged since the last sync on both sides (each side still holds its base) and nothing to apply: no op.
    if (baseText && g.rec && o.rec && g.rec.label === l.label && !resolutions.has(l.id)) {
      const t = baseText.get(l.id);
      if (t && t.ghl === asBaseText(g.rec.fields) && t.other === asBaseText(o.rec.fields)) continue;
    }
    const gRec = g.rec ?? fromBase(l, 'ghl');
    const oRec = o.rec ?? fromBase(l, 'other');
    const fp: { g: Current; o: Current; gRec: SideRecord; oRec: SideRecord; m?: MergeResult } = { g, o, gRec, oRec };
    firstPass.set(l.id, fp);
    if (g.rec === null || o.rec === null) {
      // A delete is planned against the surviving side: read it fresh first.
      if (g.rec === null && o.rec !== null && !o.fresh && l.other_id) needRead.other.add(l.other_id);
      if (o.rec === null && g.rec !== null && !g.fresh && l.ghl_id) needRead.ghl.add(l.ghl_id);
      continue;
    }
    const m = (fp.m = mergeRecord(
      config.fields,
      bases.get(l.id),
      gRec.fields,
      oRec.fields,
      resolutions.get(l.id)?.values,
      { update: config.updateTo },
    ));
    // A base moved on the word of a remembered copy (a change feed reported only the other side) is read fresh too: the
    // copy may be of a record deleted since, and a base moved onto an edit made after that delete would let the next
    // full run take the edit for "unchanged since the last sync" and delete it with its counterpart
    // (main/sync/README.md, "Deletes").
    const b = bases.get(l.id);
    const movesBase = !b || !sameFields(m.baseGhl, b.ghl, fieldKeys) || !sameFields(m.baseOther, b.other, fieldKeys);
    if ((Object.keys(m.toOther).length || movesBase) && !o.fresh && l.other_id) needRead.other.add(l.other_id);
    if ((Object.keys(m.toGhl).length || movesBase) && !g.fresh && l.ghl_id) needRead.ghl.add(l.ghl_id);
  }
  const freshG = needRead.ghl.size ? await reads.read(w.ghl, [...needRead.ghl]) : new Map<string, SideRecord | null>();
  const freshO = needRead.other.size
    ? await reads.read(w.other, [...needRead.other])
    : new Map<string, SideRecord | null>();

  for (const l of candidates) {
    const fp = firstPass.get(l.id);
    if (!fp) continue;
    const readG = !!l.ghl_id && freshG.has(l.ghl_id);
    const readO = !!l.other_id && freshO.has(l.other_id);
    // A side that needed a fresh read and could not be read (an unreadable answer for it): nothing is planned on the
    // word of an older copy — not a delete, not an update; the next run reads it again.
    if (
      (!!l.ghl_id && needRead.ghl.has(l.ghl_id) && !readG) ||
      (!!l.other_id && needRead.other.has(l.other_id) && !readO)
    )
      continue;
    const g: SideRecord | null = readG ? (freshG.get(l.ghl_id!) ?? null) : fp.g.rec === null ? null : fp.gRec;
    const o: SideRecord | null = readO ? (freshO.get(l.other_id!) ?? null) : fp.o.rec === null ? null : fp.oRec;
    // Nothing was read fresh for this pair: the first pass's merge had the very same inputs.
    const sameInputs = !readG && !readO;
    const subject = `link:${l.id}`;
    if (g === null && o === null) {
      ops.push({ op: 'unlink', link: l, reason: 'deleted on both sides', subject, retire: true });
      continue;
    }
    if (g === null || o === null) {
      const goneSide: Side = g === null ? 'ghl' : 'other';
      const survivor = (g ?? o) as SideRecord;
      const survivorSide: Side = goneSide === 'ghl' ? 'other' : 'ghl';
      const base = bases.get(l.id);
      const survivorBase = survivorSide === 'ghl' ? base?.ghl : base?.other;
      const changedSince = survivorBase ? !sameFields(survivor.fields, survivorBase, fieldKeys) : false;
      if (changedSince) {
        // Deleted on one side, edited on the other: keep the edit — recreate it where it was deleted.
        ops.push({
          op: 'unlink',
          link: l,
          reason: `deleted in ${goneSide === 'ghl' ? 'HighLevel' : sideName(w.other.system)} but changed in ${survivorSide === 'ghl' ? 'HighLevel' : sideName(w.other.system)} since the last sync: kept and recreated`,
          subject,
        });
        const create = createOp(w, config, survivor, survivorSide, parents);
        if (create) ops.push(create);
        continue;
      }
      if (config.deletePolicy === 'unlink')
        ops.push({
          op: 'unlink',
          link: l,
          reason: `deleted in ${goneSide === 'ghl' ? 'HighLevel' : sideName(w.other.system)}; delete policy is "unlink"`,
          subject,
          retire: true,
        });
      else
        ops.push({
          op: 'delete',
          target: survivorSide,
          link: l,
          record: survivor,
          policy: config.deletePolicy,
          subject,
        });
      continue;
    }
    const res = resolutions.get(l.id);
    const m =
      sameInputs && fp.m
        ? fp.m
        : mergeRecord(config.fields, bases.get(l.id), g.fields, o.fields, res?.values, { update: config.updateTo });
    const writes = Object.keys(m.toGhl).length + Object.keys(m.toOther).length;
    const baseNow = bases.get(l.id);
    const baseChanged =
      !baseNow || !sameFields(m.baseGhl, baseNow.ghl, fieldKeys) || !sameFields(m.baseOther, baseNow.other, fieldKeys);
    if (writes || m.conflicts.length || baseChanged || res || g.label !== l.label)
      ops.push({ op: 'merge', link: l, ghl: g, other: o, merge: m, subject });
  }
}

/** Records no link holds yet: matched into links or possible duplicates, created on the other side, or skipped. */
function planUnlinked(x: PlanCtx): void {
  const {
    w,
    config,
    store,
    parents,
    pair,
    entity,
    scopeG,
    scopeO,
    ops,
    byGhl,
    byOther,
    isLinked,
    rejectedIds,
    retired,
    gFetched,
    oFetched,
  } = x;
  // ---- records we have never linked ----
  function createOrSkip(r: SideRecord, side: Side): void {
    const create = createOp(w, config, r, side, parents);
    if (create) ops.push(create);
    // A child with no parent at all is out of scope (e.g. a note on a business's own record); one whose parent
    // is not linked yet is reported, and picked up once its parent is.
    else if (w.parentEntity && r.parentId && (side === 'ghl' ? config.createTo.other : config.createTo.ghl)) {
      const parentKind = w.parentEntity === 'lead' ? 'contact' : w.parentEntity;
      ops.push({
        op: 'skip',
        record: r,
        side,
        reason: `its ${parentKind} is not linked to ${side === 'ghl' ? sideName(w.other.system) : 'HighLevel'} yet`,
        subject: `skip:${side}:${entity}:${r.id}`,
      });
    }
  }
  // A record `ghl-bridge smoke --write` made (main/smoke/marker.ts) is never linked, matched or copied.
  const unlinked = (m: Map<string, SideRecord>, by: Map<string, LinkRow>, side: Side): SideRecord[] =>
    [...m.values()].filter((r) => {
      if (by.has(r.id)) return false;
      if (!isSmokeRecord(r)) return true;
      ops.push({ op: 'skip', record: r, side, reason: SMOKE_SKIP_REASON, subject: `skip:${side}:${entity}:${r.id}` });
      return false;
    });
  const unG = unlinked(gFetched, byGhl, 'ghl');
  const unO = unlinked(oFetched, byOther, 'other');
  if (w.matchable) {
    const apartIds = (ghlId: string, otherId: string) => store.apart.has(pair, entity, ghlId, otherId);
    const decisions = matchUnlinked({
      fetched: { ghl: new Map(unG.map((r) => [r.id, r])), other: new Map(unO.map((r) => [r.id, r])) },
      find: (side, key, value) => {
        const gone = side === 'ghl' ? retired.ghl : retired.other;
        const excluded = side === 'ghl' ? w.exclude?.ghl : w.exclude?.other;
        return store.mirror
          .findBy(side === 'ghl' ? scopeG : scopeO, key, value)
          .filter(
            (c) =>
              !isLinked(side, c.id) &&
              !gone.has(c.id) &&
              !excluded?.has(c.id) &&
              !(side === 'ghl' ? rejectedIds.ghl : rejectedIds.other).has(c.id),
          )
          .map((h) => ({ ...h }));
      },
      // Same side: either order was recorded; across sides, always HighLevel first.
      apart: (a, b) =>
        a.side === b.side
          ? apartIds(a.id, b.id) || apartIds(b.id, a.id)
          : a.side === 'ghl'
            ? apartIds(a.id, b.id)
            : apartIds(b.id, a.id),
    });
    for (const d of decisions) {
      if (d.kind === 'single') createOrSkip(d.record, d.side);
      else if (d.kind === 'link')
        ops.push({
          op: 'merge',
          ghl: d.ghl,
          other: d.other,
          merge: mergeRecord(config.fields, undefined, d.ghl.fields, d.other.fields, {}, { update: config.updateTo }),
          subject: `match:${pair}:${entity}:${d.ghl.id}:${d.other.id}`,
        });
      else {
        const group = { ghl: d.ghl, other: d.other };
        ops.push({ op: 'duplicate', ...group, subject: dupSubject(pair, entity, group), reason: d.reason });
      }
    }
  } else {
    for (const r of unG) createOrSkip(r, 'ghl');
    for (const r of unO) createOrSkip(r, 'other');
  }
}

/** The active links of what a change feed reported (and of links whose conflict resolution waits to be applied). */
function partialLinks(
  store: Store,
  pair: PairId,
  entity: EntityKind,
  fetched: { ghl: FetchResult; other: FetchResult },
  resolutionLinks: number[],
): LinkRow[] {
  const seen = new Set<number>();
  const out: LinkRow[] = [];
  const add = (l: LinkRow | undefined) => {
    if (l && l.state === 'active' && l.pair === pair && l.entity === entity && !seen.has(l.id)) {
      seen.add(l.id);
      out.push(l);
    }
  };
  for (const l of store.links.of(
    pair,
    entity,
    'ghl',
    fetched.ghl.records.map((r) => r.id),
  ))
    add(l);
  for (const l of store.links.of(
    pair,
    entity,
    'other',
    fetched.other.records.map((r) => r.id),
  ))
    add(l);
  for (const id of resolutionLinks) add(store.links.byId(id));
  // What a rolling re-read read completely: its records' links, and the links of its parents' children.
  for (const [side, f] of [
    ['ghl', fetched.ghl],
    ['other', fetched.other],
  ] as const) {
    if (f.covers?.ids?.length) for (const l of store.links.of(pair, entity, side, f.covers.ids)) add(l);
    if (f.covers?.parents?.length) for (const l of store.links.under(pair, entity, side, f.covers.parents)) add(l);
  }
  return out;
}

/** A rolling re-read's coverage as sets (undefined: the fetch covers nothing). */
function coverSets(f: FetchResult): { ids: Set<string>; parents: Set<string> } | undefined {
  if (!f.covers?.ids?.length && !f.covers?.parents?.length) return undefined;
  return { ids: new Set(f.covers.ids), parents: new Set(f.covers.parents) };
}

function sideName(s: SystemId): string {
  return s === 'aroflo' ? 'AroFlo' : s === 'aimfox' ? 'Aimfox' : 'HighLevel';
}

function dupSubject(pair: PairId, entity: EntityKind, g: { ghl: SideRecord[]; other: SideRecord[] }): string {
  return `dup:${pair}:${entity}:${g.ghl
    .map((r) => r.id)
    .sort()
    .join(',')}|${g.other
    .map((r) => r.id)
    .sort()
    .join(',')}`;
}

/** Fields that flow from `from` to the other side under the mapping. */
export function flowingFields(config: EntityConfig, from: Side, source: Fields): Fields {
  const out: Fields = {};
  for (const f of config.fields) {
    const flows = f.direction === 'both' || (from === 'ghl' ? f.direction === 'to_other' : f.direction === 'to_ghl');
    if (flows && f.key in source) out[f.key] = source[f.key] ?? null;
  }
  return out;
}

function createOp(
  w: EntityWiring,
  config: EntityConfig,
  r: SideRecord,
  from: Side,
  parents?: ParentResolver,
): PlanOp | undefined {
  const target: Side = from === 'ghl' ? 'other' : 'ghl';
  if (!(target === 'other' ? config.createTo.other : config.createTo.ghl)) return undefined;
  if (!(target === 'other' ? w.other : w.ghl).canCreate) return undefined;
  let parentId: string | undefined;
  if (w.parentEntity && !(w.parentOptional && !r.parentId)) {
    if (!r.parentId || !parents) return undefined;
    parentId = from === 'ghl' ? parents.toOther(r.parentId) : parents.toGhl(r.parentId);
    // The target has no such parent and GHL Bridge does not make one there: the record goes without it (its adapter
    // carries what names the parent, e.g. the company name).
    if (!parentId && !(w.parentOptional && w.parentCarried?.[target])) return undefined;
  }
  const subject = `${from === 'ghl' ? 'ghl' : w.other.system}:${w.entity}:${r.id}`;
  return {
    op: 'create',
    target,
    source: r,
    sourceSide: from,
    subject,
    item: { subject, fields: flowingFields(config, from, r.fields), parentId, kind: r.kind, label: r.label, source: r },
  };
}
