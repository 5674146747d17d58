/**
 * AroFlo answers, call by call: the keys and types of the zone records inside the JSON envelope that the connector
 * reads (main/connectors/aroflo/records.ts). Evidence (main/sandbox/aroflo/README.md):
 *   [README envelope]  "Envelope quirks": status/pagenumber strings, currentpageresults a string for tasks and
 *                      lastupdate, a number elsewhere; booleans and dates are strings; one record as a bare object;
 *   [README writes]    "Writes": postresults inserts/updates/errors, nested contact ids, client notes' NOTEID/CLIENTID;
 *   [README feed]      "lastupdate feed";
 *   [eyes <row>]       "Through other people's eyes": the public clients' assumptions (envelope, paging, postresults
 *                      errors `{code, message, detail}`, one record as a bare object).
 * AroFlo sends every field as a string (booleans "TRUE"/"true"/"0", empty text ""), so most leaves are 'string';
 * only keys the connector relies on are required, the real API sends more.
 */
import { oneOf, type Shape, type ShapePin } from '../shape.js';

const str = 'string';
const num = 'number';
/** `currentpageresults` is a string in tasks and lastupdate, a number elsewhere [README envelope]. */
const count = 'number|string';

/** A GET page of `zone`: the records (a list, or one bare object) and the paging counters [README envelope; eyes paging]. */
function page(zone: string, record: Shape): Shape {
  return {
    status: str,
    statusmessage: str,
    zoneresponse: { [zone]: oneOf([record], record), currentpageresults: count, maxpageresults: num, pagenumber: str },
  };
}

/** A POST answer for `zone` [README writes; eyes "Write errors in postresults.errors[]"]. */
function posted(zone: string, insert: Shape, update: Shape): Shape {
  return {
    status: str,
    statusmessage: str,
    zoneresponse: {
      postresults: {
        inserttotal: num,
        inserts: { [zone]: [insert] },
        updatetotal: num,
        updates: { [zone]: [update] },
        errors: [{ code: str, message: str, 'detail?': str }],
      },
    },
  };
}

const ADDRESS: Shape = { addressline1: str, addressline2: str, suburb: str, state: str, postcode: str, country: str };
const ORG: Shape = { orgid: str, orgname: str };

export const CONTACT: Shape = {
  userid: str,
  givennames: str,
  surname: str,
  email: str,
  phone: str,
  mobile: str,
  archived: str,
  contacttype: str,
  'email2?': str,
  'fax?': str,
  'username?': str,
  'createdutc?': str,
  'createddatetimeutc?': str,
  'org?': ORG,
};

export const CLIENT: Shape = {
  clientid: str,
  clientname: str,
  firstname: str,
  surname: str,
  email: str,
  phone: str,
  mobile: str,
  archived: str,
  postable: str,
  orgs: [ORG],
  'address?': ADDRESS,
  'mailingaddress?': ADDRESS,
  'link?': { externalid: str },
  'datetimeinserted?': str,
  'lastupdatedatetimeutc?': str,
  'lastupdateutc?': str,
  /** Only with join=contacts (a joined list is never a bare object [README envelope]). */
  'contacts?': [CONTACT],
};

const TASK_NOTE: Shape = {
  noteid: str,
  content: str,
  filter: str,
  sticky: str,
  'dateposted?': str,
  'timeposted?': str,
  'user?': { userid: str, username: str },
};

export const TASK: Shape = {
  taskid: str,
  jobnumber: str,
  taskname: str,
  description: str,
  status: str,
  client: { clientid: str, clientname: str },
  org: ORG,
  duedate: str,
  linkprocessed: str,
  lastupdateddatetimeutc: str,
  'substatus?': { substatusid: str, substatus: str },
  'contact?': { userid: str },
  'contactname?': str,
  'contactphone?': str,
  'tasktasktype?': { tasktypeid: str, tasktype: str },
  'refcode?': str,
  'custon?': str,
  'requestdatetime?': str,
  'completeddate?': str,
  'createddatetimeutc?': str,
  /** Only with join=notes. */
  'notes?': [TASK_NOTE],
};

export const CLIENT_NOTE: Shape = {
  noteid: str,
  clientid: str,
  content: str,
  filter: str,
  sticky: str,
  'created_utc?': str,
  'datetimeposted?': str,
  'user?': { userid: str, username: str },
};

const CHANGE: Shape = { zoneid: str, zonename: str, zoneidreference: str, lastupdateutc: str, isdeleted: str };

export const AROFLO_PINS = {
  listClients: {
    call: 'GET clients (join=contacts)',
    status: 200,
    evidence:
      "main/sandbox/aroflo/README.md: Envelope quirks; Through other people's eyes (envelope, paging, bare object)",
    shape: page('clients', CLIENT),
  },
  listContacts: {
    call: 'GET contacts',
    status: 200,
    evidence: 'main/sandbox/aroflo/README.md: Envelope quirks (contacts archived "true"/"false")',
    shape: page('contacts', CONTACT),
  },
  listTasks: {
    call: 'GET tasks (join=notes)',
    status: 200,
    evidence:
      'main/sandbox/aroflo/README.md: Envelope quirks (tasks: currentpageresults and jobnumber strings, dates YYYY/MM/DD)',
    shape: page('tasks', TASK),
  },
  listClientNotes: {
    call: 'GET clientnotes',
    status: 200,
    evidence: 'main/sandbox/aroflo/README.md: Envelope quirks (client notes sticky "0"/"1")',
    shape: page('clientnotes', CLIENT_NOTE),
  },
  listTaskTypes: {
    call: 'GET tasktypes',
    status: 200,
    evidence: 'main/sandbox/aroflo/README.md: Envelope quirks',
    shape: page('tasktypes', { tasktypeid: str, tasktype: str, archived: str }),
  },
  listBusinessUnits: {
    call: 'GET businessunits',
    status: 200,
    evidence: 'main/sandbox/aroflo/README.md: Envelope quirks',
    shape: page('businessunits', { orgid: str, orgname: str, archived: str }),
  },
  changedSince: {
    call: 'GET lastupdate',
    status: 200,
    evidence:
      'main/sandbox/aroflo/README.md: lastupdate feed; Envelope quirks (isdeleted and currentpageresults strings)',
    shape: page('lastupdate', CHANGE),
  },
  insertClients: {
    call: 'POST clients (insert)',
    status: 200,
    evidence:
      "main/sandbox/aroflo/README.md: Writes (nested contacts come back under updates.clients[i].contacts[j].userid); Through other people's eyes (postresults.errors[])",
    shape: posted(
      'clients',
      { clientid: str, clientname: str },
      { clientid: str, 'contacts?': [{ userid: str, 'error?': 'any' }] },
    ),
  },
  updateClients: {
    call: 'POST clients (update)',
    status: 200,
    evidence: 'main/sandbox/aroflo/README.md: Writes',
    shape: posted('clients', { clientid: str }, { clientid: str }),
  },
  insertTasks: {
    call: 'POST tasks (insert)',
    status: 200,
    evidence: 'main/sandbox/aroflo/README.md: Writes',
    shape: posted('tasks', { taskid: str, jobnumber: str, taskname: str }, { taskid: str }),
  },
  updateTasks: {
    call: 'POST tasks (update, notes)',
    status: 200,
    evidence: 'main/sandbox/aroflo/README.md: Writes (task note inserts come back with a numeric filter and no noteid)',
    shape: posted('tasks', { taskid: str }, { taskid: str, 'notes?': [{ content: str, filter: str, sticky: str }] }),
  },
  insertClientNotes: {
    call: 'POST clientnotes (insert)',
    status: 200,
    evidence: 'main/sandbox/aroflo/README.md: Writes (client notes answer NOTEID/CLIENTID in upper case)',
    shape: posted(
      'clientnotes',
      oneOf({ NOTEID: str, CLIENTID: str, content: str }, { noteid: str, clientid: str, content: str }),
      'object',
    ),
  },
  updateClientNotes: {
    call: 'POST clientnotes (update)',
    status: 200,
    evidence: 'main/sandbox/aroflo/README.md: Writes (client notes answer NOTEID/CLIENTID in upper case)',
    shape: posted('clientnotes', 'object', oneOf({ NOTEID: str, CLIENTID: str }, { noteid: str, clientid: str })),
  },
} satisfies Record<string, ShapePin>;

export type ArofloPinName = keyof typeof AROFLO_PINS;
