/**
 * People at work between sync runs: random edits, creates and deletes in all three systems, made through the
 * sandboxes' admin interfaces (what a person does in each web app), each one recorded with the canonical value it
 * set so the checks can find it again later.
 */
import type { Sandboxes } from '../../../main/sandbox/index.js';
import { isBridgeNote } from '../../../main/sync/sides/aroflo.js';
import { NOTE_FOOTER } from '../../../main/sync/rules/appointment-notes.js';
import { escapeText } from 'entities';
import { day, noteText, phone as e164, text } from '../../../main/sync/sides/normalize.js';
import type { Rng } from './random.js';
import { ARCHIVED_TAG, takeSnapshot, type Snapshot } from './snapshot.js';

/** A note as a person types it in HighLevel's editor: `body` is its markup, `bodyText` the text exactly as typed. */
function asTypedInEditor(typed: string): { body: string; bodyText: string } {
  return { body: `<p>${escapeText(typed)}</p>`, bodyText: typed };
}

export type Sys = 'ghl' | 'aroflo' | 'aimfox';
export type Family = 'person' | 'task' | 'note';

export interface Edit {
  seq: number;
  cycle: number;
  at: number;
  system: Sys;
  family: Family;
  /** The record's id as the bridge's ID map writes it. */
  id: string;
  op: 'create' | 'update' | 'delete';
  /** Canonical field key; set members are "label:<name>" with value "present" / "absent". */
  field?: string;
  value?: string | null;
  what: string;
}

export const MARK = 'Soak';
const FIRST = ['Ava', 'Zoë', 'José', 'Mia', 'Noah', 'Łukasz', 'Chloé', 'Liam', 'Siobhán', 'Thảo'];
const LAST = ['Nguyễn', "O'Brien", 'Smith', 'Müller', 'Fernández', 'Østergaard', 'Walker'];
const PHRASES = [
  'called about the quote',
  'wants a follow-up next week',
  'gate code 4821 — dog in yard',
  'prefers email; CC accounts@',
  'Ünïcödé ✓ check — “quotes” & <tags>',
];
const TAGS = ['soak-red', 'soak-green', 'soak-blue', 'vip', 'follow-up'];
const RULE_BODY = 'From an AroFlo note:';

export class EditLog {
  readonly edits: Edit[] = [];
  private seq = 0;
  cycle = 0;

  add(e: Omit<Edit, 'seq' | 'cycle' | 'at'>): void {
    this.edits.push({ ...e, seq: ++this.seq, cycle: this.cycle, at: Date.now() });
  }
}

type Gen = (s: Snapshot) => boolean;

/** A person's random edits, weighted roughly as an office would make them. */
export class People {
  private readonly gens: Array<[number, string, Gen]>;

  constructor(
    private readonly boxes: Sandboxes,
    private readonly r: Rng,
    private readonly log: EditLog,
  ) {
    const g = (w: number, name: string, fn: Gen): [number, string, Gen] => [w, name, fn];
    this.gens = [
      g(4, 'ghl contact field', (s) => this.ghlContactField(s)),
      g(1.5, 'ghl contact create', () => this.ghlContactCreate()),
      g(0.4, 'ghl contact delete', (s) => this.ghlContactDelete(s)),
      g(1.5, 'ghl tags', (s) => this.ghlTags(s)),
      g(2, 'ghl task create', (s) => this.ghlTaskCreate(s)),
      g(3, 'ghl task field', (s) => this.ghlTaskField(s)),
      g(0.5, 'ghl task delete', (s) => this.ghlTaskDelete(s)),
      g(2, 'ghl note create', (s) => this.ghlNoteCreate(s)),
      g(1.5, 'ghl note edit', (s) => this.ghlNoteEdit(s)),
      g(0.4, 'ghl note delete', (s) => this.ghlNoteDelete(s)),
      g(4, 'aroflo person field', (s) => this.afPersonField(s)),
      g(1.5, 'aroflo person create', () => this.afPersonCreate()),
      g(0.4, 'aroflo person archive', (s) => this.afPersonArchive(s)),
      g(2, 'aroflo task create', (s) => this.afTaskCreate(s)),
      g(3, 'aroflo task field', (s) => this.afTaskField(s)),
      g(0.5, 'aroflo task archive', (s) => this.afTaskArchive(s)),
      g(1.5, 'aroflo client note create', (s) => this.afClientNoteCreate(s)),
      g(1, 'aroflo task note create', (s) => this.afTaskNoteCreate(s)),
      g(1.5, 'aroflo note edit', (s) => this.afNoteEdit(s)),
      g(1, 'same field on both sides', (s) => this.bothSides(s)),
      g(1, 'aimfox note', (s) => this.aimfoxNote(s)),
      g(1, 'aimfox label', (s) => this.aimfoxLabel(s)),
      // The people matching and crash recovery find hardest (see main/sync/README.md, "Matching").
      g(0.8, 'ghl person without email or phone', () => this.ghlKeylessCreate()),
      g(0.8, 'aroflo person without email or phone', () => this.afKeylessCreate()),
      g(0.5, 'colleagues sharing an office phone', () => this.officeColleagues()),
      g(0.3, 'split keys', () => this.splitKeys()),
      g(0.5, 'aroflo business HighLevel lacks', () => this.afNewBusiness()),
    ];
  }

  /** Make `n` edits (a generator with nothing to work on is skipped). */
  act(n: number): number {
    let done = 0;
    for (let tries = 0; done < n && tries < n * 5; tries++) {
      const snap = takeSnapshot(this.boxes);
      const total = this.gens.reduce((a, [w]) => a + w, 0);
      let x = this.r() * total;
      const gen = this.gens.find(([w]) => (x -= w) < 0) ?? this.gens[0]!;
      try {
        if (gen[2](snap)) done++;
      } catch (e) {
        // A person's edit the web app refuses (e.g. AroFlo's unique client names) simply does not happen.
        if (!(e instanceof Error) || (e as { status?: number }).status !== 409) throw e;
      }
    }
    return done;
  }

  // ---- values ----
  private first(): string {
    return `${this.r.pick(FIRST)}-${this.r.nonce()}`;
  }
  private last(): string {
    return this.r.chance(0.3) ? (this.r.pick(LAST) as string) : `${this.r.pick(LAST)}-${this.r.nonce()}`;
  }
  private phone(): string {
    return `+614${String(this.r.int(0, 99_999_999)).padStart(8, '0')}`;
  }
  private due(): string {
    return `2026-12-${String(this.r.int(1, 28)).padStart(2, '0')}`;
  }
  private body(): string {
    return `${MARK} note ${this.r.nonce()}: ${this.r.pick(PHRASES)}${this.r.chance(0.2) ? '\nsecond line' : ''}`;
  }
  private title(): string {
    return `${MARK} job ${this.r.nonce()}`;
  }

  // ---- HighLevel ----
  private liveGhl(s: Snapshot) {
    return [...s.ghl.contacts.values()].filter((c) => c.live);
  }

  private ghlContactField(s: Snapshot): boolean {
    const c = this.r.pick(this.liveGhl(s));
    if (!c) return false;
    const field = this.r.pick(['firstName', 'firstName', 'lastName', 'phone', 'phone', 'email'] as const)!;
    const value =
      field === 'firstName'
        ? this.first()
        : field === 'lastName'
          ? this.last()
          : field === 'phone'
            ? this.phone()
            : `soak.${this.r.nonce()}@example.com`;
    this.boxes.ghl.admin.updateContact(c.id, { [field]: value });
    this.log.add({
      system: 'ghl',
      family: 'person',
      id: c.id,
      op: 'update',
      field,
      value: canon(field, value),
      what: `GHL contact ${field}`,
    });
    return true;
  }

  private ghlContactCreate(): boolean {
    const firstName = this.r.chance(0.1) ? 'John' : this.first();
    const lastName = this.r.chance(0.1) ? 'Smith' : this.last();
    const email = `soak.${this.r.nonce()}@example.com`;
    const ph = this.phone();
    const biz = this.r.chance(0.25) ? this.r.pick(this.boxes.world.businesses)?.name : undefined;
    const c = this.boxes.ghl.admin.createContact({
      firstName,
      lastName,
      email,
      phone: ph,
      ...(biz ? { companyName: biz } : {}),
      tags: this.r.chance(0.3) ? ['soak-red'] : [],
    });
    for (const [field, value] of Object.entries({ firstName, lastName, email, phone: ph }))
      this.log.add({
        system: 'ghl',
        family: 'person',
        id: c.id,
        op: 'create',
        field,
        value: canon(field, value),
        what: 'GHL contact create',
      });
    return true;
  }

  private ghlContactDelete(s: Snapshot): boolean {
    const c = this.r.pick(this.liveGhl(s).filter((x) => x.fields.email?.startsWith('soak.')));
    if (!c) return false;
    this.boxes.ghl.admin.deleteContact(c.id);
    this.log.add({ system: 'ghl', family: 'person', id: c.id, op: 'delete', what: 'GHL contact delete' });
    return true;
  }

  private ghlTags(s: Snapshot): boolean {
    const c = this.r.pick(this.liveGhl(s).filter((x) => x.linkedin));
    if (!c) return false;
    const tag = this.r.pick(TAGS)!;
    const has = (c.tags ?? []).includes(tag);
    const next = has ? (c.tags ?? []).filter((t) => t !== tag) : [...(c.tags ?? []), tag];
    this.boxes.ghl.admin.setTags(c.id, next);
    this.log.add({
      system: 'ghl',
      family: 'person',
      id: c.id,
      op: 'update',
      field: `label:${tag}`,
      value: has ? 'absent' : 'present',
      what: `GHL tag ${has ? 'removed' : 'added'}`,
    });
    return true;
  }

  private ghlTaskCreate(s: Snapshot): boolean {
    const c = this.r.pick(this.liveGhl(s));
    if (!c) return false;
    const title = this.title();
    const due = this.due();
    const body = this.r.chance(0.5) ? this.body() : undefined;
    const t = this.boxes.ghl.admin.createTask(c.id, {
      title,
      dueDate: `${due}T09:00:00.000Z`,
      completed: false,
      ...(body ? { body } : {}),
    });
    const id = `${c.id}/${t.id}`;
    for (const [field, value] of Object.entries({ title, dueDate: due, completed: 'false', body: body ?? null }))
      this.log.add({
        system: 'ghl',
        family: 'task',
        id,
        op: 'create',
        field,
        value: canon(field, value),
        what: 'GHL task create',
      });
    return true;
  }

  private ghlTasks(s: Snapshot) {
    return [...s.ghl.tasks.values()].filter(
      (t) => !(t.fields.body ?? '').startsWith(RULE_BODY) && s.ghl.contacts.get(t.parent ?? '')?.live,
    );
  }

  private ghlTaskField(s: Snapshot): boolean {
    const t = this.r.pick(this.ghlTasks(s));
    if (!t) return false;
    const [cid, tid] = t.id.split('/') as [string, string];
    const field = this.r.pick(['title', 'completed', 'completed', 'dueDate', 'body'] as const)!;
    let value: string;
    if (field === 'completed') {
      value = t.fields.completed === 'true' ? 'false' : 'true';
      this.boxes.ghl.admin.completeTask(cid, tid, value === 'true');
    } else {
      value = field === 'title' ? this.title() : field === 'dueDate' ? this.due() : this.body();
      this.boxes.ghl.admin.updateTask(
        cid,
        tid,
        field === 'dueDate' ? { dueDate: `${value}T09:00:00.000Z` } : { [field]: value },
      );
    }
    this.log.add({
      system: 'ghl',
      family: 'task',
      id: t.id,
      op: 'update',
      field,
      value: canon(field, value),
      what: `GHL task ${field}`,
    });
    return true;
  }

  private ghlTaskDelete(s: Snapshot): boolean {
    const t = this.r.pick(this.ghlTasks(s));
    if (!t) return false;
    const [cid, tid] = t.id.split('/') as [string, string];
    this.boxes.ghl.admin.deleteTask(cid, tid);
    this.log.add({ system: 'ghl', family: 'task', id: t.id, op: 'delete', what: 'GHL task delete' });
    return true;
  }

  private ghlNoteCreate(s: Snapshot): boolean {
    const c = this.r.pick(this.liveGhl(s));
    if (!c) return false;
    const body = this.body();
    const n = this.boxes.ghl.admin.createNote(c.id, asTypedInEditor(body));
    this.log.add({
      system: 'ghl',
      family: 'note',
      id: `${c.id}/${n.id}`,
      op: 'create',
      field: 'body',
      value: canon('body', body),
      what: 'GHL note create',
    });
    return true;
  }

  private ghlNotes(s: Snapshot) {
    return [...s.ghl.notes.values()].filter((n) => s.ghl.contacts.get(n.parent ?? '')?.live);
  }

  private ghlNoteEdit(s: Snapshot): boolean {
    const n = this.r.pick(this.ghlNotes(s));
    if (!n) return false;
    const [cid, nid] = n.id.split('/') as [string, string];
    const body = this.body();
    this.boxes.ghl.admin.updateNote(cid, nid, asTypedInEditor(body));
    this.log.add({
      system: 'ghl',
      family: 'note',
      id: n.id,
      op: 'update',
      field: 'body',
      value: canon('body', body),
      what: 'GHL note edit',
    });
    return true;
  }

  private ghlNoteDelete(s: Snapshot): boolean {
    const n = this.r.pick(this.ghlNotes(s));
    if (!n) return false;
    const [cid, nid] = n.id.split('/') as [string, string];
    this.boxes.ghl.admin.deleteNote(cid, nid);
    this.log.add({ system: 'ghl', family: 'note', id: n.id, op: 'delete', what: 'GHL note delete' });
    return true;
  }

  // ---- AroFlo ----
  private liveAf(s: Snapshot) {
    return [...s.aroflo.people.values()].filter((p) => p.live);
  }

  private afPersonField(s: Snapshot): boolean {
    const p = this.r.pick(this.liveAf(s));
    if (!p) return false;
    const a = this.boxes.aroflo.admin;
    const field = this.r.pick(['firstName', 'firstName', 'lastName', 'phone', 'phone'] as const)!;
    const value = field === 'firstName' ? this.first() : field === 'lastName' ? this.last() : this.phone();
    const [kind, clientId, userId] = p.id.split(':') as [string, string, string | undefined];
    if (kind === 'contact') {
      a.updateContact(
        userId!,
        field === 'firstName' ? { givennames: value } : field === 'lastName' ? { surname: value } : { mobile: value },
      );
    } else {
      const c = a.getClient(clientId)!;
      if (field === 'phone') a.updateClient(clientId, { mobile: value });
      else {
        // The person renames the customer: the client's name follows (that is what makes it a residential client).
        const first = field === 'firstName' ? value : c.firstname;
        const last = field === 'lastName' ? value : c.surname;
        a.updateClient(clientId, {
          ...(field === 'firstName' ? { firstname: value } : { surname: value }),
          clientname: `${first} ${last}`,
        });
      }
    }
    this.log.add({
      system: 'aroflo',
      family: 'person',
      id: p.id,
      op: 'update',
      field,
      value: canon(field, value),
      what: `AroFlo ${kind} ${field}`,
    });
    return true;
  }

  private afPersonCreate(): boolean {
    const a = this.boxes.aroflo.admin;
    const firstName = this.r.chance(0.1) ? 'John' : this.first();
    const lastName = this.r.chance(0.1) ? 'Smith' : this.last();
    const email = `soak.${this.r.nonce()}@example.com`;
    const mobile = this.phone();
    const businesses = a.listClients({ includeArchived: false }).filter((c) => c.contactIds.length > 0);
    const biz = this.r.chance(0.4) ? this.r.pick(businesses) : undefined;
    let id: string;
    if (biz) {
      const x = a.createContact(biz.clientid, { givennames: firstName, surname: lastName, email, mobile });
      id = `contact:${biz.clientid}:${x.userid}`;
    } else {
      const bu = this.boxes.aroflo.credentials.businessUnits[0]?.orgid;
      const c = a.createClient({
        clientname: `${firstName} ${lastName}`,
        firstname: firstName,
        surname: lastName,
        email,
        mobile,
        ...(bu ? { orgids: [bu] } : {}),
      });
      id = `client:${c.clientid}`;
    }
    for (const [field, value] of Object.entries({ firstName, lastName, email, phone: mobile }))
      this.log.add({
        system: 'aroflo',
        family: 'person',
        id,
        op: 'create',
        field,
        value: canon(field, value),
        what: 'AroFlo person create',
      });
    return true;
  }

  // ---- people matching and recovery find hard ----
  private logPerson(
    system: Sys,
    id: string,
    f: { firstName: string; lastName: string; email?: string | null; phone?: string | null },
    what: string,
  ): void {
    for (const [field, value] of Object.entries({
      firstName: f.firstName,
      lastName: f.lastName,
      email: f.email ?? null,
      phone: f.phone ?? null,
    }))
      this.log.add({ system, family: 'person', id, op: 'create', field, value: canon(field, value), what });
  }

  private afResident(f: { firstName: string; lastName: string; email?: string; mobile?: string }): string {
    const bu = this.boxes.aroflo.credentials.businessUnits[0]?.orgid;
    const c = this.boxes.aroflo.admin.createClient({
      clientname: `${f.firstName} ${f.lastName}`,
      firstname: f.firstName,
      surname: f.lastName,
      ...(f.email ? { email: f.email } : {}),
      ...(f.mobile ? { mobile: f.mobile } : {}),
      ...(bu ? { orgids: [bu] } : {}),
    });
    return `client:${c.clientid}`;
  }

  /** A HighLevel contact with only a name. */
  private ghlKeylessCreate(): boolean {
    const f = { firstName: this.first(), lastName: this.last() };
    const c = this.boxes.ghl.admin.createContact(f);
    this.logPerson('ghl', c.id, f, 'GHL contact create (no email or phone)');
    return true;
  }

  /** An AroFlo customer, or a contact of a business, with only a name. */
  private afKeylessCreate(): boolean {
    const a = this.boxes.aroflo.admin;
    const f = { firstName: this.first(), lastName: this.last() };
    const biz = this.r.chance(0.4)
      ? this.r.pick(a.listClients({ includeArchived: false }).filter((c) => c.contactIds.length > 0))
      : undefined;
    const id = biz
      ? `contact:${biz.clientid}:${a.createContact(biz.clientid, { givennames: f.firstName, surname: f.lastName }).userid}`
      : this.afResident(f);
    this.logPerson('aroflo', id, f, 'AroFlo person create (no email or phone)');
    return true;
  }

  /** Two people of one office, each with their own email and the office phone; sometimes a third with only the phone. */
  private officeColleagues(): boolean {
    const office = officePhone(this.r);
    const a = {
      firstName: this.first(),
      lastName: this.last(),
      email: `soak.${this.r.nonce()}@example.com`,
      phone: office,
    };
    const b = {
      firstName: this.first(),
      lastName: this.last(),
      email: `soak.${this.r.nonce()}@example.com`,
      phone: office,
    };
    const c = this.boxes.ghl.admin.createContact(a);
    this.logPerson('ghl', c.id, a, 'GHL contact create (office phone)');
    this.logPerson('aroflo', this.afResident({ ...b, mobile: office }), b, 'AroFlo person create (office phone)');
    if (this.r.chance(0.3)) {
      // Whose is it? Only a person can tell: a review item, not a link.
      const d = { firstName: this.first(), lastName: this.last(), phone: office };
      this.logPerson(
        'aroflo',
        this.afResident({ ...d, mobile: office }),
        d,
        'AroFlo person create (office phone only)',
      );
    }
    return true;
  }

  /** One HighLevel person whose email is one new AroFlo record's and whose phone is another's (no email). */
  private splitKeys(): boolean {
    const email = `soak.${this.r.nonce()}@example.com`;
    const py = this.phone();
    const p = { firstName: this.first(), lastName: this.last(), email, phone: py };
    const x = { firstName: p.firstName, lastName: p.lastName, email, phone: this.phone() };
    const y = { firstName: this.first(), lastName: p.lastName, phone: py };
    this.logPerson('aroflo', this.afResident({ ...x, mobile: x.phone }), x, 'AroFlo person create (split keys, email)');
    this.logPerson('aroflo', this.afResident({ ...y, mobile: y.phone }), y, 'AroFlo person create (split keys, phone)');
    const c = this.boxes.ghl.admin.createContact(p);
    this.logPerson('ghl', c.id, p, 'GHL contact create (split keys)');
    return true;
  }

  /** A new AroFlo business with its people (one sometimes with only a name): HighLevel has no such business. */
  private afNewBusiness(): boolean {
    const a = this.boxes.aroflo.admin;
    const bu = this.boxes.aroflo.credentials.businessUnits[0]?.orgid;
    const biz = a.createClient({
      clientname: `${MARK} Works ${this.r.nonce()} Pty Ltd`,
      ...(bu ? { orgids: [bu] } : {}),
    });
    for (let i = this.r.int(1, 2); i > 0; i--) {
      const keyless = this.r.chance(0.3);
      const f = {
        firstName: this.first(),
        lastName: this.last(),
        ...(keyless ? {} : { email: `soak.${this.r.nonce()}@example.com`, phone: this.phone() }),
      };
      const x = a.createContact(biz.clientid, {
        givennames: f.firstName,
        surname: f.lastName,
        ...(f.email ? { email: f.email, mobile: f.phone } : {}),
      });
      this.logPerson(
        'aroflo',
        `contact:${biz.clientid}:${x.userid}`,
        f,
        'AroFlo business contact create (business not in HighLevel)',
      );
    }
    return true;
  }

  private afPersonArchive(s: Snapshot): boolean {
    const p = this.r.pick(
      this.liveAf(s).filter((x) => x.id.startsWith('contact:') && x.fields.email?.startsWith('soak.')),
    );
    if (!p) return false;
    this.boxes.aroflo.admin.archiveContact(p.id.split(':')[2]!);
    this.log.add({ system: 'aroflo', family: 'person', id: p.id, op: 'delete', what: 'AroFlo contact archive' });
    return true;
  }

  private afTaskCreate(s: Snapshot): boolean {
    const p = this.r.pick(this.liveAf(s));
    if (!p) return false;
    const [kind, clientId, userId] = p.id.split(':') as [string, string, string | undefined];
    const cred = this.boxes.aroflo.credentials;
    const title = this.title();
    const due = this.due();
    const description = this.r.chance(0.5) ? this.body() : undefined;
    const t = this.boxes.aroflo.admin.createTask({
      clientid: clientId,
      taskname: title,
      duedate: due,
      orgid: cred.businessUnits[0]?.orgid,
      tasktypeid: cred.taskTypes[0]?.tasktypeid,
      ...(kind === 'contact' ? { contactUserid: userId } : {}),
      ...(description ? { description } : {}),
    });
    for (const [field, value] of Object.entries({ title, dueDate: due, completed: 'false', body: description ?? null }))
      this.log.add({
        system: 'aroflo',
        family: 'task',
        id: t.taskid,
        op: 'create',
        field,
        value: canon(field, value),
        what: 'AroFlo task create',
      });
    return true;
  }

  private afTasks(s: Snapshot) {
    return [...s.aroflo.tasks.values()].filter((t) => t.live && s.aroflo.people.get(t.parent ?? '')?.live);
  }

  private afTaskField(s: Snapshot): boolean {
    const t = this.r.pick(this.afTasks(s));
    if (!t) return false;
    const a = this.boxes.aroflo.admin;
    const field = this.r.pick(['title', 'completed', 'completed', 'dueDate', 'body'] as const)!;
    let value: string;
    if (field === 'completed') {
      value = t.fields.completed === 'true' ? 'false' : 'true';
      a.setTaskStatus(t.id, value === 'true' ? 'Completed' : 'Not Started');
    } else {
      value = field === 'title' ? this.title() : field === 'dueDate' ? this.due() : this.body();
      a.updateTask(
        t.id,
        field === 'title' ? { taskname: value } : field === 'dueDate' ? { duedate: value } : { description: value },
      );
    }
    this.log.add({
      system: 'aroflo',
      family: 'task',
      id: t.id,
      op: 'update',
      field,
      value: canon(field, value),
      what: `AroFlo task ${field}`,
    });
    return true;
  }

  private afTaskArchive(s: Snapshot): boolean {
    const t = this.r.pick(this.afTasks(s));
    if (!t) return false;
    this.boxes.aroflo.admin.setTaskStatus(t.id, 'Archived');
    this.log.add({ system: 'aroflo', family: 'task', id: t.id, op: 'delete', what: 'AroFlo task archive' });
    return true;
  }

  private afClientNoteCreate(s: Snapshot): boolean {
    const p = this.r.pick(this.liveAf(s).filter((x) => x.id.startsWith('client:')));
    if (!p) return false;
    const body = this.body();
    const n = this.boxes.aroflo.admin.addClientNote(p.id.split(':')[1]!, { content: body });
    this.log.add({
      system: 'aroflo',
      family: 'note',
      id: `clientnote:${n.noteid}`,
      op: 'create',
      field: 'body',
      value: canon('body', body),
      what: 'AroFlo client note create',
    });
    return true;
  }

  private afTaskNoteCreate(s: Snapshot): boolean {
    const t = this.r.pick(this.afTasks(s));
    if (!t) return false;
    const body = this.body();
    const n = this.boxes.aroflo.admin.addTaskNote(t.id, { content: body });
    this.log.add({
      system: 'aroflo',
      family: 'note',
      id: `tasknote:${t.id}:${n.noteid}`,
      op: 'create',
      field: 'body',
      value: canon('body', body),
      what: 'AroFlo task note create',
    });
    return true;
  }

  private afNoteEdit(s: Snapshot): boolean {
    // Not the notes the bridge writes on a job for a change AroFlo cannot take: they are its record of that change.
    // Nor the notes it writes for HighLevel appointments: one-way, "edits made to this note are not copied back"
    // (main/sync/README.md, appointments as notes), so a person's edit of one is not expected to reach HighLevel.
    const n = this.r.pick(
      [...s.aroflo.notes.values()].filter(
        (x) =>
          x.live &&
          s.aroflo.people.get(x.parent ?? '')?.live &&
          !isBridgeNote(x.fields.body) &&
          !String(x.fields.body ?? '').includes(NOTE_FOOTER),
      ),
    );
    if (!n) return false;
    const body = this.body();
    const a = this.boxes.aroflo.admin;
    if (n.id.startsWith('clientnote:')) a.updateClientNote(n.id.split(':')[1]!, { content: body });
    else a.updateTaskNote(n.id.split(':')[2]!, { content: body });
    this.log.add({
      system: 'aroflo',
      family: 'note',
      id: n.id,
      op: 'update',
      field: 'body',
      value: canon('body', body),
      what: 'AroFlo note edit',
    });
    return true;
  }

  // ---- both at once: two people change the same person's first name in the two systems before a sync ----
  private bothSides(s: Snapshot): boolean {
    const byEmail = new Map(
      [...s.aroflo.people.values()].filter((p) => p.live && p.fields.email).map((p) => [p.fields.email!, p]),
    );
    const pairs = this.liveGhl(s).filter((c) => c.fields.email && byEmail.has(c.fields.email));
    const c = this.r.pick(pairs);
    if (!c) return false;
    const p = byEmail.get(c.fields.email!)!;
    const inGhl = this.first();
    this.boxes.ghl.admin.updateContact(c.id, { firstName: inGhl });
    this.log.add({
      system: 'ghl',
      family: 'person',
      id: c.id,
      op: 'update',
      field: 'firstName',
      value: canon('firstName', inGhl),
      what: 'GHL contact firstName (both sides)',
    });
    const inAroflo = this.first();
    const [kind, clientId, userId] = p.id.split(':') as [string, string, string | undefined];
    if (kind === 'contact') this.boxes.aroflo.admin.updateContact(userId!, { givennames: inAroflo });
    else
      this.boxes.aroflo.admin.updateClient(clientId, {
        firstname: inAroflo,
        clientname: `${inAroflo} ${this.boxes.aroflo.admin.getClient(clientId)!.surname}`,
      });
    this.log.add({
      system: 'aroflo',
      family: 'person',
      id: p.id,
      op: 'update',
      field: 'firstName',
      value: canon('firstName', inAroflo),
      what: 'AroFlo first name (both sides)',
    });
    return true;
  }

  // ---- Aimfox ----
  private aimfoxNote(s: Snapshot): boolean {
    const af = this.boxes.aimfox.admin;
    const roll = this.r();
    const notes = [...s.aimfox.notes.values()];
    if (roll < 0.5 || !notes.length) {
      const l = this.r.pick([...s.aimfox.leads.values()]);
      if (!l) return false;
      const body = this.body();
      const n = af.addNote(l.id, body);
      this.log.add({
        system: 'aimfox',
        family: 'note',
        id: `${l.id}/${n.id}`,
        op: 'create',
        field: 'body',
        value: canon('body', body),
        what: 'Aimfox note create',
      });
      return true;
    }
    const n = this.r.pick(notes)!;
    const [leadId, noteId] = n.id.split('/') as [string, string];
    if (roll < 0.85) {
      const body = this.body();
      af.editNote(leadId, noteId, body);
      this.log.add({
        system: 'aimfox',
        family: 'note',
        id: n.id,
        op: 'update',
        field: 'body',
        value: canon('body', body),
        what: 'Aimfox note edit',
      });
    } else {
      af.deleteNote(leadId, noteId);
      this.log.add({ system: 'aimfox', family: 'note', id: n.id, op: 'delete', what: 'Aimfox note delete' });
    }
    return true;
  }

  private aimfoxLabel(s: Snapshot): boolean {
    const af = this.boxes.aimfox.admin;
    const l = this.r.pick([...s.aimfox.leads.values()]);
    if (!l) return false;
    const name = this.r.pick(TAGS)!;
    const label = af.listLabels().find((x) => x.name.toLowerCase() === name) ?? af.createLabel(name);
    const has = (JSON.parse(l.fields.labels ?? '[]') as string[]).includes(label.name);
    if (has) af.removeLabel(l.id, label.id);
    else af.addLabel(l.id, label.id);
    this.log.add({
      system: 'aimfox',
      family: 'person',
      id: l.id,
      op: 'update',
      field: `label:${label.name}`,
      value: has ? 'absent' : 'present',
      what: `Aimfox label ${has ? 'removed' : 'added'}`,
    });
    return true;
  }
}

/** The canonical form of a value a person typed, as the mappings compare it. */
/** Office phones the soak hands out are shared by several people by design (+61 3 8… , unlike anyone's mobile). */
export const OFFICE_PHONE_PREFIX = '+6138';
export function officePhone(r: Rng): string {
  return `${OFFICE_PHONE_PREFIX}${String(r.int(0, 9_999_999)).padStart(7, '0')}`;
}

/** Whether a person's phone is one the soak shares between people (see officePhone). */
export const isOfficePhone = (p: string | null | undefined): boolean => !!p && p.startsWith(OFFICE_PHONE_PREFIX);

export function canon(field: string, value: string | null): string | null {
  if (value === null) return null;
  if (field === 'email') return text(value)?.toLowerCase() ?? null;
  if (field === 'phone') return e164(value);
  if (field === 'dueDate') return day(value);
  if (field === 'body') return noteText(value);
  return text(value);
}

export { ARCHIVED_TAG };
