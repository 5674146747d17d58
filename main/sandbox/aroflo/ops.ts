/**
 * The business rules every change goes through, whether it comes from the API (actor 'api') or from a
 * person in the web app (actor 'web', i.e. the admin):
 * - every change moves the record's lastupdated time and its `lastupdate` feed row;
 * - a web change sets a client's `postable` = true and a task's `linkprocessed` = false (README "Facts: flags");
 * - child changes (contacts, task notes, client notes) reach the parent per the lastupdateFeed option;
 * - API changes to only the integration flags (`postable`, `linkprocessed`) do not count as a change.
 * Errors are WriteError with AroFlo-style {message, code, detail, type}.
 */
import { ArofloDb } from './db.js';
import { fit, FieldTooLong } from './field-limits.js';
import { guidLike } from './ids.js';
import { parseDueDate } from './time.js';
import {
  NOTE_FILTERS,
  TASK_STATUSES,
  type Address,
  type ClientNoteRecord,
  type ClientRecord,
  type ContactRecord,
  type CustomField,
  type LastUpdateFeedOptions,
  type NoteAuthor,
  type NoteFilter,
  type TaskNoteRecord,
  type TaskRecord,
  type TaskStatus,
} from './types.js';

export type Actor = 'api' | 'web';

export const WRITE_ERRORS = {
  required: { code: '201', message: 'Required field missing', type: 'Validation' },
  tooLong: { code: '202', message: 'Field value too long', type: 'Validation' },
  notFound: { code: '203', message: 'Record not found', type: 'Database' },
  invalid: { code: '204', message: 'Invalid field value', type: 'Validation' },
  mixed: { code: '205', message: 'Updates and Inserts are separate operations', type: 'Validation' },
  readOnly: { code: '206', message: 'Zone is read only', type: 'Validation' },
  duplicate: { code: '209', message: 'Unable to make changes to Database', type: 'Database' },
} as const;

export class WriteError extends Error {
  readonly code: string;
  readonly type: string;
  constructor(
    kind: keyof typeof WRITE_ERRORS,
    readonly detail: string,
  ) {
    const e = WRITE_ERRORS[kind];
    super(e.message);
    this.code = e.code;
    this.type = e.type;
  }
}

export const EMPTY_ADDRESS: Address = {
  addressline1: '',
  addressline2: '',
  suburb: '',
  state: '',
  postcode: '',
  country: '',
};

export interface ClientFields {
  clientname?: string;
  firstname?: string;
  surname?: string;
  phone?: string;
  mobile?: string;
  fax?: string;
  email?: string;
  abn?: string;
  shortname?: string;
  website?: string;
  termsnote?: string;
  gpslat?: string;
  gpslong?: string;
  postable?: boolean;
  archived?: boolean;
  orgids?: string[];
  address?: Partial<Address>;
  mailingaddress?: Partial<Address>;
  link?: { orgid?: string; orgname?: string; externalid?: string };
  customfields?: CustomField[];
}

export interface ContactFields {
  givennames?: string;
  surname?: string;
  email?: string;
  email2?: string;
  phone?: string;
  mobile?: string;
  fax?: string;
  username?: string;
  archived?: boolean;
}

export interface TaskFields {
  clientid?: string;
  taskname?: string;
  duedate?: string;
  orgid?: string;
  tasktypeid?: string;
  description?: string;
  contactUserid?: string;
  contactname?: string;
  contactphone?: string;
  custon?: string;
  priority?: string;
  status?: TaskStatus;
  linkprocessed?: boolean;
}

export interface NoteFields {
  content?: string;
  filter?: NoteFilter;
  sticky?: boolean;
}

/** "internal only" / "Internal Only" → the canonical filter name, or undefined. */
export function parseNoteFilter(text: string): NoteFilter | undefined {
  const t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  return NOTE_FILTERS.find((f) => f.toLowerCase() === t);
}

/** "In Progress" / "inprogress" / "in progress" → the canonical status, or undefined. */
export function parseTaskStatus(text: string): TaskStatus | undefined {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '');
  return TASK_STATUSES.find((s) => s.toLowerCase().replace(/\s+/g, '') === t);
}

function fitOr(entity: string, field: string, value: string): string {
  try {
    return fit(entity, field, value);
  } catch (e) {
    if (e instanceof FieldTooLong) throw new WriteError('tooLong', e.message);
    throw e;
  }
}

export class ArofloOps {
  constructor(
    readonly db: ArofloDb,
    private readonly now: () => number,
    private readonly feedOptions: Required<LastUpdateFeedOptions>,
    readonly authors: Record<Actor, NoteAuthor>,
  ) {}

  // ---------- shared effects ----------

  private touchClient(c: ClientRecord, actor: Actor): void {
    const t = this.now();
    this.db.clients.update(c, (r) => {
      r.lastupdateMs = t;
      if (actor === 'web') r.postable = true;
    });
    this.db.feed('clients', c.clientid, t);
  }

  private touchTask(task: TaskRecord, actor: Actor): void {
    const t = this.now();
    this.db.tasks.update(task, (r) => {
      r.lastupdatedMs = t;
      if (actor === 'web') r.linkprocessed = false;
    });
    this.db.feed('tasks', task.taskid, t);
  }

  private contactChanged(contact: ContactRecord, actor: Actor): void {
    contact.lastupdateMs = this.now();
    const mode = this.feedOptions.contactEdits;
    const client = this.db.clients.get(contact.clientid);
    if (mode === 'client' && client) this.touchClient(client, actor);
    else if (mode === 'contact') this.db.feed('contacts', contact.userid, contact.lastupdateMs);
    this.db.version++;
  }

  // ---------- clients ----------

  private checkName(name: string, selfId?: string): string {
    const trimmed = name.trim();
    if (!trimmed) throw new WriteError('required', 'clientname is required');
    const v = fitOr('client', 'clientname', trimmed);
    const owner = this.db.clientNames.get(ArofloDb.nameKey(v));
    if (owner && owner !== selfId) throw new WriteError('duplicate', 'Client already exists');
    return v;
  }

  private checkOrgs(orgids: string[]): string[] {
    for (const id of orgids)
      if (!this.db.businessUnit(id)) throw new WriteError('notFound', `orgid ${id} is not a business unit`);
    return [...new Set(orgids)];
  }

  private mergeAddress(base: Address, patch: Partial<Address> | undefined, which: string): Address {
    if (!patch) return base;
    if ((patch.state === undefined) !== (patch.country === undefined))
      throw new WriteError('invalid', `${which}: state and country must be given together`);
    return { ...base, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
  }

  /** Checks and normalises client fields; returns the values to store (no change applied yet). */
  private clientValues(f: ClientFields, existing?: ClientRecord): Partial<ClientRecord> {
    const out: Partial<ClientRecord> = {};
    if (f.clientname !== undefined) out.clientname = this.checkName(f.clientname, existing?.clientid);
    for (const k of ['firstname', 'surname', 'email', 'shortname'] as const) {
      const v = f[k];
      if (v !== undefined) out[k] = fitOr('client', k, v.trim());
    }
    for (const k of ['phone', 'mobile', 'fax', 'abn', 'website', 'termsnote', 'gpslat', 'gpslong'] as const) {
      const v = f[k];
      if (v !== undefined) out[k] = v.trim();
    }
    if (f.postable !== undefined) out.postable = f.postable;
    if (f.archived !== undefined) out.archived = f.archived;
    if (f.orgids !== undefined && f.orgids.length) out.orgids = this.checkOrgs(f.orgids);
    if (f.address) out.address = this.mergeAddress(existing?.address ?? EMPTY_ADDRESS, f.address, 'address');
    if (f.mailingaddress)
      out.mailingaddress = this.mergeAddress(
        existing?.mailingaddress ?? EMPTY_ADDRESS,
        f.mailingaddress,
        'mailingaddress',
      );
    if (f.customfields) out.customfields = f.customfields;
    return out;
  }

  insertClient(f: ClientFields, actor: Actor): ClientRecord {
    if (actor === 'api') {
      for (const k of ['clientname', 'firstname', 'surname'] as const)
        if (!f[k]?.trim()) throw new WriteError('required', `${k} is required`);
    }
    if (f.clientname === undefined) throw new WriteError('required', 'clientname is required');
    const v = this.clientValues(f);
    const t = this.now();
    const c: ClientRecord = {
      seq: 0,
      clientid: this.db.ids.next('client'),
      clientname: v.clientname!,
      firstname: v.firstname ?? '',
      surname: v.surname ?? '',
      phone: v.phone ?? '',
      mobile: v.mobile ?? '',
      fax: v.fax ?? '',
      email: v.email ?? '',
      abn: v.abn ?? '',
      shortname: v.shortname ?? '',
      website: v.website ?? '',
      termsnote: v.termsnote ?? '',
      gpslat: v.gpslat ?? '',
      gpslong: v.gpslong ?? '',
      address: v.address ?? { ...EMPTY_ADDRESS },
      mailingaddress: v.mailingaddress ?? { ...EMPTY_ADDRESS },
      orgids: v.orgids ?? [this.db.businessUnits[0]!.orgid],
      postable: actor === 'web' ? true : (v.postable ?? false),
      archived: v.archived ?? false,
      createdMs: t,
      lastupdateMs: t,
      link: { orgid: '', orgname: '', externalid: '' },
      customfields: v.customfields ?? [],
      contactIds: [],
    };
    this.db.clients.add(c);
    this.db.clientNames.set(ArofloDb.nameKey(c.clientname), c.clientid);
    this.db.feed('clients', c.clientid, t);
    return c;
  }

  /** Applies an update. `flagOnly` (API, only `postable` given) does not count as a change. */
  updateClient(c: ClientRecord, f: ClientFields, actor: Actor): ClientRecord {
    const v = this.clientValues(f, c);
    let externalid: string | undefined;
    if (f.link?.externalid !== undefined) externalid = fitOr('client', 'externalid', f.link.externalid.trim());
    const oldName = c.clientname;
    this.db.clients.update(c, (r) => {
      Object.assign(r, v);
      if (f.link) {
        r.link = {
          orgid: f.link.orgid ?? r.link.orgid,
          orgname: f.link.orgname ?? r.link.orgname,
          externalid: externalid ?? r.link.externalid,
        };
      }
    });
    if (v.clientname !== undefined && v.clientname !== oldName) {
      this.db.clientNames.delete(ArofloDb.nameKey(oldName));
      this.db.clientNames.set(ArofloDb.nameKey(c.clientname), c.clientid);
    }
    const keys = Object.keys(f).filter((k) => (f as Record<string, unknown>)[k] !== undefined);
    const flagOnly = actor === 'api' && keys.every((k) => k === 'postable');
    if (!flagOnly && keys.length) this.touchClient(c, actor);
    this.db.version++;
    return c;
  }

  // ---------- contacts (through clients) ----------

  private contactValues(f: ContactFields): Partial<ContactRecord> {
    const out: Partial<ContactRecord> = {};
    for (const k of ['givennames', 'surname', 'email', 'email2', 'phone', 'mobile', 'fax', 'username'] as const) {
      const v = f[k];
      if (v !== undefined) out[k] = fitOr('contact', k === 'email2' ? 'email' : k, v.trim());
    }
    if (f.archived !== undefined) out.archived = f.archived;
    return out;
  }

  /** Checks contact fields without applying them (so a client update can be all-or-nothing). */
  checkContact(f: ContactFields): void {
    this.contactValues(f);
  }

  insertContact(c: ClientRecord, f: ContactFields, actor: Actor): ContactRecord {
    const v = this.contactValues(f);
    const t = this.now();
    const n = this.db.contacts.size + 1;
    const contact: ContactRecord = {
      seq: 0,
      userid: this.db.ids.next('contact'),
      clientid: c.clientid,
      givennames: v.givennames ?? '',
      surname: v.surname ?? '',
      email: v.email ?? '',
      email2: v.email2 ?? '',
      phone: v.phone ?? '',
      mobile: v.mobile ?? '',
      fax: v.fax ?? '',
      username: v.username || guidLike(this.db.seed, n),
      archived: v.archived ?? false,
      createdMs: t,
      lastupdateMs: t,
    };
    this.db.contacts.add(contact);
    c.contactIds.push(contact.userid);
    this.contactChanged(contact, actor);
    return contact;
  }

  updateContact(contact: ContactRecord, f: ContactFields, actor: Actor): ContactRecord {
    const v = this.contactValues(f);
    delete v.username; // insert only
    this.db.contacts.update(contact, (r) => Object.assign(r, v));
    this.contactChanged(contact, actor);
    return contact;
  }

  // ---------- tasks ----------

  private taskValues(f: TaskFields, task: TaskRecord | undefined): Partial<TaskRecord> {
    const out: Partial<TaskRecord> = {};
    const clientid = task?.clientid ?? f.clientid ?? '';
    if (f.taskname !== undefined) {
      if (!f.taskname.trim()) throw new WriteError('required', 'taskname is required');
      out.taskname = fitOr('task', 'taskname', f.taskname.trim());
    }
    if (f.duedate !== undefined) {
      const d = parseDueDate(f.duedate);
      if (!d) throw new WriteError('invalid', `duedate "${f.duedate}" is not a date (YYYY-MM-DD)`);
      out.duedate = d;
    }
    if (f.orgid !== undefined) {
      if (!this.db.businessUnit(f.orgid))
        throw new WriteError('notFound', `org/orgid ${f.orgid} is not a business unit`);
      out.orgid = f.orgid;
    }
    if (f.tasktypeid !== undefined) {
      if (!this.db.taskType(f.tasktypeid))
        throw new WriteError('notFound', `tasktype/tasktypeid ${f.tasktypeid} does not exist`);
      out.tasktypeid = f.tasktypeid;
    }
    if (f.contactUserid !== undefined) {
      if (f.contactUserid !== '') {
        const contact = this.db.contacts.get(f.contactUserid);
        if (!contact || contact.clientid !== clientid)
          throw new WriteError('notFound', `contact/userid ${f.contactUserid} is not a contact of client ${clientid}`);
      }
      out.contactUserid = f.contactUserid;
    }
    for (const k of ['contactname', 'contactphone'] as const) {
      const v = f[k];
      if (v !== undefined) out[k] = fitOr('task', k, v.trim());
    }
    if (f.description !== undefined) out.description = f.description;
    if (f.custon !== undefined) out.custon = f.custon.trim();
    if (f.priority !== undefined) out.priority = f.priority.trim();
    if (f.status !== undefined) out.status = f.status;
    if (f.linkprocessed !== undefined) out.linkprocessed = f.linkprocessed;
    return out;
  }

  /** Validates task fields (and the client) without applying. */
  checkTask(f: TaskFields, task?: TaskRecord): void {
    if (!task) this.insertChecks(f);
    this.taskValues(f, task);
  }

  private insertChecks(f: TaskFields): ClientRecord {
    if (!f.clientid) throw new WriteError('required', 'client/clientid is required');
    const client = this.db.clients.get(f.clientid);
    if (!client) throw new WriteError('notFound', `client/clientid ${f.clientid} does not exist`);
    if (!f.taskname?.trim()) throw new WriteError('required', 'taskname is required');
    if (!f.duedate) throw new WriteError('required', 'duedate is required');
    if (!f.orgid) throw new WriteError('required', 'org/orgid is required');
    if (!f.tasktypeid) throw new WriteError('required', 'tasktype/tasktypeid is required');
    return client;
  }

  insertTask(f: TaskFields, actor: Actor): TaskRecord {
    const filled: TaskFields =
      actor === 'web'
        ? { orgid: this.db.businessUnits[0]!.orgid, tasktypeid: this.db.taskTypes[0]!.tasktypeid, ...stripUndefined(f) }
        : { ...f, status: undefined, linkprocessed: undefined };
    this.insertChecks(filled);
    const v = this.taskValues(filled, undefined);
    const t = this.now();
    const task: TaskRecord = {
      seq: 0,
      taskid: this.db.ids.next('task'),
      jobnumber: this.db.nextJobNumber++,
      refcode: '',
      taskname: v.taskname!,
      description: v.description ?? '',
      status: v.status ?? 'Not Started',
      clientid: filled.clientid!,
      orgid: v.orgid!,
      tasktypeid: v.tasktypeid!,
      contactUserid: v.contactUserid ?? '',
      contactname: v.contactname ?? '',
      contactphone: v.contactphone ?? '',
      custon: v.custon ?? '',
      priority: v.priority ?? 'Normal',
      duedate: v.duedate!,
      requestedMs: t,
      createdMs: t,
      completedMs: v.status === 'Completed' ? t : undefined,
      lastupdatedMs: t,
      linkprocessed: false,
      noteIds: [],
    };
    this.db.tasks.add(task);
    this.db.feed('tasks', task.taskid, t);
    return task;
  }

  /**
   * Applies an update. From the API, description/duedate/contactname/contactphone/priority are not updatable and
   * are ignored (README "Facts: writes": "only insertable/updatable fields are read; the rest are ignored"); a linkprocessed-only
   * update does not count as a change.
   */
  updateTask(task: TaskRecord, f: TaskFields, actor: Actor): TaskRecord {
    const fields: TaskFields =
      actor === 'api'
        ? {
            ...f,
            description: undefined,
            duedate: undefined,
            contactname: undefined,
            contactphone: undefined,
            priority: undefined,
            orgid: undefined,
            tasktypeid: undefined,
            clientid: undefined,
          }
        : { ...f, clientid: undefined };
    const v = this.taskValues(fields, task);
    const t = this.now();
    this.db.tasks.update(task, (r) => {
      if (v.status !== undefined && v.status !== r.status) r.completedMs = v.status === 'Completed' ? t : undefined;
      if (v.linkprocessed === true && !r.linkprocessed) r.linkprocessedMs = t;
      Object.assign(r, v);
    });
    const keys = Object.keys(v);
    const flagOnly = actor === 'api' && keys.every((k) => k === 'linkprocessed');
    if (keys.length && !flagOnly) this.touchTask(task, actor);
    this.db.version++;
    return task;
  }

  // ---------- notes ----------

  private noteValues(f: NoteFields, entity: 'tasknote' | 'clientnote', insert: boolean): NoteFields {
    if (insert && !f.content?.trim()) throw new WriteError('required', 'content is required');
    const out: NoteFields = { ...f };
    if (f.content !== undefined) {
      if (!f.content.trim()) throw new WriteError('required', 'content is required');
      out.content = fitOr(entity, 'content', f.content);
    }
    return out;
  }

  checkNote(f: NoteFields, entity: 'tasknote' | 'clientnote', insert: boolean): void {
    this.noteValues(f, entity, insert);
  }

  insertTaskNote(task: TaskRecord, f: NoteFields, actor: Actor): TaskNoteRecord {
    const v = this.noteValues(f, 'tasknote', true);
    const note: TaskNoteRecord = {
      seq: 0,
      noteid: this.db.ids.next('tasknote'),
      taskid: task.taskid,
      content: v.content!,
      filter: v.filter ?? 'Internal Only',
      sticky: v.sticky ?? false,
      postedMs: this.now(),
      user: { ...this.authors[actor] },
    };
    this.db.taskNotes.add(note);
    task.noteIds.push(note.noteid);
    this.taskNoteChanged(task, actor);
    return note;
  }

  updateTaskNote(note: TaskNoteRecord, f: NoteFields, actor: Actor): TaskNoteRecord {
    const v = this.noteValues(f, 'tasknote', false);
    this.db.taskNotes.update(note, (r) => Object.assign(r, stripUndefined(v)));
    const task = this.db.tasks.get(note.taskid);
    if (task) this.taskNoteChanged(task, actor);
    return note;
  }

  private taskNoteChanged(task: TaskRecord, actor: Actor): void {
    if (this.feedOptions.taskNoteEdits === 'task') this.touchTask(task, actor);
    this.db.version++;
  }

  insertClientNote(client: ClientRecord, f: NoteFields, actor: Actor): ClientNoteRecord {
    const v = this.noteValues(f, 'clientnote', true);
    if (!v.filter) throw new WriteError('required', 'filter is required');
    const note: ClientNoteRecord = {
      seq: 0,
      noteid: this.db.ids.next('clientnote'),
      clientid: client.clientid,
      content: v.content!,
      filter: v.filter,
      sticky: v.sticky ?? false,
      postedMs: this.now(),
      user: { ...this.authors[actor] },
    };
    this.db.clientNotes.add(note);
    const list = this.db.clientNoteIds.get(client.clientid) ?? [];
    list.push(note.noteid);
    this.db.clientNoteIds.set(client.clientid, list);
    this.clientNoteChanged(client, actor);
    return note;
  }

  updateClientNote(note: ClientNoteRecord, f: NoteFields, actor: Actor): ClientNoteRecord {
    const v = this.noteValues(f, 'clientnote', false);
    this.db.clientNotes.update(note, (r) => Object.assign(r, stripUndefined(v)));
    const client = this.db.clients.get(note.clientid);
    if (client) this.clientNoteChanged(client, actor);
    return note;
  }

  private clientNoteChanged(client: ClientRecord, actor: Actor): void {
    if (this.feedOptions.clientNoteEdits === 'client') this.touchClient(client, actor);
    this.db.version++;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
