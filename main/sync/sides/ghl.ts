/**
 * HighLevel as EntitySides: contacts (for AroFlo and, by LinkedIn URL, for Aimfox), businesses (derived from the
 * contacts' company), tasks and notes. One GhlRun per sync run caches what was read, so both pairs and all
 * entities share the same calls. Task and note ids are "<contactId>/<id>" because every GHL call for them needs
 * the contact.
 */
import { ConnectorError } from '../../connectors/shared/errors.js';
import type {
  GhlClient,
  GhlContact,
  GhlContactUpdate,
  GhlList,
  GhlNote,
  GhlNoteCreate,
  GhlScanCheckpoint,
  GhlTask,
  GhlTaskCreate,
} from '../../connectors/ghl/index.js';
import type { EntityKind } from '../../../preload/contract.js';
import { formatSet, parseSet } from '../engine/merge.js';
import type {
  CreateItem,
  EntitySide,
  FetchResult,
  Fields,
  Rejected,
  RemoveItem,
  SideRecord,
  UpdateItem,
  WriteResult,
} from '../engine/types.js';
import { bool, dateMs, day, email, fullName, markupOf, nameKey, noteText, phone, text } from './normalize.js';
import { linkedinKey } from './linkedin.js';
import { FALLBACK_COUNTRY, type RunEnv } from './env.js';
import type { MappedFields } from './mapped.js';
import type { CountryCode } from 'libphonenumber-js';
import { GHL_CONCURRENCY, mapByKey, mapLimit } from './concurrency.js';
import { fail, ok } from './results.js';
import { holdsWhatWasSent, identicalSince } from './made-since.js';
import { searchTaskReads, type TaskKnowledge } from './ghl-tasks.js';

export const ARCHIVED_TAG = 'archived-by-ghl-bridge';

export interface GhlScope {
  businessIds: string[];
  tags: string[];
}

const isNotFound = (e: unknown) => e instanceof ConnectorError && e.kind === 'not_found';

/** Everything read from GHL during one run. */
export class GhlRun {
  private all?: Promise<{ contacts: GhlContact[]; rejected: Rejected[] }>;
  private changed = new Map<string, Promise<{ contacts: GhlContact[]; rejected: Rejected[]; cursor?: string }>>();
  private tasks = new Map<string, Promise<GhlList<GhlTask>>>();
  private notes = new Map<string, Promise<GhlList<GhlNote>>>();
  /** Contacts whose tasks/notes the previous run wrote, and by which pair (loaded by the adapter factory). */
  carried: Touched[] = [];
  /** Contacts the previous run wrote, with the dateUpdated GHL gave them then: seeing that again is our own echo. */
  echoes = new Map<string, number>();
  /** Contacts this run wrote (saved for the next run's echoes). */
  readonly written = new Map<string, number>();
  /** Every contact this run read (the full read, or the changed ones of every change-feed read), by id. */
  private readonly read = new Map<string, GhlContact>();
  /** Each contact this run wrote, as HighLevel answered the write (handed to later pairs: main/sync/README.md, "Hops"). */
  private readonly wroteNow = new Map<string, GhlContact>();

  /** Business name → "biz:<businessId>", so a contact that only carries the company name joins its business. */
  private readonly bizByName = new Map<string, string>();

  constructor(
    readonly client: GhlClient,
    readonly overlapMs = 5_000,
    knownBusinesses: Array<{ key: string; name: string }> = [],
  ) {
    for (const b of knownBusinesses) this.learn(b.key, b.name);
  }

  private learn(key: string, name: string | null | undefined): void {
    const k = nameKey(name);
    if (k && key.startsWith('biz:') && !this.bizByName.has(k)) this.bizByName.set(k, key);
  }

  private learnAll(contacts: GhlContact[]): void {
    for (const c of contacts) if (c.businessId) this.learn(`biz:${c.businessId}`, c.companyName);
  }

  /** The GHL business a contact belongs to, as a link key: "biz:<businessId>", else "name:<company name>". */
  businessKey(c: GhlContact): string | undefined {
    if (c.businessId) return `biz:${c.businessId}`;
    const n = text(c.companyName);
    if (!n) return undefined;
    return this.bizByName.get(nameKey(n) ?? '') ?? `name:${n}`;
  }

  async readAll(): Promise<{ contacts: GhlContact[]; rejected: Rejected[] }> {
    this.all ??= (async () => {
      const contacts: GhlContact[] = [];
      const rejected: Rejected[] = [];
      const scan = this.client.scanContacts({ pageLimit: 500 });
      for (;;) {
        const r = await scan.next();
        if (r.done) break;
        contacts.push(...r.value.items);
        for (const x of r.value.rejected) rejected.push({ id: x.id, reason: x.reason, raw: x.raw });
      }
      this.learnAll(contacts);
      for (const c of contacts) this.read.set(c.id, c);
      return { contacts, rejected };
    })();
    return this.all;
  }

  /** The change-feed position after a full read: its newest contact, and the contacts at the edge of the overlap. */
  async fullCursor(): Promise<string | undefined> {
    const { contacts } = await this.readAll();
    let last: GhlContact | undefined;
    for (const c of contacts) if (!last || (c.dateUpdated ?? '') > (last.dateUpdated ?? '')) last = c;
    const ms = last?.dateUpdated ? Date.parse(last.dateUpdated) : NaN;
    return last && Number.isFinite(ms)
      ? formatCursor({ v: 1, dateUpdatedMs: ms, id: last.id }, contacts, this.overlapMs)
      : undefined;
  }

  async readChanged(
    cursor: string | undefined,
  ): Promise<{ contacts: GhlContact[]; rejected: Rejected[]; cursor?: string }> {
    const key = cursor ?? '';
    let p = this.changed.get(key);
    if (!p) {
      p = (async () => {
        const { checkpoint, seen } = parseCursor(cursor);
        const contacts: GhlContact[] = [];
        const rejected: Rejected[] = [];
        const scan = this.client.scanContacts({ checkpoint, overlapMs: this.overlapMs, pageLimit: 500 });
        let last: GhlScanCheckpoint | undefined = checkpoint;
        for (;;) {
          const r = await scan.next();
          if (r.done) {
            last = r.value ?? last;
            break;
          }
          contacts.push(...r.value.items);
          for (const x of r.value.rejected) rejected.push({ id: x.id, reason: x.reason, raw: x.raw });
          last = r.value.checkpoint ?? last;
        }
        this.learnAll(contacts);
        // The overlap re-reads the edge of the last scan (the search index lags): what is still as we saw it then
        // has not changed, and its tasks and notes need no new read.
        // Nor is a contact still as our own last write left it (echo suppression).
        const changed = contacts.filter((c) => seen.get(c.id) !== msOf(c) && this.echoes.get(c.id) !== msOf(c));
        for (const c of changed) this.read.set(c.id, c);
        return { contacts: changed, rejected, cursor: last ? formatCursor(last, contacts, this.overlapMs) : cursor };
      })();
      this.changed.set(key, p);
    }
    return p;
  }

  /** A contact's tasks, with the ones GHL sent that could not be read (they are quarantined, not taken for deleted). */
  tasksOf(contactId: string): Promise<GhlList<GhlTask>> {
    let p = this.tasks.get(contactId);
    if (!p) {
      p = this.client.tasks.list(contactId);
      this.tasks.set(contactId, p);
    }
    return p;
  }

  notesOf(contactId: string): Promise<GhlList<GhlNote>> {
    let p = this.notes.get(contactId);
    if (!p) {
      p = this.client.notes.list(contactId);
      this.notes.set(contactId, p);
    }
    return p;
  }

  /**
   * Contacts whose tasks/notes we wrote: GHL has no change feed for those, and the other pair read them before
   * this run wrote them, so the next run re-reads them for the other pair (an AroFlo note that became a GHL note
   * goes on to Aimfox). The pair that wrote them already holds what it wrote.
   */
  readonly touched = new Map<string, Touched>();

  touch(contactId: string, by?: { pair: string; kind: 'task' | 'note' }): void {
    const key = by ? `${by.pair}|${by.kind}|${contactId}` : contactId;
    this.touched.set(key, { id: contactId, ...by });
    this.tasks.delete(contactId);
    this.notes.delete(contactId);
  }

  /** Forget the contacts whose `kind` of children `pair` wrote: a later pair of this run already took them (a hop). */
  forget(pair: string, kind: 'task' | 'note'): void {
    for (const [key, t] of this.touched) if (t.pair === pair && t.kind === kind) this.touched.delete(key);
  }

  /** Remember a contact as this run wrote it (GHL's answer to the write). */
  wrote(c: GhlContact): GhlContact {
    const ms = msOf(c);
    if (ms !== undefined) this.written.set(c.id, ms);
    this.wroteNow.set(c.id, c);
    return c;
  }

  /** A contact as this run's last write of it left it (HighLevel's answer), if this run wrote it. */
  writtenContact(id: string): GhlContact | undefined {
    return this.wroteNow.get(id);
  }

  /** Every contact this run has read so far, whichever read it (for the activity feed and names). */
  contactsRead(): GhlContact[] {
    return [...this.read.values()];
  }

  /** A contact this run read or wrote. */
  contact(id: string): GhlContact | undefined {
    return this.wroteNow.get(id) ?? this.read.get(id);
  }

  /** Carried contacts whose `kind` of children another pair wrote (or whoever wrote them, for old entries). */
  carriedFor(pair: string | undefined, kind: 'task' | 'note'): string[] {
    return this.carried
      .filter((c) => !pair || !c.pair || (c.pair !== pair && (!c.kind || c.kind === kind)))
      .map((c) => c.id);
  }

  /** Contacts whose children to read this run: the given ones (read now) in scope, plus those touched by the previous run. */
  childScope(contacts: GhlContact[], scope: GhlScope, carried: string[] = []): string[] {
    const ids = new Set(contacts.filter((c) => inScope(c, scope)).map((c) => c.id));
    for (const id of carried) ids.add(id);
    return [...ids];
  }
}

/** A contact whose tasks or notes a run wrote, and the pair that wrote them (absent in entries from older versions). */
export interface Touched {
  id: string;
  pair?: string;
  kind?: 'task' | 'note';
}

const msOf = (c: GhlContact): number | undefined => {
  const ms = c.dateUpdated ? Date.parse(c.dateUpdated) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
};

/** Contacts remembered at the edge of the overlap (more are simply re-read next time). */
const SEEN_MAX = 2_000;

/**
 * A GHL change-feed cursor: the connector's checkpoint, plus `seen` — the contacts whose dateUpdated falls in the
 * overlap window before it, with that dateUpdated — so the next scan can tell a re-read from a change.
 */
function parseCursor(cursor: string | undefined): { checkpoint?: GhlScanCheckpoint; seen: Map<string, number> } {
  if (!cursor || cursor === 'full') return { seen: new Map() };
  try {
    const v = JSON.parse(cursor) as GhlScanCheckpoint & { seen?: Record<string, unknown> };
    if (!v || v.v !== 1) return { seen: new Map() };
    const seen = new Map<string, number>();
    for (const [id, ms] of Object.entries(v.seen ?? {})) if (typeof ms === 'number') seen.set(id, ms);
    return { checkpoint: { v: 1, dateUpdatedMs: v.dateUpdatedMs, id: v.id }, seen };
  } catch {
    return { seen: new Map() };
  }
}

function formatCursor(checkpoint: GhlScanCheckpoint, contacts: GhlContact[], overlapMs: number): string {
  const from = checkpoint.dateUpdatedMs - overlapMs;
  const edge: Array<[string, number]> = [];
  for (const c of contacts) {
    const ms = msOf(c);
    if (ms !== undefined && ms >= from) edge.push([c.id, ms]);
  }
  edge.sort((a, b) => b[1] - a[1]);
  const seen = Object.fromEntries(edge.slice(0, SEEN_MAX));
  return JSON.stringify({ ...checkpoint, ...(edge.length ? { seen } : {}) });
}

export function inScope(c: GhlContact, scope: GhlScope): boolean {
  if (scope.businessIds.length && !(c.businessId && scope.businessIds.includes(c.businessId))) return false;
  if (scope.tags.length) {
    const tags = new Set(c.tags.map((t) => t.toLowerCase()));
    if (!scope.tags.some((t) => tags.has(t.toLowerCase()))) return false;
  }
  return !c.tags.includes(ARCHIVED_TAG);
}

// ---------------------------------------------------------------- contacts (for AroFlo)

/**
 * A contact as the engine sees it: its fields read through the pair's mapping (`view`; README.md in this folder,
 * "Fields from the mapping"), its match keys (email, E.164 phone in the business's country) as always.
 */
export function contactRecord(
  c: GhlContact,
  run?: GhlRun,
  country: CountryCode = FALLBACK_COUNTRY,
  view?: MappedFields,
): SideRecord {
  const first = text(c.firstName);
  const last = text(c.lastName);
  const mapped = view?.read(c);
  return {
    id: c.id,
    parentId:
      run?.businessKey(c) ??
      (c.businessId ? `biz:${c.businessId}` : text(c.companyName) ? `name:${text(c.companyName)}` : undefined),
    fields: mapped?.fields ?? {
      firstName: first,
      lastName: last,
      email: email(c.email),
      phone: phone(c.phone, country),
    },
    ...(mapped?.warnings ? { warnings: mapped.warnings } : {}),
    label: fullName(first, last, c.email ?? c.phone ?? c.id),
    email: email(c.email),
    phone: phone(c.phone, country),
    context: { companyName: text(c.companyName) },
  };
}

function contactPatch(changes: Fields): GhlContactUpdate {
  const p: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(changes)) {
    if (k === 'firstName' || k === 'lastName' || k === 'email' || k === 'phone') p[k] = v;
  }
  return p as GhlContactUpdate;
}

type ContactWrite = GhlContactUpdate & { tags?: string[] };

/** A create input holds only what has a value (an empty custom field is simply not sent). */
function filled<T extends object>(p: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) {
    if (v === null || v === undefined || v === '') continue;
    if (k === 'customFields' && Array.isArray(v)) {
      const cf = (v as Array<{ value: unknown }>).filter(
        (x) => x.value !== null && x.value !== undefined && x.value !== '',
      );
      if (cf.length) out[k] = cf;
      continue;
    }
    out[k] = v;
  }
  return out as T;
}

export function ghlContactSide(
  run: GhlRun,
  scope: GhlScope,
  entity: EntityKind = 'contact',
  env?: RunEnv,
  view?: MappedFields,
): EntitySide {
  const record = (c: GhlContact) => contactRecord(c, run, env?.current.country, view);
  /** Tags are added and removed through their own endpoints (an update's `tags` would replace every tag). */
  const retag = async (id: string, tags: string[]): Promise<void> => {
    const have = new Set((await run.client.getContact(id)).tags);
    const want = new Set(tags);
    const add = [...want].filter((t) => !have.has(t));
    const remove = [...have].filter((t) => !want.has(t) && t !== ARCHIVED_TAG);
    if (add.length) await run.client.addTags(id, add);
    if (remove.length) await run.client.removeTags(id, remove);
  };
  const toResult = (contacts: GhlContact[], rejected: Rejected[], complete: boolean, cursor?: string): FetchResult => ({
    records: contacts.filter((c) => inScope(c, scope)).map(record),
    rejected,
    complete,
    cursor,
  });
  return {
    system: 'ghl',
    entity,
    canCreate: true,
    // The rolling re-read reads a slice of contacts by id, one request each (main/sync/README.md, "Daily budget and
    // the rolling re-read").
    recheck: { by: 'id', perCall: 1 },
    async fetchAll() {
      await env?.ready();
      const r = await run.readAll();
      return toResult(r.contacts, r.rejected, true, await run.fullCursor());
    },
    async fetchChanged(cursor) {
      await env?.ready();
      const r = await run.readChanged(cursor);
      return toResult(r.contacts, r.rejected, false, r.cursor);
    },
    async getMany(ids) {
      await env?.ready();
      const got = await mapLimit(ids, GHL_CONCURRENCY, async (id) => {
        try {
          const c = await run.client.getContact(id);
          return inScope(c, { businessIds: [], tags: [] }) ? record(c) : null;
        } catch (e) {
          if (isNotFound(e)) return null;
          throw e;
        }
      });
      return new Map(ids.map((id, i) => [id, got[i] ?? null]));
    },
    async create(items: CreateItem[]) {
      return mapLimit(items, GHL_CONCURRENCY, async (it) => {
        try {
          const f = it.fields;
          const companyName = it.source.context?.businessName ?? undefined;
          const input = view
            ? filled(view.write<ContactWrite>(f, undefined, 'create'))
            : {
                firstName: f.firstName ?? undefined,
                lastName: f.lastName ?? undefined,
                email: f.email ?? undefined,
                phone: f.phone ?? undefined,
              };
          const c = await run.client.createContact({
            ...input,
            ...(companyName && !input.companyName ? { companyName } : {}),
            // The bridge's own source on every contact it makes: an interrupted create is looked for among them
            // (README.md, "Finding an interrupted create").
            source: BRIDGE_SOURCE,
          } as Parameters<GhlClient['createContact']>[0]);
          return ok(record(run.wrote(c)));
        } catch (e) {
          return fail(e);
        }
      });
    },
    async update(items: UpdateItem[]) {
      return mapLimit(items, GHL_CONCURRENCY, async (it) => {
        try {
          const { tags, ...patch } = view
            ? view.write<ContactWrite>(it.changes, undefined, 'update')
            : (contactPatch(it.changes) as ContactWrite);
          if (tags) await retag(it.id, tags);
          const c = Object.keys(patch).length
            ? await run.client.updateContact(it.id, patch)
            : await run.client.getContact(it.id);
          return ok(record(run.wrote(c)));
        } catch (e) {
          return fail(e);
        }
      });
    },
    async remove(items: RemoveItem[]) {
      return mapLimit(items, GHL_CONCURRENCY, async (it) => {
        try {
          if (it.policy === 'archive') await run.client.addTags(it.id, [ARCHIVED_TAG]);
          else await run.client.deleteContact(it.id);
          return ok({ id: it.id, fields: {}, label: it.label });
        } catch (e) {
          return isNotFound(e) ? ok({ id: it.id, fields: {}, label: it.label }) : fail(e);
        }
      });
    },
    async findCreated(item) {
      // Among the contacts GHL Bridge made since the create went out, whatever fields they have now: see README.md in
      // this folder, "Finding an interrupted create".
      await env?.ready();
      const made = await bridgeMadeSince(run, item, record);
      if ('legacy' in made) return made.legacy;
      const identical = made.candidates.filter((r) => holdsWhatWasSent(r, item.fields));
      const f = item.fields;
      if (!identical.length && (f.email || f.phone)) {
        const c = await run.client.findDuplicate({ email: f.email ?? undefined, phone: f.phone ?? undefined });
        if (c) return record(c);
      }
      if (made.cutOff) return { unknown: true, candidates: made.candidates, identical, reason: made.cutOff };
      if (!made.candidates.length) return undefined;
      return {
        unknown: true,
        candidates: made.candidates,
        identical,
        reason:
          'HighLevel has contacts GHL Bridge made around the time of the create that no link holds, and none of them holds exactly what was sent (someone may have edited it since)',
      };
    },
  };
}

/**
 * The source of every contact GHL Bridge creates: smart lists, Source reports and workflow triggers key on it, and an
 * interrupted create is looked for among the contacts that carry it (README.md in this folder).
 */
export const BRIDGE_SOURCE = 'GHL Bridge';
/** What an earlier version wrote in `source` until a create was confirmed: "GHL Bridge <outbox reference>". */
const legacySource = (ref: string): string => `${BRIDGE_SOURCE} ${ref}`;

/** Pages of the contact list read looking for an interrupted create (newest first; the create is among the newest). */
const MADE_PAGES = 20;
/** How far before the outbox entry a contact is still read (the two clocks may differ). */
const CLOCK_MARGIN_MS = 60 * 60 * 1000;

/**
 * The contacts this bridge made since the create went out, less a margin, looked up in the contact list (GET
 * /contacts/, newest first by dateAdded; it reads the live records — POST /contacts/search lags writes and could miss
 * one). Not narrowed by name (a person may have renamed it since). `legacy`: the one an earlier version marked with
 * this create's reference. `cutOff`: more contacts were added since than are read.
 */
async function bridgeMadeSince(
  run: GhlRun,
  item: CreateItem,
  record: (c: GhlContact) => SideRecord,
): Promise<{ legacy: SideRecord } | { candidates: SideRecord[]; cutOff?: string }> {
  const since = item.sentAt === undefined ? undefined : item.sentAt - CLOCK_MARGIN_MS;
  const mark = item.ref ? legacySource(item.ref) : undefined;
  const candidates: SideRecord[] = [];
  let next: { startAfter: number; startAfterId: string } | undefined;
  for (let i = 0; i < MADE_PAGES; i++) {
    const page = await run.client.listContactsDeprecated({ limit: 100, ...(next ?? {}) });
    const hit = mark ? page.items.find((c) => c.source === mark) : undefined;
    if (hit) return { legacy: record(hit) };
    let oldest = Number.POSITIVE_INFINITY;
    for (const c of page.items) {
      const added = c.dateAdded ? Date.parse(c.dateAdded) : Number.POSITIVE_INFINITY;
      oldest = Math.min(oldest, added);
      if (c.source === BRIDGE_SOURCE && (since === undefined || added >= since)) candidates.push(record(c));
    }
    next = page.next;
    if (!next || (since !== undefined && oldest < since)) return { candidates };
  }
  return { candidates, cutOff: `more than ${MADE_PAGES * 100} contacts were added since the create` };
}

// ---------------------------------------------------------------- businesses (derived)

export function ghlBusinessSide(run: GhlRun, scope: GhlScope): EntitySide {
  const collect = (contacts: GhlContact[]): SideRecord[] => {
    const m = new Map<string, SideRecord>();
    for (const c of contacts) {
      if (!inScope(c, scope)) continue;
      const key = run.businessKey(c);
      const name = text(c.companyName);
      if (!key || !name || m.has(key)) continue;
      m.set(key, { id: key, fields: {}, label: name, altKey: nameKey(name), context: { name } });
    }
    return [...m.values()];
  };
  const none = async (items: unknown[]): Promise<WriteResult[]> =>
    items.map(() => fail(new Error('HighLevel businesses are not created by GHL Bridge')));
  return {
    system: 'ghl',
    entity: 'business',
    canCreate: false,
    // Derived from the contacts: re-checking one costs no request.
    recheck: { by: 'id', perCall: 0 },
    async fetchAll() {
      const r = await run.readAll();
      // A business only seen through a contact that could not be read is not gone: complete only if all were read.
      return {
        records: collect(r.contacts),
        rejected: [],
        complete: !r.rejected.length,
        cursor: (await run.fullCursor()) ?? 'full',
      };
    },
    async fetchChanged(cursor) {
      const r = await run.readChanged(cursor);
      return { records: collect(r.contacts), rejected: [], complete: false, cursor: r.cursor };
    },
    async getMany(ids) {
      return new Map(ids.map((id) => [id, { id, fields: {}, label: id.replace(/^(biz|name):/, '') }]));
    },
    create: none,
    update: none,
    remove: async (items) => items.map((it) => ok({ id: it.id, fields: {}, label: it.label })),
    async findCreated() {
      return undefined;
    },
  };
}

// ---------------------------------------------------------------- contacts as Aimfox leads

export function leadRecord(
  c: GhlContact,
  linkedinFieldId: string | undefined,
  view?: MappedFields,
): SideRecord | undefined {
  const raw = linkedinFieldId ? c.customFields.find((f) => f.id === linkedinFieldId)?.value : undefined;
  const key = typeof raw === 'string' ? linkedinKey(raw) : undefined;
  if (!key) return undefined;
  const mapped = view?.read(c);
  return {
    id: c.id,
    fields: mapped?.fields ?? { labels: formatSet(c.tags.filter((t) => t !== ARCHIVED_TAG)) },
    ...(mapped?.warnings ? { warnings: mapped.warnings } : {}),
    label: fullName(text(c.firstName), text(c.lastName), c.email ?? c.id),
    email: email(c.email),
    altKey: key,
    context: {
      profileUrl: `https://www.linkedin.com/in/${key}/`,
      firstName: text(c.firstName),
      lastName: text(c.lastName),
    },
  };
}

/**
 * HighLevel contacts with a LinkedIn profile, as Aimfox leads. With the pair's mapping (`view`; README.md in this
 * folder, "Fields from the mapping") the mapped fields (tags, custom fields) are read and written through the field
 * catalogue; tags are added and removed with the tag endpoints, other fields by a contact update.
 */
export function ghlLeadContactSide(
  run: GhlRun,
  scope: GhlScope,
  linkedinFieldId: string | undefined,
  env?: RunEnv,
  view?: MappedFields,
): EntitySide {
  const leadOf = (c: GhlContact) => leadRecord(c, linkedinFieldId, view);
  const records = (contacts: GhlContact[]) =>
    contacts
      .filter((c) => inScope(c, scope))
      .map(leadOf)
      .filter((r): r is SideRecord => !!r);
  /** The key of the field pair that maps the tags (resolved once the run's env is read). */
  const tagsKey = () => (view ? view.keyOf('tags') : 'labels');
  const base = ghlContactSide(run, scope, 'lead');
  return {
    ...base,
    entity: 'lead',
    canCreate: false,
    async fetchAll() {
      await env?.ready();
      const r = await run.readAll();
      return { records: records(r.contacts), rejected: r.rejected, complete: true, cursor: await run.fullCursor() };
    },
    async fetchChanged(cursor) {
      await env?.ready();
      const r = await run.readChanged(cursor);
      return { records: records(r.contacts), rejected: r.rejected, complete: false, cursor: r.cursor };
    },
    async getMany(ids) {
      await env?.ready();
      const got = await mapLimit(ids, GHL_CONCURRENCY, async (id) => {
        try {
          return leadOf(await run.client.getContact(id)) ?? null;
        } catch (e) {
          if (isNotFound(e)) return null;
          throw e;
        }
      });
      return new Map(ids.map((id, i) => [id, got[i] ?? null]));
    },
    async update(items) {
      return mapLimit(items, GHL_CONCURRENCY, async (it): Promise<WriteResult> => {
        try {
          await env?.ready();
          const key = tagsKey();
          if (key && key in it.changes) {
            const want = new Set(parseSet(it.changes[key] ?? null));
            const have = new Set(parseSet(it.current.fields[key] ?? null));
            const add = [...want].filter((t) => !have.has(t));
            const remove = [...have].filter((t) => !want.has(t));
            if (add.length) await run.client.addTags(it.id, add);
            if (remove.length) await run.client.removeTags(it.id, remove);
          }
          if (view) {
            const { tags: _tags, ...patch } = view.write<ContactWrite>(it.changes, undefined, 'update');
            if (Object.keys(patch).length) await run.client.updateContact(it.id, patch);
          }
          const rec = leadOf(run.wrote(await run.client.getContact(it.id)));
          return rec ? ok(rec) : fail(new Error('the contact lost its LinkedIn URL'));
        } catch (e) {
          return fail(e);
        }
      });
    },
    async create(items) {
      return items.map(() => fail(new Error('HighLevel contacts are not created from Aimfox leads')));
    },
  };
}

// ---------------------------------------------------------------- tasks and notes

const splitId = (id: string): [string, string] => {
  const i = id.indexOf('/');
  if (i < 0) throw new Error(`not a HighLevel task/note id: ${id}`);
  return [id.slice(0, i), id.slice(i + 1)];
};

export function taskRecord(t: GhlTask, view?: MappedFields): SideRecord {
  const mapped = view?.read(t);
  return {
    id: `${t.contactId}/${t.id}`,
    parentId: t.contactId,
    fields: mapped?.fields ?? {
      title: text(t.title),
      dueDate: day(t.dueDate),
      body: noteText(t.body),
      completed: bool(t.completed),
    },
    ...(mapped?.warnings ? { warnings: mapped.warnings } : {}),
    label: text(t.title) ?? '(untitled task)',
  };
}

/**
 * A note's plain text: HighLevel's own `bodyText` (notes written in its editor keep markup in `body`), else the body
 * with its markup turned into text. Only this text is compared and carried to the other systems, so a formatted
 * note is rewritten (as plain text) only when its text changed on the other side (connector README "Notes").
 */
export function noteRecord(n: GhlNote, view?: MappedFields): SideRecord {
  const body = n.bodyText !== null && n.bodyText.trim() ? text(n.bodyText) : noteText(n.body);
  const mapped = view?.read(n);
  return {
    id: `${n.contactId}/${n.id}`,
    parentId: n.contactId,
    fields: mapped?.fields ?? { body },
    ...(mapped?.warnings ? { warnings: mapped.warnings } : {}),
    label: (body ?? '(empty note)').slice(0, 60),
    madeAt: dateMs(n.dateAdded),
    context: { dateAdded: n.dateAdded },
  };
}

/** Children read for the contacts this run read (or for the given contact ids). */
async function childFetch<T>(
  run: GhlRun,
  contactIds: string[],
  read: (id: string) => Promise<GhlList<T>>,
  toRec: (x: T) => SideRecord,
  complete: boolean,
): Promise<FetchResult> {
  const records: SideRecord[] = [];
  const rejected: Rejected[] = [];
  let failed = false;
  const lists = await mapLimit(contactIds, GHL_CONCURRENCY, async (id): Promise<GhlList<T> | Rejected> => {
    try {
      const list = await read(id);
      // Unreadable items keep their "<contactId>/<id>" so the engine sets them aside instead of taking them for deleted.
      for (const x of list.rejected)
        rejected.push({ id: x.id ? `${id}/${x.id}` : undefined, reason: x.reason, raw: x.raw });
      return list;
    } catch (e) {
      if (isNotFound(e)) return { items: [], rejected: [] };
      if (e instanceof ConnectorError && !e.transient)
        return { id, reason: `could not read this contact's records: ${e.message}` };
      throw e;
    }
  });
  for (const l of lists) {
    if ('items' in l) for (const x of l.items) records.push(toRec(x));
    else {
      failed = true;
      rejected.push(l);
    }
  }
  return { records, rejected, complete: complete && !failed, cursor: 'contacts' };
}

/** The contact part of a "<contactId>/<id>" task or note id (requests for one contact keep their order). */
const contactOf = (it: { id?: string; parentId?: string }) => it.parentId ?? it.id?.split('/')[0] ?? '';

/**
 * The reads a contact's children (tasks, notes) share: every child of the run's contacts, the children of the contacts
 * a change feed reported, and children by their "contact/child" keys (a missing one is null).
 */
function childReads<T>(
  run: GhlRun,
  ids: () => string[],
  list: (contactId: string) => Promise<GhlList<T>>,
  getOne: (contactId: string, childId: string) => Promise<T>,
  record: (x: T) => SideRecord,
  env?: RunEnv,
): Pick<EntitySide, 'fetchAll' | 'fetchChanged' | 'getMany' | 'recheck' | 'readChildren'> {
  return {
    // HighLevel has no change feed for a contact's children: the rolling re-read lists every child of a slice of
    // contacts, one request a contact (main/sync/README.md, "Daily budget and the rolling re-read").
    recheck: { by: 'parent', perCall: 1 },
    async readChildren(contactIds) {
      await env?.ready();
      const r = await childFetch(run, contactIds, list, record, false);
      // A contact whose children could not all be read is not covered: nothing of it is taken for deleted.
      const unread = new Set(r.rejected.map((x) => x.id?.split('/')[0]));
      return { ...r, cursor: undefined, covers: { parents: contactIds.filter((id) => !unread.has(id)) } };
    },
    async fetchAll() {
      await env?.ready();
      // Children of a contact that could not be read are not listed: then nothing here may be taken for deleted.
      const all = await run.readAll();
      return childFetch(run, ids(), list, record, !all.rejected.length);
    },
    async fetchChanged() {
      await env?.ready();
      return childFetch(run, ids(), list, record, false);
    },
    async getMany(keys) {
      await env?.ready();
      const got = await mapLimit(keys, GHL_CONCURRENCY, async (key) => {
        const [contactId, childId] = splitId(key);
        try {
          return record(await getOne(contactId, childId));
        } catch (e) {
          if (isNotFound(e)) return null;
          throw e;
        }
      });
      return new Map(keys.map((k, i) => [k, got[i] ?? null]));
    },
  };
}

/**
 * A contact's tasks. With the pair's mapping (`view`; README.md in this folder, "Fields from the mapping") every mapped
 * task field is read and written through the field catalogue; without it, the four fields the bridge always had.
 */
export function ghlTaskSide(
  run: GhlRun,
  scope: GhlScope,
  contactIds?: () => string[],
  pair?: string,
  env?: RunEnv,
  view?: MappedFields,
  known?: TaskKnowledge,
): EntitySide {
  const ids = () => contactIds?.() ?? run.childScope(run.contactsRead(), scope, run.carriedFor(pair, 'task'));
  const by = pair ? { pair, kind: 'task' as const } : undefined;
  const record = (t: GhlTask) => taskRecord(t, view);
  const today = () => new Date().toISOString().slice(0, 10);
  const perContact = childReads(
    run,
    ids,
    (id) => run.tasksOf(id),
    (c, t) => run.client.tasks.get(c, t),
    record,
    env,
  );
  /** The key HighLevel's `completed` maps to, and its value for a completed task (read once the env is ready). */
  const completed = () => {
    const key = view ? view.keyOf('completed') : 'completed';
    if (!key) return undefined;
    const done: GhlTask = {
      id: '-',
      contactId: '-',
      title: null,
      body: null,
      assignedTo: null,
      dueDate: null,
      completed: true,
    };
    return { key, doneValue: record(done).fields[key] ?? null };
  };
  return {
    system: 'ghl',
    entity: 'task',
    canCreate: true,
    ...perContact,
    // Tasks through the location task search where the token allows it (ghl-tasks.ts).
    ...searchTaskReads({ run, ids, record, env, perContact, known, completed }),
    async create(items) {
      return mapByKey(items, contactOf, GHL_CONCURRENCY, async (it) => {
        try {
          const contactId = it.parentId!;
          const f = it.fields;
          run.touch(contactId, by);
          if (view) {
            await env?.ready();
            const { body, ...p } = view.write<Partial<GhlTaskCreate>>(f, undefined, 'create');
            const t = await run.client.tasks.create(contactId, {
              ...p,
              title: p.title || '(untitled task)',
              dueDate: p.dueDate ?? `${today()}T09:00:00.000Z`,
              completed: p.completed ?? false,
              ...(body ? { body } : {}),
            });
            return ok(record(t));
          }
          const t = await run.client.tasks.create(contactId, {
            title: f.title ?? '(untitled task)',
            dueDate: `${f.dueDate ?? today()}T09:00:00.000Z`,
            completed: f.completed === 'true',
            ...(f.body ? { body: f.body } : {}),
          });
          return ok(record(t));
        } catch (e) {
          return fail(e);
        }
      });
    },
    async update(items) {
      return mapByKey(items, contactOf, GHL_CONCURRENCY, async (it) => {
        try {
          const [contactId, taskId] = splitId(it.id);
          run.touch(contactId, by);
          if (view) {
            await env?.ready();
            const { completed, ...p } = view.write<Partial<GhlTaskCreate>>(it.changes, undefined, 'update');
            let t: GhlTask | undefined;
            if (Object.keys(p).length) t = await run.client.tasks.update(contactId, taskId, p);
            if (completed !== undefined) t = await run.client.tasks.setCompleted(contactId, taskId, completed);
            return ok(record(t ?? (await run.client.tasks.get(contactId, taskId))));
          }
          const { completed, ...rest } = it.changes;
          let t: GhlTask | undefined;
          if (Object.keys(rest).length) {
            t = await run.client.tasks.update(contactId, taskId, {
              ...(rest.title !== undefined ? { title: rest.title ?? '' } : {}),
              ...(rest.body !== undefined ? { body: rest.body ?? '' } : {}),
              ...(rest.dueDate !== undefined && rest.dueDate ? { dueDate: `${rest.dueDate}T09:00:00.000Z` } : {}),
            });
          }
          if (completed !== undefined) t = await run.client.tasks.setCompleted(contactId, taskId, completed === 'true');
          return ok(record(t ?? (await run.client.tasks.get(contactId, taskId))));
        } catch (e) {
          return fail(e);
        }
      });
    },
    async remove(items) {
      return mapByKey(items, contactOf, GHL_CONCURRENCY, async (it) => {
        const [contactId, taskId] = splitId(it.id);
        try {
          await run.client.tasks.delete(contactId, taskId);
          return ok({ id: it.id, fields: {}, label: it.label });
        } catch (e) {
          return isNotFound(e) ? ok({ id: it.id, fields: {}, label: it.label }) : fail(e);
        }
      });
    },
    async findCreated(item) {
      if (!item.parentId) return undefined;
      await env?.ready();
      const list = await run.client.tasks.list(item.parentId);
      return list.items
        .map(record)
        .filter((r) => r.fields.title === item.fields.title && r.fields.dueDate === item.fields.dueDate);
    },
  };
}

export function ghlNoteSide(
  run: GhlRun,
  scope: GhlScope,
  contactIds?: () => string[],
  pair?: string,
  env?: RunEnv,
  view?: MappedFields,
): EntitySide {
  const ids = () => contactIds?.() ?? run.childScope(run.contactsRead(), scope, run.carriedFor(pair, 'note'));
  const by = pair ? { pair, kind: 'note' as const } : undefined;
  const record = (n: GhlNote) => noteRecord(n, view);
  /** The note's body as HighLevel takes it: through the mapping when there is one. */
  const bodyOf = async (f: Fields, mode: 'create' | 'update'): Promise<{ body: string }> => {
    if (!view) return { body: markupOf(f.body) };
    await env?.ready();
    return { body: view.write<Partial<GhlNoteCreate>>(f, undefined, mode).body ?? '' };
  };
  return {
    system: 'ghl',
    entity: 'note',
    canCreate: true,
    ...childReads(
      run,
      ids,
      (id) => run.notesOf(id),
      (c, n) => run.client.notes.get(c, n),
      record,
      env,
    ),
    async create(items) {
      return mapByKey(items, contactOf, GHL_CONCURRENCY, async (it) => {
        try {
          run.touch(it.parentId!, by);
          return ok(record(await run.client.notes.create(it.parentId!, await bodyOf(it.fields, 'create'))));
        } catch (e) {
          return fail(e);
        }
      });
    },
    async update(items) {
      return mapByKey(items, contactOf, GHL_CONCURRENCY, async (it) => {
        try {
          const [contactId, noteId] = splitId(it.id);
          run.touch(contactId, by);
          return ok(record(await run.client.notes.update(contactId, noteId, await bodyOf(it.changes, 'update'))));
        } catch (e) {
          return fail(e);
        }
      });
    },
    async remove(items) {
      return mapByKey(items, contactOf, GHL_CONCURRENCY, async (it) => {
        const [contactId, noteId] = splitId(it.id);
        try {
          await run.client.notes.delete(contactId, noteId);
          return ok({ id: it.id, fields: {}, label: it.label });
        } catch (e) {
          return isNotFound(e) ? ok({ id: it.id, fields: {}, label: it.label }) : fail(e);
        }
      });
    },
    async findCreated(item) {
      // The contact's notes holding exactly the text sent, made since the create went out (README.md in this folder,
      // "Finding an interrupted create").
      if (!item.parentId) return undefined;
      await env?.ready();
      const list = await run.client.notes.list(item.parentId);
      return identicalSince(list.items.map(record), item);
    },
  };
}
