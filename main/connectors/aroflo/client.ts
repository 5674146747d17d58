/**
 * `ArofloClient` — everything the engine asks of AroFlo (API v1 "zones", README "API facts the code relies on"), over one signed, paced,
 * budgeted transport. Reads return `{ items, rejected }` (a record that does not match the documented shape is
 * reported, the rest are returned); writes are batched and return one `WriteOutcome` per input, in input order.
 */
import type { PacerStatus } from '../shared/pacer.js';
import { ConnectorError } from '../shared/errors.js';
import {
  matchInserts,
  matchUpdates,
  parsePostResults,
  type PostResults,
  type Sent,
  type WriteOutcome,
} from './batch.js';
import type { BudgetStatus } from './budget.js';
import type { Listing } from './fields.js';
import { changedSince, listAll, type ChangeFeed } from './lister.js';
import { nestedEchoes, nestedOutcomes } from './nested.js';
import { buildPostXml, cdataSafe, type XmlRecord } from './postxml.js';
import {
  businessUnitSchema,
  clientNoteSchema,
  clientSchema,
  clientWithContactsSchema,
  contactSchema,
  taskSchema,
  taskWithNotesSchema,
  taskTypeSchema,
  type ArofloBusinessUnit,
  type ArofloClientRecord,
  type ArofloClientNoteRecord,
  type ArofloContactRecord,
  type ArofloTaskRecord,
  type ArofloTaskStatus,
  type ArofloTaskType,
} from './records.js';
import { ArofloTransport, type CallCategory, type TransportOptions } from './transport.js';
import { DEFAULT_BATCH, writeBatched, type BatchOptions } from './writer.js';
import {
  checkClientInsert,
  checkClientNoteInsert,
  checkClientNoteUpdate,
  checkClientUpdate,
  checkTaskInsert,
  checkTaskUpdate,
  clientNoteXml,
  clientXml,
  refusal,
  taskInsertXml,
  taskUpdateXml,
  type ClientInsert,
  type ClientNoteInsert,
  type ClientNoteUpdate,
  type ClientUpdate,
  type ContactWrite,
  type NoteFilter,
  type TaskInsert,
  type TaskNoteWrite,
  type TaskUpdate,
} from './writes.js';
import { Where, whereDateTime, type WhereOp, type WhereValue } from './where.js';
import type { ZodType } from 'zod';

export interface ArofloClientOptions extends TransportOptions {
  /** Records per write call (default 50). */
  batchSize?: number;
  /** Extra calls a batch may spend isolating a record AroFlo refuses (default 12). */
  maxIsolationCalls?: number;
  /** Safety bound on pages per listing (default 1,000). */
  maxPages?: number;
  /** Ids per "IN" lookup (default 100). */
  idsPerLookup?: number;
  /** Errors AroFlo reported on a write it fully confirmed (see BatchOptions.onWarnings). */
  onWarnings?: (warnings: string[]) => void;
}

export interface ArofloBudget {
  /** The shared per-second / per-minute pacer. */
  pacer: PacerStatus;
  /** 2,000/day for counted calls (our count, corrected by X-RateLimit-Daily-Remaining). */
  daily: BudgetStatus;
  /** 20,000/day for single-id reads. */
  secondary: BudgetStatus;
  /** Requests sent by category (retries included), retries and rate-limit answers seen. */
  requests: Record<CallCategory, number> & { retries: number; rateLimited: number };
}

export interface ArofloConnectionInfo {
  /** What the UI shows as the organisation: the business unit names. */
  organisation: string;
  businessUnits: ArofloBusinessUnit[];
  /** Counted calls left today. */
  dailyRemaining: number;
  budget: ArofloBudget;
}

/** A new note for a task (written as a task update). */
export interface TaskNoteInsert {
  taskId: string;
  content: string;
  filter?: NoteFilter;
  sticky?: boolean;
}

export interface TaskNoteUpdate {
  taskId: string;
  noteId: string;
  content?: string;
  filter?: NoteFilter;
  sticky?: boolean;
}

/** One condition of a where: field, operator, value. */
type Cond = [field: string, op: WhereOp, value: WhereValue];

interface ZoneOptions {
  where?: Where;
}

/**
 * How the client reads one zone (README "Facts: GET requests"): the record schema and what a record is called in
 * messages; the id field of single-id and IN lookups; the option that asks for a join of the same name; the filters
 * the options stand for; and the explicit all-records filter — `base` starts the where when the caller gives none,
 * `ifEmpty` is added only when nothing else filters — so AroFlo's hidden 30-day default never applies.
 */
interface ZoneRead<T, O extends ZoneOptions = ZoneOptions> {
  zone: string;
  schema: ZodType<T>;
  what: string;
  idField?: string;
  join?: keyof O & string;
  /** The schema of a record read with its join (the joined list must be a list: README "Facts: GET requests"). */
  joinedSchema?: ZodType<T>;
  filters?: (o: O) => Array<Cond | false | undefined>;
  base?: Cond;
  ifEmpty?: Cond;
}

export interface ClientListOptions extends ZoneOptions {
  contacts?: boolean;
  updatedSince?: Date | string;
  postableOnly?: boolean;
  includeArchived?: boolean;
}

export interface ContactListOptions extends ZoneOptions {
  includeArchived?: boolean;
}

export interface TaskListOptions extends ZoneOptions {
  notes?: boolean;
  updatedSince?: Date | string;
  status?: ArofloTaskStatus;
  linkProcessed?: boolean;
  clientId?: string;
}

export interface ClientNoteListOptions extends ZoneOptions {
  createdSince?: Date | string;
}

const since = (d: Date | string): string => whereDateTime(new Date(d));

/** The zones the client reads, declared once (README "Facts: clients", "Facts: tasks", "Facts: client notes"). */
const ZONES = {
  clients: {
    zone: 'clients',
    schema: clientSchema,
    what: 'client',
    idField: 'clientid',
    join: 'contacts',
    joinedSchema: clientWithContactsSchema,
    filters: (o) => [
      o.postableOnly && ['postable', '=', true],
      o.updatedSince !== undefined && ['lastupdatedatetimeutc', '>', since(o.updatedSince)],
      o.includeArchived === false && ['archived', '=', false],
    ],
    ifEmpty: ['clientid', '!=', '0'],
  } satisfies ZoneRead<ArofloClientRecord, ClientListOptions>,
  contacts: {
    zone: 'contacts',
    schema: contactSchema,
    what: 'contact',
    filters: (o) => [o.includeArchived === false && ['archived', '=', false]],
    base: ['contacttype', '=', 'client'],
  } satisfies ZoneRead<ArofloContactRecord, ContactListOptions>,
  tasks: {
    zone: 'tasks',
    schema: taskSchema,
    what: 'task',
    idField: 'taskid',
    join: 'notes',
    joinedSchema: taskWithNotesSchema,
    filters: (o) => [
      o.updatedSince !== undefined && ['lastupdateddatetimeutc', '>', since(o.updatedSince)],
      !!o.status && ['status', '=', o.status],
      o.linkProcessed !== undefined && ['linkprocessed', '=', o.linkProcessed],
      !!o.clientId && ['clientid', '=', o.clientId],
    ],
    ifEmpty: ['taskid', '!=', '0'],
  } satisfies ZoneRead<ArofloTaskRecord, TaskListOptions>,
  clientnotes: {
    zone: 'clientnotes',
    schema: clientNoteSchema,
    what: 'client note',
    filters: (o) => [o.createdSince !== undefined && ['createdutc', '>', since(o.createdSince)]],
    ifEmpty: ['noteid', '!=', '0'],
  } satisfies ZoneRead<ArofloClientNoteRecord, ClientNoteListOptions>,
  tasktypes: { zone: 'tasktypes', schema: taskTypeSchema, what: 'task type' } satisfies ZoneRead<ArofloTaskType>,
  businessunits: {
    zone: 'businessunits',
    schema: businessUnitSchema,
    what: 'business unit',
  } satisfies ZoneRead<ArofloBusinessUnit>,
};

/** The join a read asks for: the zone's join when the option of that name is set. */
const joinOf = <T, O extends ZoneOptions>(z: ZoneRead<T, O>, opts: O): string[] | undefined =>
  z.join && opts[z.join] ? [z.join] : undefined;
/** The schema a read checks records against: the joined one when the join is asked for. */
const schemaOf = <T, O extends ZoneOptions>(z: ZoneRead<T, O>, opts: O): ZodType<T> =>
  (joinOf(z, opts) && z.joinedSchema) || z.schema;

export class ArofloClient {
  readonly transport: ArofloTransport;
  private readonly batch: BatchOptions;
  private readonly maxPages?: number;
  /** Ids asked for per read by id (AroFlo takes 100 in one IN filter). */
  readonly idsPerLookup: number;
  private readonly noWhereZones = new Set<string>();
  /** Lookups asked for while the same lookup is in flight share its answer (one call, not ten). */
  private readonly inflight = new Map<string, Promise<unknown>>();

  private shared<T>(key: string, run: () => Promise<T>): Promise<T> {
    const running = this.inflight.get(key) as Promise<T> | undefined;
    if (running) return running;
    const p = run().finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  private sharedListing<T>(key: string, run: () => Promise<Listing<T>>): Promise<Listing<T>> {
    // Each caller gets its own arrays.
    return this.shared(key, run).then((r) => ({ items: [...r.items], rejected: [...r.rejected] }));
  }

  constructor(opts: ArofloClientOptions) {
    this.transport = new ArofloTransport(opts);
    this.batch = {
      batchSize: opts.batchSize ?? DEFAULT_BATCH.batchSize,
      maxIsolationCalls: opts.maxIsolationCalls ?? DEFAULT_BATCH.maxIsolationCalls,
      onWarnings: opts.onWarnings,
    };
    this.maxPages = opts.maxPages;
    this.idsPerLookup = opts.idsPerLookup ?? 100;
  }

  // ----- status ------------------------------------------------------------------------------------------------

  /** Calls used / left today and the pacer's windows, for the status screen. */
  budget(): ArofloBudget {
    const t = this.transport;
    return {
      pacer: t.pacer.status(),
      daily: t.daily.status(),
      secondary: t.secondary.status(),
      requests: { ...t.sent, retries: t.http.stats.retries, rateLimited: t.http.stats.rateLimited },
    };
  }

  /**
   * Verifies the credentials with one counted call (the business units listing, which names the organisation)
   * and returns what the Connections screen shows. Throws the typed error otherwise (signatures do not match,
   * API access not enabled, clock off …).
   */
  async testConnection(): Promise<ArofloConnectionInfo> {
    const units = await this.listBusinessUnits();
    const names = units.items.filter((u) => !u.archived).map((u) => u.name);
    const budget = this.budget();
    return {
      organisation: names.join(', ') || '(no business units)',
      businessUnits: units.items,
      dailyRemaining: budget.daily.remaining,
      budget,
    };
  }

  // ----- reads -------------------------------------------------------------------------------------------------

  private list<T>(
    zone: string,
    where: Where,
    schema: ZodType<T>,
    what: string,
    extra: { join?: string[]; order?: string[]; category?: CallCategory; whereOptional?: boolean } = {},
  ) {
    return listAll(this.transport, {
      zone,
      where,
      schema,
      what,
      maxPages: this.maxPages,
      noWhereZones: this.noWhereZones,
      ...extra,
    }).then(({ items, rejected }) => ({ items, rejected }));
  }

  /**
   * A listing of a zone in `ZONES`: the caller's where (a copy), then the zone's own filters for the options, and the
   * zone's all-records filter when nothing else filters (README "Decisions where the FACTS are uncertain").
   */
  private read<T, O extends ZoneOptions>(z: ZoneRead<T, O>, opts: O): Promise<Listing<T>> {
    const w = opts.where?.clone() ?? (z.base ? Where.and(...z.base) : new Where());
    for (const c of z.filters?.(opts) ?? []) if (c) w.and(...c);
    if (w.isEmpty && z.ifEmpty) w.and(...z.ifEmpty);
    return this.list(z.zone, w, schemaOf(z, opts), z.what, { join: joinOf(z, opts) });
  }

  /** One record by id (a single-id read: counts against the secondary 20,000/day). undefined when it does not exist. */
  private async one<T, O extends ZoneOptions>(
    z: ZoneRead<T, O> & { idField: string },
    id: string,
    opts: O,
  ): Promise<T | undefined> {
    const r = await this.list(z.zone, Where.and(z.idField, '=', id), schemaOf(z, opts), z.what, {
      join: joinOf(z, opts),
      category: 'single',
    });
    if (r.items[0]) return r.items[0];
    if (r.rejected[0])
      throw new ConnectorError({
        system: 'aroflo',
        kind: 'malformed',
        operation: `GET ${z.zone}`,
        detail: r.rejected[0].reason,
      });
    return undefined;
  }

  /** Records by id, `idsPerLookup` per call, or one single-id read each (duplicates asked for once). */
  private async many<T, O extends ZoneOptions>(
    z: ZoneRead<T, O> & { idField: string },
    list: string[],
    opts: O,
    oneByOne = false,
  ): Promise<Listing<T>> {
    const out: Listing<T> = { items: [], rejected: [] };
    const unique = [...new Set(list)];
    if (oneByOne) {
      for (const id of unique) {
        const r = await this.list(z.zone, Where.and(z.idField, '=', id), schemaOf(z, opts), z.what, {
          join: joinOf(z, opts),
          category: 'single',
        });
        out.items.push(...r.items);
        out.rejected.push(...r.rejected);
      }
      return out;
    }
    for (let i = 0; i < unique.length; i += this.idsPerLookup) {
      const w = new Where().and(z.idField, 'IN', unique.slice(i, i + this.idsPerLookup));
      const r = await this.list(z.zone, w, schemaOf(z, opts), z.what, { join: joinOf(z, opts) });
      out.items.push(...r.items);
      out.rejected.push(...r.rejected);
    }
    return out;
  }

  /**
   * A lookup zone (task types, business units): active records, or all of them (archived too). Asked for while the
   * same lookup is in flight, it shares that call's answer; a site that refuses its where is read without one.
   */
  private lookup<T extends { archived: boolean }>(z: ZoneRead<T>, includeArchived = false): Promise<Listing<T>> {
    return this.sharedListing(`${z.zone}:${includeArchived}`, async () => {
      const w = includeArchived
        ? new Where().andGroup((g) => g.where('archived', '=', false).or('archived', '=', true))
        : Where.and('archived', '=', false);
      const r = await this.list(z.zone, w, z.schema, z.what, { whereOptional: true });
      return includeArchived ? r : { ...r, items: r.items.filter((x) => !x.archived) };
    });
  }

  /**
   * Every client (archived ones included unless `includeArchived: false`), optionally with their contacts.
   * The filter is always explicit (`clientid != 0` when nothing else is asked), so AroFlo's 30-day default never applies.
   */
  listClients(opts: ClientListOptions = {}): Promise<Listing<ArofloClientRecord>> {
    return this.read(ZONES.clients, opts);
  }

  /** One client by id (a single-id read: counts against the secondary 20,000/day). undefined when it does not exist. */
  getClient(id: string, opts: { contacts?: boolean } = {}): Promise<ArofloClientRecord | undefined> {
    return this.one(ZONES.clients, id, opts);
  }

  /**
   * Several clients by id, `idsPerLookup` per call — or, `oneByOne`, a single-id read each (the secondary 20,000/day
   * instead of the 2,000: README "Facts: limits and status codes"), with the same answer shape.
   */
  getClients(
    list: string[],
    opts: { contacts?: boolean; oneByOne?: boolean } = {},
  ): Promise<Listing<ArofloClientRecord>> {
    const { oneByOne, ...o } = opts;
    return this.many(ZONES.clients, list, o, oneByOne);
  }

  /** Client contacts (zone `contacts`, read only). `contacttype = client` unless a where is given. */
  listContacts(opts: ContactListOptions = {}): Promise<Listing<ArofloContactRecord>> {
    return this.read(ZONES.contacts, opts);
  }

  /** Tasks (jobs), optionally with their notes. `taskid != 0` when nothing else is asked. */
  listTasks(opts: TaskListOptions = {}): Promise<Listing<ArofloTaskRecord>> {
    return this.read(ZONES.tasks, opts);
  }

  getTask(id: string, opts: { notes?: boolean } = {}): Promise<ArofloTaskRecord | undefined> {
    return this.one(ZONES.tasks, id, opts);
  }

  /** Several tasks by id, as `getClients` reads clients. */
  getTasks(list: string[], opts: { notes?: boolean; oneByOne?: boolean } = {}): Promise<Listing<ArofloTaskRecord>> {
    const { oneByOne, ...o } = opts;
    return this.many(ZONES.tasks, list, o, oneByOne);
  }

  /** Client notes (zone `clientnotes`). Only a created filter exists (README "Facts: client notes"). */
  listClientNotes(opts: ClientNoteListOptions = {}): Promise<Listing<ArofloClientNoteRecord>> {
    return this.read(ZONES.clientnotes, opts);
  }

  /** Active task types (or all, archived too). Needed to create tasks. */
  listTaskTypes(opts: { includeArchived?: boolean } = {}): Promise<Listing<ArofloTaskType>> {
    return this.lookup(ZONES.tasktypes, opts.includeArchived);
  }

  /** Active business units (or all). Needed to create tasks; names the organisation. */
  listBusinessUnits(opts: { includeArchived?: boolean } = {}): Promise<Listing<ArofloBusinessUnit>> {
    return this.lookup(ZONES.businessunits, opts.includeArchived);
  }

  /**
   * The change feed: `lastupdate` rows for a zone ("clients", "tasks", …) changed after `since`, oldest first.
   * Free: it does not count toward the daily allowance. Pass the returned `cursor` as the next `since`.
   */
  changedSince(zone: string, since?: Date | string, opts?: { overlapMs?: number }): Promise<ChangeFeed> {
    return changedSince(this.transport, zone, since, { ...opts, maxPages: this.maxPages });
  }

  // ----- writes ------------------------------------------------------------------------------------------------

  /**
   * One batched write of a zone in `WRITES`: pre-checks, many records a call, outcomes matched to inputs (inserts by
   * their echoed fields, updates by id), then the nested records (contacts, notes) matched inside each.
   */
  private write<I>(w: ZoneWrite<I>, inputs: I[]): Promise<WriteOutcome[]> {
    const op = `POST ${w.zone} (${w.kind})`;
    const spec = { idKey: w.idKey, describe: w.describe, fields: w.fields ?? (() => ({})) };
    return writeBatched(
      inputs,
      w.check,
      w.describe,
      (x, p) => refusal(w.describe(x), p.join('; '), op),
      async (chunk) => {
        const xml = buildPostXml(
          w.zone,
          w.singular,
          chunk.map((s) => w.xml(s.input)),
        );
        const pr = parsePostResults(await this.transport.post(w.zone, xml, op), op);
        const { outcomes, echoOf } =
          w.kind === 'insert'
            ? matchInserts(chunk, pr.inserts[w.zone] ?? [], pr.errors, spec, op)
            : // Every update input in WRITES carries its id (ClientUpdate, TaskUpdate, ClientNoteUpdate).
              matchUpdates<I & { id: string }>(
                chunk as Array<Sent<I & { id: string }>>,
                pr.updates[w.zone] ?? [],
                pr.errors,
                pr.updateTotal,
                spec,
                op,
              );
        return w.nested ? w.nested(chunk, outcomes, echoOf, pr, op) : outcomes;
      },
      this.batch,
    );
  }

  /** Create clients (with optional contacts), many per call. New ids come back per input; contacts under `contacts`. */
  insertClients(inputs: ClientInsert[]): Promise<WriteOutcome[]> {
    return this.write(WRITES.clientInsert, inputs);
  }

  /** Change clients (and insert / update / archive their contacts), many per call. */
  updateClients(inputs: ClientUpdate[]): Promise<WriteOutcome[]> {
    return this.write(WRITES.clientUpdate, inputs);
  }

  /** Clear the `postable` flag after processing clients (README "Facts: clients", "postable" pattern). */
  clearPostable(clientIds: string[]): Promise<WriteOutcome[]> {
    return this.updateClients(clientIds.map((id) => ({ id, postable: false })));
  }

  /** Create tasks (jobs). client, business unit, task type, name and due date are required by AroFlo. */
  insertTasks(inputs: TaskInsert[]): Promise<WriteOutcome[]> {
    return this.write(WRITES.taskInsert, inputs);
  }

  /**
   * Change tasks: status, substatus, linkprocessed, contact, customer order no., notes. A change to the description
   * or due date is refused (`rejected`, not sent) — AroFlo cannot update them; the engine adds a note or raises a conflict.
   */
  updateTasks(inputs: TaskUpdate[]): Promise<WriteOutcome[]> {
    return this.write(WRITES.taskUpdate, inputs);
  }

  /** Mark tasks as processed by this integration (README "Facts: tasks", linkprocessed pattern). */
  setLinkProcessed(taskIds: string[], value = true): Promise<WriteOutcome[]> {
    return this.updateTasks(taskIds.map((id) => ({ id, linkProcessed: value })));
  }

  /**
   * Add notes to tasks (a task update per task, many per call). AroFlo does not return the new note ids, so by
   * default the tasks are read back once (one call per `idsPerLookup` tasks) and each new note is matched by its
   * content; the newest unclaimed note with the same content wins. An outcome without an id is `unknown`.
   */
  async addTaskNotes(inputs: TaskNoteInsert[], opts: { resolveIds?: boolean } = {}): Promise<WriteOutcome[]> {
    const { grouped, positions } = groupNotes(inputs, (n) => ({
      content: n.content,
      filter: n.filter,
      sticky: n.sticky,
    }));
    const taskOutcomes = await this.updateTasks(grouped);
    const result = mapNoteOutcomes(inputs.length, grouped, taskOutcomes, positions);
    const missing = result.filter((o) => o.status === 'ok' && !o.id);
    if (!missing.length || opts.resolveIds === false) return result;
    const taskIds = [...new Set(missing.map((o) => (inputs[o.index] as TaskNoteInsert).taskId))];
    const back = await this.getTasks(taskIds, { notes: true });
    const claimed = new Set(result.map((o) => o.id).filter(Boolean));
    for (const o of missing) {
      const input = inputs[o.index] as TaskNoteInsert;
      const task = back.items.find((t) => t.id === input.taskId);
      const want = normContent(input.content);
      const match = [...(task?.notes ?? [])]
        .reverse()
        .find((n) => !claimed.has(n.id) && normContent(n.content) === want);
      if (match) {
        o.id = match.id;
        claimed.add(match.id);
      } else {
        o.status = 'unknown';
        o.error = new ConnectorError({
          system: 'aroflo',
          kind: 'malformed',
          operation: 'POST tasks (notes)',
          detail: 'note not found when read back',
          message: `AroFlo accepted a note for task ${input.taskId} but it was not found when read back — re-read the task before adding it again.`,
        });
      }
    }
    return result;
  }

  /** Change existing task notes (content / sticky / filter), through task updates. */
  async updateTaskNotes(inputs: TaskNoteUpdate[]): Promise<WriteOutcome[]> {
    // A note without its id would be sent as a new note: refuse those here.
    const valid = inputs.map((n, index) => ({ n, index })).filter(({ n }) => !!n.noteId?.trim() && !!n.taskId?.trim());
    const { grouped, positions } = groupNotes(
      valid.map((v) => v.n),
      (n) => ({ id: n.noteId, content: n.content ?? '', filter: n.filter, sticky: n.sticky }),
    );
    for (const g of grouped)
      for (const n of g.notes ?? []) if (n.content === '') delete (n as Partial<TaskNoteWrite>).content;
    const taskOutcomes = await this.updateTasks(grouped);
    const mapped = mapNoteOutcomes(valid.length, grouped, taskOutcomes, positions);
    const result: WriteOutcome[] = inputs.map((n, index) => ({
      index,
      status: 'failed',
      error: refusal(
        `a note on task ${n.taskId || '(none)'}`,
        'the note id and task id are required to change a note',
        'POST tasks (notes)',
      ),
    }));
    mapped.forEach((o, k) => {
      const at = (valid[k] as { index: number }).index;
      result[at] = { ...o, index: at, id: o.id ?? (inputs[at] as TaskNoteUpdate).noteId };
    });
    return result;
  }

  insertClientNotes(inputs: ClientNoteInsert[]): Promise<WriteOutcome[]> {
    return this.write(WRITES.clientNoteInsert, inputs);
  }

  updateClientNotes(inputs: ClientNoteUpdate[]): Promise<WriteOutcome[]> {
    return this.write(WRITES.clientNoteUpdate, inputs);
  }
}

const noteSpec = {
  idKey: 'noteid',
  idOptional: true,
  idOf: (n: TaskNoteWrite) => n.id,
  fields: (n: TaskNoteWrite) => ({ content: n.content }),
  describe: (_n: TaskNoteWrite, i: number) => `note ${i + 1}`,
};

/** What a write's nested records add to its outcomes (contacts under clients, notes under tasks). */
type Nested<I> = (
  chunk: Array<Sent<I>>,
  outcomes: WriteOutcome[],
  echoOf: Map<number, Record<string, unknown>>,
  pr: PostResults,
  op: string,
) => WriteOutcome[];

/**
 * How the client writes one zone (README "Facts: writes"): the plural zone and singular record elements, insert or
 * update, the pre-check, the record's XML, and how outcomes are matched (the echo's id key, the echoed fields an
 * insert is recognised by) and completed with their nested records.
 */
interface ZoneWrite<I> {
  zone: string;
  singular: string;
  kind: 'insert' | 'update';
  check: (input: I) => string[];
  describe: (input: I) => string;
  xml: (input: I) => XmlRecord;
  idKey: string;
  /** Inserts: the echoed fields that identify the input (updates are matched by id). */
  fields?: (input: I) => Record<string, string | undefined>;
  nested?: Nested<I>;
}

/** A client write's contacts: matched in the client's own echo, else in the echo of the update AroFlo listed. */
const withContacts: Nested<{ contacts?: ContactWrite[] }> = (chunk, outcomes, echoOf, pr, op) => {
  const updatedClients = pr.updates.clients ?? [];
  const byIndex = new Map(chunk.map((s) => [s.index, s.input]));
  for (const o of outcomes) {
    const contacts = byIndex.get(o.index)?.contacts;
    if (!contacts?.length) continue;
    const own = nestedEchoes(echoOf.get(o.index), 'contacts', 'contact');
    const fromUpdates = o.id ? updatedClients.find((u) => String(u.clientid ?? '') === o.id) : undefined;
    const echoes = own?.length ? own : (nestedEchoes(fromUpdates, 'contacts', 'contact') ?? own);
    o.contacts = nestedOutcomes(
      o,
      contacts,
      echoes,
      {
        idKey: 'userid',
        idOf: (c) => c.id,
        fields: (c) => ({ email: c.email, givennames: c.givenNames, surname: c.surname }),
        describe: (c, i) => `contact ${[c.givenNames, c.surname].filter(Boolean).join(' ') || c.email || i + 1}`,
      },
      op,
    );
  }
  return outcomes;
};

/** A task write's notes, matched in the task's echo. */
const withNotes: Nested<{ notes?: TaskNoteWrite[] }> = (chunk, outcomes, echoOf, _pr, op) => {
  const byIndex = new Map(chunk.map((s) => [s.index, s.input]));
  for (const o of outcomes) {
    const notes = byIndex.get(o.index)?.notes;
    if (notes?.length)
      o.notes = nestedOutcomes(o, notes, nestedEchoes(echoOf.get(o.index), 'notes', 'note'), noteSpec, op);
  }
  return outcomes;
};

/** The writes the client makes, declared once. */
const WRITES = {
  clientInsert: {
    zone: 'clients',
    singular: 'client',
    kind: 'insert',
    check: checkClientInsert,
    describe: (c) => `client "${c.name}"`,
    xml: clientXml,
    idKey: 'clientid',
    fields: (c) => ({ clientname: c.name }),
    nested: withContacts,
  } satisfies ZoneWrite<ClientInsert>,
  clientUpdate: {
    zone: 'clients',
    singular: 'client',
    kind: 'update',
    check: checkClientUpdate,
    describe: (c) => (c.name ? `client "${c.name}"` : `client ${c.id}`),
    xml: clientXml,
    idKey: 'clientid',
    nested: withContacts,
  } satisfies ZoneWrite<ClientUpdate>,
  taskInsert: {
    zone: 'tasks',
    singular: 'task',
    kind: 'insert',
    check: checkTaskInsert,
    describe: (t) => `task "${t.name}"`,
    xml: taskInsertXml,
    idKey: 'taskid',
    fields: (t) => ({ taskname: t.name, 'client.clientid': t.clientId }),
    nested: withNotes,
  } satisfies ZoneWrite<TaskInsert>,
  taskUpdate: {
    zone: 'tasks',
    singular: 'task',
    kind: 'update',
    check: checkTaskUpdate,
    describe: (t) => `task ${t.id}`,
    xml: taskUpdateXml,
    idKey: 'taskid',
    nested: withNotes,
  } satisfies ZoneWrite<TaskUpdate>,
  clientNoteInsert: {
    zone: 'clientnotes',
    singular: 'clientnote',
    kind: 'insert',
    check: checkClientNoteInsert,
    describe: (n) => `a note for client ${n.clientId}`,
    xml: clientNoteXml,
    idKey: 'noteid',
    fields: (n) => ({ clientid: n.clientId, content: n.content }),
  } satisfies ZoneWrite<ClientNoteInsert>,
  clientNoteUpdate: {
    zone: 'clientnotes',
    singular: 'clientnote',
    kind: 'update',
    check: checkClientNoteUpdate,
    describe: (n) => `client note ${n.id}`,
    xml: clientNoteXml,
    idKey: 'noteid',
  } satisfies ZoneWrite<ClientNoteUpdate>,
};

/** Note text compared as AroFlo stores it: `]]>` broken as we sent it, tags and spacing ignored. */
const normContent = (s: string): string =>
  cdataSafe(s)
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();

/** One TaskUpdate per task, carrying that task's notes; `positions[g][j]` = index of the input behind note j of group g. */
function groupNotes<N extends { taskId: string }>(
  inputs: N[],
  toNote: (n: N) => TaskNoteWrite,
): { grouped: TaskUpdate[]; positions: number[][] } {
  const byTask = new Map<string, number>();
  const grouped: TaskUpdate[] = [];
  const positions: number[][] = [];
  inputs.forEach((n, i) => {
    let g = byTask.get(n.taskId);
    if (g === undefined) {
      g = grouped.length;
      byTask.set(n.taskId, g);
      grouped.push({ id: n.taskId, notes: [] });
      positions.push([]);
    }
    (grouped[g] as TaskUpdate).notes?.push(toNote(n));
    (positions[g] as number[]).push(i);
  });
  return { grouped, positions };
}

function mapNoteOutcomes(
  count: number,
  grouped: TaskUpdate[],
  taskOutcomes: WriteOutcome[],
  positions: number[][],
): WriteOutcome[] {
  const result: WriteOutcome[] = new Array(count);
  grouped.forEach((_, g) => {
    const to = taskOutcomes[g] as WriteOutcome;
    (positions[g] as number[]).forEach((inputIndex, j) => {
      const n = to.notes?.[j];
      result[inputIndex] = n ? { ...n, index: inputIndex } : { index: inputIndex, status: to.status, error: to.error };
    });
  });
  return result;
}
