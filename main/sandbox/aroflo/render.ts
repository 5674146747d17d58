/**
 * Records as the AroFlo API shows them, quirks included (README "Facts: envelope", "Facts: zones"):
 * - booleans are strings, in three styles: clients `postable`/`archived` "TRUE"/"FALSE"; contacts `archived`,
 *   tasks `linkprocessed`/`readtask`, task notes `sticky` "true"/"false"; client notes `sticky` "0"/"1";
 * - numbers as strings: task `jobnumber` ("1038"), lastupdate `isdeleted` ("0");
 * - empty dates are " " (one space): task completeddate(time), linkprocesseddate(time), deleteddate(time);
 * - UTC fields ("...utc") as "YYYY/MM/DD[ HH:mm:ss]"; local fields (request/posted/inserted) in the site time zone;
 *   client dates as "2018-06-21 10:59:01.8"; task note `timeposted` as "Nov 14, 2018 2:56:20 PM".
 */
import type { ArofloDb } from './db.js';
import { dashDateTimeTenth, slashDate, slashDateTime, timePosted, UTC_ZONE, type SiteZone } from './time.js';
import {
  NOTE_FILTERS,
  type ClientNoteRecord,
  type ClientRecord,
  type ContactRecord,
  type LastUpdateRow,
  type NoteFilter,
  type TaskNoteRecord,
  type TaskRecord,
} from './types.js';

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const upper = (b: boolean): string => (b ? 'TRUE' : 'FALSE');
const lower = (b: boolean): string => (b ? 'true' : 'false');
const EMPTY_DATE = ' ';

/** Numeric filter codes used in write responses ("0" = internal only, "4" = internal admin only; README "Facts: writes"). */
export function filterCode(f: NoteFilter): string {
  return String(NOTE_FILTERS.indexOf(f));
}

export class Renderer {
  constructor(
    private readonly db: ArofloDb,
    private readonly site: SiteZone,
  ) {}

  private utcDate(ms: number): string {
    return slashDate(UTC_ZONE.parts(ms));
  }
  private utcDateTime(ms: number): string {
    return slashDateTime(UTC_ZONE.parts(ms));
  }
  private localDate(ms: number | undefined): string {
    return ms === undefined ? EMPTY_DATE : slashDate(this.site.parts(ms));
  }
  private localDateTime(ms: number | undefined): string {
    return ms === undefined ? EMPTY_DATE : slashDateTime(this.site.parts(ms));
  }

  org(orgid: string): Obj {
    return { orgid, orgname: this.db.businessUnit(orgid)?.orgname ?? '' };
  }

  client(c: ClientRecord, joins: ReadonlySet<string>): Obj {
    const created = dashDateTimeTenth(this.site.parts(c.createdMs));
    const out: Obj = {
      clientid: c.clientid,
      clientname: c.clientname,
      firstname: c.firstname,
      surname: c.surname,
      phone: c.phone,
      mobile: c.mobile,
      fax: c.fax,
      email: c.email,
      abn: c.abn,
      shortname: c.shortname,
      website: c.website,
      termsnote: c.termsnote,
      gpslat: c.gpslat,
      gpslong: c.gpslong,
      archived: upper(c.archived),
      postable: upper(c.postable),
      address: { ...c.address },
      mailingaddress: { ...c.mailingaddress },
      orgs: c.orgids.map((id) => this.org(id)),
      datecreated: created,
      dateinserted: created,
      datetimeinserted: created,
      lastupdatedatetimeutc: dashDateTimeTenth(UTC_ZONE.parts(c.lastupdateMs)),
      link: { ...c.link },
    };
    if (joins.has('contacts'))
      out.contacts = c.contactIds
        .map((id) => this.db.contacts.get(id))
        .filter((x): x is ContactRecord => !!x)
        .map((x) => this.contact(x, false));
    if (joins.has('notes'))
      out.notes = (this.db.clientNoteIds.get(c.clientid) ?? [])
        .map((id) => this.db.clientNotes.get(id))
        .filter((x): x is ClientNoteRecord => !!x)
        .map((x) => this.clientNote(x));
    if (joins.has('customfields')) out.customfields = c.customfields.map((f) => ({ ...f }));
    for (const j of ['locations', 'locationcustomfields', 'priorities', 'documentsandphotos'])
      if (joins.has(j)) out[j] = [];
    return out;
  }

  contact(u: ContactRecord, withOrg = true): Obj {
    const out: Obj = {
      userid: u.userid,
      givennames: u.givennames,
      surname: u.surname,
      email: u.email,
      email2: u.email2,
      phone: u.phone,
      mobile: u.mobile,
      fax: u.fax,
      username: u.username,
      archived: lower(u.archived),
      accesstype: 'Client',
      contacttype: 'client',
      createdutc: this.utcDate(u.createdMs),
      createddatetimeutc: this.utcDateTime(u.createdMs),
    };
    if (withOrg) {
      const c = this.db.clients.get(u.clientid);
      out.org = { orgid: u.clientid, orgname: c?.clientname ?? '' };
      out.customfields = [];
      out.notes = [];
      out.documentsandphotos = [];
    }
    return out;
  }

  task(t: TaskRecord, joins: ReadonlySet<string>): Obj {
    const client = this.db.clients.get(t.clientid);
    const contact = t.contactUserid ? this.db.contacts.get(t.contactUserid) : undefined;
    const type = this.db.taskType(t.tasktypeid);
    const due = t.duedate.replaceAll('-', '/');
    const out: Obj = {
      taskid: t.taskid,
      jobnumber: String(t.jobnumber),
      refcode: t.refcode,
      taskname: t.taskname,
      description: t.description,
      status: t.status,
      substatus: { substatusid: '', substatus: '' },
      client: { clientid: t.clientid, clientname: client?.clientname ?? '' },
      org: this.org(t.orgid),
      contact: { userid: t.contactUserid, givennames: contact?.givennames ?? '', surname: contact?.surname ?? '' },
      contactname: t.contactname,
      contactphone: t.contactphone,
      custon: t.custon,
      duedate: due,
      duedatetime: `${due} 00:00:00`,
      requestdate: this.localDate(t.requestedMs),
      requestdatetime: this.localDateTime(t.requestedMs),
      completeddate: this.localDate(t.completedMs),
      completeddatetime: this.localDateTime(t.completedMs),
      createdutc: this.utcDate(t.createdMs),
      createddatetimeutc: this.utcDateTime(t.createdMs),
      lastupdatedutc: this.utcDate(t.lastupdatedMs),
      lastupdateddatetimeutc: this.utcDateTime(t.lastupdatedMs),
      linkprocessed: lower(t.linkprocessed),
      linkprocesseddate: t.linkprocessed ? this.localDate(t.linkprocessedMs) : EMPTY_DATE,
      linkprocesseddatetime: t.linkprocessed ? this.localDateTime(t.linkprocessedMs) : EMPTY_DATE,
      deleteddate: EMPTY_DATE,
      deleteddatetime: EMPTY_DATE,
      tasktype: type?.tasktype ?? '',
      tasktasktype: { tasktypeid: t.tasktypeid, tasktype: type?.tasktype ?? '' },
      tasklocation: { locationid: '', locationname: '' },
      priority: t.priority,
      assigneds: [],
      readtask: 'false',
      gpslatitude: '',
      gpslongitude: '',
      webappEncodedID: Buffer.from(`task:${t.jobnumber}`).toString('base64'),
    };
    if (joins.has('notes') || joins.has('tasknotes'))
      out.tasknotes = t.noteIds
        .map((id) => this.db.taskNotes.get(id))
        .filter((x): x is TaskNoteRecord => !!x)
        .map((x) => this.taskNote(x));
    if (joins.has('customfields')) out.customfields = [];
    return out;
  }

  taskNote(n: TaskNoteRecord): Obj {
    return {
      noteid: n.noteid,
      content: n.content,
      note: n.content,
      filter: n.filter,
      sticky: lower(n.sticky),
      dateposted: slashDate(this.site.parts(n.postedMs)),
      timeposted: timePosted(this.site.parts(n.postedMs)),
      user: { ...n.user },
    };
  }

  clientNote(n: ClientNoteRecord): Obj {
    return {
      noteid: n.noteid,
      clientid: n.clientid,
      content: n.content,
      filter: n.filter,
      sticky: n.sticky ? '1' : '0',
      user: { ...n.user },
      created_utc: this.utcDateTime(n.postedMs),
      datetimeposted: slashDateTime(this.site.parts(n.postedMs)),
    };
  }

  lastupdate(r: LastUpdateRow): Obj {
    return {
      zoneid: r.zoneid,
      zonename: r.zonename,
      zoneidreference: r.zoneidreference,
      lastupdateutc: this.utcDateTime(r.lastupdateMs),
      isdeleted: String(r.isdeleted),
    };
  }
}
