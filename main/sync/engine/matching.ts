/**
 * First-link matching of records no link holds yet (see main/sync/README.md, "Matching").
 *
 * The unlinked records are a graph: two records are joined when they share an email or another stable key (a
 * LinkedIn profile) — a strong tie — or a phone — a weak tie, which only links records that do not both carry an
 * email and whose first and last names agree. Records with different emails are never linked (different people unless a person links them); their shared
 * phone only proposes: a record that would be copied into a system where an unlinked record with another email holds
 * its phone is offered for review with it instead (HighLevel itself refuses a second contact with the same phone).
 * Each connected group is then decided as a whole:
 *  - one record alone: copied to the other side;
 *  - exactly one record on each side: linked, when they are tied by a key that only they hold;
 *  - anything else (two records on one side share a key, one record's email points at one record and its phone at
 *    another, a phone shared with a record that has no email or with one about to be copied across): ONE
 *    possible-duplicate item holding every record of the group, whichever side it was found from; nothing of it is
 *    linked or copied until a person decides.
 * A name alone never ties two records. Because a group is decided once, the preview and the run raise the same
 * items, and a record linked in this pass is never offered again in the same pass.
 */
import type { Side } from './planner.js';
import type { SideRecord } from './types.js';

export type MatchKey = 'email' | 'phone' | 'alt_key';

export interface MatchInput {
  /** Unlinked records this run read, per side (the starting points). */
  fetched: { ghl: ReadonlyMap<string, SideRecord>; other: ReadonlyMap<string, SideRecord> };
  /** Unlinked records of a side holding this key (the remembered listing, fetched or not). */
  find(side: Side, key: MatchKey, value: string): SideRecord[];
  /** A person said these two are different records. */
  apart(a: { side: Side; id: string }, b: { side: Side; id: string }): boolean;
}

export type MatchDecision =
  | { kind: 'link'; ghl: SideRecord; other: SideRecord }
  | { kind: 'single'; side: Side; record: SideRecord }
  | { kind: 'ambiguous'; ghl: SideRecord[]; other: SideRecord[]; reason: string };

interface Node {
  side: Side;
  rec: SideRecord;
  fetched: boolean;
}

const keyOf = (side: Side, id: string) => `${side}:${id}`;
const valueOf = (r: SideRecord, k: MatchKey) => (k === 'email' ? r.email : k === 'phone' ? r.phone : r.altKey) ?? null;

/** How a shared phone ties two records: weakly, or — when both carry an email — it only proposes. */
function phoneTie(a: SideRecord, b: SideRecord): Tie {
  return a.email && b.email ? 'proposal' : 'weak';
}

/** A person's name as matching compares it: first and last name (or the label), lower case, without accents or punctuation. */
function nameOf(r: SideRecord): string {
  const f = r.fields;
  const raw = f.firstName || f.lastName ? `${f.firstName ?? ''} ${f.lastName ?? ''}` : r.label;
  return raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
const sameName = (a: SideRecord, b: SideRecord) => !!nameOf(a) && nameOf(a) === nameOf(b);

type Tie = 'strong' | 'weak' | 'proposal';
const RANK: Record<Tie, number> = { proposal: 0, weak: 1, strong: 2 };

export function matchUnlinked(input: MatchInput): MatchDecision[] {
  const nodes = new Map<string, Node>();
  const edges = new Map<string, Map<string, Tie>>();
  const node = (side: Side, rec: SideRecord): string => {
    const k = keyOf(side, rec.id);
    const have = nodes.get(k);
    const fetched = (side === 'ghl' ? input.fetched.ghl : input.fetched.other).get(rec.id);
    if (!have) nodes.set(k, { side, rec: fetched ?? rec, fetched: !!fetched });
    return k;
  };
  const tie = (a: string, b: string, kind: Tie) => {
    if (a === b) return;
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      const m = edges.get(x) ?? new Map<string, Tie>();
      const had = m.get(y);
      if (!had || RANK[had] < RANK[kind]) m.set(y, kind);
      edges.set(x, m);
    }
  };

  const decisions: MatchDecision[] = [];
  const done = new Set<string>();
  const starts: string[] = [];
  for (const side of ['ghl', 'other'] as const)
    for (const r of (side === 'ghl' ? input.fetched.ghl : input.fetched.other).values()) starts.push(node(side, r));

  for (const start of starts) {
    if (done.has(start)) continue;
    // The connected group of `start`, found through the keys.
    const group: string[] = [];
    const queue = [start];
    done.add(start);
    while (queue.length) {
      const k = queue.shift()!;
      group.push(k);
      const n = nodes.get(k)!;
      for (const key of ['email', 'alt_key', 'phone'] as const) {
        const v = valueOf(n.rec, key);
        if (!v) continue;
        for (const side of ['ghl', 'other'] as const) {
          for (const hit of input.find(side, key, v)) {
            if (side === n.side && hit.id === n.rec.id) continue;
            if (input.apart({ side: n.side, id: n.rec.id }, { side, id: hit.id })) continue;
            const hk = node(side, hit);
            const h = nodes.get(hk)!;
            const kind = key === 'phone' ? phoneTie(n.rec, h.rec) : 'strong';
            // Records with different emails on one side are simply different people (nothing is copied onto them).
            if (kind === 'proposal' && side === n.side) continue;
            tie(k, hk, kind);
            if (!done.has(hk)) {
              done.add(hk);
              queue.push(hk);
            }
          }
        }
      }
    }
    decideGroup(group, nodes, edges, decisions);
  }
  return decisions;
}

function decideGroup(
  group: string[],
  nodes: Map<string, Node>,
  edges: Map<string, Map<string, Tie>>,
  out: MatchDecision[],
): void {
  if (group.length === 1) {
    const n = nodes.get(group[0]!)!;
    if (n.fetched) out.push({ kind: 'single', side: n.side, record: n.rec });
    return;
  }
  // Pairs: a key held by exactly one record on each side of the group (strong keys first, then phones among the rest).
  const partner = new Map<string, string>();
  const pairBy = (
    key: MatchKey,
    free: (k: string) => boolean,
    agree: (a: SideRecord, b: SideRecord) => boolean = () => true,
  ) => {
    const holders = new Map<string, string[]>();
    for (const k of group) {
      if (!free(k)) continue;
      const v = valueOf(nodes.get(k)!.rec, key);
      if (v) holders.set(v, [...(holders.get(v) ?? []), k]);
    }
    const proposed = new Map<string, string>();
    const clash = new Set<string>();
    for (const hs of holders.values()) {
      const g = hs.filter((k) => nodes.get(k)!.side === 'ghl');
      const o = hs.filter((k) => nodes.get(k)!.side === 'other');
      if (g.length !== 1 || o.length !== 1) continue;
      const [a, b] = [g[0]!, o[0]!];
      const t = edges.get(a)?.get(b);
      if (!t || t === 'proposal') continue; // a person said they are apart, or a phone that may not tie them
      if (!agree(nodes.get(a)!.rec, nodes.get(b)!.rec)) continue;
      for (const [x, y] of [
        [a, b],
        [b, a],
      ] as const) {
        if (proposed.has(x) && proposed.get(x) !== y) clash.add(x);
        proposed.set(x, y);
      }
    }
    for (const [x, y] of proposed) if (!clash.has(x) && !clash.has(y)) partner.set(x, y);
  };
  pairBy('email', () => true);
  pairBy('alt_key', (k) => !partner.has(k));
  const strong = new Set(partner.keys());
  // A phone alone (a household's, an office's) links only two records whose names agree; otherwise it proposes.
  pairBy(
    'phone',
    (k) => !partner.has(k),
    (a, b) => sameName(a, b),
  );

  // A pair tied by a key only they hold, whose two records also agree on a phone (the office's), is not held back by
  // another record that only shares that phone: the pair links, and that record is asked about on its own, with the
  // pair's record in the other system as context. (One whose phone is one of the pair's records' only — split keys —
  // still joins the pair's group.)
  const phoneOf = (k: string) => nodes.get(k)!.rec.phone ?? null;
  const sharedByPair = (x: string, r: string) =>
    strong.has(x) &&
    !partner.has(r) &&
    !!phoneOf(r) &&
    phoneOf(x) === phoneOf(r) &&
    phoneOf(partner.get(x)!) === phoneOf(r);
  const context = new Map<string, Set<string>>();
  const note = (r: string, x: string) => {
    const opposite = nodes.get(x)!.side !== nodes.get(r)!.side ? x : partner.get(x)!;
    context.set(r, (context.get(r) ?? new Set()).add(opposite));
  };

  // Units: a pair, or a record left alone. Any tie between two units makes them one ambiguous group.
  const unit = (k: string) => {
    const p = partner.get(k);
    return p && p < k ? p : k;
  };
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const k of group) {
    for (const [other, t] of edges.get(k) ?? []) {
      // A proposal only holds back two records that would each be copied into the other's system.
      if (t === 'proposal' && (partner.has(k) || partner.has(other))) continue;
      if (t === 'weak' && (sharedByPair(k, other) || sharedByPair(other, k))) {
        if (sharedByPair(k, other)) note(other, k);
        else note(k, other);
        continue;
      }
      const a = find(unit(k));
      const b = find(unit(other));
      if (a !== b) parent.set(a, b);
    }
  }
  const byRoot = new Map<string, string[]>();
  for (const k of group) {
    const r = find(unit(k));
    byRoot.set(r, [...(byRoot.get(r) ?? []), k]);
  }
  for (const members of byRoot.values()) {
    const recs = members.map((k) => nodes.get(k)!);
    if (members.length === 2 && partner.get(members[0]!) === members[1]) {
      const g = recs.find((n) => n.side === 'ghl')!;
      const o = recs.find((n) => n.side === 'other')!;
      out.push({ kind: 'link', ghl: g.rec, other: o.rec });
      continue;
    }
    const ctx = [...new Set(members.flatMap((k) => [...(context.get(k) ?? [])]))].filter((k) => !members.includes(k));
    if (members.length === 1 && !ctx.length) {
      const n = recs[0]!;
      if (n.fetched) out.push({ kind: 'single', side: n.side, record: n.rec });
      continue;
    }
    const all = [...recs, ...ctx.map((k) => nodes.get(k)!)];
    const ghl = all.filter((n) => n.side === 'ghl').map((n) => n.rec);
    const other = all.filter((n) => n.side === 'other').map((n) => n.rec);
    const reason = ctx.length
      ? `shares only a phone with ${ctx.length === 1 ? 'a person' : `${ctx.length} people`} linked by email (an office or household phone): the same person, or someone else?`
      : !ghl.length || !other.length
        ? `${members.length} records in one system share an email, phone or profile`
        : `${members.length} records share an email, phone or profile and cannot be paired with certainty`;
    out.push({ kind: 'ambiguous', ghl, other, reason });
  }
}
