/**
 * Public types of the AroFlo sandbox: credentials, options, the records it keeps, and the in-process admin.
 * Records use AroFlo's field names with plain JS types (booleans, epoch ms); the API renders them with
 * AroFlo's quirks (see render.ts), the admin returns copies as they are.
 */
import type { SandboxStats } from '../types.js';

export interface ArofloCredentials {
  uEncoded: string;
  pEncoded: string;
  orgEncoded: string;
  secretKey: string;
  businessUnits: Array<{ orgid: string; orgname: string }>;
  taskTypes: Array<{ tasktypeid: string; tasktype: string }>;
}

/** Which parent (if any) gets a `lastupdate` row and a new lastupdated time when a child record changes (README "Facts: flags": an open question). */
export interface LastUpdateFeedOptions {
  /** Contact insert/edit/archive: 'client' = the contact's client gets a `clients` row (default); 'contact' = a `contacts` row; 'none'. */
  contactEdits?: 'client' | 'contact' | 'none';
  /** Task note insert/edit: 'task' = the task's lastupdated moves and a `tasks` row appears (default; README "Facts: flags" evidence); 'none'. */
  taskNoteEdits?: 'task' | 'none';
  /** Client note insert/edit: 'client' = a `clients` row (default, by analogy with task notes); 'none'. */
  clientNoteEdits?: 'client' | 'none';
}

export interface ArofloSandboxOptions {
  /** Allowed |afdatetimeutc - now| in ms before "Payload has expired". Default 5 minutes (README "Facts: signing": unstated). */
  clockSkewMs?: number;
  /** Site time zone for local-time fields and the daily limit reset. Default 'Australia/Melbourne'. */
  siteTimeZone?: string;
  /** See LastUpdateFeedOptions; defaults documented there. */
  lastupdateFeed?: LastUpdateFeedOptions;
  /**
   * How "3 requests per second" and "120 per minute" are counted (README "Rate windows"): 'sliding' (default; at most
   * 3 in any 1 s span — the strictest reading) or 'fixed' (at most 3 per clock second / clock minute, counted from the
   * epoch; twice the limit can pass across a boundary).
   */
  rateWindow?: RateWindowReading;
}

export type RateWindowReading = 'sliding' | 'fixed';

export interface Address {
  addressline1: string;
  addressline2: string;
  suburb: string;
  state: string;
  postcode: string;
  country: string;
}

export interface CustomField {
  fieldid: string;
  name: string;
  type: string;
  value: string;
}

export interface ClientRecord {
  seq: number;
  clientid: string;
  clientname: string;
  firstname: string;
  surname: string;
  phone: string;
  mobile: string;
  fax: string;
  email: string;
  abn: string;
  shortname: string;
  website: string;
  termsnote: string;
  gpslat: string;
  gpslong: string;
  address: Address;
  mailingaddress: Address;
  /** Business units the client belongs to. */
  orgids: string[];
  postable: boolean;
  archived: boolean;
  createdMs: number;
  lastupdateMs: number;
  link: { orgid: string; orgname: string; externalid: string };
  customfields: CustomField[];
  /** Contacts (userids) under this client, in insertion order. */
  contactIds: string[];
}

export interface ContactRecord {
  seq: number;
  userid: string;
  clientid: string;
  givennames: string;
  surname: string;
  email: string;
  email2: string;
  phone: string;
  mobile: string;
  fax: string;
  username: string;
  archived: boolean;
  createdMs: number;
  lastupdateMs: number;
}

export const TASK_STATUSES = ['Quote', 'Not Started', 'In Progress', 'Pending', 'Completed', 'Archived'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const NOTE_FILTERS = [
  'Internal Only',
  'Show Client',
  'Show Contractor',
  'Show All',
  'Internal Admin Only',
  'Internal Admin and Manager Only',
] as const;
export type NoteFilter = (typeof NOTE_FILTERS)[number];

export interface TaskRecord {
  seq: number;
  taskid: string;
  jobnumber: number;
  refcode: string;
  taskname: string;
  description: string;
  status: TaskStatus;
  clientid: string;
  /** Business unit. */
  orgid: string;
  tasktypeid: string;
  /** contact/userid; '' when none. */
  contactUserid: string;
  contactname: string;
  contactphone: string;
  custon: string;
  priority: string;
  /** "YYYY-MM-DD" */
  duedate: string;
  requestedMs: number;
  createdMs: number;
  completedMs?: number;
  lastupdatedMs: number;
  linkprocessed: boolean;
  linkprocessedMs?: number;
  noteIds: string[];
}

export interface NoteAuthor {
  userid: string;
  username: string;
}

export interface TaskNoteRecord {
  seq: number;
  noteid: string;
  taskid: string;
  content: string;
  filter: NoteFilter;
  sticky: boolean;
  postedMs: number;
  user: NoteAuthor;
}

export interface ClientNoteRecord {
  seq: number;
  noteid: string;
  clientid: string;
  content: string;
  filter: NoteFilter;
  sticky: boolean;
  postedMs: number;
  user: NoteAuthor;
}

export type LastUpdateZone = 'clients' | 'tasks' | 'contacts';

export interface LastUpdateRow {
  seq: number;
  zoneid: string;
  zonename: LastUpdateZone;
  zoneidreference: 'clientid' | 'taskid' | 'userid';
  lastupdateMs: number;
  isdeleted: 0 | 1;
}

export interface BusinessUnit {
  orgid: string;
  orgname: string;
}

export interface TaskType {
  tasktypeid: string;
  tasktype: string;
}

// ---- admin inputs (what a person types in the AroFlo web app) ----

export interface ClientInput {
  clientname: string;
  firstname?: string;
  surname?: string;
  phone?: string;
  mobile?: string;
  fax?: string;
  email?: string;
  abn?: string;
  shortname?: string;
  website?: string;
  address?: Partial<Address>;
  orgids?: string[];
}
export type ClientPatch = Partial<ClientInput> & { postable?: boolean; externalid?: string };

export interface ContactInput {
  givennames?: string;
  surname?: string;
  email?: string;
  email2?: string;
  phone?: string;
  mobile?: string;
  fax?: string;
  username?: string;
}
export type ContactPatch = ContactInput;

export interface TaskInput {
  clientid: string;
  taskname: string;
  duedate: string;
  orgid?: string;
  tasktypeid?: string;
  description?: string;
  contactUserid?: string;
  custon?: string;
  status?: TaskStatus;
}
/** The web app can change what the API cannot (description, due date). */
export type TaskPatch = Partial<Omit<TaskInput, 'clientid'>> & { linkprocessed?: boolean };

export interface NoteInput {
  content: string;
  filter?: NoteFilter;
  sticky?: boolean;
}

export interface ArofloStats extends SandboxStats {
  /** Requests to the free `lastupdate` zone (included in `requests` and byEndpoint "GET lastupdate"). */
  free: number;
  /** Requests counted toward the 2,000/day limit. */
  counted: number;
  /** Single-id GETs counted toward the secondary 20,000/day limit. */
  secondary: number;
  /** Requests refused by authentication (-99999, 1, 2, 3, 4). */
  authFailures: number;
}

export interface ArofloUsage {
  dailyUsed: number;
  dailyLimit: number;
  secondaryUsed: number;
  secondaryLimit: number;
}

/** In-process admin: reads and edits records as a person in the AroFlo web app would. */
export interface ArofloAdmin {
  listClients(opts?: { includeArchived?: boolean }): ClientRecord[];
  getClient(clientid: string): ClientRecord | undefined;
  createClient(input: ClientInput): ClientRecord;
  updateClient(clientid: string, patch: ClientPatch): ClientRecord;
  archiveClient(clientid: string): ClientRecord;

  listContacts(opts?: { clientid?: string; includeArchived?: boolean }): ContactRecord[];
  getContact(userid: string): ContactRecord | undefined;
  createContact(clientid: string, input: ContactInput): ContactRecord;
  updateContact(userid: string, patch: ContactPatch): ContactRecord;
  archiveContact(userid: string): ContactRecord;

  listTasks(opts?: { clientid?: string }): TaskRecord[];
  getTask(taskid: string): TaskRecord | undefined;
  createTask(input: TaskInput): TaskRecord;
  updateTask(taskid: string, patch: TaskPatch): TaskRecord;
  setTaskStatus(taskid: string, status: TaskStatus): TaskRecord;

  listTaskNotes(taskid: string): TaskNoteRecord[];
  addTaskNote(taskid: string, input: NoteInput): TaskNoteRecord;
  updateTaskNote(noteid: string, patch: Partial<NoteInput>): TaskNoteRecord;

  listClientNotes(opts?: { clientid?: string }): ClientNoteRecord[];
  addClientNote(clientid: string, input: NoteInput): ClientNoteRecord;
  updateClientNote(noteid: string, patch: Partial<NoteInput>): ClientNoteRecord;

  /** The `lastupdate` feed, oldest first. */
  lastUpdates(opts?: { zonename?: LastUpdateZone; sinceMs?: number }): LastUpdateRow[];

  setFaults(spec: string): void;
  stats(): ArofloStats;
  usage(): ArofloUsage;
  resetStats(): void;
  reset(): void;

  /** "Generate API Secret Key" again: the old secret stops working ("Signatures do not match"). Returns the new one. */
  regenerateSecret(): string;
  /** Untick "AroFloAPI access" for the API user (status 4) or tick it again. */
  setApiAccess(enabled: boolean): void;
  /** The secret was generated but the settings page was not saved ("AroFlo API setup is invalid"). */
  setSecretSaved(saved: boolean): void;
  /** The credentials that currently work. */
  credentials(): ArofloCredentials;
}

/** An admin edit that the web app would refuse (unknown id, duplicate client name, ...). */
export class ArofloAdminError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}
