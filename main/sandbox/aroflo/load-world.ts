/**
 * Loads AroFlo's view of the shared world (README "Facts: domain mapping"):
 * - every business → a client (clientname = business name, its email/phone/address); firstname/surname from
 *   its first AroFlo person (blank if none);
 * - an AroFlo person with a business → a contact under that client;
 * - an AroFlo person without one → a residential client of their own ("First Last", with " 2", " 3"… added when
 *   two people share a name, because AroFlo refuses duplicate client names), no separate contact;
 * - phones AroFlo style (formatPhoneAroflo), no email for `arofloPhoneOnly` people;
 * - tasks with system 'aroflo' → tasks on the person's client (contact/userid set when the person is a contact),
 *   their notes → task notes; other AroFlo notes → client notes on the person's client.
 * The world starts "already integrated": postable = false on clients, linkprocessed = true on tasks, so the
 * first web edit is what flips them. Times come from the world (createdAt), never from the clock.
 */
import { formatPhoneAroflo, type World, type WorldPerson } from '../world.js';
import { ArofloDb } from './db.js';
import { guidLike } from './ids.js';
import { EMPTY_ADDRESS } from './ops.js';
import { DAY_MS } from './time.js';
import type {
  ClientNoteRecord,
  ClientRecord,
  ContactRecord,
  LastUpdateFeedOptions,
  LastUpdateRow,
  NoteAuthor,
  TaskNoteRecord,
  TaskRecord,
  TaskStatus,
} from './types.js';

export const BUSINESS_UNIT_NAMES = ['Head Office', 'Northern Branch'];
export const TASK_TYPE_NAMES = ['Service', 'Installation', 'Maintenance', 'Quote'];

export function loadWorld(
  db: ArofloDb,
  world: World,
  feed: Required<LastUpdateFeedOptions>,
  webUser: NoteAuthor,
): void {
  for (const orgname of BUSINESS_UNIT_NAMES) db.businessUnits.push({ orgid: db.ids.next('org'), orgname });
  for (const tasktype of TASK_TYPE_NAMES) db.taskTypes.push({ tasktypeid: db.ids.next('tasktype'), tasktype });
  const bu = db.businessUnits.map((b) => b.orgid);

  const ms = (iso: string): number => Date.parse(iso);
  let worldNow = 0;
  let earliest = Infinity;
  for (const p of world.people) {
    worldNow = Math.max(worldNow, ms(p.createdAt));
    earliest = Math.min(earliest, ms(p.createdAt));
  }
  for (const n of world.notes) worldNow = Math.max(worldNow, ms(n.createdAt));
  if (!Number.isFinite(earliest)) earliest = worldNow;

  const members = new Map<string, WorldPerson[]>();
  const personByKey = new Map<string, WorldPerson>();
  for (const p of world.people) {
    personByKey.set(p.key, p);
    if (!p.businessKey) continue;
    const list = members.get(p.businessKey) ?? [];
    list.push(p);
    members.set(p.businessKey, list);
  }

  const clients: ClientRecord[] = [];
  const contacts: ContactRecord[] = [];
  const usedNames = new Set<string>();
  const uniqueName = (name: string): string => {
    let n = name.slice(0, 50);
    for (let i = 2; usedNames.has(ArofloDb.nameKey(n)); i++) n = `${name.slice(0, 45)} ${i}`;
    usedNames.add(ArofloDb.nameKey(n));
    return n;
  };
  const newClient = (
    fields: Partial<ClientRecord> & { clientname: string; createdMs: number },
    i: number,
  ): ClientRecord => ({
    seq: 0,
    clientid: db.ids.next('client'),
    firstname: '',
    surname: '',
    phone: '',
    mobile: '',
    fax: '',
    email: '',
    abn: '',
    shortname: '',
    website: '',
    termsnote: '',
    gpslat: '',
    gpslong: '',
    address: { ...EMPTY_ADDRESS },
    mailingaddress: { ...EMPTY_ADDRESS },
    orgids: i % 4 === 3 ? [bu[1]!] : i % 4 === 2 ? [bu[0]!, bu[1]!] : [bu[0]!],
    postable: false,
    archived: false,
    lastupdateMs: fields.createdMs,
    link: { orgid: '', orgname: '', externalid: '' },
    customfields: [],
    contactIds: [],
    ...fields,
  });

  const clientOfBusiness = new Map<string, ClientRecord>();
  world.businesses.forEach((b, i) => {
    const ms0 = Math.min(...(members.get(b.key) ?? []).map((p) => ms(p.createdAt)), earliest);
    const first = (members.get(b.key) ?? []).find((p) => p.in.aroflo);
    const c = newClient(
      {
        clientname: uniqueName(b.name),
        firstname: first?.firstName ?? '',
        surname: first?.lastName ?? '',
        email: b.email,
        phone: formatPhoneAroflo(b.phone),
        address: {
          addressline1: b.address.line1,
          addressline2: '',
          suburb: b.address.suburb,
          state: b.address.state,
          postcode: b.address.postcode,
          country: 'Australia',
        },
        createdMs: Number.isFinite(ms0) ? ms0 : earliest,
      },
      i,
    );
    clients.push(c);
    clientOfBusiness.set(b.key, c);
  });

  const clientOfPerson = new Map<string, ClientRecord>();
  const contactOfPerson = new Map<string, ContactRecord>();
  world.people.forEach((p, i) => {
    if (!p.in.aroflo) return;
    const email = p.arofloPhoneOnly ? '' : (p.email ?? '');
    const mobile = p.phone ? formatPhoneAroflo(p.phone) : '';
    const created = ms(p.createdAt);
    const business = p.businessKey ? clientOfBusiness.get(p.businessKey) : undefined;
    if (business) {
      const contact: ContactRecord = {
        seq: 0,
        userid: db.ids.next('contact'),
        clientid: business.clientid,
        givennames: p.firstName,
        surname: p.lastName,
        email,
        email2: '',
        phone: '',
        mobile,
        fax: '',
        username: guidLike(db.seed, contacts.length + 1),
        archived: false,
        createdMs: created,
        lastupdateMs: created,
      };
      contacts.push(contact);
      business.contactIds.push(contact.userid);
      if (feed.contactEdits === 'client') business.lastupdateMs = Math.max(business.lastupdateMs, created);
      clientOfPerson.set(p.key, business);
      contactOfPerson.set(p.key, contact);
    } else {
      const c = newClient(
        {
          clientname: uniqueName(`${p.firstName} ${p.lastName}`),
          firstname: p.firstName,
          surname: p.lastName,
          email,
          mobile,
          createdMs: created,
        },
        world.businesses.length + i,
      );
      clients.push(c);
      clientOfPerson.set(p.key, c);
    }
  });

  const tasks: TaskRecord[] = [];
  const taskOfKey = new Map<string, TaskRecord>();
  world.tasks.forEach((wt, i) => {
    if (wt.system !== 'aroflo') return;
    const client = clientOfPerson.get(wt.personKey);
    if (!client) return;
    const contact = contactOfPerson.get(wt.personKey);
    const person = personByKey.get(wt.personKey);
    const personMs = person ? ms(person.createdAt) : earliest;
    const created = Math.min(
      Math.max(Date.parse(`${wt.dueDate}T00:00:00Z`) - 21 * DAY_MS, personMs),
      Math.max(worldNow, personMs),
    );
    const status: TaskStatus = wt.completed ? 'Completed' : i % 3 === 1 ? 'In Progress' : 'Not Started';
    const completedMs = wt.completed ? Math.max(created, Math.min(created + 7 * DAY_MS, worldNow)) : undefined;
    const task: TaskRecord = {
      seq: 0,
      taskid: db.ids.next('task'),
      jobnumber: db.nextJobNumber++,
      refcode: '',
      taskname: wt.title.slice(0, 50),
      description: wt.body,
      status,
      clientid: client.clientid,
      orgid: bu[i % bu.length]!,
      tasktypeid: db.taskTypes[i % db.taskTypes.length]!.tasktypeid,
      contactUserid: contact?.userid ?? '',
      contactname: contact ? `${contact.givennames} ${contact.surname}`.slice(0, 50) : '',
      contactphone: contact?.mobile ?? '',
      custon: '',
      priority: 'Normal',
      duedate: wt.dueDate,
      requestedMs: created,
      createdMs: created,
      completedMs,
      lastupdatedMs: Math.max(created, completedMs ?? 0),
      linkprocessed: true,
      linkprocessedMs: Math.max(created, completedMs ?? 0),
      noteIds: [],
    };
    tasks.push(task);
    taskOfKey.set(wt.key, task);
  });

  const taskNotes: TaskNoteRecord[] = [];
  const clientNotes: ClientNoteRecord[] = [];
  for (const n of world.notes) {
    if (n.system !== 'aroflo') continue;
    const task = n.taskKey ? taskOfKey.get(n.taskKey) : undefined;
    if (task) {
      const posted = Math.max(ms(n.createdAt), task.createdMs);
      const note: TaskNoteRecord = {
        seq: 0,
        noteid: db.ids.next('tasknote'),
        taskid: task.taskid,
        content: n.body,
        filter: 'Internal Only',
        sticky: false,
        postedMs: posted,
        user: { ...webUser },
      };
      taskNotes.push(note);
      task.noteIds.push(note.noteid);
      if (feed.taskNoteEdits === 'task') task.lastupdatedMs = Math.max(task.lastupdatedMs, posted);
      continue;
    }
    if (n.taskKey) continue; // a note on a task that is not in AroFlo
    const client = clientOfPerson.get(n.personKey);
    if (!client) continue;
    const posted = Math.max(ms(n.createdAt), client.createdMs);
    const note: ClientNoteRecord = {
      seq: 0,
      noteid: db.ids.next('clientnote'),
      clientid: client.clientid,
      content: n.body,
      filter: 'Internal Only',
      sticky: false,
      postedMs: posted,
      user: { ...webUser },
    };
    clientNotes.push(note);
    const list = db.clientNoteIds.get(client.clientid) ?? [];
    list.push(note.noteid);
    db.clientNoteIds.set(client.clientid, list);
    if (feed.clientNoteEdits === 'client') client.lastupdateMs = Math.max(client.lastupdateMs, posted);
  }

  db.clients.addAll(clients);
  for (const c of clients) db.clientNames.set(ArofloDb.nameKey(c.clientname), c.clientid);
  db.contacts.addAll(contacts);
  db.tasks.addAll(tasks);
  db.taskNotes.addAll(taskNotes);
  db.clientNotes.addAll(clientNotes);

  const rows: LastUpdateRow[] = [
    ...clients.map((c): LastUpdateRow => ({
      seq: 0,
      zoneid: c.clientid,
      zonename: 'clients',
      zoneidreference: 'clientid',
      lastupdateMs: c.lastupdateMs,
      isdeleted: 0,
    })),
    ...tasks.map((t): LastUpdateRow => ({
      seq: 0,
      zoneid: t.taskid,
      zonename: 'tasks',
      zoneidreference: 'taskid',
      lastupdateMs: t.lastupdatedMs,
      isdeleted: 0,
    })),
    ...(feed.contactEdits === 'contact'
      ? contacts.map((c): LastUpdateRow => ({
          seq: 0,
          zoneid: c.userid,
          zonename: 'contacts',
          zoneidreference: 'userid',
          lastupdateMs: c.lastupdateMs,
          isdeleted: 0,
        }))
      : []),
  ];
  rows.sort((a, b) => a.lastupdateMs - b.lastupdateMs);
  db.lastupdate.addAll(rows);
  db.version++;
}
