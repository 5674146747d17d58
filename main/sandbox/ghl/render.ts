/**
 * Storage records → the JSON the real API shows. Three contact shapes exist (README "Facts: contact shapes"):
 *  - GET one / PUT / upsert  (GetContectByIdSchema, + additionalEmails as seen live)
 *  - create                  (CreateContactSchema: the GET shape + deleted, bounceEmail, … offers, products)
 *  - search item             ([Dh] `Contact`: `address` not `address1`, contactName, epoch dateOfBirth, searchAfter)
 * Absent values are left out of the GET/create shapes (as a document store does); the search item sends them as
 * null, as the recorded live answers show (README "Answers checked against live recordings").
 */
import type { ContactRec, EventRec, NoteRec, TaskRec } from './records.js';

export const iso = (ms: number): string => new Date(ms).toISOString();

/** Write and delete answers carry the flag in both spellings [NG update-contact, delete-contact, upsert-contact]. */
export const SUCCESS = { succeded: true, succeeded: true } as const;

function fullName(rec: ContactRec): string | undefined {
  const n = [rec.firstName, rec.lastName].filter((x) => x && x.length).join(' ');
  return n || rec.name || undefined;
}

/** Copy without undefined values (keeps null/false/0/''). A fresh object, not `delete`: keeps V8's fast shape. */
function compact<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const k in o) {
    const v = o[k];
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}

function customFieldList(rec: ContactRec): Array<{ id: string; value: unknown }> {
  return [...rec.customFields].map(([id, value]) => ({ id, value }));
}

export function contactView(rec: ContactRec): Record<string, unknown> & {
  id: string;
  locationId: string;
  dateAdded: string;
  dateUpdated: string;
  tags: string[];
} {
  const name = fullName(rec);
  return compact({
    id: rec.id,
    name,
    locationId: rec.locationId,
    firstName: rec.firstName,
    lastName: rec.lastName,
    email: rec.email,
    emailLowerCase: rec.email?.toLowerCase(),
    timezone: rec.timezone,
    companyName: rec.companyName,
    phone: rec.phone,
    dnd: rec.dnd ?? false,
    dndSettings: rec.dndSettings,
    inboundDndSettings: rec.inboundDndSettings,
    type: rec.type ?? 'lead',
    source: rec.source,
    assignedTo: rec.assignedTo,
    address1: rec.address1,
    city: rec.city,
    state: rec.state,
    country: rec.country,
    postalCode: rec.postalCode,
    website: rec.website,
    tags: [...rec.tags],
    dateOfBirth: rec.dateOfBirth === undefined ? undefined : iso(rec.dateOfBirth),
    dateAdded: iso(rec.dateAdded),
    dateUpdated: iso(rec.dateUpdated),
    ssn: rec.ssn,
    keyword: rec.keyword,
    firstNameLowerCase: rec.firstName?.toLowerCase(),
    fullNameLowerCase: name?.toLowerCase(),
    lastNameLowerCase: rec.lastName?.toLowerCase(),
    customFields: customFieldList(rec),
    additionalEmails: rec.additionalEmails.map((email) => ({ email })),
    additionalPhones: rec.additionalPhones.map((phone) => ({ phone })),
    businessId: rec.businessId,
    followers: [...rec.followers],
    createdBy: { source: 'INTEGRATION', channel: 'API', sourceId: rec.locationId, timestamp: iso(rec.dateAdded) },
  });
}

/** POST /contacts/ answer: CreateContactSchema's extra keys on top of the read shape. */
export function createdView(rec: ContactRec): Record<string, unknown> {
  const dob = rec.dateOfBirth === undefined ? undefined : new Date(rec.dateOfBirth);
  return compact({
    ...contactView(rec),
    deleted: false,
    bounceEmail: false,
    unsubscribeEmail: false,
    birthMonth: dob ? dob.getUTCMonth() : undefined,
    birthDay: dob ? dob.getUTCDate() : undefined,
    offers: [],
    products: [],
  });
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The search-result item without `searchAfter` (added per sort at query time). Hot path (100k contacts):
 * absent values stay `undefined` and are dropped by JSON serialization instead of being copied out here.
 * Treat the result as read-only.
 */
export function searchItem(rec: ContactRec, businessName: string | undefined): Readonly<Record<string, unknown>> {
  const name = fullName(rec);
  return {
    id: rec.id,
    locationId: rec.locationId,
    firstName: rec.firstName ?? null,
    lastName: rec.lastName ?? null,
    firstNameLowerCase: rec.firstName?.toLowerCase() ?? null,
    lastNameLowerCase: rec.lastName?.toLowerCase() ?? null,
    contactName: name?.toLowerCase() ?? null,
    email: rec.email ?? null,
    phone: rec.phone ?? null,
    phoneLabel: null,
    additionalEmails: rec.additionalEmails.map((email) => ({ email })),
    additionalPhones: rec.additionalPhones.map((phone) => ({ phone })),
    companyName: rec.companyName ?? null,
    businessName: businessName ?? null,
    businessId: rec.businessId ?? null,
    address: rec.address1 ?? null,
    city: rec.city ?? null,
    state: rec.state ?? null,
    postalCode: rec.postalCode ?? null,
    country: rec.country ?? null,
    website: rec.website ?? null,
    timezone: rec.timezone ?? null,
    source: rec.source ?? null,
    type: rec.type ?? 'lead',
    dnd: rec.dnd ?? false,
    dndSettings: rec.dndSettings ?? {},
    inboundDndSettings: rec.inboundDndSettings ?? {},
    tags: [...rec.tags],
    customFields: customFieldList(rec),
    assignedTo: rec.assignedTo ?? null,
    followers: [...rec.followers],
    validEmail: rec.email ? EMAIL_RE.test(rec.email) : null,
    dateOfBirth: rec.dateOfBirth ?? null,
    dateAdded: iso(rec.dateAdded),
    dateUpdated: iso(rec.dateUpdated),
    opportunities: [],
  };
}

export function taskView(t: TaskRec): {
  id: string;
  title: string;
  body?: string;
  assignedTo?: string;
  dueDate: string;
  completed: boolean;
  contactId: string;
} {
  return compact({
    id: t.id,
    title: t.title,
    body: t.body,
    assignedTo: t.assignedTo,
    dueDate: t.dueDate,
    completed: t.completed,
    contactId: t.contactId,
  });
}

/**
 * A note as live [NG create-contact-note, list-contact-notes]: `body` (markup when written in HighLevel's editor)
 * beside the plain `bodyText`, `userId` null when no author, `pinned` false, `relations` [].
 */
export function noteView(n: NoteRec): {
  id: string;
  body: string;
  bodyText: string;
  userId: string | null;
  dateAdded: string;
  contactId: string;
  title?: string;
  color?: string;
  pinned: boolean;
  relations: unknown[];
} {
  return compact({
    id: n.id,
    body: n.body,
    bodyText: n.bodyText ?? plainText(n.body),
    userId: n.userId ?? null,
    dateAdded: iso(n.dateAdded),
    contactId: n.contactId,
    title: n.title,
    color: n.color,
    pinned: n.pinned ?? false,
    relations: [],
  });
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/** The editor's markup as plain text: block ends and <br> become line breaks, tags go, entities are decoded. */
export function plainText(markup: string): string {
  if (!/[<&]/.test(markup)) return markup;
  return markup
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6])>\s*/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ENTITIES[e] ?? '')
    .replace(/\n+$/, '');
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** "YYYY-MM-DD HH:mm:ss" in the location's time zone, as the appointments example shows (no zone, no ISO). */
export function wallClock(ms: number, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

export function eventView(
  e: EventRec,
  timeZone: string,
): Record<string, unknown> & { id: string; startTime: string; endTime: string } {
  return compact({
    id: e.id,
    calendarId: e.calendarId,
    status: e.status,
    title: e.title,
    assignedUserId: e.assignedUserId,
    notes: e.notes,
    startTime: wallClock(e.startTime, timeZone),
    endTime: wallClock(e.endTime, timeZone),
    address: e.address,
    locationId: e.locationId,
    contactId: e.contactId,
    appointmentStatus: e.status,
    users: [...e.users],
    dateAdded: wallClock(e.dateAdded, timeZone),
    dateUpdated: wallClock(e.dateUpdated, timeZone),
    assignedResources: [],
  });
}
