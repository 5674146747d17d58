/**
 * One record across the systems (the record page, `ghl-bridge record`, "Sync this record now"): which links hold a
 * person (or a task, a note), their current values — read live by id through the connectors, or the store's copy
 * when that cannot be done — beside their bases, their history, every write the bridge made and their conflicts.
 */
import type {
  EntityKind,
  PairId,
  PairMapping,
  RecordChange,
  RecordFieldView,
  RecordLinkView,
  RecordSearch,
  RecordSideView,
  RecordView,
  RecordWrite,
} from '../../preload/contract.js';
import { mirrorScope, type LinkRow, type Store } from '../store/repositories.js';
import { entityMapping, fieldLabels, scopeKey, type RunScope, type WiredEntity } from '../sync/index.js';
import type { SideRecord } from '../sync/engine/types.js';
import { email as normalEmail, phone as normalPhone } from '../sync/sides/normalize.js';
import { readFindings } from './findings.js';

/** The links a record page shows: the person's (one per pair) and their linked tasks and notes. */
export interface RecordLinks {
  root: LinkRow;
  links: LinkRow[];
}

const PEOPLE: EntityKind[] = ['contact', 'lead'];
const CHILDREN: EntityKind[] = ['task', 'note'];
const PAIRS: PairId[] = ['ghl-aroflo', 'ghl-aimfox'];

/** The links of the record a link belongs to: for a person, every pair's link of that HighLevel contact and their children. */
export function linksOf(store: Store, root: LinkRow): RecordLinks {
  if (!PEOPLE.includes(root.entity) || !root.ghl_id) return { root, links: [root] };
  const people = store.records
    .linksFor(root.ghl_id)
    .filter((l) => l.state === 'active' && PEOPLE.includes(l.entity) && l.ghl_id === root.ghl_id);
  if (!people.some((l) => l.id === root.id)) people.unshift(root);
  const children: LinkRow[] = [];
  for (const pair of PAIRS) {
    const mine = people.filter((l) => l.pair === pair);
    const byGhl = store.records.children(pair, 'ghl', [root.ghl_id]);
    const byOther = store.records.children(
      pair,
      'other',
      mine.map((l) => l.other_id).filter((x): x is string => !!x),
    );
    for (const l of [...byGhl, ...byOther])
      if (CHILDREN.includes(l.entity) && !children.some((c) => c.id === l.id)) children.push(l);
  }
  return { root, links: [...people.sort((a, b) => PAIRS.indexOf(a.pair) - PAIRS.indexOf(b.pair)), ...children] };
}

/** Find a record: a link id (`12` or `link:12`), any system id, an email, a phone, or a name (several may match). */
export function findRecord(store: Store, q: string): { found?: LinkRow; matches: LinkRow[] } {
  const text = q.trim();
  if (!text) return { matches: [] };
  const pick = (ls: LinkRow[]) => {
    const people = dedupe(ls.filter((l) => l.state === 'active'));
    // One HighLevel contact (in one or more pairs) is one record.
    const persons = new Set(people.map((l) => (PEOPLE.includes(l.entity) ? `p:${l.ghl_id ?? l.id}` : `l:${l.id}`)));
    return { found: persons.size === 1 ? people[0] : undefined, matches: people };
  };
  const byId = store.records.linksFor(text);
  if (byId.some((l) => l.state === 'active')) return pick(byId);
  // A record page's own key (its link id), after system ids (Aimfox ids are numbers too).
  const n = /^(?:link:)?(\d{1,12})$/.exec(text);
  if (n) {
    const l = store.links.byId(Number(n[1]));
    if (l) return { found: l, matches: [l] };
  }
  const ids = new Set<string>();
  const mail = text.includes('@') ? normalEmail(text) : null;
  const tel = /^[\d\s()+.-]{6,}$/.test(text) ? normalPhone(text) : null;
  for (const pair of PAIRS)
    for (const entity of ['contact', 'lead'] as const)
      for (const sys of ['ghl', pair === 'ghl-aroflo' ? 'aroflo' : 'aimfox'] as const) {
        const scope = mirrorScope(pair, entity, sys);
        if (mail) for (const r of store.mirror.findBy(scope, 'email', mail)) ids.add(r.id);
        if (tel) for (const r of store.mirror.findBy(scope, 'phone', tel)) ids.add(r.id);
      }
  if (ids.size) return pick([...ids].flatMap((id) => store.records.linksFor(id)));
  return pick(store.records.search(text, 20));
}

const dedupe = (ls: LinkRow[]) => ls.filter((l, i) => ls.findIndex((x) => x.id === l.id) === i);

/** "Sync this record now": the ids a scoped run reads, per entity and side. */
export function recordScope(r: RecordLinks): RunScope {
  const ids: RunScope['ids'] = {};
  for (const l of r.links) {
    if (l.state !== 'active') continue;
    const k = scopeKey(l.pair, l.entity);
    const e = (ids[k] ??= { ghl: [], other: [] });
    if (l.ghl_id) e.ghl.push(l.ghl_id);
    if (l.other_id) e.other.push(l.other_id);
  }
  return { ids };
}

/** Current values read live, by link and side; `error` when a read failed (the view falls back to the store's copy). */
export interface LiveReads {
  at: number;
  get(l: LinkRow, side: 'ghl' | 'other'): SideRecord | null | undefined;
  error?: string;
}

/** Read every link's records by id through the wired sides (one read per entity and side). */
export async function readLive(entities: WiredEntity[], links: LinkRow[], now: () => number): Promise<LiveReads> {
  const got = new Map<string, SideRecord | null>();
  const key = (l: LinkRow, side: string) => `${l.id}:${side}`;
  let error: string | undefined;
  for (const e of entities) {
    const mine = links.filter((l) => l.pair === e.wiring.pair && l.entity === e.wiring.entity && l.state === 'active');
    if (!mine.length) continue;
    try {
      const [g, o] = await Promise.all([
        e.wiring.ghl.getMany(mine.map((l) => l.ghl_id).filter((x): x is string => !!x)),
        e.wiring.other.getMany(mine.map((l) => l.other_id).filter((x): x is string => !!x)),
      ]);
      // An id a side could not read (left out of its answer) is not "gone": the page shows the last copy read.
      for (const l of mine) {
        if (l.ghl_id && g.has(l.ghl_id)) got.set(key(l, 'ghl'), g.get(l.ghl_id) ?? null);
        if (l.other_id && o.has(l.other_id)) got.set(key(l, 'other'), o.get(l.other_id) ?? null);
      }
    } catch (err) {
      error = (err as Error).message;
    }
  }
  return { at: now(), get: (l, side) => got.get(key(l, side)), error };
}

const OTHER: Record<PairId, 'aroflo' | 'aimfox'> = { 'ghl-aroflo': 'aroflo', 'ghl-aimfox': 'aimfox' };

/** The record page's data. `live` undefined: no live read was possible (`offline` says why). */
export function recordView(args: {
  store: Store;
  found: RecordLinks;
  mappings: readonly PairMapping[];
  live?: LiveReads;
  offline?: string;
  ghlUrl: (id: string) => string | undefined;
}): RecordView {
  const { store, found, live } = args;
  const linkIds = found.links.map((l) => l.id);
  const bases = store.bases.of(linkIds);
  const links: RecordLinkView[] = found.links.map((l) => {
    const m = args.mappings.find((x) => x.pair === l.pair);
    const em = m && entityMapping(m, l.entity);
    const labels = em ? fieldLabels(em) : {};
    const base = bases.get(l.id);
    const sideOf = (side: 'ghl' | 'other'): { view: RecordSideView; rec?: SideRecord | null } => {
      const system = side === 'ghl' ? 'ghl' : OTHER[l.pair];
      const id = side === 'ghl' ? l.ghl_id : l.other_id;
      if (!id) return { view: { system, id: null, source: 'none' } };
      const url = side === 'ghl' ? args.ghlUrl(id) : undefined;
      const r = live?.get(l, side);
      if (r !== undefined)
        return {
          view: { system, id, source: r ? 'live' : 'gone', readAt: live!.at, label: r?.label, url },
          rec: r,
        };
      const scope = mirrorScope(l.pair, l.entity, system);
      const mir = store.mirror.get(scope, [id]).get(id);
      return {
        view: {
          system,
          id,
          source: mir ? 'mirror' : 'none',
          readAt: mir ? store.records.mirrorSeenAt(scope, id) : undefined,
          label: mir?.label,
          url,
        },
        rec: mir ? { ...mir, email: mir.email, phone: mir.phone } : undefined,
      };
    };
    const g = sideOf('ghl');
    const o = sideOf('other');
    const keys = em
      ? em.fields.map((f) => f.key)
      : [...new Set([...Object.keys(base?.ghl ?? {}), ...Object.keys(base?.other ?? {})])];
    const fields: RecordFieldView[] = keys.map((key) => {
      const gc = g.rec ? (g.rec.fields[key] ?? null) : null;
      const oc = o.rec ? (o.rec.fields[key] ?? null) : null;
      const gb = base?.ghl[key] ?? null;
      const ob = base?.other[key] ?? null;
      return {
        key,
        label: labels[key] ?? key,
        ghl: { current: gc, base: gb },
        other: { current: oc, base: ob },
        changed: { ghl: !!g.rec && !!base && gc !== gb, other: !!o.rec && !!base && oc !== ob },
      };
    });
    return {
      linkId: l.id,
      pair: l.pair,
      entity: l.entity,
      label: l.label,
      state: l.state,
      ghl: g.view,
      other: o.view,
      syncedAt: store.records.baseSyncedAt(l.id),
      fields,
    };
  });

  const audit = store.records.audit(linkIds, 500);
  const outbox = store.records.outbox(linkIds, 200);
  // One write = one record written in one run (its audit rows, one per field), with the outbox's outcome.
  const writes = new Map<string, RecordWrite>();
  for (const a of audit) {
    const k = `${a.runId}|${a.system}|${a.linkId}|${a.recordId}|${a.action}`;
    let w = writes.get(k);
    if (!w) {
      const ob = outbox.find((o) => o.run_id === a.runId && o.link_id === a.linkId && o.system === a.system);
      writes.set(
        k,
        (w = {
          at: a.at,
          runId: a.runId,
          system: a.system,
          entity: a.entity,
          linkId: a.linkId,
          action: a.action,
          outcome: ob?.state ?? 'done',
          fields: [],
          ...(ob?.error ? { error: ob.error } : {}),
          ...(a.undone_by ? { undoneBy: a.undone_by } : {}),
        }),
      );
    }
    if (a.field)
      w.fields.push({
        field: labelOf(args.mappings, found.links, a.linkId, a.field),
        before: a.before ?? null,
        after: a.after ?? null,
      });
  }
  // Writes that went out but never reached the audit (failed, pending, abandoned).
  for (const o of outbox) {
    if (o.state === 'confirmed') continue;
    if ([...writes.values()].some((w) => w.runId === o.run_id && w.linkId === o.link_id && w.system === o.system))
      continue;
    writes.set(`outbox:${o.id}`, {
      at: o.created_at,
      runId: o.run_id,
      system: o.system,
      entity: o.entity,
      linkId: o.link_id,
      action: o.action,
      outcome: o.state,
      fields: [],
      ...(o.error ? { error: o.error } : {}),
    });
  }
  // The field history: the change stream (main/store/README.md, table `changes`) — every change a person made in a
  // system, as the bridge saw it, and every change the bridge made — one row per field.
  const history: RecordChange[] = found.links
    .flatMap((l) => store.changes.list({ linkId: l.id, limit: 200 }).items)
    .sort((a, b) => b.at - a.at || b.id - a.id)
    .slice(0, 300)
    .flatMap((c) =>
      (c.fields.length ? c.fields : [{ field: '', before: null, after: null }]).map((f) => ({
        at: c.at,
        system: c.system,
        linkId: c.linkId ?? 0,
        entity: c.entity,
        field: f.field ? labelOf(args.mappings, found.links, c.linkId, f.field) : `(${c.action})`,
        before: f.before,
        after: f.after,
        by: c.who,
        runId: c.runId,
      })),
    );

  const conflicts = store.records.conflicts(linkIds).map((c) => {
    const diffs = JSON.parse(c.diffs || '[]') as Array<{ field: string; label?: string }>;
    return {
      id: c.id,
      kind: c.kind,
      status: c.status,
      label: c.label,
      fields: diffs.map((d) => d.label || d.field),
      createdAt: c.created_at,
    };
  });
  const ids = new Set(linkIds);
  return {
    key: String(found.root.id),
    label: found.root.label,
    entity: found.root.entity,
    ...(live ? { readAt: live.at } : {}),
    ...(args.offline ? { offline: args.offline } : {}),
    links,
    history,
    writes: [...writes.values()].sort((a, b) => b.at - a.at),
    conflicts,
    findings: readFindings(store).filter((f) => ids.has(f.linkId)),
  };
}

function labelOf(mappings: readonly PairMapping[], links: LinkRow[], linkId: number | null, field: string): string {
  const l = links.find((x) => x.id === linkId);
  const m = l && mappings.find((x) => x.pair === l.pair);
  const em = m && l && entityMapping(m, l.entity);
  return (em && fieldLabels(em)[field]) || field;
}

/** What a search found, as the API answers it. */
export function searchResult(store: Store, matches: LinkRow[], record?: RecordView): RecordSearch {
  return {
    ...(record ? { record } : {}),
    matches: matches.slice(0, 50).map((l) => ({
      key: String(l.id),
      label: l.label,
      entity: l.entity,
      pair: l.pair,
      ids: [l.ghl_id, l.other_id].filter((x): x is string => !!x),
    })),
  };
}
