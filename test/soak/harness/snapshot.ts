/**
 * What the three systems hold right now, read through the sandboxes' admin interfaces (what a person would see in
 * each web app), in the canonical form the mappings compare (trimmed text, lower-case email, E.164 phone,
 * YYYY-MM-DD dates, plain-text notes) and keyed by the record ids the bridge's ID map uses.
 * The soak's checks compare this with the bridge's own state; nothing here comes from the bridge.
 */
import type { Sandboxes } from '../../../main/sandbox/index.js';
import { bool, day, email, isPersonName, noteText, phone, text } from '../../../main/sync/sides/normalize.js';

export type Fields = Record<string, string | null>;

/**
 * How the notes begin that the bridge leaves on an AroFlo job for a change AroFlo cannot take (written out here,
 * not imported: the soak checks the bridge from the outside). They are part of the job, not synced notes.
 */
export const JOB_NOTE_LEADS = {
  title: 'Title changed in HighLevel',
  dueDate: 'Due date changed in HighLevel',
  body: 'Description changed in HighLevel',
} as const;
export const isJobNote = (body: string | null | undefined): boolean =>
  Object.values(JOB_NOTE_LEADS).some((l) => !!body?.startsWith(l));

export interface PersonRec {
  id: string;
  fields: Fields;
  /** Live and in the sync's scope (not deleted, archived or tagged archived by the bridge). */
  live: boolean;
  tags?: string[];
  linkedin?: string;
}

export interface ChildRec {
  id: string;
  parent: string | undefined;
  fields: Fields;
  live: boolean;
  /** AroFlo task notes' texts (a change AroFlo cannot take is written there). */
  notes?: string[];
}

export interface Snapshot {
  ghl: { contacts: Map<string, PersonRec>; tasks: Map<string, ChildRec>; notes: Map<string, ChildRec> };
  aroflo: { people: Map<string, PersonRec>; tasks: Map<string, ChildRec>; notes: Map<string, ChildRec> };
  aimfox: { leads: Map<string, PersonRec>; notes: Map<string, ChildRec> };
}

export const ARCHIVED_TAG = 'archived-by-ghl-bridge';

export function labelSet(names: string[]): string | null {
  const s = [...new Set(names.map((n) => n.trim()).filter((n) => n && n !== ARCHIVED_TAG))].sort();
  return s.length ? JSON.stringify(s) : null;
}

/** `linkedPeople`: AroFlo clients the bridge has linked as people (it keeps them people when their name changes). */
export function takeSnapshot(boxes: Sandboxes, opts: { linkedPeople?: ReadonlySet<string> } = {}): Snapshot {
  const g = boxes.ghl.admin;
  const linkedinField = boxes.ghl.credentials.linkedinFieldId;
  const snap: Snapshot = {
    ghl: { contacts: new Map(), tasks: new Map(), notes: new Map() },
    aroflo: { people: new Map(), tasks: new Map(), notes: new Map() },
    aimfox: { leads: new Map(), notes: new Map() },
  };

  for (const c of g.listContacts()) {
    const tags = (c.tags ?? []) as string[];
    const cf = ((c as { customFields?: Array<{ id: string; value: unknown }> }).customFields ?? []).find(
      (f) => f.id === linkedinField,
    );
    snap.ghl.contacts.set(c.id, {
      id: c.id,
      fields: {
        firstName: text(c.firstName),
        lastName: text(c.lastName),
        email: email(c.email),
        phone: phone(c.phone),
        labels: labelSet(tags),
      },
      live: !tags.includes(ARCHIVED_TAG),
      tags,
      linkedin: typeof cf?.value === 'string' ? cf.value : undefined,
    });
    for (const t of g.listTasks(c.id)) {
      snap.ghl.tasks.set(`${c.id}/${t.id}`, {
        id: `${c.id}/${t.id}`,
        parent: c.id,
        live: true,
        fields: { title: text(t.title), dueDate: day(t.dueDate), body: noteText(t.body), completed: bool(t.completed) },
      });
    }
    for (const n of g.listNotes(c.id)) {
      snap.ghl.notes.set(`${c.id}/${n.id}`, {
        id: `${c.id}/${n.id}`,
        parent: c.id,
        live: true,
        fields: { body: n.bodyText.trim() ? text(n.bodyText) : noteText(n.body) },
      });
    }
  }

  const a = boxes.aroflo.admin;
  const clients = a.listClients();
  const contacts = a.listContacts();
  const clientById = new Map(clients.map((c) => [c.clientid, c]));
  const liveContactsOf = new Map<string, number>();
  for (const x of contacts) if (!x.archived) liveContactsOf.set(x.clientid, (liveContactsOf.get(x.clientid) ?? 0) + 1);
  const residential = (c: (typeof clients)[number]) =>
    !liveContactsOf.get(c.clientid) &&
    (!!opts.linkedPeople?.has(c.clientid) || isPersonName(c.clientname, c.firstname, c.surname));
  for (const c of clients) {
    snap.aroflo.people.set(`client:${c.clientid}`, {
      id: `client:${c.clientid}`,
      fields: {
        firstName: text(c.firstname),
        lastName: text(c.surname),
        email: email(c.email),
        phone: phone(c.mobile || c.phone),
      },
      live: !c.archived && residential(c),
    });
  }
  for (const x of contacts) {
    const owner = clientById.get(x.clientid);
    snap.aroflo.people.set(`contact:${x.clientid}:${x.userid}`, {
      id: `contact:${x.clientid}:${x.userid}`,
      fields: {
        firstName: text(x.givennames),
        lastName: text(x.surname),
        email: email(x.email),
        phone: phone(x.mobile || x.phone),
      },
      live: !x.archived && !!owner && !owner.archived,
    });
  }
  for (const t of a.listTasks()) {
    const owner = clientById.get(t.clientid);
    const parent =
      t.contactUserid && owner && !residential(owner)
        ? `contact:${t.clientid}:${t.contactUserid}`
        : `client:${t.clientid}`;
    const notes = a.listTaskNotes(t.taskid);
    snap.aroflo.tasks.set(t.taskid, {
      id: t.taskid,
      parent,
      live: t.status !== 'Archived',
      fields: {
        title: text(t.taskname),
        dueDate: day(t.duedate),
        body: noteText(t.description),
        completed: t.status === 'Completed' ? 'true' : 'false',
      },
      notes: notes.map((n) => noteText(n.content) ?? ''),
    });
    for (const n of notes)
      if (!isJobNote(noteText(n.content)))
        snap.aroflo.notes.set(`tasknote:${t.taskid}:${n.noteid}`, {
          id: `tasknote:${t.taskid}:${n.noteid}`,
          parent,
          live: t.status !== 'Archived',
          fields: { body: noteText(n.content) },
        });
  }
  for (const n of a.listClientNotes()) {
    snap.aroflo.notes.set(`clientnote:${n.noteid}`, {
      id: `clientnote:${n.noteid}`,
      parent: `client:${n.clientid}`,
      live: true,
      fields: { body: noteText(n.content) },
    });
  }

  for (const l of boxes.aimfox.admin.listLeads()) {
    snap.aimfox.leads.set(l.id, {
      id: l.id,
      fields: { labels: labelSet(l.labels.map((x) => x.name)) },
      live: true,
      linkedin: l.public_identifier,
    });
    for (const n of l.notes ?? [])
      snap.aimfox.notes.set(`${l.id}/${n.id}`, {
        id: `${l.id}/${n.id}`,
        parent: l.id,
        live: true,
        fields: { body: noteText(n.text) },
      });
  }
  return snap;
}
