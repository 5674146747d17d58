/**
 * The sandbox's data: locations, contacts, tasks, notes, appointments, and the contact indexes.
 * Every contact write (API or admin) goes through here, so both bump dateUpdated the same way and both
 * reach search only after `searchLagMs` (the live index — used for duplicate checks, the deprecated list,
 * business lists — is always current).
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { ContactIndex, type IndexDoc } from './contact-index.js';
import { IdSequence } from './ids.js';
import type { ContactPatch, ContactRec, CustomFieldDef, EventRec, LocationRec, NoteRec, TaskRec } from './records.js';
import { searchItem } from './render.js';

const STRING_FIELDS = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'companyName',
  'address1',
  'city',
  'state',
  'postalCode',
  'country',
  'website',
  'timezone',
  'source',
  'type',
  'assignedTo',
  'keyword',
  'ssn',
  'gender',
  'businessId',
] as const;

/** GHL keeps tags lower-case, trimmed, unique. */
export function normalizeTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tags) {
    const v = t.trim().toLowerCase();
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

/** E.164 when the number parses (national numbers read in the location's country), else as typed. */
export function normalizePhone(raw: string, country: string): string {
  const p = parsePhoneNumberFromString(raw, country as CountryCode);
  return p && p.isPossible() ? p.number : raw.trim();
}

function isEmptyValue(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

export interface StoreOptions {
  seed: number;
  now: () => number;
  searchLagMs: number;
  taskNoteEditsBumpContact: boolean;
}

export class GhlStore {
  readonly locations = new Map<string, LocationRec>();
  /** businessId → business name */
  readonly businesses = new Map<string, string>();
  readonly contacts = new Map<string, ContactRec>();
  readonly tasks = new Map<string, TaskRec[]>();
  readonly notes = new Map<string, NoteRec[]>();
  readonly events = new Map<string, EventRec[]>();
  readonly ids: IdSequence;
  private readonly live = new Map<string, ContactIndex>();
  private readonly lagged = new Map<string, ContactIndex>();
  private queue: Array<{ at: number; locationId: string; id: string; doc: IndexDoc | null }> = [];
  private queueHead = 0;

  constructor(readonly opts: StoreOptions) {
    this.ids = new IdSequence(opts.seed);
  }

  get now(): number {
    return this.opts.now();
  }

  clear(): void {
    for (const m of [
      this.locations,
      this.businesses,
      this.contacts,
      this.tasks,
      this.notes,
      this.events,
      this.live,
      this.lagged,
    ])
      m.clear();
    this.queue = [];
    this.queueHead = 0;
    this.ids.reset();
  }

  // ---- indexes -------------------------------------------------------------------------------------

  liveIndex(locationId: string): ContactIndex {
    let idx = this.live.get(locationId);
    if (!idx) this.live.set(locationId, (idx = new ContactIndex()));
    return idx;
  }

  /** The index POST /contacts/search reads: writes appear here `searchLagMs` after they happened. */
  searchIndex(locationId: string): ContactIndex {
    if (this.opts.searchLagMs <= 0) return this.liveIndex(locationId);
    const now = this.now;
    while (this.queueHead < this.queue.length && (this.queue[this.queueHead] as { at: number }).at <= now) {
      const e = this.queue[this.queueHead++]!;
      const idx = this.laggedIndex(e.locationId);
      if (e.doc) idx.put(e.doc);
      else idx.remove(e.id);
    }
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
    return this.laggedIndex(locationId);
  }

  private laggedIndex(locationId: string): ContactIndex {
    let idx = this.lagged.get(locationId);
    if (!idx) this.lagged.set(locationId, (idx = new ContactIndex()));
    return idx;
  }

  /**
   * The index entry for a contact as it is now. Its search item is built on first read (seeding 100k
   * contacts stays cheap); `snapshot()` is called before any change so an entry still visible in the
   * lagged index keeps showing the old values.
   */
  toDoc(rec: ContactRec): IndexDoc {
    const emails: string[] = [];
    if (rec.email) emails.push(rec.email.toLowerCase());
    for (const e of rec.additionalEmails) emails.push(e.toLowerCase());
    const phones: string[] = rec.phone ? [rec.phone, ...rec.additionalPhones] : [...rec.additionalPhones];
    const businesses = this.businesses;
    let item: Readonly<Record<string, unknown>> | undefined;
    return {
      id: rec.id,
      updated: rec.dateUpdated,
      added: rec.dateAdded,
      emails,
      phones,
      businessId: rec.businessId,
      get item() {
        return (item ??= searchItem(rec, rec.businessId ? businesses.get(rec.businessId) : undefined));
      },
    };
  }

  /** Fix the current index entry's item before `rec` changes (see toDoc). */
  private snapshot(rec: ContactRec): void {
    if (this.opts.searchLagMs > 0) void this.liveIndex(rec.locationId).docs.get(rec.id)?.item;
  }

  private reindex(rec: ContactRec, deleted = false): void {
    const doc = deleted ? null : this.toDoc(rec);
    const live = this.liveIndex(rec.locationId);
    if (doc) live.put(doc);
    else live.remove(rec.id);
    if (this.opts.searchLagMs > 0)
      this.queue.push({ at: this.now + this.opts.searchLagMs, locationId: rec.locationId, id: rec.id, doc });
  }

  /** Seeding: put many contacts at once (one sort per index). */
  loadContacts(recs: ContactRec[]): void {
    const byLocation = new Map<string, IndexDoc[]>();
    for (const rec of recs) {
      this.contacts.set(rec.id, rec);
      let list = byLocation.get(rec.locationId);
      if (!list) byLocation.set(rec.locationId, (list = []));
      list.push(this.toDoc(rec));
    }
    for (const [loc, docs] of byLocation) {
      this.liveIndex(loc).load(docs);
      if (this.opts.searchLagMs > 0) this.laggedIndex(loc).load(docs);
    }
  }

  // ---- contacts ------------------------------------------------------------------------------------

  location(id: string): LocationRec | undefined {
    return this.locations.get(id);
  }

  /** A custom field added in the location's settings (the admin's `addCustomField`). */
  addCustomField(locationId: string, def: CustomFieldDef): CustomFieldDef {
    this.locations.get(locationId)!.customFields.push(def);
    return def;
  }

  /**
   * A custom field deleted in the location's settings: its definition goes, and so do the values contacts held in it
   * (they are no longer shown or searchable). Contacts' dateUpdated is not moved: nobody edited them.
   */
  deleteCustomField(locationId: string, fieldId: string): boolean {
    const loc = this.locations.get(locationId);
    const i = loc?.customFields.findIndex((f) => f.id === fieldId) ?? -1;
    if (!loc || i < 0) return false;
    loc.customFields.splice(i, 1);
    for (const rec of this.contacts.values()) {
      if (rec.locationId !== locationId || !rec.customFields.has(fieldId)) continue;
      this.snapshot(rec);
      rec.customFields.delete(fieldId);
      this.reindex(rec);
    }
    return true;
  }

  createContact(locationId: string, patch: ContactPatch): ContactRec {
    const now = this.now;
    const rec: ContactRec = {
      id: this.ids.next('contact'),
      locationId,
      tags: [],
      customFields: new Map(),
      additionalEmails: [],
      additionalPhones: [],
      followers: [],
      dateAdded: now,
      dateUpdated: now,
    };
    this.applyPatch(rec, patch);
    this.contacts.set(rec.id, rec);
    this.reindex(rec);
    return rec;
  }

  updateContact(rec: ContactRec, patch: ContactPatch): ContactRec {
    this.snapshot(rec);
    this.applyPatch(rec, patch);
    rec.dateUpdated = this.now;
    this.reindex(rec);
    return rec;
  }

  /** Bump dateUpdated without changing data (e.g. task/note edits when that option is on). */
  touch(rec: ContactRec): void {
    this.snapshot(rec);
    rec.dateUpdated = this.now;
    this.reindex(rec);
  }

  deleteContact(id: string): boolean {
    const rec = this.contacts.get(id);
    if (!rec) return false;
    this.contacts.delete(id);
    this.tasks.delete(id);
    this.notes.delete(id);
    this.events.delete(id);
    this.reindex(rec, true);
    return true;
  }

  /** Oldest live contact in the location with this email (primary or additional), except `exceptId`. */
  findByEmail(locationId: string, email: string, exceptId?: string): ContactRec | undefined {
    return this.oldest(this.liveIndex(locationId).lookup('email', email.trim().toLowerCase()), exceptId);
  }

  findByPhone(locationId: string, phone: string, exceptId?: string): ContactRec | undefined {
    const loc = this.locations.get(locationId);
    return this.oldest(
      this.liveIndex(locationId).lookup('phone', normalizePhone(phone, loc?.country ?? 'US')),
      exceptId,
    );
  }

  private oldest(docs: IndexDoc[], exceptId?: string): ContactRec | undefined {
    let best: IndexDoc | undefined;
    for (const d of docs) {
      if (d.id === exceptId) continue;
      if (!best || d.added < best.added || (d.added === best.added && d.id < best.id)) best = d;
    }
    return best ? this.contacts.get(best.id) : undefined;
  }

  applyPatch(rec: ContactRec, patch: ContactPatch): void {
    const loc = this.locations.get(rec.locationId);
    const country = loc?.country ?? 'US';
    if (patch.name !== undefined && patch.firstName === undefined && patch.lastName === undefined) {
      if (patch.name === null) {
        delete rec.firstName;
        delete rec.lastName;
      } else {
        const parts = patch.name.trim().split(/\s+/);
        rec.firstName = parts[0] ?? '';
        if (parts.length > 1) rec.lastName = parts.slice(1).join(' ');
        else delete rec.lastName;
      }
    }
    for (const k of STRING_FIELDS) {
      const v = patch[k];
      if (v === undefined) continue;
      if (v === null || v === '') delete rec[k];
      else if (k === 'email') rec.email = v.trim();
      else if (k === 'phone') rec.phone = normalizePhone(v, country);
      else rec[k] = v;
    }
    if (patch.dnd !== undefined) {
      if (patch.dnd === null) delete rec.dnd;
      else rec.dnd = patch.dnd;
    }
    if (patch.dndSettings !== undefined) {
      if (patch.dndSettings === null) delete rec.dndSettings;
      else rec.dndSettings = { ...rec.dndSettings, ...patch.dndSettings };
    }
    if (patch.inboundDndSettings !== undefined) {
      if (patch.inboundDndSettings === null) delete rec.inboundDndSettings;
      else rec.inboundDndSettings = { ...rec.inboundDndSettings, ...patch.inboundDndSettings };
    }
    if (patch.tags !== undefined) rec.tags = patch.tags === null ? [] : normalizeTags(patch.tags);
    if (patch.dateOfBirth !== undefined) {
      if (patch.dateOfBirth === null) delete rec.dateOfBirth;
      else rec.dateOfBirth = patch.dateOfBirth;
    }
    if (patch.customFields) {
      for (const cf of patch.customFields) {
        const def = loc?.customFields.find(
          (d) =>
            (cf.id !== undefined && d.id === cf.id) ||
            (cf.key !== undefined && (d.fieldKey === cf.key || d.fieldKey === `contact.${cf.key}`)),
        );
        if (!def) continue; // unknown ids are ignored silently (see README)
        if (isEmptyValue(cf.value)) rec.customFields.delete(def.id);
        else rec.customFields.set(def.id, cf.value);
      }
    }
    if (patch.additionalEmails)
      rec.additionalEmails = [...new Set(patch.additionalEmails.map((e) => e.trim()).filter(Boolean))];
    if (patch.additionalPhones)
      rec.additionalPhones = [...new Set(patch.additionalPhones.map((p) => normalizePhone(p, country)))];
    if (patch.followers) rec.followers = [...new Set(patch.followers)];
  }

  /** Add/remove tags (the tag endpoints). Returns the resulting tags. Always bumps dateUpdated. */
  changeTags(rec: ContactRec, add: readonly string[], remove: readonly string[]): string[] {
    const drop = new Set(normalizeTags(remove));
    this.snapshot(rec);
    rec.tags = normalizeTags([...rec.tags, ...add]).filter((t) => !drop.has(t));
    rec.dateUpdated = this.now;
    this.reindex(rec);
    return [...rec.tags];
  }

  // ---- tasks, notes, appointments -------------------------------------------------------------------

  private childChanged(contactId: string): void {
    if (!this.opts.taskNoteEditsBumpContact) return;
    const rec = this.contacts.get(contactId);
    if (rec) this.touch(rec);
  }

  listTasks(contactId: string): TaskRec[] {
    return this.tasks.get(contactId) ?? [];
  }

  findTask(contactId: string, taskId: string): TaskRec | undefined {
    return this.tasks.get(contactId)?.find((t) => t.id === taskId);
  }

  createTask(contactId: string, input: Omit<TaskRec, 'id' | 'contactId' | 'dateAdded'>, id?: string): TaskRec {
    const task: TaskRec = { id: id ?? this.ids.next('task'), contactId, dateAdded: this.now, ...input };
    let list = this.tasks.get(contactId);
    if (!list) this.tasks.set(contactId, (list = []));
    list.push(task);
    if (!id) this.childChanged(contactId);
    return task;
  }

  updateTask(
    task: TaskRec,
    patch: Partial<Pick<TaskRec, 'title' | 'body' | 'assignedTo' | 'dueDate' | 'completed'>>,
  ): TaskRec {
    for (const [k, v] of Object.entries(patch))
      if (v !== undefined) (task as unknown as Record<string, unknown>)[k] = v;
    this.childChanged(task.contactId);
    return task;
  }

  deleteTask(contactId: string, taskId: string): boolean {
    const list = this.tasks.get(contactId);
    const i = list?.findIndex((t) => t.id === taskId) ?? -1;
    if (!list || i < 0) return false;
    list.splice(i, 1);
    this.childChanged(contactId);
    return true;
  }

  /** Newest first. */
  listNotes(contactId: string): NoteRec[] {
    return [...(this.notes.get(contactId) ?? [])].sort((a, b) => b.dateAdded - a.dateAdded || (a.id < b.id ? 1 : -1));
  }

  findNote(contactId: string, noteId: string): NoteRec | undefined {
    return this.notes.get(contactId)?.find((n) => n.id === noteId);
  }

  createNote(
    contactId: string,
    input: Omit<NoteRec, 'id' | 'contactId' | 'dateAdded'>,
    seeded?: { id: string; dateAdded: number },
  ): NoteRec {
    const note: NoteRec = {
      id: seeded?.id ?? this.ids.next('note'),
      contactId,
      dateAdded: seeded?.dateAdded ?? this.now,
      ...input,
    };
    let list = this.notes.get(contactId);
    if (!list) this.notes.set(contactId, (list = []));
    list.push(note);
    if (!seeded) this.childChanged(contactId);
    return note;
  }

  updateNote(
    note: NoteRec,
    patch: Partial<Pick<NoteRec, 'body' | 'bodyText' | 'userId' | 'title' | 'color' | 'pinned'>>,
  ): NoteRec {
    // A new body without its own plain text: the old bodyText no longer belongs to it.
    if (patch.body !== undefined && patch.bodyText === undefined) delete note.bodyText;
    for (const [k, v] of Object.entries(patch))
      if (v !== undefined) (note as unknown as Record<string, unknown>)[k] = v;
    this.childChanged(note.contactId);
    return note;
  }

  deleteNote(contactId: string, noteId: string): boolean {
    const list = this.notes.get(contactId);
    const i = list?.findIndex((n) => n.id === noteId) ?? -1;
    if (!list || i < 0) return false;
    list.splice(i, 1);
    this.childChanged(contactId);
    return true;
  }

  /** An appointment changed in the calendar (rescheduled, cancelled, renamed); the contact itself is not touched. */
  updateEvent(contactId: string, eventId: string, patch: Partial<EventRec>): EventRec {
    const list = this.events.get(contactId) ?? [];
    const ev = list.find((e) => e.id === eventId);
    if (!ev) throw new Error(`no appointment ${eventId}`);
    Object.assign(ev, patch);
    list.sort((a, b) => a.startTime - b.startTime);
    return ev;
  }

  addEvent(ev: EventRec): EventRec {
    let list = this.events.get(ev.contactId);
    if (!list) this.events.set(ev.contactId, (list = []));
    list.push(ev);
    list.sort((a, b) => a.startTime - b.startTime);
    return ev;
  }
}
