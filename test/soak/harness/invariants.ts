/**
 * The soak's verdict, once the faults have stopped and the sync is quiet:
 *  - no duplicate record in any system (people by email/phone, tasks, notes), counted against the world as seeded;
 *  - no lost edit: every recorded edit's last value (per record and field, across linked copies) is present in
 *    every system it flows to, or held by an open conflict, or superseded by a later delete;
 *  - ID map and base snapshots consistent with both systems: every active link's records exist, and each side's
 *    base equals what that side holds (unless an open conflict froze the field);
 *  - every write the audit log claims really happened (checked against the sandboxes, on a sample).
 */
import type { Store } from '../../../main/store/repositories.js';
import { isOfficePhone, type Edit, type Family, type Sys } from './edits.js';
import type { Rng } from './random.js';
import { JOB_NOTE_LEADS, type ChildRec, type PersonRec, type Snapshot } from './snapshot.js';

export interface Finding {
  kind: 'duplicate' | 'lost_edit' | 'id_map' | 'base' | 'audit';
  message: string;
}

type Pair = 'ghl-aroflo' | 'ghl-aimfox';
interface Link {
  id: number;
  pair: Pair;
  entity: string;
  ghl_id: string | null;
  other_id: string | null;
  state: string;
  created_at?: number;
}

const FAMILY: Record<string, Family | undefined> = { contact: 'person', lead: 'person', task: 'task', note: 'note' };
const OTHER: Record<Pair, Sys> = { 'ghl-aroflo': 'aroflo', 'ghl-aimfox': 'aimfox' };
const node = (sys: Sys, fam: Family, id: string) => `${sys}|${fam}|${id}`;
const parseNode = (n: string) => {
  const [sys, fam, ...rest] = n.split('|');
  return { sys: sys as Sys, fam: fam as Family, id: rest.join('|') };
};

/** Which fields flow over a link of `pair` from one side to the other (the default mappings). */
export function flows(pair: Pair, fam: Family, field: string, from: 'ghl' | 'other'): boolean {
  if (pair === 'ghl-aroflo') {
    if (fam === 'person') return ['firstName', 'lastName', 'email', 'phone'].includes(field);
    if (fam === 'task') return field === 'body' ? from === 'ghl' : ['title', 'dueDate', 'completed'].includes(field);
    return field === 'body';
  }
  if (fam === 'person') return field.startsWith('label:') && from === 'ghl';
  return fam === 'note' && field === 'body' && from === 'ghl';
}

class Dsu {
  private readonly p = new Map<string, string>();
  find(x: string): string {
    let r = x;
    while (this.p.has(r) && this.p.get(r) !== r) r = this.p.get(r)!;
    this.p.set(x, r);
    return r;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.p.set(ra, rb);
  }
}

export class World {
  constructor(readonly snap: Snapshot) {}

  record(sys: Sys, fam: Family, id: string): PersonRec | ChildRec | undefined {
    const s = this.snap;
    if (sys === 'ghl')
      return fam === 'person' ? s.ghl.contacts.get(id) : fam === 'task' ? s.ghl.tasks.get(id) : s.ghl.notes.get(id);
    if (sys === 'aroflo')
      return fam === 'person'
        ? s.aroflo.people.get(id)
        : fam === 'task'
          ? s.aroflo.tasks.get(id)
          : s.aroflo.notes.get(id);
    return fam === 'person' ? s.aimfox.leads.get(id) : fam === 'note' ? s.aimfox.notes.get(id) : undefined;
  }

  live(sys: Sys, fam: Family, id: string): boolean {
    return !!this.record(sys, fam, id)?.live;
  }

  /** Whether the record holds the value (AroFlo tasks may hold a change they cannot take as a note on the job). */
  holds(sys: Sys, fam: Family, id: string, field: string, value: string | null | undefined): boolean {
    const r = this.record(sys, fam, id);
    if (!r?.live) return false;
    if (field.startsWith('label:')) {
      const labels = JSON.parse(r.fields.labels ?? '[]') as string[];
      return labels.includes(field.slice(6)) === (value === 'present');
    }
    if ((r.fields[field] ?? null) === (value ?? null)) return true;
    if (sys === 'aroflo' && fam === 'task' && value) {
      const notes = (r as ChildRec).notes ?? [];
      const lead = field === 'title' || field === 'dueDate' || field === 'body' ? JOB_NOTE_LEADS[field] : undefined;
      return !!lead && notes.some((n) => n.startsWith(lead) && n.includes(value));
    }
    return false;
  }
}

export interface CheckInput {
  store: Store;
  snap: Snapshot;
  baseline: Snapshot;
  edits: Edit[];
  rng: Rng;
  auditSample: number;
}

export function checkAll(input: CheckInput): Finding[] {
  return [
    ...checkDuplicates(input.baseline, input.snap, graph(input.store)),
    ...checkAccounted(input),
    ...checkEdits(input),
    ...checkIdMap(input),
    ...checkAudit(input),
  ];
}

/**
 * Every person record that appeared during the soak is accounted for: made by one of the soak's own edits, or by
 * exactly one confirmed create of the bridge, whose source made no other live record in that system. A record made
 * by an interrupted create that was never confirmed (an orphan, later copied back) or a second record made from one
 * source is a twin — whatever its name or fields became since (names are edited too, so counting by name misses it).
 */
export function checkAccounted(input: Pick<CheckInput, 'store' | 'snap' | 'baseline' | 'edits'>): Finding[] {
  const out: Finding[] = [];
  const creates = input.store.outbox.confirmedCreates();
  const systems: Array<[Sys, (s: Snapshot) => Map<string, PersonRec>, string]> = [
    ['ghl', (s) => s.ghl.contacts, 'HighLevel contact'],
    ['aroflo', (s) => s.aroflo.people, 'AroFlo person'],
  ];
  for (const [sys, people, what] of systems) {
    const before = people(input.baseline);
    const now = people(input.snap);
    const byEdit = new Set(
      input.edits.filter((e) => e.op === 'create' && e.system === sys && e.family === 'person').map((e) => e.id),
    );
    const made = creates.filter((c) => c.system === sys);
    const byBridge = new Set(made.map((c) => c.result_id));
    for (const r of now.values()) {
      if (!r.live || before.has(r.id) || byEdit.has(r.id) || byBridge.has(r.id)) continue;
      out.push({
        kind: 'duplicate',
        message: `${what} ${r.id} ("${`${r.fields.firstName ?? ''} ${r.fields.lastName ?? ''}`.trim()}") was made neither by an edit nor by a confirmed create: an orphan of an interrupted create`,
      });
    }
    const perSource = new Map<string, string[]>();
    for (const c of made)
      if (now.get(c.result_id)?.live)
        perSource.set(`${c.pair}|${c.subject}`, [...(perSource.get(`${c.pair}|${c.subject}`) ?? []), c.result_id]);
    for (const [src, ids] of perSource)
      if (ids.length > 1)
        out.push({ kind: 'duplicate', message: `${what}s ${ids.join(', ')} were all made from one source (${src})` });
  }
  return out;
}

// ---------------------------------------------------------------- duplicates

function countBy<T>(items: Iterable<T>, key: (x: T) => string | null | undefined): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of items) {
    const k = key(x);
    if (k) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

export function checkDuplicates(baseline: Snapshot, snap: Snapshot, g: Graph): Finding[] {
  const out: Finding[] = [];
  // People: a key (email, phone, LinkedIn profile) held by more records than before the soak.
  const compare = (what: string, before: Map<string, number>, after: Map<string, number>) => {
    for (const [k, n] of after)
      if (n > Math.max(1, before.get(k) ?? 0))
        out.push({
          kind: 'duplicate',
          message: `${what} "${k}" is held by ${n} records (${before.get(k) ?? 0} before the soak)`,
        });
  };
  // An office phone is shared by several people on purpose (edits.ts, officePhone); a person with neither email nor
  // phone (or only an office phone) is told apart by name — the soak's names carry a nonce.
  const ownPhone = (r: PersonRec) => (isOfficePhone(r.fields.phone) ? null : r.fields.phone);
  const nameOfKeyless = (r: PersonRec) =>
    !r.fields.email && !ownPhone(r)
      ? `${r.fields.firstName ?? ''} ${r.fields.lastName ?? ''}`.trim().toLowerCase() || null
      : null;
  const people: Array<[string, (s: Snapshot) => Iterable<PersonRec>, (r: PersonRec) => string | null | undefined]> = [
    ['HighLevel contact email', (s) => s.ghl.contacts.values(), (r) => r.fields.email],
    ['HighLevel contact phone', (s) => s.ghl.contacts.values(), ownPhone],
    ['HighLevel contact without email or phone, named', (s) => s.ghl.contacts.values(), nameOfKeyless],
    ['AroFlo person email', (s) => [...s.aroflo.people.values()].filter((p) => p.live), (r) => r.fields.email],
    ['AroFlo person phone', (s) => [...s.aroflo.people.values()].filter((p) => p.live), ownPhone],
    [
      'AroFlo person without email or phone, named',
      (s) => [...s.aroflo.people.values()].filter((p) => p.live),
      nameOfKeyless,
    ],
    ['Aimfox lead', (s) => s.aimfox.leads.values(), (r) => r.linkedin],
  ];
  for (const [what, items, key] of people) compare(what, countBy(items(baseline), key), countBy(items(snap), key));

  // Tasks and notes: per person (across linked copies) and content, no system may hold more copies than there
  // were such records before the soak in all systems together (at least one). Two notes that were alike stay two.
  const groups = new Map<string, { now: Record<Sys, number>; before: Record<Sys, number>; label: string }>();
  const zero = (): Record<Sys, number> => ({ ghl: 0, aroflo: 0, aimfox: 0 });
  const linkedAro = new Set(
    g.links.filter((l) => l.pair === 'ghl-aroflo' && l.entity === 'note' && l.other_id).map((l) => l.other_id!),
  );
  const business = new Map<string, { now: number; before: number; linked: number }>();
  const tally = (s: Snapshot, when: 'now' | 'before') => {
    const add = (sys: Sys, fam: Family, parent: string | undefined, content: string | null | undefined) => {
      if (!parent || !content) return;
      const k = `${g.dsu.find(node(sys, 'person', parent))}#${fam}#${content}`;
      const e = groups.get(k) ?? {
        now: zero(),
        before: zero(),
        label: `${fam} "${content.slice(0, 60)}" of ${sys} ${parent}`,
      };
      e[when][sys]++;
      groups.set(k, e);
    };
    // AroFlo keeps 50 characters of a job's name.
    for (const t of s.ghl.tasks.values()) add('ghl', 'task', t.parent, t.fields.title?.slice(0, 50));
    for (const t of s.aroflo.tasks.values()) if (t.live) add('aroflo', 'task', t.parent, t.fields.title?.slice(0, 50));
    for (const n of s.ghl.notes.values()) add('ghl', 'note', n.parent, n.fields.body);
    for (const n of s.aimfox.notes.values()) add('aimfox', 'note', n.parent, n.fields.body);
    for (const n of s.aroflo.notes.values()) {
      if (!n.live) continue;
      if (
        n.id.startsWith('clientnote:') &&
        !s.aroflo.people.get(n.parent ?? '')?.live &&
        !baseline.aroflo.people.get(n.parent ?? '')?.live
      ) {
        // A note on a business's own record: HighLevel notes of its people land here, so count it against what is linked.
        const k = `${n.parent}#${n.fields.body}`;
        const e = business.get(k) ?? { now: 0, before: 0, linked: 0 };
        e[when]++;
        if (when === 'now' && linkedAro.has(n.id)) e.linked++;
        business.set(k, e);
      } else add('aroflo', 'note', n.parent, n.fields.body);
    }
  };
  tally(baseline, 'before');
  tally(snap, 'now');
  for (const e of groups.values()) {
    // Each record that existed before may be copied once into every other system.
    const allowed = Math.max(1, e.before.ghl + e.before.aroflo + e.before.aimfox);
    for (const sys of ['ghl', 'aroflo', 'aimfox'] as const)
      if (e.now[sys] > allowed)
        out.push({
          kind: 'duplicate',
          message: `${sys} holds ${e.now[sys]} copies of ${e.label} (at most ${allowed} expected)`,
        });
  }
  for (const [k, e] of business)
    if (e.now > Math.max(e.before, 0) + e.linked && e.now > 1)
      out.push({
        kind: 'duplicate',
        message: `AroFlo holds ${e.now} copies of the business note ${k} (${e.linked} linked, ${e.before} before)`,
      });
  return [...out, ...checkJobNotes(snap)];
}

/** The bridge's notes on a job: one change noted twice in a row (a field changed back and forth is noted each time). */
export function checkJobNotes(snap: Snapshot): Finding[] {
  const out: Finding[] = [];
  for (const t of snap.aroflo.tasks.values()) {
    for (const lead of Object.values(JOB_NOTE_LEADS)) {
      const said = (t.notes ?? []).filter((n) => n.startsWith(lead));
      const twice = said.find((n, i) => i > 0 && n === said[i - 1]);
      if (twice)
        out.push({
          kind: 'duplicate',
          message: `AroFlo job ${t.id} holds the note "${twice.slice(0, 60)}" twice in a row`,
        });
    }
  }
  return out;
}

// ---------------------------------------------------------------- lost edits

interface Graph {
  dsu: Dsu;
  /** Active links by node. */
  active: Map<string, Array<{ link: Link; other: string; from: 'ghl' | 'other' }>>;
  links: Link[];
}

function graph(store: Store): Graph {
  const links: Link[] = store.links.everything();
  const dsu = new Dsu();
  const active: Graph['active'] = new Map();
  for (const l of links) {
    const fam = FAMILY[l.entity];
    if (!fam || !l.ghl_id || !l.other_id) continue;
    const g = node('ghl', fam, l.ghl_id);
    const o = node(OTHER[l.pair], fam, l.other_id);
    dsu.union(g, o);
    if (l.state !== 'active') continue;
    active.set(g, [...(active.get(g) ?? []), { link: l, other: o, from: 'ghl' }]);
    active.set(o, [...(active.get(o) ?? []), { link: l, other: g, from: 'other' }]);
  }
  return { dsu, active, links };
}

interface OpenConflict {
  link_id: number | null;
  kind: string;
  diffs: string;
  candidates: string | null;
}

export function checkEdits(input: CheckInput): Finding[] {
  const { store, snap, edits } = input;
  const w = new World(snap);
  const g = graph(store);
  const open: OpenConflict[] = store.conflicts.openRows();
  const conflictHolds = (linkId: number, field: string, value: string | null | undefined) =>
    open.some(
      (c) =>
        c.kind === 'conflict' &&
        c.link_id === linkId &&
        (JSON.parse(c.diffs) as Array<{ field: string; ghl: string | null; other: string | null }>).some(
          (d) => d.field === field && (d.ghl === (value ?? null) || d.other === (value ?? null)),
        ),
    );
  const inReview = (sys: Sys, id: string) =>
    open.some(
      (c) =>
        c.kind === 'duplicate' &&
        (JSON.parse(c.candidates ?? '[]') as Array<{ system: string; id: string }>).some(
          (x) => x.system === sys && x.id === id,
        ),
    );
  const out: Finding[] = [];

  const comp = (e: Edit) => g.dsu.find(node(e.system, e.family, e.id));
  const lastDelete = new Map<string, number>();
  for (const e of edits) if (e.op === 'delete') lastDelete.set(comp(e), Math.max(lastDelete.get(comp(e)) ?? 0, e.seq));
  const parentOf = (sys: Sys, fam: Family, id: string): string | undefined => {
    if (fam === 'person') return undefined;
    const r = w.record(sys, fam, id) as ChildRec | undefined;
    const pid = r?.parent ?? (sys === 'ghl' || sys === 'aimfox' ? id.split('/')[0] : undefined);
    return pid ? node(sys, 'person', pid) : undefined;
  };
  const parentDeleted = (e: Edit) => {
    const p = parentOf(e.system, e.family, e.id);
    // A task note lives and dies with its job too.
    const job =
      e.system === 'aroflo' && e.id.startsWith('tasknote:') ? node('aroflo', 'task', e.id.split(':')[1]!) : undefined;
    return (!!p && lastDelete.has(g.dsu.find(p))) || (!!job && lastDelete.has(g.dsu.find(job)));
  };
  // One-way fields (the default mappings): HighLevel is the source; an edit on the receiving side gives way to it.
  const oneWayReceiver = (e: Edit) =>
    (e.system === 'aimfox' && (e.family === 'note' || e.field?.startsWith('label:'))) ||
    (e.system === 'aroflo' && e.family === 'task' && e.field === 'body');
  const sourceEdited = (e: Edit) => edits.some((x) => x.system === 'ghl' && x.field === e.field && comp(x) === comp(e));
  // A first link merges labels as a union (main/sync/engine/merge.ts): a label removed on a record before it was first
  // linked comes back from its counterpart, where that one holds it and the field flows from there (tags → labels).
  // A fleet location's first run comes whenever a worker gets to it, so its people edit before it (test/fleet/README.md).
  const backAtFirstLink = (e: Edit) =>
    !!e.field?.startsWith('label:') &&
    e.value === 'absent' &&
    (g.active.get(node(e.system, e.family, e.id)) ?? []).some(({ link, other, from }) => {
      const o = parseNode(other);
      return (
        (link.created_at ?? 0) > e.at &&
        flows(link.pair, e.family, e.field!, from === 'ghl' ? 'other' : 'ghl') &&
        w.holds(o.sys, o.fam, o.id, e.field!, 'present')
      );
    });

  const last = new Map<string, Edit>();
  for (const e of edits) {
    if (e.op === 'delete' || !e.field) continue;
    const k = `${comp(e)}#${e.field}`;
    if ((last.get(k)?.seq ?? 0) < e.seq) last.set(k, e);
  }
  const describe = (e: Edit) =>
    `${e.what} #${e.seq} (cycle ${e.cycle}) on ${e.system} ${e.id}: ${e.field} = ${JSON.stringify(e.value)}`;

  for (const e of last.values()) {
    if ((lastDelete.get(comp(e)) ?? 0) > e.seq) continue; // superseded by a later delete
    const start = node(e.system, e.family, e.id);
    if (!w.live(e.system, e.family, e.id)) {
      if (parentDeleted(e)) continue; // its contact was deleted or archived
      out.push({ kind: 'lost_edit', message: `${describe(e)} — the record is gone although nobody deleted it` });
      continue;
    }
    if (!w.holds(e.system, e.family, e.id, e.field!, e.value)) {
      if (oneWayReceiver(e) && sourceEdited(e)) continue;
      if (backAtFirstLink(e)) continue;
      const held = (g.active.get(start) ?? []).some((x) => conflictHolds(x.link.id, conflictField(e.field!), e.value));
      if (!held)
        out.push({
          kind: 'lost_edit',
          message: `${describe(e)} — overwritten in the system where it was made (now ${holding(w.record(e.system, e.family, e.id), e.field!)})`,
        });
      continue;
    }
    // Everywhere it flows, over active links.
    const seen = new Set([start]);
    const queue = [start];
    while (queue.length) {
      const x = queue.shift()!;
      for (const { link, other, from } of g.active.get(x) ?? []) {
        if (seen.has(other) || !flows(link.pair, e.family, e.field!, from)) continue;
        // A first link merges labels as a union (main/sync/engine/merge.ts): one removed before the link existed stays.
        if (e.field!.startsWith('label:') && e.value === 'absent' && (link.created_at ?? 0) > e.at) continue;
        // Empty never blanks (main/sync/README.md): removing a contact's last tag leaves its labels empty, which is not
        // carried over, so the lead keeps its labels.
        if (e.field!.startsWith('label:') && e.value === 'absent' && emptyLabels(w.record(e.system, e.family, e.id)))
          continue;
        seen.add(other);
        const o = parseNode(other);
        if (w.holds(o.sys, o.fam, o.id, e.field!, e.value)) queue.push(other);
        else if (!conflictHolds(link.id, conflictField(e.field!), e.value)) {
          out.push({
            kind: 'lost_edit',
            message: `${describe(e)} — not in ${o.sys} ${o.id} (linked, holds ${holding(w.record(o.sys, o.fam, o.id), e.field!)}) and no open conflict holds it`,
          });
        }
      }
    }
    // A record that should have a counterpart in AroFlo (every person, and every task/note of a linked person) must
    // have one — unless its counterpart was deleted and it was retired with it (AroFlo cannot archive a client).
    const retiredWith = g.links.filter(
      (l) =>
        l.state === 'deleted' &&
        FAMILY[l.entity] === e.family &&
        (node('ghl', e.family, l.ghl_id ?? '') === start || node(OTHER[l.pair], e.family, l.other_id ?? '') === start),
    );
    if (retiredWith.length && lastDelete.has(comp(e))) continue;
    // Retired because its counterpart is gone (e.g. a note on an AroFlo job that was archived): no longer synced.
    if (
      retiredWith.some((l) => {
        const o =
          node('ghl', e.family, l.ghl_id ?? '') === start
            ? parseNode(node(OTHER[l.pair], e.family, l.other_id ?? ''))
            : parseNode(node('ghl', e.family, l.ghl_id ?? ''));
        return !w.live(o.sys, o.fam, o.id);
      })
    )
      continue;
    if (e.system !== 'aimfox' && (e.family === 'person' || e.field === 'body' || e.family === 'task')) {
      const hasAroLink = (g.active.get(start) ?? []).some((x) => x.link.pair === 'ghl-aroflo');
      if (!hasAroLink) {
        const parent = parentOf(e.system, e.family, e.id);
        const parentLinked = parent ? (g.active.get(parent) ?? []).some((x) => x.link.pair === 'ghl-aroflo') : true;
        const ruleOrBusiness = e.family === 'note' && e.system === 'aroflo' && !parentLinked;
        if (
          parentLinked &&
          !ruleOrBusiness &&
          !inReview(e.system, e.family === 'person' ? e.id : parent ? parseNode(parent).id : e.id)
        ) {
          out.push({
            kind: 'lost_edit',
            message: `${describe(e)} — never reached ${e.system === 'ghl' ? 'AroFlo' : 'HighLevel'} (not linked, not in review)`,
          });
        }
      }
    }
  }

  // Deletes (last thing that happened to a record): propagated to the other side, and no active link is left.
  const lastAny = new Map<string, Edit>();
  for (const e of edits) if ((lastAny.get(comp(e))?.seq ?? 0) < e.seq) lastAny.set(comp(e), e);
  for (const e of lastAny.values()) {
    if (e.op !== 'delete' || e.system === 'aimfox' || e.family === 'note' || parentDeleted(e)) continue;
    const start = node(e.system, e.family, e.id);
    for (const { link, other } of g.active.get(start) ?? [])
      out.push({
        kind: 'lost_edit',
        message: `${e.what} #${e.seq} (cycle ${e.cycle}) of ${e.system} ${e.id}: still linked (link ${link.id}) to ${other}`,
      });
  }
  return out;
}

const isEmptyValue = (v: string | null | undefined) => v === null || v === undefined || v === '' || v === '[]';
const emptyLabels = (r: { fields: Record<string, string | null> } | undefined) =>
  !!r && isEmptyValue(r.fields.labels ?? null);

const fieldOf = (f: string) => (f.startsWith('label:') ? 'labels' : f);
/** What a record holds for a finding's message: a label edit shows the record's labels (a set), not one member. */
const holding = (r: { fields: Record<string, string | null> } | undefined, field: string) =>
  field.startsWith('label:') ? `labels ${r?.fields.labels ?? '[]'}` : JSON.stringify(r?.fields[field] ?? null);
const conflictField = fieldOf;

// ---------------------------------------------------------------- ID map and bases

const FIELDS: Record<string, string[]> = {
  contact: ['firstName', 'lastName', 'email', 'phone'],
  task: ['title', 'dueDate', 'body', 'completed'],
  note: ['body'],
  lead: ['labels'],
};

export function checkIdMap({ store, snap, edits }: CheckInput): Finding[] {
  const w = new World(snap);
  const out: Finding[] = [];
  const links: Link[] = store.links.everything().filter((l) => l.state === 'active');
  const frozen = new Set(
    store.conflicts
      .openRows()
      .filter((c) => c.kind === 'conflict')
      .flatMap((c) => (JSON.parse(c.diffs) as Array<{ field: string }>).map((d) => `${c.link_id}#${d.field}`)),
  );
  for (const l of links) {
    const fam = FAMILY[l.entity];
    if (!fam) continue;
    const other = OTHER[l.pair];
    const g = l.ghl_id ? w.record('ghl', fam, l.ghl_id) : undefined;
    const o = l.other_id ? w.record(other, fam, l.other_id) : undefined;
    if (!g?.live)
      out.push({
        kind: 'id_map',
        message: `active ${l.pair} ${l.entity} link ${l.id}: HighLevel record ${l.ghl_id} does not exist (or is out of scope)`,
      });
    // Aimfox notes are not listed when nothing flows back from them: a note a person deleted there is noticed (and
    // unlinked) when HighLevel next changes it. By design, so not a finding.
    const unread =
      l.pair === 'ghl-aimfox' &&
      l.entity === 'note' &&
      edits.some((e) => e.system === 'aimfox' && e.op === 'delete' && e.id === l.other_id);
    if (!o?.live && !unread)
      out.push({
        kind: 'id_map',
        message: `active ${l.pair} ${l.entity} link ${l.id}: ${other} record ${l.other_id} does not exist (or is out of scope)`,
      });
    if (!g?.live || !o?.live) continue;
    const base = store.bases.get(l.id);
    if (!base) {
      out.push({ kind: 'base', message: `active ${l.pair} ${l.entity} link ${l.id} has no base snapshot` });
      continue;
    }
    for (const f of FIELDS[l.entity] ?? []) {
      if (frozen.has(`${l.id}#${f}`)) continue;
      for (const [side, rec, b] of [
        ['HighLevel', g, base.ghl],
        [other, o, base.other],
      ] as const) {
        if (!(f in b)) continue;
        // Aimfox notes are never listed when nothing flows back from them (60 requests a minute): their base is
        // what we last wrote, by design.
        if (side === 'aimfox' && l.entity === 'note') continue;
        // Empty never blanks (main/sync/README.md): a side emptied while the other is filled keeps its base.
        const across = side === 'HighLevel' ? o : g;
        if (isEmptyValue(rec.fields[f]) && !isEmptyValue(b[f]) && !isEmptyValue(across.fields[f])) continue;
        if ((b[f] ?? null) !== (rec.fields[f] ?? null))
          out.push({
            kind: 'base',
            message: `${l.pair} ${l.entity} link ${l.id} (${l.ghl_id} ⇄ ${l.other_id}): base for ${side} ${f} is ${JSON.stringify(b[f])} but ${side} holds ${JSON.stringify(rec.fields[f] ?? null)}`,
          });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- audit

interface AuditRow {
  id: number;
  at: number;
  system: Sys;
  entity: string;
  record_id: string | null;
  action: string;
  field: string | null;
  after: string | null;
}

export function checkAudit({ store, snap, edits, rng, auditSample }: CheckInput): Finding[] {
  const w = new World(snap);
  const out: Finding[] = [];
  const rows: AuditRow[] = store.audit
    .all()
    .filter((a) => a.action === 'create' || a.action === 'update' || a.action === 'delete' || a.action === 'archive')
    .map((a) => ({
      id: a.id,
      at: a.at,
      system: a.system,
      entity: a.entity,
      record_id: a.recordId,
      action: a.action,
      field: a.field ?? null,
      after: a.after ?? null,
    }));
  const famOf = (r: AuditRow): Family | 'business' | undefined =>
    r.entity === 'business' ? 'business' : r.entity === 'rule_task' ? 'task' : FAMILY[r.entity];
  const laterAudit = (r: AuditRow, pred: (x: AuditRow) => boolean) =>
    rows.some((x) => x.id > r.id && x.record_id === r.record_id && x.system === r.system && pred(x));
  const touchedLater = (r: AuditRow, field?: string) =>
    edits.some(
      (e) =>
        e.at >= r.at &&
        (e.id === r.record_id || (r.record_id && e.id === parentId(r))) &&
        (e.op === 'delete' || !field || fieldOf(e.field ?? '') === field || e.field === field),
    );
  const parentId = (r: AuditRow) =>
    r.system === 'ghl' && r.record_id?.includes('/') ? r.record_id.split('/')[0] : undefined;
  const sample = rows.length <= auditSample ? rows : pickSample(rows, auditSample, rng);
  for (const r of sample) {
    const fam = famOf(r);
    if (!fam || !r.record_id) continue;
    const exists = fam === 'business' ? snap.aroflo.people.has(r.record_id) : !!w.record(r.system, fam, r.record_id);
    const gone =
      laterAudit(r, (x) => x.action === 'delete' || x.action === 'archive') ||
      touchedLater(r) ||
      (fam !== 'business' && fam !== 'person' && parentGone(w, r.system, fam, r.record_id));
    if (r.action === 'create') {
      if (!exists && !gone)
        out.push({
          kind: 'audit',
          message: `audit #${r.id} says ${r.system} ${r.entity} ${r.record_id} was created, but ${r.system} has no such record`,
        });
    } else if (r.action === 'update' && r.field && fam !== 'business') {
      if (
        gone ||
        !w.live(r.system, fam, r.record_id) ||
        laterAudit(r, (x) => x.action === 'update' && x.field === r.field) ||
        touchedLater(r, r.field)
      )
        continue;
      if (
        !w.holds(r.system, fam, r.record_id, r.field === 'labels' ? 'labels' : r.field, r.after) &&
        !(r.field === 'labels' && sameLabels(w.record(r.system, fam, r.record_id)?.fields.labels, r.after))
      ) {
        out.push({
          kind: 'audit',
          message: `audit #${r.id} says ${r.system} ${r.entity} ${r.record_id} ${r.field} was set to ${JSON.stringify(r.after)}, but it holds ${JSON.stringify(w.record(r.system, fam, r.record_id)?.fields[r.field] ?? null)}`,
        });
      }
    } else if ((r.action === 'delete' || r.action === 'archive') && fam !== 'business') {
      if (exists && w.live(r.system, fam, r.record_id) && !laterAudit(r, (x) => x.action === 'create')) {
        out.push({
          kind: 'audit',
          message: `audit #${r.id} says ${r.system} ${r.entity} ${r.record_id} was ${r.action}d, but it is still there`,
        });
      }
    }
  }
  return out;
}

function parentGone(w: World, sys: Sys, fam: Family, id: string): boolean {
  const pid =
    sys === 'ghl' || sys === 'aimfox' ? id.split('/')[0] : (w.record(sys, fam, id) as ChildRec | undefined)?.parent;
  return !!pid && !w.live(sys, 'person', pid);
}

function sameLabels(a: string | null | undefined, b: string | null): boolean {
  const set = (v: string | null | undefined) => JSON.stringify([...new Set(JSON.parse(v ?? '[]') as string[])].sort());
  return set(a) === set(b);
}

function pickSample<T>(rows: T[], n: number, rng: Rng): T[] {
  const idx = new Set<number>();
  // The most recent rows always (the state they describe is the one still there), the rest at random.
  for (let i = Math.max(0, rows.length - Math.floor(n / 2)); i < rows.length; i++) idx.add(i);
  while (idx.size < n) idx.add(rng.int(0, rows.length - 1));
  return [...idx].sort((a, b) => a - b).map((i) => rows[i]!);
}
