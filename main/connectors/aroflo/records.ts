/**
 * Normalised, typed AroFlo records — what the engine sees. Each comes from a zod schema over the raw
 * (lower-cased) record, so a record that does not match is rejected on its own with a reason.
 *
 * Conventions: ids are AroFlo's opaque strings; text is trimmed and empty text is `undefined`; booleans are real
 * booleans; `…Utc` fields are ISO-8601 UTC ("2022-07-18T03:47:30.000Z"); `…Local` fields are the AroFlo site's
 * wall-clock time as "YYYY-MM-DDTHH:mm:ss" with no zone (AroFlo does not say which zone; AU sites are UTC+10/+11);
 * dates without time are "YYYY-MM-DD".
 */
import { z } from 'zod';
import { bool, dateOnly, id, joinedList, list, local, nested, rawText, text, utc, utcStrict } from './fields.js';

export interface ArofloAddress {
  line1?: string;
  line2?: string;
  suburb?: string;
  state?: string;
  postcode?: string;
  country?: string;
}

/** A person under a client (zone `contacts`, or `clients` with join=contacts). Written through the clients zone. */
export interface ArofloContactRecord {
  /** AroFlo `userid`. */
  id: string;
  /** The owning client's id (`org.orgid`; for contacts read through a client, that client). */
  clientId?: string;
  clientName?: string;
  givenNames?: string;
  surname?: string;
  email?: string;
  email2?: string;
  /** As typed in AroFlo, e.g. "0412 345 678" — normalise to E.164 in the mapping layer. */
  phone?: string;
  mobile?: string;
  fax?: string;
  username?: string;
  archived: boolean;
  /** "client" or "contractor". */
  contactType?: string;
  createdUtc?: string;
}

/** A customer: a business, or a household whose primary details are the person's (README "Facts: clients"). */
export interface ArofloClientRecord {
  id: string;
  name: string;
  firstName?: string;
  surname?: string;
  email?: string;
  phone?: string;
  mobile?: string;
  fax?: string;
  abn?: string;
  shortName?: string;
  website?: string;
  address?: ArofloAddress;
  mailingAddress?: ArofloAddress;
  archived: boolean;
  /** AroFlo sets this when the client is created/changed in its UI; we clear it after processing (README "Facts: clients"). */
  postable: boolean;
  /** Business units the client belongs to. */
  businessUnits: Array<{ id: string; name?: string }>;
  /** `link.externalid` — where an integration can keep its own id. */
  externalId?: string;
  /** `datetimeinserted`, site-local. */
  insertedLocal?: string;
  /** When the answer carries `lastupdateutc` / `lastupdatedatetimeutc`. */
  lastUpdatedUtc?: string;
  /** Present only when listed with join=contacts (the readable ones, when `contactsUnread`). */
  contacts?: ArofloContactRecord[];
  /**
   * Why the contacts list could not be read whole (README.md in this folder, "Facts: joined lists"): who the client's
   * people are is not known from this answer, so none of them may be taken for deleted.
   */
  contactsUnread?: string;
  /** Nested items we could not read and dropped (e.g. a contact without a userid). */
  problems?: string[];
}

/** AroFlo task (job) states, normalised from "Not Started", "In Progress", … */
export type ArofloTaskStatus = 'quote' | 'notstarted' | 'inprogress' | 'pending' | 'completed' | 'archived' | 'other';

export interface ArofloTaskNoteRecord {
  id: string;
  taskId: string;
  /** HTML or text, as stored. */
  content: string;
  /** "Internal Only", "Show Client", … (or a numeric code in write echoes). */
  filter?: string;
  sticky: boolean;
  /** `dateposted` "YYYY-MM-DD". Notes have no updated timestamp (README "Facts: task notes"). */
  postedDate?: string;
  /** `timeposted`, site-local. */
  postedLocal?: string;
  userId?: string;
  userName?: string;
}

export interface ArofloTaskRecord {
  id: string;
  jobNumber?: string;
  refCode?: string;
  name: string;
  description?: string;
  status: ArofloTaskStatus;
  /** AroFlo's own words for the status ("In Progress"). */
  statusText?: string;
  substatus?: { id?: string; name?: string };
  clientId?: string;
  clientName?: string;
  /** The business unit (`org`). */
  businessUnitId?: string;
  businessUnitName?: string;
  /** `contact.userid` — the client contact the job is for. */
  contactUserId?: string;
  contactName?: string;
  contactPhone?: string;
  taskTypeId?: string;
  taskTypeName?: string;
  /** Customer order number. */
  custon?: string;
  priority?: string;
  dueDate?: string;
  requestedLocal?: string;
  completedDate?: string;
  createdUtc?: string;
  lastUpdatedUtc?: string;
  linkProcessed: boolean;
  /** Present only when listed with join=notes (the readable ones, when `notesUnread`). */
  notes?: ArofloTaskNoteRecord[];
  /** Why the notes list could not be read whole ("Facts: joined lists"): none of its notes may be taken for deleted. */
  notesUnread?: string;
  problems?: string[];
}

export interface ArofloClientNoteRecord {
  id: string;
  clientId: string;
  content: string;
  filter?: string;
  sticky: boolean;
  /** `created_utc`. Client notes have no updated timestamp either. */
  createdUtc?: string;
  /** `datetimeposted`, site-local. */
  postedLocal?: string;
  userId?: string;
  userName?: string;
}

/** One row of the `lastupdate` change feed. */
export interface ArofloChange {
  /** tasks, clients, locations, … */
  zone: string;
  /** The changed record's id. */
  id: string;
  /** Which id it is (`taskid`, `clientid`, …). */
  idField?: string;
  updatedUtc: string;
  /** `isdeleted` = 1 (README "Facts: incremental polling": assumed to mean deleted). */
  deleted: boolean;
}

export interface ArofloTaskType {
  id: string;
  name: string;
  archived: boolean;
  businessUnitIds: string[];
}

export interface ArofloBusinessUnit {
  id: string;
  name: string;
  archived: boolean;
}

// ---------------------------------------------------------------------------------------------------------------

const address = z
  .object({ addressline1: text, addressline2: text, suburb: text, state: text, postcode: text, country: text })
  .transform((a): ArofloAddress | undefined => {
    const out: ArofloAddress = {
      line1: a.addressline1,
      line2: a.addressline2,
      suburb: a.suburb,
      state: a.state,
      postcode: a.postcode,
      country: a.country,
    };
    return Object.values(out).some((v) => v !== undefined) ? out : undefined;
  });

const orgRef = z.object({ orgid: text, orgname: text });

export const contactSchema = z
  .object({
    userid: id,
    givennames: text,
    surname: text,
    email: text,
    email2: text,
    phone: text,
    mobile: text,
    fax: text,
    username: text,
    archived: bool,
    contacttype: text,
    createdutc: utc,
    createddatetimeutc: utc,
    org: nested(orgRef),
  })
  .transform((c): ArofloContactRecord => ({
    id: c.userid,
    clientId: c.org?.orgid,
    clientName: c.org?.orgname,
    givenNames: c.givennames,
    surname: c.surname,
    email: c.email,
    email2: c.email2,
    phone: c.phone,
    mobile: c.mobile,
    fax: c.fax,
    username: c.username,
    archived: c.archived,
    contactType: c.contacttype?.toLowerCase(),
    createdUtc: c.createddatetimeutc ?? c.createdutc,
  }));

/** A client; with `contacts` asked for (join=contacts), a record that lacks the list has its people unread. */
const clientSchemaFor = (joined: { contacts: boolean }) =>
  z
    .object({
      clientid: id,
      clientname: z
        .unknown()
        .optional()
        .transform((v, ctx) => {
          const t = text.parse(v);
          if (!t) {
            ctx.addIssue({ code: 'custom', message: 'missing clientname' });
            return z.NEVER;
          }
          return t;
        }),
      firstname: text,
      surname: text,
      email: text,
      phone: text,
      mobile: text,
      fax: text,
      abn: text,
      shortname: text,
      website: text,
      address: nested(address),
      mailingaddress: nested(address),
      archived: bool,
      postable: bool,
      orgs: list(orgRef),
      link: nested(z.object({ externalid: text })),
      datetimeinserted: local,
      lastupdatedatetimeutc: utcStrict,
      lastupdateutc: utcStrict,
      contacts: z.unknown().optional(),
    })
    .transform((c): ArofloClientRecord => {
      const problems: string[] = [];
      let contacts: ArofloContactRecord[] | undefined;
      const parsed = joinedList(c.contacts, contactSchema, 'contacts', joined.contacts);
      if (parsed) {
        contacts = parsed.items.map((x) => ({
          ...x,
          clientId: x.clientId ?? c.clientid,
          clientName: x.clientName ?? c.clientname,
        }));
        problems.push(...parsed.dropped.map((d) => `contact ${d}`));
      }
      problems.push(...c.orgs.dropped.map((d) => `business unit ${d}`));
      return {
        id: c.clientid,
        name: c.clientname,
        firstName: c.firstname,
        surname: c.surname,
        email: c.email,
        phone: c.phone,
        mobile: c.mobile,
        fax: c.fax,
        abn: c.abn,
        shortName: c.shortname,
        website: c.website,
        address: c.address ?? undefined,
        mailingAddress: c.mailingaddress ?? undefined,
        archived: c.archived,
        postable: c.postable,
        businessUnits: c.orgs.items.filter((o) => o.orgid).map((o) => ({ id: o.orgid as string, name: o.orgname })),
        externalId: c.link?.externalid,
        insertedLocal: c.datetimeinserted,
        lastUpdatedUtc: c.lastupdatedatetimeutc ?? c.lastupdateutc,
        ...(contacts ? { contacts } : {}),
        ...(parsed?.unread ? { contactsUnread: parsed.unread } : {}),
        ...(problems.length ? { problems } : {}),
      };
    });

export const clientSchema = clientSchemaFor({ contacts: false });
/** Clients read with join=contacts. */
export const clientWithContactsSchema = clientSchemaFor({ contacts: true });

/** "Not Started" → notstarted, "In Progress" → inprogress, … */
export function normaliseTaskStatus(s: string | undefined): ArofloTaskStatus {
  const k = (s ?? '').toLowerCase().replace(/[^a-z]/g, '');
  return (
    (['quote', 'notstarted', 'inprogress', 'pending', 'completed', 'archived'] as const).find((x) => x === k) ?? 'other'
  );
}

export const taskNoteSchema = z
  .object({
    noteid: id,
    content: rawText,
    note: rawText,
    filter: text,
    sticky: bool,
    dateposted: dateOnly,
    timeposted: local,
    user: nested(z.object({ userid: text, username: text })),
  })
  .transform((n): Omit<ArofloTaskNoteRecord, 'taskId'> => ({
    id: n.noteid,
    content: n.content || n.note,
    filter: n.filter,
    sticky: n.sticky,
    postedDate: n.dateposted,
    postedLocal: n.timeposted,
    userId: n.user?.userid,
    userName: n.user?.username,
  }));

/** A task; with `notes` asked for (join=notes), a record that lacks the list has its notes unread. */
const taskSchemaFor = (joined: { notes: boolean }) =>
  z
    .object({
      taskid: id,
      jobnumber: text,
      refcode: text,
      taskname: text,
      description: text,
      status: text,
      substatus: nested(z.object({ substatusid: text, substatus: text })),
      client: nested(z.object({ clientid: text, clientname: text })),
      org: nested(orgRef),
      contact: nested(z.object({ userid: text })),
      contactname: text,
      contactphone: text,
      tasktasktype: nested(z.object({ tasktypeid: text, tasktype: text })),
      tasktype: z.unknown().optional(),
      custon: text,
      priority: z.unknown().optional(),
      duedate: dateOnly,
      requestdatetime: local,
      requestdate: local,
      completeddate: dateOnly,
      createddatetimeutc: utc,
      createdutc: utc,
      lastupdateddatetimeutc: utcStrict,
      lastupdatedutc: utcStrict,
      linkprocessed: bool,
      tasknotes: z.unknown().optional(),
      notes: z.unknown().optional(),
    })
    .transform((t, ctx): ArofloTaskRecord => {
      const name = t.taskname;
      if (!name) {
        ctx.addIssue({ code: 'custom', message: 'missing taskname' });
        return z.NEVER;
      }
      const problems: string[] = [];
      let notes: ArofloTaskNoteRecord[] | undefined;
      // `tasknotes` as documented; `notes` as some answers name it. A `tasknotes` that is there but null is not the list.
      const parsed = joinedList(
        t.tasknotes !== undefined ? t.tasknotes : t.notes,
        taskNoteSchema,
        'notes',
        joined.notes,
      );
      if (parsed) {
        notes = parsed.items.map((n) => ({ ...n, taskId: t.taskid }));
        problems.push(...parsed.dropped.map((d) => `note ${d}`));
      }
      // `tasktype` is sometimes a name string and sometimes an object; `tasktasktype` is the documented object.
      const tt = t.tasktasktype;
      const ttObj = t.tasktype && typeof t.tasktype === 'object' ? (t.tasktype as Record<string, unknown>) : undefined;
      const priority =
        typeof t.priority === 'object' && t.priority ? (t.priority as Record<string, unknown>) : undefined;
      const contactName = t.contactname;
      return {
        id: t.taskid,
        jobNumber: t.jobnumber,
        refCode: t.refcode,
        name,
        description: t.description,
        status: normaliseTaskStatus(t.status),
        statusText: t.status,
        substatus:
          t.substatus && (t.substatus.substatusid || t.substatus.substatus)
            ? { id: t.substatus.substatusid, name: t.substatus.substatus }
            : undefined,
        clientId: t.client?.clientid,
        clientName: t.client?.clientname,
        businessUnitId: t.org?.orgid,
        businessUnitName: t.org?.orgname,
        contactUserId: t.contact?.userid,
        contactName,
        contactPhone: t.contactphone,
        taskTypeId: tt?.tasktypeid ?? text.parse(ttObj?.tasktypeid),
        taskTypeName: tt?.tasktype ?? text.parse(ttObj ? ttObj.tasktype : t.tasktype),
        custon: t.custon,
        priority: text.parse(priority ? (priority.priority ?? priority.shortdescription) : t.priority),
        dueDate: t.duedate,
        requestedLocal: t.requestdatetime ?? t.requestdate,
        completedDate: t.completeddate,
        createdUtc: t.createddatetimeutc ?? t.createdutc,
        lastUpdatedUtc: t.lastupdateddatetimeutc ?? t.lastupdatedutc,
        linkProcessed: t.linkprocessed,
        ...(notes ? { notes } : {}),
        ...(parsed?.unread ? { notesUnread: parsed.unread } : {}),
        ...(problems.length ? { problems } : {}),
      };
    });

export const taskSchema = taskSchemaFor({ notes: false });
/** Tasks read with join=notes. */
export const taskWithNotesSchema = taskSchemaFor({ notes: true });

export const clientNoteSchema = z
  .object({
    noteid: id,
    clientid: id,
    content: rawText,
    filter: text,
    sticky: bool,
    created_utc: utc,
    createdutc: utc,
    datetimeposted: local,
    user: nested(z.object({ userid: text, username: text })),
  })
  .transform((n): ArofloClientNoteRecord => ({
    id: n.noteid,
    clientId: n.clientid,
    content: n.content,
    filter: n.filter,
    sticky: n.sticky,
    createdUtc: n.created_utc ?? n.createdutc,
    postedLocal: n.datetimeposted,
    userId: n.user?.userid,
    userName: n.user?.username,
  }));

export const changeSchema = z
  .object({ zoneid: id, zonename: id, zoneidreference: text, lastupdateutc: utcStrict, isdeleted: bool })
  .transform((r, ctx): ArofloChange => {
    if (!r.lastupdateutc) {
      ctx.addIssue({ code: 'custom', message: 'missing lastupdateutc' });
      return z.NEVER;
    }
    return {
      zone: r.zonename.toLowerCase(),
      id: r.zoneid,
      idField: r.zoneidreference,
      updatedUtc: r.lastupdateutc,
      deleted: r.isdeleted,
    };
  });

export const taskTypeSchema = z
  .object({ tasktypeid: id, tasktype: id, archived: bool, businessunit: list(orgRef) })
  .transform((t): ArofloTaskType => ({
    id: t.tasktypeid,
    name: t.tasktype,
    archived: t.archived,
    businessUnitIds: t.businessunit.items.map((b) => b.orgid).filter((x): x is string => !!x),
  }));

export const businessUnitSchema = z
  .object({ orgid: id, businessunitname: text, orgname: text, archived: bool })
  .transform((b, ctx): ArofloBusinessUnit => {
    const name = b.businessunitname ?? b.orgname;
    if (!name) {
      ctx.addIssue({ code: 'custom', message: 'missing businessunitname' });
      return z.NEVER;
    }
    return { id: b.orgid, name, archived: b.archived };
  });
