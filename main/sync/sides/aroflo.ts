/**
 * AroFlo as EntitySides (the people model: main/sync/sides/README.md):
 *  - business  = an AroFlo client that is a business (it has contacts, or its name is not a person's name);
 *  - contact   = a person: a contact under a business client ("contact:<clientid>:<userid>"), or a residential
 *                client whose own details are the person's ("client:<clientid>");
 *  - task      = an AroFlo task (job) on the person's client (and contact);
 *  - note      = a task note ("tasknote:<taskid>:<noteid>") or a client note ("clientnote:<noteid>").
 * Changes are found through the free `lastupdate` feed; writes are batched (AroFlo allows 2,000 calls a day).
 * What AroFlo cannot change through its API (a task's description and due date) becomes a note on the task,
 * never a silent drop.
 */
import { ConnectorError } from '../../connectors/shared/errors.js';
import {
  Where,
  type ArofloAddress,
  type ArofloClient,
  type ArofloClientNoteRecord,
  type ClientUpdate,
  type ContactWrite,
  type ArofloClientRecord,
  type ArofloContactRecord,
  type ArofloTaskRecord,
  type ArofloTaskStatus,
  type TaskInsert,
  type TaskUpdate,
  type Listing,
  type WriteOutcome,
} from '../../connectors/aroflo/index.js';
import type { CreateOutcomeUnknown, EntitySide, Fields, Rejected, SideRecord, WriteResult } from '../engine/types.js';
import { bool, dateMs, day, email, fullName, isPersonName, nameKey, noteText, phone, text } from './normalize.js';
import { fail, ok, skipped } from './results.js';
import { identicalSince, madeFrom } from './made-since.js';
import { SINGLE_READS_UP_TO } from '../budget/declared.js';
import { FALLBACK_COUNTRY, type RunEnv } from './env.js';
import type { MappedFields } from './mapped.js';
import { keepHeldStreet, type ArofloPersonPatch } from '../fields/aroflo.js';
import type { CountryCode } from 'libphonenumber-js';

export interface ArofloScope {
  businessUnits: string[];
}

export interface ArofloDefaults {
  businessUnitId?: string;
  taskTypeId?: string;
  /** AroFlo status written when a task is marked not completed (status_map "false"). */
  openStatus: ArofloTaskStatus;
}

interface Logger {
  warn(message: string, context?: Record<string, unknown>): void;
}

const outcomeError = (o: WriteOutcome | undefined, what: string): Error =>
  o?.error ?? new Error(o ? `AroFlo did not confirm ${what} (${o.status})` : `AroFlo gave no answer for ${what}`);

type ArofloRejected = Listing<unknown>['rejected'][number];

/** What one run read by id, per zone: records (null: not there), and ids wanted by a later read. */
interface ByIdCache {
  clients: { got: Map<string, ArofloClientRecord | null>; wanted: Set<string> };
  tasks: { got: Map<string, ArofloTaskRecord | null>; wanted: Set<string> };
}

/**
 * The client's writes, with the zone whose records they change and the ids they name (none named: the whole zone).
 * Client notes are not cached, so their writes are not here.
 */
const WRITES: Record<string, { zone: keyof ByIdCache; ids: (args: unknown[]) => string[] | undefined }> = {
  insertClients: { zone: 'clients', ids: () => [] },
  updateClients: { zone: 'clients', ids: (a) => idsOf(a[0], 'id') },
  clearPostable: { zone: 'clients', ids: (a) => idList(a[0]) },
  insertTasks: { zone: 'tasks', ids: () => [] },
  updateTasks: { zone: 'tasks', ids: (a) => idsOf(a[0], 'id') },
  setLinkProcessed: { zone: 'tasks', ids: (a) => idList(a[0]) },
  addTaskNotes: { zone: 'tasks', ids: (a) => idsOf(a[0], 'taskId') },
  updateTaskNotes: { zone: 'tasks', ids: (a) => idsOf(a[0], 'taskId') },
};

/** A write's argument that is itself the list of ids. */
const idList = (list: unknown): string[] | undefined => (Array.isArray(list) ? (list as string[]) : undefined);

function idsOf(list: unknown, key: string): string[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const ids = list.map((x) => (x as Record<string, unknown> | null)?.[key]);
  return ids.every((id): id is string => typeof id === 'string' && !!id) ? ids : undefined;
}

/** The client, whose writes first drop from `cache` what they change (all of the zone when they name no ids). */
function forgetOnWrite(client: ArofloClient, cache: ByIdCache): ArofloClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      const w = typeof prop === 'string' ? WRITES[prop] : undefined;
      if (!w || typeof v !== 'function') return typeof v === 'function' ? v.bind(target) : v;
      return (...args: unknown[]) => {
        const z = cache[w.zone];
        const ids = w.ids(args);
        if (ids) for (const id of ids) z.got.delete(id);
        else z.got.clear();
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** Clients by id, with a version that moves on every change (so what is derived from them can be cached). */
class KnownClients extends Map<string, ArofloClientRecord> {
  version = 0;
  override set(id: string, c: ArofloClientRecord): this {
    this.version++;
    return super.set(id, c);
  }
  override delete(id: string): boolean {
    this.version++;
    return super.delete(id);
  }
  override clear(): void {
    this.version++;
    super.clear();
  }
}

/** Everything read from AroFlo during one run. */
export class ArofloRun {
  private clientsAll?: Promise<{ items: ArofloClientRecord[]; rejected: Rejected[] }>;
  private clientsChanged = new Map<
    string,
    Promise<{ items: ArofloClientRecord[]; rejected: Rejected[]; cursor?: string }>
  >();
  private tasksAll?: Promise<{ items: ArofloTaskRecord[]; rejected: Rejected[] }>;
  private tasksChanged = new Map<
    string,
    Promise<{ items: ArofloTaskRecord[]; rejected: Rejected[]; cursor?: string }>
  >();
  private notesAll?: Promise<{ items: ArofloClientNoteRecord[]; rejected: Rejected[] }>;
  private notesSince = new Map<string, Promise<{ items: ArofloClientNoteRecord[]; rejected: Rejected[] }>>();
  private marks = new Map<FeedZone, Promise<string | undefined>>();
  /** Every client known this run (for names and residential/business decisions). */
  readonly known = new KnownClients();
  /** The notes the bridge itself left on each job read this run with its notes, oldest first. */
  private readonly bridgeNotes = new Map<string, string[]>();
  private takenNames?: { version: number; keys: Set<string | null> };

  /** The AroFlo client; its writes drop what this run read of the records they change (`byId`). */
  readonly client: ArofloClient;

  constructor(
    client: ArofloClient,
    readonly scope: ArofloScope,
    private readonly now: () => number = Date.now,
  ) {
    this.client = forgetOnWrite(client, this.byId);
  }

  /**
   * Clients and jobs read by id this run (null: AroFlo has no such record), and the ids a later read of this run will
   * probably ask for (README.md in this folder, "One read by id, shared"). A write drops what it changes.
   */
  private readonly byId: ByIdCache = {
    clients: { got: new Map(), wanted: new Set() },
    tasks: { got: new Map(), wanted: new Set() },
  };

  /** Single-id reads left today in AroFlo's secondary allowance, as the client counts them (and the server said). */
  private singlesLeft(): number {
    return this.client.budget().secondary.remaining;
  }

  /** Ids a later read of this run will probably ask for: read along with the next read by id that happens anyway. */
  want(zone: keyof ByIdCache, ids: Iterable<string>): void {
    const z = this.byId[zone];
    for (const id of ids) if (!z.got.has(id)) z.wanted.add(id);
  }

  /** Clients by id (with their people), each read at most once a run until the bridge writes it. */
  clientsById(ids: string[]): Promise<{ items: ArofloClientRecord[]; rejected: ArofloRejected[] }> {
    return this.readById('clients', ids, (ask, oneByOne) => this.client.getClients(ask, { contacts: true, oneByOne }));
  }

  /** Jobs by id (with their notes), each read at most once a run until the bridge writes it. */
  async tasksById(ids: string[]): Promise<{ items: ArofloTaskRecord[]; rejected: ArofloRejected[] }> {
    const r = await this.readById('tasks', ids, (ask, oneByOne) =>
      this.client.getTasks(ask, { notes: true, oneByOne }),
    );
    return { ...r, items: this.noteJobs(r.items) };
  }

  /**
   * What this run already read of `ids`, and the rest read now — with wanted ids filling the last request's room
   * (AroFlo reads `idsPerLookup` ids a request, for one counted call however many).
   */
  private async readById<T extends { id: string }>(
    zone: keyof ByIdCache,
    ids: string[],
    get: (ask: string[], oneByOne: boolean) => Promise<{ items: T[]; rejected: ArofloRejected[] }>,
  ): Promise<{ items: T[]; rejected: ArofloRejected[] }> {
    const z = this.byId[zone] as { got: Map<string, T | null>; wanted: Set<string> };
    const asked = [...new Set(ids)];
    const missing = asked.filter((id) => !z.got.has(id));
    let rejected: ArofloRejected[] = [];
    if (missing.length) {
      // A few records: one single-id read each, which AroFlo counts against its secondary 20,000 a day, not the
      // 2,000 (main/connectors/aroflo/README.md, "Single-id GETs"; SINGLE_READS_UP_TO), while that allowance lasts.
      // More: `idsPerLookup` to a counted request, its room filled with wanted ids.
      const oneByOne = missing.length <= SINGLE_READS_UP_TO && this.singlesLeft() > missing.length;
      const per = this.client.idsPerLookup;
      const room = oneByOne ? 0 : (per - (missing.length % per)) % per;
      const extra = [...z.wanted].filter((id) => !z.got.has(id) && !missing.includes(id)).slice(0, room);
      const ask = [...missing, ...extra];
      const r = await get(ask, oneByOne);
      for (const x of r.items) z.got.set(x.id, x);
      // An unreadable item may be any of them: only a clean answer says the others are not there.
      if (!r.rejected.length) for (const id of ask) if (!z.got.has(id)) z.got.set(id, null);
      for (const id of ask) z.wanted.delete(id);
      rejected = r.rejected;
    }
    return { items: asked.map((id) => z.got.get(id)).filter((x): x is T => !!x), rejected };
  }

  /**
   * Where a zone's change feed stands, read (free of the daily budget) just before a full listing of it, so the
   * next cycle reads only what changed since instead of the whole feed history: the newest row of the last hour, in
   * AroFlo's own clock, or — when the hour was quiet — the hour's start. Our clock cannot be far off AroFlo's (every
   * request is signed with our time and AroFlo refuses one too far from its own), so an hour back is safely before
   * anything that changes next. Undefined if the feed cannot be read (the next cycle then reads the whole feed).
   */
  feedMark(zone: FeedZone): Promise<string | undefined> {
    let p = this.marks.get(zone);
    if (!p) {
      p = this.client
        .changedSince(zone, new Date(this.now() - MARK_LOOKBACK_MS))
        .then((f) => (f.cursor ? formatFeedCursor(f.cursor, f.items, this.now()) : undefined))
        .catch(() => undefined);
      this.marks.set(zone, p);
    }
    return p;
  }

  /** Every job read this run, as last read (or as the bridge's update left it: `updatedJob`). */
  private readonly jobs = new Map<string, ArofloTaskRecord>();

  /** A job as this run last read it, or as the bridge's update since left it. */
  job(id: string): ArofloTaskRecord | undefined {
    return this.jobs.get(id);
  }

  /**
   * A job the bridge just updated, as AroFlo now holds it without reading it back (README.md in this folder, "A job's
   * update is not read back"): its status as sent and the notes the bridge added.
   */
  updatedJob(
    t: ArofloTaskRecord,
    sent: { status?: ArofloTaskStatus; notes?: Array<{ content: string }> },
  ): ArofloTaskRecord {
    const now: ArofloTaskRecord = { ...t, ...(sent.status ? { status: sent.status } : {}) };
    this.jobs.set(t.id, now);
    if (sent.notes?.length)
      this.bridgeNotes.set(t.id, [
        ...(this.bridgeNotes.get(t.id) ?? []),
        ...sent.notes.map((n) => sameNote(n.content)).filter((c) => isBridgeNote(c)),
      ]);
    return now;
  }

  /** Remembers the bridge's own notes on jobs read with their notes (`join=notes`). */
  noteJobs<T extends ArofloTaskRecord>(tasks: T[]): T[] {
    for (const t of tasks) this.jobs.set(t.id, t);
    for (const t of tasks)
      if (t.notes && !t.notesUnread)
        this.bridgeNotes.set(
          t.id,
          t.notes.map((n) => sameNote(n.content)).filter((c) => isBridgeNote(c)),
        );
    return tasks;
  }

  /**
   * Whether the newest note of this kind the bridge left on the job already says exactly this — a change whose write
   * reached AroFlo but whose answer was lost (a crash, a dropped connection) is then not noted twice, while a field
   * that changed back and forth is still noted each time. False when the job's notes were not read this run.
   */
  alreadyNoted(taskId: string, content: string): boolean {
    const want = sameNote(content);
    const kind = Object.values(BRIDGE_NOTE).find((p) => want.startsWith(p));
    return !!kind && this.bridgeNotes.get(taskId)?.findLast((n) => n.startsWith(kind)) === want;
  }

  private keep(items: ArofloClientRecord[]): ArofloClientRecord[] {
    for (const c of items) this.known.set(c.id, c);
    return items.filter(
      (c) => !this.scope.businessUnits.length || c.businessUnits.some((b) => this.scope.businessUnits.includes(b.id)),
    );
  }

  readClients(): Promise<{ items: ArofloClientRecord[]; rejected: Rejected[] }> {
    this.clientsAll ??= this.feedMark('clients')
      .then(() => this.client.listClients({ contacts: true, includeArchived: false }))
      .then((r) => ({ items: this.keep(r.items), rejected: r.rejected.map(rej) }));
    return this.clientsAll;
  }

  readChangedClients(
    cursor: string | undefined,
  ): Promise<{ items: ArofloClientRecord[]; rejected: Rejected[]; cursor?: string }> {
    const key = cursor ?? '';
    let p = this.clientsChanged.get(key);
    if (!p) {
      p = (async () => {
        const { since, seen } = parseFeedCursor(cursor);
        const feed = await this.client.changedSince('clients', since);
        const ids = [
          ...new Set(feed.items.filter((c) => !c.deleted && seen.get(c.id) !== c.updatedUtc).map((c) => c.id)),
        ];
        const r = ids.length ? await this.clientsById(ids) : { items: [], rejected: [] };
        return {
          items: this.keep(r.items.filter((c) => !c.archived)),
          rejected: [...r.rejected, ...feed.rejected].map(rej),
          cursor: feed.cursor ? formatFeedCursor(feed.cursor, feed.items, this.now()) : cursor,
        };
      })();
      this.clientsChanged.set(key, p);
    }
    return p;
  }

  readTasks(): Promise<{ items: ArofloTaskRecord[]; rejected: Rejected[] }> {
    this.tasksAll ??= this.feedMark('tasks')
      .then(() => this.client.listTasks({ notes: true }))
      .then((r) => ({
        items: this.noteJobs(r.items).filter((t) => this.taskInScope(t)),
        rejected: r.rejected.map(rej),
      }));
    return this.tasksAll;
  }

  readChangedTasks(
    cursor: string | undefined,
  ): Promise<{ items: ArofloTaskRecord[]; rejected: Rejected[]; cursor?: string }> {
    const key = cursor ?? '';
    let p = this.tasksChanged.get(key);
    if (!p) {
      p = (async () => {
        const { since, seen } = parseFeedCursor(cursor);
        const feed = await this.client.changedSince('tasks', since);
        const ids = [
          ...new Set(feed.items.filter((c) => !c.deleted && seen.get(c.id) !== c.updatedUtc).map((c) => c.id)),
        ];
        const r = ids.length ? await this.tasksById(ids) : { items: [], rejected: [] };
        return {
          items: r.items.filter((t) => this.taskInScope(t)),
          rejected: [...r.rejected, ...feed.rejected].map(rej),
          cursor: feed.cursor ? formatFeedCursor(feed.cursor, feed.items, this.now()) : cursor,
        };
      })();
      this.tasksChanged.set(key, p);
    }
    return p;
  }

  readClientNotes(): Promise<{ items: ArofloClientNoteRecord[]; rejected: Rejected[] }> {
    this.notesAll ??= this.client.listClientNotes().then((r) => ({ items: r.items, rejected: r.rejected.map(rej) }));
    return this.notesAll;
  }

  /**
   * Whether this run lists the client notes created since its cursor (asked once a run; unset: every run). The pair
   * wiring lists them every other sync while AroFlo's share runs low (CLIENT_NOTES_EVERY_WHEN_LOW).
   */
  notesDue?: () => boolean;
  private notesListed?: boolean;

  /**
   * Client notes created since a time (they have no change feed), once per run for both the note sync and the rule —
   * or none, on a sync that skips them (`notesDue`): the next listing reaches back a day, so none is missed.
   */
  readClientNotesSince(since: string): Promise<{ items: ArofloClientNoteRecord[]; rejected: Rejected[] }> {
    this.notesListed ??= this.notesDue?.() ?? true;
    if (!this.notesListed) return Promise.resolve({ items: [], rejected: [] });
    let p = this.notesSince.get(since);
    if (!p) {
      p = this.client
        .listClientNotes({ createdSince: since })
        .then((r) => ({ items: r.items, rejected: r.rejected.map(rej) }));
      this.notesSince.set(since, p);
    }
    return p;
  }

  taskInScope(t: ArofloTaskRecord): boolean {
    return (
      t.status !== 'archived' &&
      (!this.scope.businessUnits.length || (!!t.businessUnitId && this.scope.businessUnits.includes(t.businessUnitId)))
    );
  }

  /**
   * Clients already linked as a person (loaded from the ID map): they stay people when someone edits the first name
   * or surname in AroFlo without retyping the client's name — otherwise the person would vanish from the listing
   * and look deleted.
   */
  readonly linkedPeople = new Set<string>();
  /**
   * Clients whose people are linked (loaded from the ID map): a business stays a business when its contacts list came
   * back unreadable (README.md in this folder, "A client whose people cannot be read").
   */
  readonly linkedBusinesses = new Set<string>();

  /** A client's own fields describe a person (a residential customer) rather than a business. */
  isResidential(c: ArofloClientRecord): boolean {
    if (c.contacts?.some((x) => !x.archived)) return false;
    if (this.linkedPeople.has(c.id)) return true;
    if (c.contactsUnread && this.linkedBusinesses.has(c.id)) return false;
    return isPersonName(c.name, c.firstName, c.surname);
  }

  /** A client name that is free (AroFlo refuses duplicate client names), reserved for the caller. */
  freeName(wanted: string, disambiguator: string): string {
    // The names taken, worked out once per change of `known` (not once per record: 10,000 × 10,000 name keys).
    if (this.takenNames?.version !== this.known.version)
      this.takenNames = {
        version: this.known.version,
        keys: new Set([...this.known.values()].map((c) => nameKey(c.name))),
      };
    const taken = this.takenNames.keys;
    const base = wanted.slice(0, 50);
    const name = taken.has(nameKey(base)) ? this.altName(wanted, disambiguator) : base;
    // Taken from now on: two namesakes created in one call must not both ask for it.
    taken.add(nameKey(name));
    return name;
  }

  /** The name given to a client whose plain name is taken (50 characters; the name is cut before the disambiguator). */
  altName(wanted: string, disambiguator: string): string {
    const tail = ` (${disambiguator})`;
    return tail.length <= 30
      ? `${wanted.slice(0, 50 - tail.length).trimEnd()}${tail}`
      : `${wanted}${tail}`.slice(0, 50);
  }
}

const rej = (r: { raw: unknown; reason: string; id?: string }): Rejected => ({
  id: r.id ?? idOfRaw(r.raw),
  reason: r.reason,
  raw: r.raw,
});
function idOfRaw(raw: unknown): string | undefined {
  if (raw && typeof raw === 'object') {
    const o = raw as Record<string, unknown>;
    const v = o.clientid ?? o.taskid ?? o.noteid ?? o.userid;
    return typeof v === 'string' ? v : undefined;
  }
  return undefined;
}
const sinceOf = (cursor: string | undefined) => parseFeedCursor(cursor).since;

type FeedZone = 'clients' | 'tasks';
/** How far back the feed is read for a mark before a full listing (far more than any clock skew AroFlo accepts). */
const MARK_LOOKBACK_MS = 60 * 60_000;
/** The connector re-reads this much of the feed before `since` (AroFlo's times have whole seconds). */
const FEED_OVERLAP_MS = 1_000;
/** How far our clock may run ahead of AroFlo's before a repeated row could hide a change (see formatFeedCursor). */
const CLOCK_SKEW_MS = 5_000;

/**
 * An AroFlo change-feed cursor: the time to read from, plus `seen` — the feed rows at its edge (which the next read
 * repeats, see FEED_OVERLAP_MS) with their times — so a repeated row is not taken for a change. Older cursors are a
 * bare ISO time; 'full' or nothing means the whole feed.
 */
export function parseFeedCursor(cursor: string | undefined): { since?: string; seen: Map<string, string> } {
  const seen = new Map<string, string>();
  if (!cursor || cursor === 'full') return { seen };
  if (cursor.startsWith('{')) {
    try {
      const v = JSON.parse(cursor) as { since?: unknown; seen?: Record<string, unknown> };
      for (const [id, t] of Object.entries(v.seen ?? {})) if (typeof t === 'string') seen.set(id, t);
      return { since: typeof v.since === 'string' && !Number.isNaN(Date.parse(v.since)) ? v.since : undefined, seen };
    } catch {
      return { seen };
    }
  }
  return { since: Number.isNaN(Date.parse(cursor)) ? undefined : cursor, seen };
}

/**
 * AroFlo stamps a change with its whole second, so a second change to a record within the same second would look
 * exactly like the row already seen. A row is only remembered as seen when it was read after its second had ended
 * (by our clock, allowing CLOCK_SKEW_MS): no later change can then carry the same stamp. Rows read too soon are
 * simply read again next time.
 *
 * When the newest row's own second had ended when it was read, nothing can still appear at or before it: the cursor
 * then moves one second past it, so the next read (which starts FEED_OVERLAP_MS before `since`) repeats no row at all.
 * Without that, a second holding more rows than `seen` keeps (2,000: a bulk change in AroFlo, or the bench's ×20
 * time scale) made every later sync read the rest again by id, 100 a counted call, until something newer moved the
 * cursor (README.md in this folder, "AroFlo's change-feed cursor").
 */
export function formatFeedCursor(
  since: string,
  rows: Array<{ id: string; updatedUtc: string }>,
  readAtMs: number,
): string {
  const edge = Date.parse(since);
  const settled = readAtMs - 1_000 - CLOCK_SKEW_MS;
  if (edge < settled && rows.some((r) => Date.parse(r.updatedUtc) === edge))
    return new Date(edge + FEED_OVERLAP_MS).toISOString();
  const from = edge - FEED_OVERLAP_MS;
  const seen: Record<string, string> = {};
  let n = 0;
  for (const r of rows) {
    const at = Date.parse(r.updatedUtc);
    if (at < from || at >= settled || n >= 2_000) continue;
    if (!(r.id in seen)) n++;
    if (!(r.id in seen) || r.updatedUtc > seen[r.id]!) seen[r.id] = r.updatedUtc;
  }
  return n ? JSON.stringify({ since, seen }) : since;
}

// ---------------------------------------------------------------- ids

export const clientKey = (clientId: string) => `client:${clientId}`;
export const contactKey = (clientId: string, userId: string) => `contact:${clientId}:${userId}`;

/** The clients of person or business keys; a key that is not one is left out. */
const clientIdsOf = (keys: string[]): string[] =>
  keys.flatMap((k) => {
    try {
      return [parseKey(k).clientId];
    } catch {
      return [];
    }
  });

export function parseKey(
  key: string,
): { kind: 'client'; clientId: string } | { kind: 'contact'; clientId: string; userId: string } {
  const [kind, a, b] = key.split(':');
  if (kind === 'client' && a) return { kind, clientId: a };
  if (kind === 'contact' && a && b) return { kind, clientId: a, userId: b };
  throw new Error(`not an AroFlo person id: ${key}`);
}

// ---------------------------------------------------------------- businesses

function businessRecord(c: ArofloClientRecord): SideRecord {
  return { id: clientKey(c.id), fields: {}, label: c.name, altKey: nameKey(c.name), context: { name: c.name } };
}

export function arofloBusinessSide(run: ArofloRun, defaults: ArofloDefaults): EntitySide {
  const pick = (items: ArofloClientRecord[]) => items.filter((c) => !run.isResidential(c)).map(businessRecord);
  return {
    system: 'aroflo',
    entity: 'business',
    // Re-read by id, `idsPerLookup` (100) a request (main/sync/README.md, "Daily budget and the rolling re-read").
    recheck: { by: 'id', perCall: 100 },
    canCreate: true,
    async fetchAll() {
      const r = await run.readClients();
      return {
        records: pick(r.items),
        rejected: r.rejected,
        complete: true,
        cursor: (await run.feedMark('clients')) ?? 'full',
      };
    },
    async fetchChanged(cursor) {
      const r = await run.readChangedClients(cursor);
      return { records: pick(r.items), rejected: r.rejected, complete: false, cursor: r.cursor };
    },
    want: (ids) => run.want('clients', clientIdsOf(ids)),
    async getMany(ids) {
      const r = await run.clientsById(ids.map((k) => parseKey(k).clientId));
      // A client that could not be read is left out (not read), not gone.
      const unread = unreadBy(
        r.rejected,
        'clientid',
        r.items.map((c) => c.id),
      );
      return new Map(
        ids
          .filter((k) => !unread(parseKey(k).clientId))
          .map((k) => [k, ((c) => (c ? businessRecord(c) : null))(r.items.find((c) => clientKey(c.id) === k))]),
      );
    },
    async create(items) {
      const inputs = items.map((it) => ({
        name: run.freeName(it.label, it.source.id),
        firstName: 'Office',
        surname: it.label.slice(0, 50),
        ...(defaults.businessUnitId ? { businessUnitIds: [defaults.businessUnitId] } : {}),
      }));
      const outcomes = await run.client.insertClients(inputs);
      return items.map((it, i) => {
        const o = outcomes.find((x) => x.index === i);
        if (o?.status !== 'ok' || !o.id) return fail(outcomeError(o, `the client for ${it.label}`));
        const rec: ArofloClientRecord = {
          id: o.id,
          name: inputs[i]!.name,
          firstName: 'Office',
          surname: inputs[i]!.surname,
          archived: false,
          postable: false,
          businessUnits: [],
          contacts: [],
        };
        run.known.set(o.id, rec);
        return ok(businessRecord(rec));
      });
    },
    async update(items) {
      return items.map((it) => ok(it.current));
    },
    async remove(items) {
      return items.map((it) => ok({ id: it.id, fields: {}, label: it.label }));
    },
    async findCreated(item) {
      const r = await run.client.listClients({
        where: Where.and('clientname', '=', item.label.slice(0, 50)),
        contacts: true,
      });
      const c = r.items[0];
      return c ? businessRecord(c) : undefined;
    },
  };
}

// ---------------------------------------------------------------- people

/** How people are read this run: the business's country (match keys) and the pair's mapped fields. */
interface PeopleShape {
  country: CountryCode;
  view?: MappedFields;
}

function personFields(
  raw: ArofloClientRecord | ArofloContactRecord,
  kind: 'client' | 'contact',
  shape: PeopleShape,
  legacy: () => Fields,
): Pick<SideRecord, 'fields' | 'warnings'> {
  const mapped = shape.view?.read(raw, kind);
  return mapped
    ? { fields: mapped.fields, ...(mapped.warnings ? { warnings: mapped.warnings } : {}) }
    : { fields: legacy() };
}

function residentRecord(c: ArofloClientRecord, shape: PeopleShape): SideRecord {
  const first = text(c.firstName);
  const last = text(c.surname);
  const ph = phone(c.mobile ?? c.phone, shape.country);
  return {
    id: clientKey(c.id),
    kind: 'client',
    ...personFields(c, 'client', shape, () => ({ firstName: first, lastName: last, email: email(c.email), phone: ph })),
    label: fullName(first, last, c.name),
    email: email(c.email),
    phone: ph,
  };
}

function contactRecord(clientId: string, businessName: string, x: ArofloContactRecord, shape: PeopleShape): SideRecord {
  const first = text(x.givenNames);
  const last = text(x.surname);
  const ph = phone(x.mobile ?? x.phone, shape.country);
  return {
    id: contactKey(clientId, x.id),
    kind: 'contact',
    parentId: clientKey(clientId),
    ...personFields(x, 'contact', shape, () => ({
      firstName: first,
      lastName: last,
      email: email(x.email),
      phone: ph,
    })),
    label: fullName(first, last, x.email ?? x.id),
    email: email(x.email),
    phone: ph,
    context: { businessName },
  };
}

/**
 * The people of these clients. A client whose contacts list could not be read (`contactsUnread`) gives none: who its
 * people are — and whether it is a person or a business — is not known from this answer, so it is set aside
 * (quarantined, with the reason) and none of its people is taken for deleted (README.md in this folder, "A client
 * whose people cannot be read").
 */
function peopleOf(
  run: ArofloRun,
  clients: ArofloClientRecord[],
  shape: PeopleShape,
): { records: SideRecord[]; rejected: Rejected[] } {
  const records: SideRecord[] = [];
  const rejected: Rejected[] = [];
  for (const c of clients) {
    if (c.contactsUnread) rejected.push(unreadPeople(c));
    else if (run.isResidential(c)) records.push(residentRecord(c, shape));
    else for (const x of c.contacts ?? []) if (!x.archived) records.push(contactRecord(c.id, c.name, x, shape));
  }
  return { records, rejected };
}

function unreadPeople(c: ArofloClientRecord): Rejected {
  return {
    id: clientKey(c.id),
    reason: `AroFlo sent the client "${c.name}" with a list of its people that could not be read (${c.contactsUnread}); its people are left as they are until AroFlo sends it readable`,
    raw: { clientid: c.id, clientname: c.name, contactsUnread: c.contactsUnread },
  };
}

/**
 * Which ids a read by id could not read: those of the records the connector rejected (by `key` in their raw answer) —
 * and, when a rejected record carries no id to tell, every id the read did not return.
 */
function unreadBy(rejected: Array<{ raw: unknown }>, key: string, returned: Iterable<string>): (id: string) => boolean {
  const ids = new Set<string>();
  let anonymous = false;
  for (const r of rejected) {
    const v = r.raw && typeof r.raw === 'object' ? (r.raw as Record<string, unknown>)[key] : undefined;
    if ((typeof v === 'string' && v.trim()) || typeof v === 'number') ids.add(String(v).trim());
    else anonymous = true;
  }
  const got = new Set(returned);
  return (id) => ids.has(id) || (anonymous && !got.has(id));
}

/** What is worth sending in an insert: empty values left out. */
function filled<T extends object>(p: T): T {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== null && v !== undefined && v !== '')) as T;
}

/**
 * AroFlo takes a client's state and country only together (README.md in this folder, "Fields from the mapping"): a
 * part sent alone is completed from the address the client holds, else the country is the business's own (its name,
 * as AroFlo shows countries) and the state is left empty.
 */
function pairStateCountry(
  address: ArofloAddress | undefined,
  held: ArofloAddress | undefined,
  country: CountryCode,
): ArofloAddress | undefined {
  if (!address || (address.state === undefined) === (address.country === undefined)) return address;
  const out = { ...address };
  if (out.country === undefined) out.country = held?.country ?? countryName(country);
  if (out.state === undefined) out.state = held?.state ?? '';
  return out;
}

const countryName = (code: CountryCode): string => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
};

/**
 * A person's changes as one client update: a residential client's own fields (its name kept equal to the person's,
 * the way it is recognised as residential; the street address sent whole, as AroFlo needs state and country
 * together), or one contact of a business.
 */
function mappedUpdate(
  run: ArofloRun,
  view: MappedFields,
  key: ReturnType<typeof parseKey>,
  changes: Fields,
  current: SideRecord,
  country: CountryCode,
): ClientUpdate {
  if (key.kind === 'contact') {
    const p = view.write<ArofloPersonPatch>(changes, 'contact', 'update');
    const contact: ContactWrite = { id: key.userId };
    for (const k of ['givenNames', 'surname', 'email', 'phone', 'mobile', 'fax'] as const)
      if (p[k] !== undefined) contact[k] = p[k];
    return { id: key.clientId, contacts: [contact] };
  }
  const { id: _id, contacts: _contacts, ...p } = view.write<ArofloPersonPatch>(changes, 'client', 'update');
  const held = run.known.get(key.clientId);
  const out: ClientUpdate = { ...p, id: key.clientId };
  keepHeldStreet(p.address, held?.address);
  if (p.address) out.address = pairStateCountry({ ...(held?.address ?? {}), ...p.address }, held?.address, country);
  if (p.firstName !== undefined || p.surname !== undefined) {
    const first = p.firstName ?? held?.firstName ?? null;
    const last = p.surname ?? held?.surname ?? null;
    out.name = run.freeName(fullName(text(first), text(last)), current.email ?? key.clientId);
  }
  return out;
}

export function arofloContactSide(
  run: ArofloRun,
  defaults: ArofloDefaults,
  logger: Logger,
  env?: RunEnv,
  view?: MappedFields,
): EntitySide {
  const country = (): CountryCode => env?.current.country ?? FALLBACK_COUNTRY;
  const shape = (): PeopleShape => ({ country: country(), view });
  const read = async (keys: string[]): Promise<Map<string, SideRecord | null>> => {
    await env?.ready();
    const clientIds = [...new Set(keys.map((k) => parseKey(k).clientId))];
    const r = clientIds.length ? await run.clientsById(clientIds) : { items: [], rejected: [] };
    for (const c of r.items) run.known.set(c.id, c);
    const people = new Map(
      peopleOf(
        run,
        r.items.filter((c) => !c.archived),
        shape(),
      ).records.map((p) => [p.id, p]),
    );
    // A client that could not be read, or whose people list could not: its people are not read (left out), not gone.
    const rejected = unreadBy(
      r.rejected,
      'clientid',
      r.items.map((c) => c.id),
    );
    const unread = (clientId: string) =>
      rejected(clientId) || r.items.some((c) => c.id === clientId && c.contactsUnread && !c.archived);
    return new Map(keys.filter((k) => !unread(parseKey(k).clientId)).map((k) => [k, people.get(k) ?? null]));
  };
  return {
    system: 'aroflo',
    entity: 'contact',
    want: (keys) => run.want('clients', clientIdsOf(keys)),
    // Re-read by id, `idsPerLookup` (100) a request (main/sync/README.md, "Daily budget and the rolling re-read").
    recheck: { by: 'id', perCall: 100 },
    canCreate: true,
    async fetchAll() {
      await env?.ready();
      const r = await run.readClients();
      const people = peopleOf(run, r.items, shape());
      return {
        records: people.records,
        rejected: [...r.rejected, ...people.rejected],
        complete: true,
        cursor: (await run.feedMark('clients')) ?? 'full',
      };
    },
    async fetchChanged(cursor) {
      await env?.ready();
      const r = await run.readChangedClients(cursor);
      const people = peopleOf(run, r.items, shape());
      return {
        records: people.records,
        rejected: [...r.rejected, ...people.rejected],
        complete: false,
        cursor: r.cursor,
      };
    },
    getMany: read,
    async create(items) {
      const results: WriteResult[] = new Array(items.length);
      // Residential customers: a client of their own, all in one insert call.
      const residential = items.map((it, i) => ({ it, i })).filter(({ it }) => !it.parentId);
      if (residential.length) {
        const named = residential.map(({ it }) => {
          const f = it.fields;
          // What the mapping carries (lengths cut to AroFlo's; README.md in this folder, "Fields from the mapping").
          const mapped = view ? filled(view.write<ArofloPersonPatch>(f, 'client', 'create')) : undefined;
          const first = mapped ? (mapped.firstName ?? null) : (f.firstName ?? null);
          const last = mapped ? (mapped.surname ?? null) : (f.lastName ?? null);
          const key = f.email ?? f.phone ?? mapped?.email ?? mapped?.mobile ?? it.source.id;
          const name = fullName(first, last, f.email ?? mapped?.email ?? 'New customer');
          const { id: _id, contacts: _contacts, name: _name, ...rest } = mapped ?? {};
          if (rest.address) rest.address = pairStateCountry(filled(rest.address), undefined, country());
          const input = {
            ...(mapped ? rest : { ...(f.email ? { email: f.email } : {}), ...(f.phone ? { mobile: f.phone } : {}) }),
            name: run.freeName(name, key),
            firstName: (first ?? name).slice(0, 50),
            surname: (last ?? '-').slice(0, 50),
            ...(defaults.businessUnitId ? { businessUnitIds: [defaults.businessUnitId] } : {}),
          };
          return { input, alt: run.altName(name, key) };
        });
        const inputs = named.map((n) => n.input);
        let outcomes: WriteOutcome[] = [];
        try {
          outcomes = await run.client.insertClients(inputs);
          // A name AroFlo already holds that this run had not read (an incremental run reads only what changed): AroFlo
          // refused it, so nothing was written — send those once more under the name with its disambiguator.
          const taken = outcomes.filter(
            (o) =>
              o.status === 'failed' &&
              /already exists/i.test(`${o.error?.message ?? ''} ${o.error?.detail ?? ''}`) &&
              inputs[o.index]!.name !== named[o.index]!.alt,
          );
          if (taken.length) {
            for (const o of taken) inputs[o.index] = { ...inputs[o.index]!, name: named[o.index]!.alt };
            const again = await run.client
              .insertClients(taken.map((o) => inputs[o.index]!))
              .catch((e: unknown) =>
                taken.map((_, j) => ({ index: j, status: 'unknown' as const, error: e as ConnectorError })),
              );
            const byIndex = new Map(taken.map((o, j) => [o.index, again.find((x) => x.index === j)] as const));
            outcomes = outcomes.map((x) =>
              byIndex.has(x.index)
                ? { ...(byIndex.get(x.index) ?? { status: 'unknown' as const }), index: x.index }
                : x,
            );
          }
        } catch (e) {
          for (const { i } of residential) results[i] = fail(e);
        }
        residential.forEach(({ i }, k) => {
          if (results[i]) return;
          const o = outcomes.find((x) => x.index === k);
          if (o?.status !== 'ok' || !o.id)
            return void (results[i] = fail(outcomeError(o, `the client for ${items[i]!.label}`)));
          const inp = inputs[k]!;
          const { businessUnitIds: _bu, ...held } = inp;
          const rec: ArofloClientRecord = {
            ...held,
            id: o.id,
            archived: false,
            postable: false,
            businessUnits: [],
            contacts: [],
          };
          run.known.set(o.id, rec);
          results[i] = ok(residentRecord(rec, shape()));
        });
      }
      // People of a business: nested contact inserts, one client update per business, all in one call.
      const workers = items.map((it, i) => ({ it, i })).filter(({ it }) => !!it.parentId);
      if (workers.length) {
        const byClient = new Map<string, Array<{ it: (typeof items)[number]; i: number }>>();
        for (const w of workers) {
          const key = parseKey(w.it.parentId!);
          byClient.set(key.clientId, [...(byClient.get(key.clientId) ?? []), w]);
        }
        const updates = [...byClient.entries()].map(([clientId, ws]) => ({
          id: clientId,
          contacts: ws.map(({ it }): ContactWrite => {
            if (view) {
              const p = filled(view.write<ArofloPersonPatch>(it.fields, 'contact', 'create'));
              return {
                givenNames: p.givenNames,
                surname: p.surname,
                email: p.email,
                phone: p.phone,
                mobile: p.mobile,
                fax: p.fax,
              };
            }
            return {
              givenNames: (it.fields.firstName ?? '').slice(0, 50) || undefined,
              surname: (it.fields.lastName ?? '').slice(0, 50) || undefined,
              ...(it.fields.email ? { email: it.fields.email } : {}),
              ...(it.fields.phone ? { mobile: it.fields.phone } : {}),
            };
          }),
        }));
        let outcomes: WriteOutcome[] = [];
        try {
          outcomes = await run.client.updateClients(updates);
        } catch (e) {
          for (const { i } of workers) results[i] = fail(e);
        }
        [...byClient.entries()].forEach(([clientId, ws], k) => {
          const o = outcomes.find((x) => x.index === k);
          ws.forEach(({ it, i }, j) => {
            if (results[i]) return;
            const c = o?.contacts?.[j];
            if (o?.status !== 'ok' || c?.status !== 'ok' || !c.id)
              return void (results[i] = fail(outcomeError(c ?? o, `the contact ${it.label}`)));
            const contact = updates[k]!.contacts[j]!;
            const businessName = run.known.get(clientId)?.name ?? it.source.context?.companyName ?? '';
            results[i] = ok(
              contactRecord(clientId, businessName, { ...filled(contact), id: c.id, archived: false }, shape()),
            );
          });
        });
      }
      return results;
    },
    async update(items) {
      const updates = items.map((it): ClientUpdate => {
        const key = parseKey(it.id);
        const ch = it.changes;
        if (view) return mappedUpdate(run, view, key, ch, it.current, country());
        if (key.kind === 'client') {
          const first = 'firstName' in ch ? ch.firstName : it.current.fields.firstName;
          const last = 'lastName' in ch ? ch.lastName : it.current.fields.lastName;
          const renamed = 'firstName' in ch || 'lastName' in ch;
          return {
            id: key.clientId,
            ...('firstName' in ch ? { firstName: (ch.firstName ?? '').slice(0, 50) } : {}),
            ...('lastName' in ch ? { surname: (ch.lastName ?? '').slice(0, 50) } : {}),
            // Keep a residential client's name equal to the person's (that is how it is recognised).
            ...(renamed
              ? { name: run.freeName(fullName(first ?? null, last ?? null), it.current.email ?? key.clientId) }
              : {}),
            ...('email' in ch ? { email: ch.email ?? '' } : {}),
            ...('phone' in ch ? { mobile: ch.phone ?? '' } : {}),
          };
        }
        return {
          id: key.clientId,
          contacts: [
            {
              id: key.userId,
              ...('firstName' in ch ? { givenNames: (ch.firstName ?? '').slice(0, 50) } : {}),
              ...('lastName' in ch ? { surname: (ch.lastName ?? '').slice(0, 50) } : {}),
              ...('email' in ch ? { email: ch.email ?? '' } : {}),
              ...('phone' in ch ? { mobile: ch.phone ?? '' } : {}),
            },
          ],
        };
      });
      let outcomes: WriteOutcome[];
      try {
        outcomes = await run.client.updateClients(updates);
      } catch (e) {
        return items.map(() => fail(e));
      }
      const failed = new Map<string, Error>();
      items.forEach((it, i) => {
        const o = outcomes.find((x) => x.index === i);
        const nested = o?.contacts?.[0];
        if (o?.status !== 'ok' || (nested && nested.status !== 'ok'))
          failed.set(it.id, outcomeError(nested ?? o, it.label));
      });
      // Read back what AroFlo now holds (it truncates some fields silently): that is the base for echo suppression.
      const back = await read(items.filter((it) => !failed.has(it.id)).map((it) => it.id));
      return items.map((it) => {
        const err = failed.get(it.id);
        if (err) return fail(err);
        const rec = back.get(it.id);
        return rec ? ok(rec) : fail(new Error(`AroFlo no longer has ${it.label}`));
      });
    },
    async remove(items) {
      const contacts = items.map((it, i) => ({ it, i, key: parseKey(it.id) })).filter((x) => x.key.kind === 'contact');
      const results: WriteResult[] = items.map((it) => {
        if (parseKey(it.id).kind === 'client') {
          const why = `AroFlo cannot archive the client "${it.label}" through its API — archive it in AroFlo if it should go; it is no longer synced.`;
          logger.warn(why);
          return skipped({ id: it.id, fields: {}, label: it.label }, why);
        }
        return fail(new Error('pending'));
      });
      if (contacts.length) {
        const outcomes = await run.client.updateClients(
          contacts.map(({ key }) => ({
            id: key.clientId,
            contacts: [{ id: (key as { userId: string }).userId, archived: true }],
          })),
        );
        contacts.forEach(({ it, i }, k) => {
          const o = outcomes.find((x) => x.index === k);
          results[i] =
            o?.status === 'ok'
              ? ok({ id: it.id, fields: {}, label: it.label })
              : fail(outcomeError(o?.contacts?.[0] ?? o, it.label));
        });
      }
      return results;
    },
    async findCreated(item) {
      const f = item.fields;
      // Found by email or phone: that is what the create made. Otherwise never "found" by a name: every record that
      // could be it — the same names sent, or (under a business) any contact of it — is a candidate, whatever email
      // or phone it has now (a person may have added one since), and the engine sets aside those it read before the
      // create went out and those already linked, and asks a person about any other (a namesake may have been added
      // since). See README.md in this folder, "Finding an interrupted create".
      const maybe = (found: SideRecord[]): CreateOutcomeUnknown | undefined =>
        found.length
          ? {
              unknown: true,
              candidates: found,
              reason: `${found.length === 1 ? 'a record' : `${found.length} records`} that may be it and cannot be told apart by an email or phone`,
            }
          : undefined;
      const inScope = (c: { businessUnits: Array<{ id: string }> }) =>
        !run.scope.businessUnits.length || c.businessUnits.some((b) => run.scope.businessUnits.includes(b.id));
      await env?.ready();
      const byKey = (em: string | null | undefined, ph: string | null | undefined) =>
        (!!f.email && email(em) === f.email) || (!!f.phone && phone(ph, country()) === f.phone);
      if (item.parentId) {
        const key = parseKey(item.parentId);
        const c = await run.client.getClient(key.clientId, { contacts: true });
        if (!c || !inScope(c)) return undefined;
        // Its people could not be read: whether the create made one cannot be told yet (the entry waits).
        if (c.contactsUnread) throw new Error(unreadPeople(c).reason);
        const live = (c.contacts ?? []).filter((p) => !p.archived);
        const x = live.find((p) => byKey(p.email, p.mobile ?? p.phone));
        return x
          ? contactRecord(c.id, c.name, x, shape())
          : maybe(live.map((p) => contactRecord(c.id, c.name, p, shape())));
      }
      const name = fullName(f.firstName ?? null, f.lastName ?? null, f.email ?? 'New customer');
      // Under its plain name, or under the name with its disambiguator when the plain one was taken.
      const r = await run.client.listClients({
        where: Where.and('clientname', 'IN', [
          name.slice(0, 50),
          run.altName(name, f.email ?? f.phone ?? item.source.id),
        ]),
        contacts: true,
      });
      // As the create sends them (a residential client needs a first name and a surname).
      const sent = {
        first: text((f.firstName ?? name).slice(0, 50)) ?? '',
        last: text((f.lastName ?? '-').slice(0, 50)) ?? '',
      };
      const unreadable = r.items.find((x) => x.contactsUnread && !x.archived && inScope(x));
      if (unreadable) throw new Error(unreadPeople(unreadable).reason);
      const people = r.items.filter((x) => !x.archived && inScope(x) && !x.contacts?.some((p) => !p.archived));
      const c = people.find((x) => byKey(x.email, x.mobile ?? x.phone));
      if (c) return residentRecord(c, shape());
      return maybe(
        people
          .filter((x) => (text(x.firstName) ?? '') === sent.first && (text(x.surname) ?? '') === sent.last)
          .map((x) => residentRecord(x, shape())),
      );
    },
  };
}

// ---------------------------------------------------------------- tasks

/**
 * The person a job is for (a contact-entity id): its contact when it names one on a business, otherwise its client (a residential
 * customer). A client this run did not read is not read just for this (AroFlo allows 2,000 calls a day): a job names
 * a contact only on a business, unless the client is a person already linked as such (the ID map knows).
 */
function taskOwner(run: ArofloRun, t: ArofloTaskRecord): string | undefined {
  if (!t.clientId) return undefined;
  const c = run.known.get(t.clientId);
  const person = c ? run.isResidential(c) : run.linkedPeople.has(t.clientId);
  return t.contactUserId && !person ? contactKey(t.clientId, t.contactUserId) : clientKey(t.clientId);
}

function taskRecord(run: ArofloRun, t: ArofloTaskRecord, view?: MappedFields): SideRecord {
  const mapped = view?.read(t);
  return {
    id: t.id,
    parentId: taskOwner(run, t),
    fields: mapped?.fields ?? {
      title: text(t.name),
      dueDate: day(t.dueDate),
      body: noteText(t.description),
      completed: t.status === 'completed' ? 'true' : 'false',
    },
    ...(mapped?.warnings ? { warnings: mapped.warnings } : {}),
    label: text(t.name) ?? '(untitled job)',
  };
}

/** The job note the bridge leaves for a change AroFlo cannot take, by the AroFlo field it is for. */
function bridgeNoteFor(ref: string | undefined, value: string | null): string | undefined {
  if (ref === 'taskname') return `${BRIDGE_NOTE.title} to: ${value ?? '(none)'}`;
  if (ref === 'duedate') return `${BRIDGE_NOTE.dueDate} to ${value ?? '(none)'} — update the job's due date in AroFlo.`;
  if (ref === 'description') return `${BRIDGE_NOTE.body}:\n${value ?? ''}`;
  return undefined;
}

/**
 * AroFlo jobs. With the pair's mapping (`view`; README.md in this folder, "Fields from the mapping") every mapped job
 * field is read and written through the field catalogue (the status through the value map); a change to a field AroFlo
 * cannot update (name, description, due date) becomes a note on the job, as before.
 */
export function arofloTaskSide(
  run: ArofloRun,
  defaults: ArofloDefaults,
  today: () => string,
  env?: RunEnv,
  view?: MappedFields,
): EntitySide {
  const record = (r: ArofloRun, t: ArofloTaskRecord) => taskRecord(r, t, view);
  const read = async (ids: string[]) => {
    await env?.ready();
    // With its notes: an update must see the notes the bridge already left on the job (no extra call).
    const r = await run.tasksById(ids);
    // A job that could not be read is left out (not read), not gone.
    const unread = unreadBy(
      r.rejected,
      'taskid',
      r.items.map((t) => t.id),
    );
    return new Map(
      ids
        .filter((id) => !unread(id))
        .map((id) => [
          id,
          ((t) => (t && run.taskInScope(t) ? record(run, t) : null))(r.items.find((t) => t.id === id)),
        ]),
    );
  };
  return {
    system: 'aroflo',
    entity: 'task',
    want: (ids) => run.want('tasks', ids),
    // Re-read by id, `idsPerLookup` (100) a request (main/sync/README.md, "Daily budget and the rolling re-read").
    recheck: { by: 'id', perCall: 100 },
    canCreate: true,
    // A job created completed gets its status in an update after the insert (`create` below).
    async afterCreate() {
      await env?.ready();
      const key = view ? view.keyOf('status') : 'completed';
      return key ? [key] : [];
    },
    async fetchAll() {
      await env?.ready();
      await run.readClients();
      const r = await run.readTasks();
      return {
        records: r.items.map((t) => record(run, t)),
        rejected: r.rejected,
        complete: true,
        cursor: (await run.feedMark('tasks')) ?? 'full',
      };
    },
    async fetchChanged(cursor) {
      await env?.ready();
      const r = await run.readChangedTasks(cursor);
      return { records: r.items.map((t) => record(run, t)), rejected: r.rejected, complete: false, cursor: r.cursor };
    },
    getMany: read,
    async create(items) {
      if (!defaults.businessUnitId || !defaults.taskTypeId) {
        const e = new ConnectorError({
          system: 'aroflo',
          kind: 'config',
          message:
            'AroFlo needs a business unit and a task type to create a job — choose the defaults on the Mappings screen.',
        });
        return items.map(() => fail(e));
      }
      await env?.ready();
      const inputs = items.map((it) => {
        const owner = parseKey(it.parentId!);
        const f = it.fields;
        if (view) {
          const p = view.write<Partial<TaskInsert>>(f, undefined, 'create');
          return {
            clientId: owner.clientId,
            businessUnitId: defaults.businessUnitId!,
            taskTypeId: p.taskTypeId || defaults.taskTypeId!,
            name: p.name || '(untitled task)',
            dueDate: p.dueDate || today(),
            ...(p.description ? { description: p.description } : {}),
            ...(owner.kind === 'contact' ? { contactUserId: owner.userId } : {}),
          };
        }
        return {
          clientId: owner.clientId,
          businessUnitId: defaults.businessUnitId!,
          taskTypeId: defaults.taskTypeId!,
          name: (f.title ?? '(untitled task)').slice(0, 50),
          dueDate: f.dueDate ?? today(),
          ...(f.body ? { description: f.body } : {}),
          ...(owner.kind === 'contact' ? { contactUserId: owner.userId } : {}),
        };
      });
      let outcomes: WriteOutcome[];
      try {
        outcomes = await run.client.insertTasks(inputs);
      } catch (e) {
        return items.map(() => fail(e));
      }
      const done = items.map((it, i) => ({ it, i, o: outcomes.find((x) => x.index === i) }));
      // A task created as completed: AroFlo takes the status only on update.
      const completedAtStart = (f: Fields) =>
        view ? view.write<Partial<TaskUpdate>>(f, undefined, 'update').status === 'completed' : f.completed === 'true';
      const complete = done.filter(({ it, o }) => o?.status === 'ok' && o.id && completedAtStart(it.fields));
      const completed = new Set<string>();
      // A status update that may not have been made (no answer, or AroFlo could not say): the job was made, its outbox
      // entry stays open, and recovery links it and then writes the status (`afterCreate`; main/sync/README.md,
      // "Crash safety"). One AroFlo refused leaves the job as it is.
      const unfinished = new Map<number, Error>();
      if (complete.length) {
        try {
          const st = await run.client.updateTasks(
            complete.map(({ o }) => ({ id: o!.id!, status: 'completed' as const })),
          );
          complete.forEach(({ o, i }, k) => {
            const x = st.find((y) => y.index === k);
            if (x?.status === 'ok') completed.add(o!.id!);
            else if (x?.status !== 'failed') unfinished.set(i, outcomeError(x, `the status of the job "${o!.id}"`));
          });
        } catch (e) {
          for (const { i } of complete) unfinished.set(i, e instanceof Error ? e : new Error(String(e)));
        }
      }
      // The job as AroFlo now holds it, from what was sent and what AroFlo confirmed (no task field is truncated
      // silently — main/connectors/aroflo/README.md, "Facts: writes" — and a status update AroFlo refused leaves it not completed). No read-back: AroFlo
      // allows 2,000 calls a day.
      return done.map(({ it, i, o }) => {
        if (o?.status !== 'ok' || !o.id) return fail(outcomeError(o, `the job "${it.label}"`));
        const lost = unfinished.get(i);
        if (lost) return { ok: false, error: lost, uncertain: true };
        const inp = inputs[i]!;
        const t: ArofloTaskRecord = {
          id: o.id,
          name: inp.name,
          description: inp.description,
          status: completed.has(o.id) ? 'completed' : 'notstarted',
          clientId: inp.clientId,
          businessUnitId: inp.businessUnitId,
          taskTypeId: inp.taskTypeId,
          contactUserId: inp.contactUserId,
          dueDate: inp.dueDate,
          linkProcessed: false,
        };
        return run.taskInScope(t) ? ok(record(run, t)) : fail(outcomeError(o, `the job "${it.label}"`));
      });
    },
    async update(items) {
      await env?.ready();
      const inputs = items.map((it) => {
        const ch = it.changes;
        if (view) {
          const { patch, skipped } = view.render<Partial<TaskUpdate>>(ch, undefined, 'update');
          // AroFlo cannot change these through its API: say so on the job instead of dropping the change.
          const said = skipped.map((k) => bridgeNoteFor(view.refOf(k), ch[k] ?? null)).filter((c): c is string => !!c);
          const unsaid = said.filter((c) => !run.alreadyNoted(it.id, c)).map((content) => ({ content }));
          return {
            id: it.id,
            ...(patch.status ? { status: patch.status } : {}),
            ...(unsaid.length ? { notes: unsaid } : {}),
          };
        }
        const notes: Array<{ content: string }> = [];
        // AroFlo cannot change these through its API: say so on the job instead of dropping the change.
        if ('title' in ch) notes.push({ content: `${BRIDGE_NOTE.title} to: ${ch.title ?? '(none)'}` });
        if ('dueDate' in ch)
          notes.push({
            content: `${BRIDGE_NOTE.dueDate} to ${ch.dueDate ?? '(none)'} — update the job's due date in AroFlo.`,
          });
        if ('body' in ch) notes.push({ content: `${BRIDGE_NOTE.body}:\n${ch.body ?? ''}` });
        const unsaid = notes.filter((n) => !run.alreadyNoted(it.id, n.content));
        return {
          id: it.id,
          ...('completed' in ch
            ? { status: ch.completed === 'true' ? ('completed' as const) : defaults.openStatus }
            : {}),
          ...(unsaid.length ? { notes: unsaid } : {}),
        };
      });
      // A job whose only change is a note AroFlo already holds has nothing left to send.
      const send = inputs.map((inp, i) => ({ inp, i })).filter(({ inp }) => 'status' in inp || 'notes' in inp);
      let outcomes: WriteOutcome[] = [];
      try {
        if (send.length) outcomes = await run.client.updateTasks(send.map(({ inp }) => inp));
      } catch (e) {
        return items.map(() => fail(e));
      }
      // Not read back (README.md in this folder, "A job's update is not read back"): AroFlo takes a job's status as
      // sent and cannot change its other fields, so the job this run read, with that status, is what it now holds.
      // The write moves the job's lastupdate, so the next sync's change feed reads it anyway and plans any difference
      // like another edit. A job this run did not read (none, in practice) is read back as before.
      const unread = items.filter((it) => !run.job(it.id)).map((it) => it.id);
      const back = unread.length ? await read(unread) : new Map<string, SideRecord | null>();
      return items.map((it, i) => {
        const k = send.findIndex((x) => x.i === i);
        const o = k < 0 ? ({ index: i, status: 'ok' } as WriteOutcome) : outcomes.find((x) => x.index === k);
        if (o?.status !== 'ok') return fail(outcomeError(o, `the job "${it.label}"`));
        const was = run.job(it.id);
        const rec =
          was && !back.has(it.id) ? record(run, run.updatedJob(was, k < 0 ? {} : send[k]!.inp)) : back.get(it.id);
        return rec ? ok(rec) : fail(new Error(`AroFlo no longer has the job "${it.label}"`));
      });
    },
    async remove(items) {
      let outcomes: WriteOutcome[];
      try {
        outcomes = await run.client.updateTasks(items.map((it) => ({ id: it.id, status: 'archived' as const })));
      } catch (e) {
        return items.map(() => fail(e));
      }
      return items.map((it, i) => {
        const o = outcomes.find((x) => x.index === i);
        return o?.status === 'ok'
          ? ok({ id: it.id, fields: {}, label: it.label })
          : fail(outcomeError(o, `the job "${it.label}"`));
      });
    },
    async findCreated(item) {
      if (!item.parentId) return undefined;
      const owner = parseKey(item.parentId);
      // Tasks can be filtered by client name, not client id (main/connectors/aroflo/README.md, "Facts: tasks").
      await env?.ready();
      const clientName = run.known.get(owner.clientId)?.name ?? (await run.client.getClient(owner.clientId))?.name;
      if (!clientName) return undefined;
      const r = await run.client.listTasks({ where: Where.and('clientname', '=', clientName) });
      return r.items
        .filter(
          (x) =>
            x.clientId === owner.clientId &&
            text(x.name) === (item.fields.title ?? '(untitled task)').slice(0, 50) &&
            (!item.fields.dueDate || day(x.dueDate) === item.fields.dueDate),
        )
        .map((t) => record(run, t));
    },
  };
}

// ---------------------------------------------------------------- notes

const taskNoteKey = (taskId: string, noteId: string) => `tasknote:${taskId}:${noteId}`;
const clientNoteKey = (noteId: string) => `clientnote:${noteId}`;

/**
 * How the notes begin that the bridge itself writes on a job for a change AroFlo cannot take (title, due date,
 * description). They are the bridge's echo, not a person's note: note sync and the notes-to-tasks rule leave them be.
 */
export const BRIDGE_NOTE = {
  title: 'Title changed in HighLevel',
  dueDate: 'Due date changed in HighLevel',
  body: 'Description changed in HighLevel',
} as const;
export const isBridgeNote = (content: string | null | undefined): boolean =>
  Object.values(BRIDGE_NOTE).some((p) => (noteText(content) ?? '').startsWith(p));
/** A note's text as compared for sameness (AroFlo may store it as HTML, with its own line breaks). */
const sameNote = (content: string | null | undefined): string => (noteText(content) ?? '').replace(/\s+/g, ' ').trim();

/**
 * Jobs whose notes list could not be read (`notesUnread`): set aside with the reason, so none of their notes is taken
 * for deleted (README.md in this folder, "A client whose people cannot be read" — the same for a job's notes).
 */
function unreadNotes(tasks: ArofloTaskRecord[]): Rejected[] {
  return tasks
    .filter((t) => t.notesUnread)
    .map((t) => ({
      id: `task:${t.id}`,
      reason: `AroFlo sent the job "${t.name}" with a list of its notes that could not be read (${t.notesUnread}); its notes are left as they are until AroFlo sends it readable`,
      raw: { taskid: t.id, taskname: t.name, notesUnread: t.notesUnread },
    }));
}

function notesOfTasks(run: ArofloRun, tasks: ArofloTaskRecord[], view?: MappedFields): SideRecord[] {
  const out: SideRecord[] = [];
  for (const t of tasks) {
    const owner = taskOwner(run, t);
    for (const n of t.notes ?? []) {
      if (isBridgeNote(n.content)) continue;
      const body = noteText(n.content);
      const mapped = view?.read(n, 'tasknote');
      out.push({
        id: taskNoteKey(t.id, n.id),
        kind: 'tasknote',
        parentId: owner,
        fields: mapped?.fields ?? { body },
        label: (body ?? '(empty note)').slice(0, 60),
        madeAt: dateMs(n.postedDate),
        context: { taskName: t.name, taskId: t.id },
      });
    }
  }
  return out;
}

function clientNoteRecord(n: ArofloClientNoteRecord, view?: MappedFields): SideRecord {
  const body = noteText(n.content);
  const mapped = view?.read(n, 'clientnote');
  return {
    id: clientNoteKey(n.id),
    kind: 'clientnote',
    parentId: clientKey(n.clientId),
    fields: mapped?.fields ?? { body },
    label: (body ?? '(empty note)').slice(0, 60),
    madeAt: dateMs(n.createdUtc),
  };
}

/**
 * Job notes and client notes. With the pair's mapping (`view`; README.md in this folder, "Fields from the mapping") the
 * note's text is read and written through the field catalogue; without it, as the bridge always has.
 */
export function arofloNoteSide(
  run: ArofloRun,
  logger: Logger,
  filter?: (r: SideRecord) => boolean,
  env?: RunEnv,
  view?: MappedFields,
): EntitySide {
  const clientNoteRecordOf = (n: ArofloClientNoteRecord) => clientNoteRecord(n, view);
  /** A note's content as AroFlo takes it (a client note holds at most 1,000 characters). */
  const contentOf = (f: Fields, kind: 'clientnote' | 'tasknote', mode: 'create' | 'update'): string =>
    view
      ? (view.write<{ content?: string }>(f, kind, mode).content ?? '')
      : kind === 'clientnote'
        ? (f.body ?? '').slice(0, 1000)
        : (f.body ?? '');
  // Notes on a business's own record (not on one of its people) have no HighLevel contact to go to.
  const person = (r: SideRecord) => {
    if (!r.parentId) return false;
    const key = parseKey(r.parentId);
    if (key.kind === 'contact') return true;
    const c = run.known.get(key.clientId);
    return !c || run.isResidential(c);
  };
  const keep = (rs: SideRecord[]) =>
    rs.map((r) => (person(r) ? r : { ...r, parentId: undefined })).filter((r) => !filter || filter(r));
  const read = async (ids: string[]): Promise<Map<string, SideRecord | null>> => {
    await env?.ready();
    const out = new Map<string, SideRecord | null>(ids.map((id) => [id, null]));
    const taskOf = (id: string) => id.split(':')[1]!;
    const taskIds = [...new Set(ids.filter((id) => id.startsWith('tasknote:')).map(taskOf))];
    if (taskIds.length) {
      const r = await run.tasksById(taskIds);
      for (const rec of notesOfTasks(run, r.items, view)) if (out.has(rec.id)) out.set(rec.id, rec);
      // The notes of a job that could not be read, or whose notes list could not, are left out (not read), not gone.
      const rejected = unreadBy(
        r.rejected,
        'taskid',
        r.items.map((t) => t.id),
      );
      const unread = (taskId: string) => rejected(taskId) || r.items.some((t) => t.id === taskId && t.notesUnread);
      for (const id of ids) if (id.startsWith('tasknote:') && unread(taskOf(id))) out.delete(id);
    }
    const noteIds = ids.filter((id) => id.startsWith('clientnote:')).map((id) => id.slice('clientnote:'.length));
    if (noteIds.length) {
      const r = await run.client.listClientNotes({ where: Where.and('noteid', 'IN', noteIds) });
      for (const n of r.items) out.set(clientNoteKey(n.id), clientNoteRecordOf(n));
      const unread = unreadBy(
        r.rejected,
        'noteid',
        r.items.map((n) => n.id),
      );
      for (const id of noteIds) if (unread(id)) out.delete(clientNoteKey(id));
    }
    return out;
  };
  return {
    system: 'aroflo',
    entity: 'note',
    // A job note is read with its job; a client note has no read by id worth sharing (`noteid IN` only).
    want: (ids) =>
      run.want(
        'tasks',
        ids.filter((id) => id.startsWith('tasknote:')).map((id) => id.split(':')[1]!),
      ),
    // Re-read by id, `idsPerLookup` (100) a request (main/sync/README.md, "Daily budget and the rolling re-read").
    recheck: { by: 'id', perCall: 100 },
    canCreate: true,
    async fetchAll() {
      await env?.ready();
      await run.readClients();
      const [t, n] = await Promise.all([run.readTasks(), run.readClientNotes()]);
      return {
        records: keep([...notesOfTasks(run, t.items, view), ...n.items.map(clientNoteRecordOf)]),
        rejected: [...t.rejected, ...unreadNotes(t.items), ...n.rejected],
        complete: true,
        cursor: (await run.feedMark('tasks')) ?? new Date().toISOString(),
      };
    },
    async fetchChanged(cursor) {
      await env?.ready();
      const t = await run.readChangedTasks(cursor);
      const since = sinceOf(cursor);
      // AroFlo filters client notes by their creation *date* (`createdutc`, like a contact's — main/connectors/aroflo/README.md, "Facts: client notes"): "after the
      // day before" is the first filter that still holds the notes created later on the cursor's own day. Notes read
      // again are already linked, so they plan nothing.
      const n = since
        ? await run.readClientNotesSince(new Date(Date.parse(since) - 86_400_000).toISOString())
        : { items: [], rejected: [] };
      return {
        records: keep([...notesOfTasks(run, t.items, view), ...n.items.map(clientNoteRecordOf)]),
        rejected: [...t.rejected, ...unreadNotes(t.items), ...n.rejected],
        complete: false,
        cursor: t.cursor ?? cursor,
      };
    },
    getMany: read,
    async create(items) {
      // A HighLevel note goes onto the person's client in AroFlo (AroFlo has no notes on a contact).
      await env?.ready();
      const inputs = items.map((it) => {
        const owner = parseKey(it.parentId!);
        return {
          clientId: owner.clientId,
          content: contentOf(it.fields, 'clientnote', 'create'),
          filter: 'Internal Only' as const,
        };
      });
      let outcomes: WriteOutcome[];
      try {
        outcomes = await run.client.insertClientNotes(inputs);
      } catch (e) {
        return items.map(() => fail(e));
      }
      return items.map((it, i) => {
        const o = outcomes.find((x) => x.index === i);
        if (o?.status !== 'ok' || !o.id) return fail(outcomeError(o, 'the note'));
        const fields = view
          ? view.read(
              { id: o.id, clientId: parseKey(it.parentId!).clientId, content: inputs[i]!.content },
              'clientnote',
            ).fields
          : { body: noteText(inputs[i]!.content) };
        return ok({
          id: clientNoteKey(o.id),
          kind: 'clientnote',
          parentId: it.parentId,
          fields,
          label: (it.fields.body ?? '').slice(0, 60),
        });
      });
    },
    async update(items) {
      const clientNotes = items.map((it, i) => ({ it, i })).filter(({ it }) => it.id.startsWith('clientnote:'));
      const taskNotes = items.map((it, i) => ({ it, i })).filter(({ it }) => it.id.startsWith('tasknote:'));
      const failures = new Map<number, Error>();
      await env?.ready();
      if (clientNotes.length) {
        const o = await run.client.updateClientNotes(
          clientNotes.map(({ it }) => ({
            id: it.id.slice('clientnote:'.length),
            content: contentOf(it.changes, 'clientnote', 'update'),
          })),
        );
        clientNotes.forEach(({ i }, k) => {
          const x = o.find((y) => y.index === k);
          if (x?.status !== 'ok') failures.set(i, outcomeError(x, 'the note'));
        });
      }
      if (taskNotes.length) {
        const o = await run.client.updateTaskNotes(
          taskNotes.map(({ it }) => {
            const [, taskId, noteId] = it.id.split(':');
            return { taskId: taskId!, noteId: noteId!, content: contentOf(it.changes, 'tasknote', 'update') };
          }),
        );
        taskNotes.forEach(({ i }, k) => {
          const x = o.find((y) => y.index === k);
          if (x?.status !== 'ok') failures.set(i, outcomeError(x, 'the note'));
        });
      }
      const back = await read(items.filter((_, i) => !failures.has(i)).map((it) => it.id));
      return items.map((it, i) =>
        failures.get(i)
          ? fail(failures.get(i))
          : back.get(it.id)
            ? ok(back.get(it.id)!)
            : fail(new Error('AroFlo no longer has this note')),
      );
    },
    async remove(items) {
      return items.map((it) => {
        const why = `AroFlo cannot delete notes through its API: the note "${it.label}" stays in AroFlo and is no longer synced.`;
        logger.warn(why);
        return skipped({ id: it.id, fields: {}, label: it.label }, why);
      });
    },
    async findCreated(item) {
      if (!item.parentId) return undefined;
      const owner = parseKey(item.parentId);
      await env?.ready();
      // Client notes can only be filtered by id or creation time, and AroFlo keeps only the creation *date*
      // (main/connectors/aroflo/README.md, "Facts: client notes"): the notes made since the day before the create
      // went out, then those of this client holding the text sent, made on or after its day (README.md in this
      // folder, "Finding an interrupted create").
      const from = madeFrom(item, 'day') ?? Date.now() - 2 * 86_400_000;
      const r = await run.client.listClientNotes({ createdSince: new Date(from - 86_400_000) });
      // Compared as AroFlo stores the text (it may keep it as HTML, with its own line breaks).
      const sent = sameNote(contentOf(item.fields, 'clientnote', 'create'));
      return identicalSince(r.items.filter((n) => n.clientId === owner.clientId).map(clientNoteRecordOf), item, {
        granularity: 'day',
        holds: (x) => sameNote(r.items.find((n) => clientNoteKey(n.id) === x.id)?.content) === sent,
      });
    },
  };
}

export { bool };
