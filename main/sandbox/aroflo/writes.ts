/**
 * POST writes (README "Facts: writes"): many records per call; a record with its id element is an update, without it an
 * insert; a call mixing both is refused as a whole (errors[] code 205, nothing applied). Each record is
 * all-or-nothing; a failed record adds an entry to errors[] (which does not say which record) while the
 * others go through, and status stays "0".
 * Response quirks: a client insert's nested contacts come back under `updates.clients[i].contacts[j].userid`
 * (README "Facts: writes": nested inserts appear under updates), so such a call has updatetotal > 0; a nested
 * contact that fails does not fail its client: it comes back as `{ userid, error }` in that contacts list
 * (README "Facts: writes": "look for a per-record error string"); inserted task notes come back with a numeric `filter` code and no noteid;
 * client notes come back as `NOTEID` / `CLIENTID` (upper case).
 */
import {
  parseNoteFilter,
  parseTaskStatus,
  WriteError,
  type ArofloOps,
  type ClientFields,
  type ContactFields,
  type NoteFields,
  type TaskFields,
} from './ops.js';
import { bool, children, has, text, type XObj } from './postxml.js';
import { filterCode } from './render.js';
import type { Json } from './render.js';
import type { ArofloDb } from './db.js';
import type { Address, ClientRecord, ContactRecord, TaskNoteRecord, TaskRecord } from './types.js';

type Obj = { [k: string]: Json };

export interface PostResults {
  inserttotal: number;
  inserts: Record<string, Obj[]>;
  updatetotal: number;
  updates: Record<string, Obj[]>;
  errors: Array<{ message: string; code: string; detail: string; type: string }>;
}

export const RECORD_ELEMENT: Record<string, string> = { clients: 'client', tasks: 'task', clientnotes: 'clientnote' };
const ID_ELEMENT: Record<string, string> = { clients: 'clientid', tasks: 'taskid', clientnotes: 'noteid' };

function errorItem(e: WriteError): PostResults['errors'][number] {
  return { message: e.message, code: e.code, detail: e.detail, type: e.type };
}

function definedOnly(o: Obj): Obj {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Obj;
}

const ADDRESS_KEYS = ['addressline1', 'addressline2', 'suburb', 'state', 'postcode', 'country'] as const;

function address(node: XObj, key: string): Partial<Address> | undefined {
  const a = node[key];
  const first = Array.isArray(a) ? a[0] : a;
  if (first === undefined || typeof first !== 'object' || Array.isArray(first)) return undefined;
  const out: Partial<Address> = {};
  for (const k of ADDRESS_KEYS) {
    const v = text(first, k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

function clientFields(x: XObj, update: boolean): ClientFields {
  const f: ClientFields = {};
  for (const k of [
    'clientname',
    'firstname',
    'surname',
    'phone',
    'mobile',
    'fax',
    'email',
    'abn',
    'shortname',
    'website',
    'termsnote',
    'gpslat',
    'gpslong',
  ] as const) {
    const v = text(x, k);
    if (v !== undefined) f[k] = v;
  }
  f.postable = bool(x, 'postable');
  if (update) f.archived = bool(x, 'archived');
  const orgs = children(x, 'orgs', 'org').map((o) => text(o, 'orgid') ?? '');
  if (orgs.length) f.orgids = orgs;
  f.address = address(x, 'address');
  f.mailingaddress = address(x, 'mailingaddress');
  const cfs = children(x, 'customfields', 'customfield');
  if (cfs.length)
    f.customfields = cfs.map((c) => ({
      fieldid: text(c, 'fieldid') ?? '',
      name: text(c, 'name') ?? '',
      type: text(c, 'type') ?? '',
      value: text(c, 'value') ?? '',
    }));
  if (update && has(x, 'link')) {
    f.link = { orgid: text(x, 'link/orgid'), orgname: text(x, 'link/orgname'), externalid: text(x, 'link/externalid') };
  }
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as ClientFields;
}

function contactFields(x: XObj): ContactFields {
  const f: ContactFields = {};
  for (const k of ['givennames', 'surname', 'email', 'email2', 'phone', 'mobile', 'fax', 'username'] as const) {
    const v = text(x, k);
    if (v !== undefined) f[k] = v;
  }
  const archived = bool(x, 'archived');
  if (archived !== undefined) f.archived = archived;
  return f;
}

function noteFields(x: XObj): NoteFields {
  const f: NoteFields = {};
  const content = text(x, 'content') ?? text(x, 'note');
  if (content !== undefined) f.content = content;
  const filter = text(x, 'filter');
  if (filter !== undefined) {
    const parsed = parseNoteFilter(filter);
    if (!parsed)
      throw new WriteError(
        'invalid',
        `filter "${filter}" is not one of Internal Only, Show Client, Show Contractor, Show All, Internal Admin Only, Internal Admin and Manager Only`,
      );
    f.filter = parsed;
  }
  const sticky = bool(x, 'sticky');
  if (sticky !== undefined) f.sticky = sticky;
  return f;
}

function clientEcho(c: ClientRecord, f: ClientFields): Obj {
  const out: Obj = { clientid: c.clientid };
  for (const k of Object.keys(f)) {
    if (k === 'orgids') out.orgs = c.orgids.map((orgid) => ({ orgid }));
    else if (k === 'link') out.link = { ...c.link };
    else if (k === 'postable' || k === 'archived') out[k] = c[k] ? 'TRUE' : 'FALSE';
    else if (k === 'customfields') out.customfields = c.customfields.map((x) => ({ ...x }));
    else {
      const v = (c as unknown as Record<string, Json>)[k];
      out[k] = typeof v === 'object' && v !== null ? { ...(v as Obj) } : (v ?? '');
    }
  }
  return out;
}

function contactEcho(u: ContactRecord, f: ContactFields): Obj {
  const out: Obj = { userid: u.userid };
  for (const k of Object.keys(f) as Array<keyof ContactFields>) out[k] = k === 'archived' ? String(u.archived) : u[k];
  return out;
}

export class PostHandler {
  constructor(
    private readonly db: ArofloDb,
    private readonly ops: ArofloOps,
  ) {}

  run(zone: 'clients' | 'tasks' | 'clientnotes', records: XObj[]): PostResults {
    const res: PostResults = {
      inserttotal: 0,
      inserts: { [zone]: [] },
      updatetotal: 0,
      updates: { [zone]: [] },
      errors: [],
    };
    const idKey = ID_ELEMENT[zone]!;
    const isUpdate = records.map((r) => has(r, idKey));
    if (isUpdate.some(Boolean) && isUpdate.some((u) => !u)) {
      res.errors.push(
        errorItem(new WriteError('mixed', `send the ${zone} to insert and the ${zone} to update in separate calls`)),
      );
      return res;
    }
    records.forEach((r, i) => {
      try {
        if (zone === 'clients') (isUpdate[i] ? this.updateClient : this.insertClient).call(this, r, res);
        else if (zone === 'tasks') (isUpdate[i] ? this.updateTask : this.insertTask).call(this, r, res);
        else (isUpdate[i] ? this.updateClientNote : this.insertClientNote).call(this, r, res);
      } catch (e) {
        if (e instanceof WriteError) res.errors.push(errorItem(e));
        else throw e;
      }
    });
    return res;
  }

  // ---------- clients ----------

  private insertClient(x: XObj, res: PostResults): void {
    const f = clientFields(x, false);
    const nested = children(x, 'contacts', 'contact');
    const c = this.ops.insertClient(f, 'api');
    res.inserts.clients!.push(clientEcho(c, f));
    res.inserttotal++;
    if (nested.length) {
      const contacts = nested.map((n) => this.nestedContact(c, n, false));
      res.updates.clients!.push({ clientid: c.clientid, contacts });
      res.updatetotal++;
    }
  }

  private updateClient(x: XObj, res: PostResults): void {
    const id = text(x, 'clientid')!.trim();
    const c = this.db.clients.get(id);
    if (!c) throw new WriteError('notFound', `clientid ${id} does not exist`);
    const f = clientFields(x, true);
    const nested = children(x, 'contacts', 'contact');
    this.ops.updateClient(c, f, 'api');
    const echo = clientEcho(c, f);
    if (nested.length) echo.contacts = nested.map((n) => this.nestedContact(c, n, true));
    res.updates.clients!.push(echo);
    res.updatetotal++;
  }

  /** Insert, update or archive one nested contact; a failure comes back as { userid, error }. */
  private nestedContact(c: ClientRecord, n: XObj, allowUpdate: boolean): Obj {
    const userid = text(n, 'userid')?.trim();
    try {
      const f = contactFields(n);
      if (userid !== undefined) {
        if (!allowUpdate) throw new WriteError('invalid', 'a contact with a userid cannot be added to a new client');
        const u = this.db.contacts.get(userid);
        if (!u || u.clientid !== c.clientid)
          throw new WriteError('notFound', `userid ${userid} is not a contact of client ${c.clientid}`);
        this.ops.updateContact(u, f, 'api');
        return contactEcho(u, f);
      }
      const u = this.ops.insertContact(c, f, 'api');
      return contactEcho(u, { givennames: '', surname: '', ...f });
    } catch (e) {
      if (!(e instanceof WriteError)) throw e;
      return { userid: userid ?? '', error: `${e.message}: ${e.detail}` };
    }
  }

  // ---------- tasks ----------

  private taskFields(x: XObj): TaskFields {
    const f: TaskFields = {
      clientid: text(x, 'client/clientid')?.trim(),
      taskname: text(x, 'taskname'),
      duedate: text(x, 'duedate'),
      orgid: text(x, 'org/orgid')?.trim(),
      tasktypeid: text(x, 'tasktype/tasktypeid')?.trim(),
      description: text(x, 'description'),
      contactUserid: text(x, 'contact/userid')?.trim(),
      contactname: text(x, 'contactname'),
      contactphone: text(x, 'contactphone'),
      custon: text(x, 'custon'),
      priority: text(x, 'priority'),
      linkprocessed: bool(x, 'linkprocessed'),
    };
    const status = text(x, 'status');
    if (status !== undefined) {
      const s = parseTaskStatus(status);
      if (!s || s === 'Quote')
        throw new WriteError(
          'invalid',
          `status "${status}" must be Not Started, In Progress, Pending, Completed or Archived`,
        );
      f.status = s;
    }
    return f;
  }

  private noteEcho(n: TaskNoteRecord, withId: boolean): Obj {
    return {
      ...(withId ? { noteid: n.noteid } : {}),
      content: n.content,
      filter: filterCode(n.filter),
      sticky: String(n.sticky),
    };
  }

  private taskEcho(t: TaskRecord, f: TaskFields): Obj {
    const out: Obj = { taskid: t.taskid, jobnumber: String(t.jobnumber) };
    const stored: Obj = {
      taskname: t.taskname,
      duedate: t.duedate,
      description: t.description,
      custon: t.custon,
      contactname: t.contactname,
      contactphone: t.contactphone,
      priority: t.priority,
      status: t.status,
      linkprocessed: String(t.linkprocessed),
    };
    for (const [k, v] of Object.entries(stored)) if ((f as Record<string, unknown>)[k] !== undefined) out[k] = v;
    if (f.clientid !== undefined) out.client = { clientid: t.clientid };
    if (f.orgid !== undefined) out.org = { orgid: t.orgid };
    if (f.tasktypeid !== undefined) out.tasktype = { tasktypeid: t.tasktypeid };
    if (f.contactUserid !== undefined) out.contact = { userid: t.contactUserid };
    return out;
  }

  private insertTask(x: XObj, res: PostResults): void {
    const f = this.taskFields(x);
    const notes = children(x, 'notes', 'note').map((n) => {
      if (has(n, 'noteid')) throw new WriteError('invalid', 'a note with a noteid cannot be added to a new task');
      const nf = noteFields(n);
      this.ops.checkNote(nf, 'tasknote', true);
      return nf;
    });
    this.ops.checkTask({ ...f, status: undefined, linkprocessed: undefined });
    const t = this.ops.insertTask(f, 'api');
    const echo = this.taskEcho(t, { ...f, status: undefined, linkprocessed: undefined });
    if (notes.length) echo.notes = notes.map((nf) => this.noteEcho(this.ops.insertTaskNote(t, nf, 'api'), false));
    res.inserts.tasks!.push(definedOnly(echo));
    res.inserttotal++;
  }

  private updateTask(x: XObj, res: PostResults): void {
    const id = text(x, 'taskid')!.trim();
    const t = this.db.tasks.get(id);
    if (!t) throw new WriteError('notFound', `taskid ${id} does not exist`);
    const f = this.taskFields(x);
    // Not updatable through the API: read and ignored (README "Facts: writes": "Description and duedate can't be updated").
    const applied: TaskFields = {
      taskname: f.taskname,
      contactUserid: f.contactUserid,
      custon: f.custon,
      status: f.status,
      linkprocessed: f.linkprocessed,
    };
    const notes = children(x, 'notes', 'note').map((n) => {
      const nf = noteFields(n);
      const noteid = text(n, 'noteid')?.trim();
      if (noteid !== undefined) {
        const existing = this.db.taskNotes.get(noteid);
        if (!existing || existing.taskid !== t.taskid)
          throw new WriteError('notFound', `noteid ${noteid} is not a note of task ${t.taskid}`);
        this.ops.checkNote(nf, 'tasknote', false);
        return { nf, existing };
      }
      this.ops.checkNote(nf, 'tasknote', true);
      return { nf, existing: undefined };
    });
    this.ops.checkTask(applied, t);
    this.ops.updateTask(t, applied, 'api');
    const echo = this.taskEcho(t, applied);
    if (notes.length)
      echo.notes = notes.map(({ nf, existing }) =>
        existing
          ? this.noteEcho(this.ops.updateTaskNote(existing, nf, 'api'), true)
          : this.noteEcho(this.ops.insertTaskNote(t, nf, 'api'), false),
      );
    res.updates.tasks!.push(echo);
    res.updatetotal++;
  }

  // ---------- client notes ----------

  private insertClientNote(x: XObj, res: PostResults): void {
    const clientid = text(x, 'clientid')?.trim();
    if (!clientid) throw new WriteError('required', 'clientid is required');
    const c = this.db.clients.get(clientid);
    if (!c) throw new WriteError('notFound', `clientid ${clientid} does not exist`);
    const f = noteFields(x);
    const n = this.ops.insertClientNote(c, f, 'api');
    res.inserts.clientnotes!.push({
      NOTEID: n.noteid,
      CLIENTID: n.clientid,
      content: n.content,
      filter: n.filter,
      sticky: n.sticky ? '1' : '0',
    });
    res.inserttotal++;
  }

  private updateClientNote(x: XObj, res: PostResults): void {
    const id = text(x, 'noteid')!.trim();
    const n = this.db.clientNotes.get(id);
    if (!n) throw new WriteError('notFound', `noteid ${id} does not exist`);
    this.ops.updateClientNote(n, noteFields(x), 'api');
    res.updates.clientnotes!.push({
      NOTEID: n.noteid,
      CLIENTID: n.clientid,
      content: n.content,
      filter: n.filter,
      sticky: n.sticky ? '1' : '0',
    });
    res.updatetotal++;
  }
}
