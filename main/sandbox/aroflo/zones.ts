/**
 * The readable zones: which fields `where` accepts (exactly the README "Facts: zones" lists, so a wrong spelling such as
 * clients `lastupdateddatetimeutc` fails like it would for real), which `order` fields, the hidden default filter,
 * the joins, and how a record renders.
 * Undocumented choices (see README): clients order by clientname|datecreated|lastupdateutc; contacts by
 * surname|givennames|createdutc; tasks also accept `task_id` (one doc example uses it); lookups accept their id,
 * name and `archived`.
 */
import type { ArofloDb, Table } from './db.js';
import type { Json, Renderer } from './render.js';
import type { FieldDef } from './where.js';
import type {
  BusinessUnit,
  ClientNoteRecord,
  ClientRecord,
  ContactRecord,
  LastUpdateRow,
  TaskRecord,
  TaskType,
} from './types.js';

export interface ZoneSpec<R> {
  /** Canonical zone name, also the key in zoneresponse. */
  name: string;
  /** The id field (single-id GETs, id look-ups). */
  idField?: string;
  fields: Record<string, FieldDef<R>>;
  orders: Record<string, (r: R) => string | number>;
  /** The hidden default when no where is given: this index holds "created/requested" times (last 30 days). */
  defaultFilterIndex?: string;
  /** Default order when none is given. */
  defaultOrder?: (r: R) => number;
  joins: readonly string[];
  table?: Table<R & { seq: number }>;
  rows: () => readonly R[];
  render: (r: R, joins: ReadonlySet<string>) => { [k: string]: Json };
}

export const ZONE_NAMES = [
  'clients',
  'contacts',
  'tasks',
  'clientnotes',
  'lastupdate',
  'tasktypes',
  'businessunits',
] as const;
export type ZoneName = (typeof ZONE_NAMES)[number];

/** Zones that accept POST writes. */
export const WRITABLE_ZONES: readonly ZoneName[] = ['clients', 'tasks', 'clientnotes'];

export function buildZones(db: ArofloDb, render: Renderer): Record<ZoneName, ZoneSpec<unknown>> {
  const clientName = (id: string): string => db.clients.get(id)?.clientname ?? '';
  const orgName = (id: string): string => db.businessUnit(id)?.orgname ?? '';

  const clients: ZoneSpec<ClientRecord> = {
    name: 'clients',
    idField: 'clientid',
    fields: {
      clientid: { type: 'id', get: (r) => r.clientid },
      archived: { type: 'bool', get: (r) => r.archived },
      clientname: { type: 'string', get: (r) => r.clientname },
      postable: { type: 'bool', get: (r) => r.postable },
      datecreated: { type: 'date', get: (r) => r.createdMs, index: 'created' },
      dateinserted: { type: 'date', get: (r) => r.createdMs, index: 'created' },
      datetimeinserted: { type: 'datetime', get: (r) => r.createdMs, index: 'created' },
      lastupdateutc: { type: 'date', utc: true, get: (r) => r.lastupdateMs, index: 'lastupdate' },
      lastupdatedatetimeutc: { type: 'datetime', utc: true, get: (r) => r.lastupdateMs, index: 'lastupdate' },
    },
    orders: {
      clientname: (r) => r.clientname.toLowerCase(),
      datecreated: (r) => r.createdMs,
      lastupdateutc: (r) => r.lastupdateMs,
    },
    defaultFilterIndex: 'created',
    joins: [
      'contacts',
      'locations',
      'locationcustomfields',
      'customfields',
      'priorities',
      'notes',
      'documentsandphotos',
    ],
    table: db.clients,
    rows: () => db.clients.rows,
    render: (r, j) => render.client(r, j),
  };

  const contacts: ZoneSpec<ContactRecord> = {
    name: 'contacts',
    idField: 'userid',
    fields: {
      userid: { type: 'id', get: (r) => r.userid },
      archived: { type: 'bool', get: (r) => r.archived },
      contacttype: { type: 'string', get: () => 'client' },
      createdutc: { type: 'date', utc: true, get: (r) => r.createdMs, index: 'created' },
      createddatetimeutc: { type: 'datetime', utc: true, get: (r) => r.createdMs, index: 'created' },
    },
    orders: {
      surname: (r) => r.surname.toLowerCase(),
      givennames: (r) => r.givennames.toLowerCase(),
      createdutc: (r) => r.createdMs,
    },
    defaultFilterIndex: 'created',
    joins: ['customfields', 'notes', 'documentsandphotos'],
    table: db.contacts,
    rows: () => db.contacts.rows,
    render: (r) => render.contact(r, true),
  };

  const utcDate = (get: (r: TaskRecord) => number | undefined, index?: string): FieldDef<TaskRecord> => ({
    type: 'date',
    utc: true,
    get,
    index,
  });
  const utcDateTime = (get: (r: TaskRecord) => number | undefined, index?: string): FieldDef<TaskRecord> => ({
    type: 'datetime',
    utc: true,
    get,
    index,
  });
  const localDate = (get: (r: TaskRecord) => number | undefined, index?: string): FieldDef<TaskRecord> => ({
    type: 'date',
    get,
    index,
  });
  const localDateTime = (get: (r: TaskRecord) => number | undefined, index?: string): FieldDef<TaskRecord> => ({
    type: 'datetime',
    get,
    index,
  });
  const dueMs = (r: TaskRecord): number => Date.parse(`${r.duedate}T00:00:00Z`);
  const tasks: ZoneSpec<TaskRecord> = {
    name: 'tasks',
    idField: 'taskid',
    fields: {
      taskid: { type: 'id', get: (r) => r.taskid },
      task_id: { type: 'id', get: (r) => r.taskid },
      clientname: { type: 'string', get: (r) => clientName(r.clientid) },
      orgname: { type: 'string', get: (r) => orgName(r.orgid) },
      orgid: { type: 'id', get: (r) => r.orgid },
      jobnumber: { type: 'number', get: (r) => r.jobnumber },
      tasktypeid: { type: 'id', get: (r) => r.tasktypeid },
      status: { type: 'status', get: (r) => r.status },
      daterequested: localDate((r) => r.requestedMs, 'requested'),
      datetimerequested: localDateTime((r) => r.requestedMs, 'requested'),
      datecompleted: localDate((r) => r.completedMs),
      datetimecompleted: localDateTime((r) => r.completedMs),
      lastupdatedutc: utcDate((r) => r.lastupdatedMs, 'lastupdated'),
      lastupdateddatetimeutc: utcDateTime((r) => r.lastupdatedMs, 'lastupdated'),
      // Due dates are calendar dates: compared as UTC so "YYYY-MM-DD" means exactly that day.
      duedate: utcDate(dueMs),
      duedatetime: utcDateTime(dueMs),
      linkprocessed: { type: 'bool', get: (r) => r.linkprocessed },
      linkprocesseddate: localDate((r) => (r.linkprocessed ? r.linkprocessedMs : undefined)),
      linkprocesseddatetime: localDateTime((r) => (r.linkprocessed ? r.linkprocessedMs : undefined)),
      deleteddate: localDate(() => undefined),
      deleteddatetime: localDateTime(() => undefined),
      createdutc: utcDate((r) => r.createdMs, 'created'),
      createddatetimeutc: utcDateTime((r) => r.createdMs, 'created'),
    },
    orders: {
      clientname: (r) => clientName(r.clientid).toLowerCase(),
      orgname: (r) => orgName(r.orgid).toLowerCase(),
      daterequested: (r) => r.requestedMs,
      datecompleted: (r) => r.completedMs ?? -Infinity,
      lastupdated: (r) => r.lastupdatedMs,
    },
    defaultFilterIndex: 'requested',
    joins: [
      'notes',
      'tasknotes',
      'customfields',
      'documentsandphotos',
      'assignedhistory',
      'material',
      'labour',
      'expense',
      'purchaseorders',
      'assets',
      'location',
      'locationcustomfields',
      'project',
      'tasktotals',
      'substatus',
      'salesperson',
      'quote',
    ],
    table: db.tasks,
    rows: () => db.tasks.rows,
    render: (r, j) => render.task(r, j),
  };

  const clientnotes: ZoneSpec<ClientNoteRecord> = {
    name: 'clientnotes',
    idField: 'noteid',
    fields: {
      noteid: { type: 'id', get: (r) => r.noteid },
      createdutc: { type: 'date', utc: true, get: (r) => r.postedMs, index: 'created' },
    },
    orders: { dateposted: (r) => r.postedMs },
    defaultFilterIndex: 'created',
    joins: [],
    table: db.clientNotes,
    rows: () => db.clientNotes.rows,
    render: (r) => render.clientNote(r),
  };

  const lastupdate: ZoneSpec<LastUpdateRow> = {
    name: 'lastupdate',
    fields: {
      zonename: { type: 'string', get: (r) => r.zonename },
      lastupdateutc: { type: 'datetime', utc: true, get: (r) => r.lastupdateMs, index: 'lastupdate' },
    },
    orders: { lastupdateutc: (r) => r.lastupdateMs },
    defaultFilterIndex: 'lastupdate',
    defaultOrder: (r) => r.lastupdateMs,
    joins: [],
    table: db.lastupdate,
    rows: () => db.lastupdate.rows,
    render: (r) => render.lastupdate(r),
  };

  // Lookups: README "Facts: zones" lists no filter fields; their own id/name and `archived` (nothing here is archived) are accepted.
  const tasktypes: ZoneSpec<TaskType> = {
    name: 'tasktypes',
    fields: {
      tasktypeid: { type: 'id', get: (r) => r.tasktypeid },
      tasktype: { type: 'string', get: (r) => r.tasktype },
      archived: { type: 'bool', get: () => false },
    },
    orders: { tasktype: (r) => r.tasktype.toLowerCase() },
    joins: [],
    rows: () => db.taskTypes,
    render: (r) => ({ tasktypeid: r.tasktypeid, tasktype: r.tasktype, archived: 'false' }),
  };

  const businessunits: ZoneSpec<BusinessUnit> = {
    name: 'businessunits',
    fields: {
      orgid: { type: 'id', get: (r) => r.orgid },
      orgname: { type: 'string', get: (r) => r.orgname },
      archived: { type: 'bool', get: () => false },
    },
    orders: { orgname: (r) => r.orgname.toLowerCase() },
    joins: [],
    rows: () => db.businessUnits,
    render: (r) => ({ orgid: r.orgid, orgname: r.orgname, archived: 'false' }),
  };

  return { clients, contacts, tasks, clientnotes, lastupdate, tasktypes, businessunits } as unknown as Record<
    ZoneName,
    ZoneSpec<unknown>
  >;
}
