/**
 * What the engine can ask AroFlo to write, checked before anything is sent, and turned into postxml records.
 *
 * Checks mirror README "Facts: writes", "Facts: clients", "Facts: tasks": required insert fields, documented length
 * limits (AroFlo silently truncates some fields — we refuse instead, so nothing is cut without anyone knowing), and
 * fields AroFlo cannot update (a task's description and due date: refused with a clear error, never silently dropped).
 */
import { ConnectorError } from '../shared/errors.js';
import { plain, type XmlRecord } from './postxml.js';
import type { ArofloAddress, ArofloTaskStatus } from './records.js';

/** A contact under a client. Without `id` it is inserted; with `id` it is updated (or archived). */
export interface ContactWrite {
  /** `userid` — present to update an existing contact. */
  id?: string;
  givenNames?: string;
  surname?: string;
  /** Insert only (AroFlo ignores it on update). */
  username?: string;
  email?: string;
  phone?: string;
  mobile?: string;
  fax?: string;
  /** true archives the contact (AroFlo has no delete). */
  archived?: boolean;
}

/** A new client. `name` (unique in AroFlo), `firstName` and `surname` are required by AroFlo. */
export interface ClientInsert {
  name: string;
  firstName: string;
  surname: string;
  email?: string;
  phone?: string;
  mobile?: string;
  fax?: string;
  abn?: string;
  shortName?: string;
  website?: string;
  /** state and country must come as a pair (README "Facts: clients"). */
  address?: ArofloAddress;
  businessUnitIds?: string[];
  contacts?: ContactWrite[];
}

/** A change to an existing client; only the fields given are sent. */
export interface ClientUpdate extends Partial<Omit<ClientInsert, 'contacts'>> {
  id: string;
  postable?: boolean;
  /** `link/externalid` (update only). */
  externalId?: string;
  contacts?: ContactWrite[];
}

/** AroFlo's write values for task status. */
export const TASK_STATUS_WRITE: Partial<Record<ArofloTaskStatus, string>> = {
  notstarted: 'Not Started',
  inprogress: 'In Progress',
  pending: 'Pending',
  completed: 'Completed',
  archived: 'Archived',
};

export type NoteFilter =
  | 'Internal Only'
  | 'Internal Admin Only'
  | 'Show Client'
  | 'Show Contractor'
  | 'Show All'
  | 'Internal Admin and Manager Only';

export interface TaskNoteWrite {
  /** `noteid` — present to update an existing note. */
  id?: string;
  content: string;
  /** Default "Internal Only". */
  filter?: NoteFilter;
  sticky?: boolean;
}

export interface TaskInsert {
  clientId: string;
  /** The business unit (`org/orgid`). */
  businessUnitId: string;
  taskTypeId: string;
  name: string;
  /** "YYYY-MM-DD". Cannot be changed later. */
  dueDate: string;
  /** Cannot be changed later. */
  description?: string;
  contactUserId?: string;
  contactName?: string;
  contactPhone?: string;
  custon?: string;
  locationId?: string;
  notes?: TaskNoteWrite[];
}

export interface TaskUpdate {
  id: string;
  status?: ArofloTaskStatus;
  substatusId?: string;
  linkProcessed?: boolean;
  contactUserId?: string;
  custon?: string;
  notes?: TaskNoteWrite[];
  /** AroFlo cannot update this: a TaskUpdate carrying it is refused (rejected), never sent. */
  description?: string;
  /** AroFlo cannot update this: a TaskUpdate carrying it is refused (rejected), never sent. */
  dueDate?: string;
}

export interface ClientNoteInsert {
  clientId: string;
  content: string;
  /** Default "Internal Only". */
  filter?: NoteFilter;
  sticky?: boolean;
}

export interface ClientNoteUpdate {
  id: string;
  content?: string;
  filter?: NoteFilter;
  sticky?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------

const LIMITS = {
  clientname: 50,
  firstname: 50,
  surname: 50,
  email: 250,
  phone: 50,
  mobile: 50,
  fax: 50,
  abn: 50,
  shortname: 6,
  website: 1000,
  givennames: 50,
  username: 40,
  taskname: 50,
  contactname: 50,
  contactphone: 50,
  clientnote: 1000,
  addressline: 150,
  suburb: 100,
  state: 50,
  postcode: 10,
  country: 50,
} as const;

export function refusal(record: string, detail: string, operation: string): ConnectorError {
  return new ConnectorError({
    system: 'aroflo',
    kind: 'rejected',
    operation,
    detail,
    message: `AroFlo cannot take ${record}: ${detail} — fix the record (or the field mapping) and sync again.`,
  });
}

class Problems {
  readonly list: string[] = [];
  required(label: string, v: string | undefined): void {
    if (v === undefined || !v.trim()) this.list.push(`${label} is required`);
  }
  max(label: string, v: string | undefined, n: number): void {
    if (v !== undefined && [...v].length > n) this.list.push(`${label} is longer than AroFlo's ${n} characters`);
  }
  date(label: string, v: string | undefined): void {
    if (v !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(v)) this.list.push(`${label} must be YYYY-MM-DD`);
  }
}

function checkAddress(p: Problems, a: ArofloAddress | undefined): void {
  if (!a) return;
  p.max('address line 1', a.line1, LIMITS.addressline);
  p.max('address line 2', a.line2, LIMITS.addressline);
  p.max('suburb', a.suburb, LIMITS.suburb);
  p.max('state', a.state, LIMITS.state);
  p.max('postcode', a.postcode, LIMITS.postcode);
  p.max('country', a.country, LIMITS.country);
  if ((a.state === undefined) !== (a.country === undefined)) p.list.push('state and country must be given together');
}

function checkContact(p: Problems, c: ContactWrite, i: number): void {
  const l = `contact ${i + 1}`;
  p.max(`${l} given names`, c.givenNames, LIMITS.givennames);
  p.max(`${l} surname`, c.surname, LIMITS.surname);
  p.max(`${l} username`, c.username, LIMITS.username);
  p.max(`${l} email`, c.email, LIMITS.email);
  p.max(`${l} phone`, c.phone, LIMITS.phone);
  p.max(`${l} mobile`, c.mobile, LIMITS.mobile);
  p.max(`${l} fax`, c.fax, LIMITS.fax);
  if (!c.id && !c.givenNames?.trim() && !c.surname?.trim() && !c.email?.trim())
    p.list.push(`${l} has no name or email`);
  if (c.id && c.username !== undefined) p.list.push(`${l} username cannot be changed after the contact exists`);
}

function checkClientFields(p: Problems, c: Partial<ClientInsert>): void {
  p.max('client name', c.name, LIMITS.clientname);
  p.max('first name', c.firstName, LIMITS.firstname);
  p.max('surname', c.surname, LIMITS.surname);
  p.max('email', c.email, LIMITS.email);
  p.max('phone', c.phone, LIMITS.phone);
  p.max('mobile', c.mobile, LIMITS.mobile);
  p.max('fax', c.fax, LIMITS.fax);
  p.max('ABN', c.abn, LIMITS.abn);
  p.max('short name', c.shortName, LIMITS.shortname);
  p.max('website', c.website, LIMITS.website);
  checkAddress(p, c.address);
}

/** Problems with a client insert, or [] when it can be sent. */
export function checkClientInsert(c: ClientInsert): string[] {
  const p = new Problems();
  p.required('client name', c.name);
  p.required('first name', c.firstName);
  p.required('surname', c.surname);
  checkClientFields(p, c);
  (c.contacts ?? []).forEach((x, i) => {
    if (x.id) p.list.push(`contact ${i + 1} has an id, but a new client can only get new contacts`);
    checkContact(p, x, i);
  });
  return p.list;
}

export function checkClientUpdate(c: ClientUpdate): string[] {
  const p = new Problems();
  p.required('client id', c.id);
  if (c.name !== undefined) p.required('client name', c.name);
  checkClientFields(p, c);
  p.max('external id', c.externalId, 100);
  (c.contacts ?? []).forEach((x, i) => checkContact(p, x, i));
  return p.list;
}

export function checkTaskInsert(t: TaskInsert): string[] {
  const p = new Problems();
  p.required('client id', t.clientId);
  p.required('business unit id', t.businessUnitId);
  p.required('task type id', t.taskTypeId);
  p.required('task name', t.name);
  p.required('due date', t.dueDate);
  p.date('due date', t.dueDate);
  p.max('task name', t.name, LIMITS.taskname);
  p.max('contact name', t.contactName, LIMITS.contactname);
  p.max('contact phone', t.contactPhone, LIMITS.contactphone);
  (t.notes ?? []).forEach((n, i) => {
    if (n.id) p.list.push(`note ${i + 1} has an id, but a new task can only get new notes`);
    p.required(`note ${i + 1} content`, n.content);
  });
  return p.list;
}

export function checkTaskUpdate(t: TaskUpdate): string[] {
  const p = new Problems();
  p.required('task id', t.id);
  if (t.description !== undefined)
    p.list.push("AroFlo cannot change a task's description after it is created (add a note instead)");
  if (t.dueDate !== undefined)
    p.list.push("AroFlo cannot change a task's due date after it is created (add a note instead)");
  if (t.status !== undefined && !TASK_STATUS_WRITE[t.status])
    p.list.push(`status "${t.status}" cannot be set through the API`);
  (t.notes ?? []).forEach((n, i) => {
    if (!n.id) p.required(`note ${i + 1} content`, n.content);
  });
  return p.list;
}

export function checkClientNoteInsert(n: ClientNoteInsert): string[] {
  const p = new Problems();
  p.required('client id', n.clientId);
  p.required('note content', n.content);
  p.max('note content', n.content, LIMITS.clientnote);
  return p.list;
}

export function checkClientNoteUpdate(n: ClientNoteUpdate): string[] {
  const p = new Problems();
  p.required('note id', n.id);
  if (n.content !== undefined) {
    p.required('note content', n.content);
    p.max('note content', n.content, LIMITS.clientnote);
  }
  return p.list;
}

// ---------------------------------------------------------------------------------------------------------------

const addressXml = (a: ArofloAddress | undefined): XmlRecord | undefined =>
  a && {
    addressline1: a.line1,
    addressline2: a.line2,
    suburb: a.suburb,
    state: a.state,
    postcode: a.postcode,
    country: a.country,
  };

export function contactXml(c: ContactWrite): XmlRecord {
  return {
    userid: c.id ? plain(c.id) : undefined,
    givennames: c.givenNames,
    surname: c.surname,
    username: c.id ? undefined : c.username,
    phone: c.phone,
    fax: c.fax,
    mobile: c.mobile,
    email: c.email,
    archived: c.archived,
  };
}

export function clientXml(c: ClientInsert | ClientUpdate): XmlRecord {
  const u = 'id' in c ? (c as ClientUpdate) : undefined;
  return {
    clientid: u ? plain(u.id) : undefined,
    clientname: c.name,
    firstname: c.firstName,
    surname: c.surname,
    abn: c.abn,
    shortname: c.shortName,
    phone: c.phone,
    mobile: c.mobile,
    fax: c.fax,
    email: c.email,
    website: c.website,
    postable: u?.postable,
    orgs: c.businessUnitIds?.length ? { org: c.businessUnitIds.map((id) => ({ orgid: plain(id) })) } : undefined,
    address: addressXml(c.address),
    contacts: c.contacts?.length ? { contact: c.contacts.map(contactXml) } : undefined,
    link: u?.externalId !== undefined ? { externalid: u.externalId } : undefined,
  };
}

function noteXml(n: TaskNoteWrite): XmlRecord {
  return {
    noteid: n.id ? plain(n.id) : undefined,
    content: n.content,
    filter: n.filter ?? (n.id ? undefined : 'Internal Only'),
    sticky: n.sticky ?? (n.id ? undefined : false),
  };
}

export function taskInsertXml(t: TaskInsert): XmlRecord {
  return {
    client: { clientid: plain(t.clientId) },
    org: { orgid: plain(t.businessUnitId) },
    tasktype: { tasktypeid: plain(t.taskTypeId) },
    taskname: t.name,
    duedate: plain(t.dueDate),
    description: t.description,
    contact: t.contactUserId ? { userid: plain(t.contactUserId) } : undefined,
    contactname: t.contactName,
    contactphone: t.contactPhone,
    custon: t.custon,
    location: t.locationId ? { locationid: plain(t.locationId) } : undefined,
    notes: t.notes?.length ? { note: t.notes.map(noteXml) } : undefined,
  };
}

export function taskUpdateXml(t: TaskUpdate): XmlRecord {
  return {
    taskid: plain(t.id),
    status: t.status ? plain(TASK_STATUS_WRITE[t.status] as string) : undefined,
    substatus: t.substatusId ? { substatusid: plain(t.substatusId) } : undefined,
    linkprocessed: t.linkProcessed,
    contact: t.contactUserId ? { userid: plain(t.contactUserId) } : undefined,
    custon: t.custon,
    notes: t.notes?.length ? { note: t.notes.map(noteXml) } : undefined,
  };
}

export function clientNoteXml(n: ClientNoteInsert | ClientNoteUpdate): XmlRecord {
  const u = 'id' in n ? (n as ClientNoteUpdate) : undefined;
  const ins = u ? undefined : (n as ClientNoteInsert);
  return {
    noteid: u ? plain(u.id) : undefined,
    clientid: ins ? plain(ins.clientId) : undefined,
    content: n.content,
    filter: n.filter ?? (ins ? 'Internal Only' : undefined),
    sticky: n.sticky ?? (ins ? false : undefined),
  };
}
