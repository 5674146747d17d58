/**
 * zod schemas for what GHL answers, and the functions that turn each answer into our normalized records.
 * Lenient where GHL is inconsistent (null vs absent, ISO vs epoch dates, `address` vs `address1`), strict where a
 * wrong type would mean we misread the record (a number where the email should be rejects that one record).
 */
import { z } from 'zod';
import { isoFromMs } from '../shared/dates.js';
import { fieldIssues } from '../shared/issues.js';
import type {
  GhlAppointment,
  GhlContact,
  GhlCustomFieldDef,
  GhlCustomFieldValue,
  GhlList,
  GhlNote,
  GhlRejectedItem,
  GhlTask,
} from './records.js';

const str = z.string().nullish();
const strOrNum = z.union([z.string(), z.number()]).nullish();
const bool = z.boolean().nullish();

const customFieldValue = z.object({ id: z.string(), value: z.unknown() }).loose();
const emailEntry = z.union([z.string(), z.object({ email: z.string().nullish() }).loose()]);
const phoneEntry = z.union([z.string(), z.object({ phone: z.string().nullish() }).loose()]);

/** A contact in any of GHL's shapes (GET one, write responses, search item, deprecated list item). */
export const rawContactSchema = z
  .object({
    id: z.string().min(1),
    locationId: str,
    firstName: str,
    lastName: str,
    name: str,
    email: str,
    phone: str,
    additionalEmails: z.array(emailEntry).nullish(),
    additionalPhones: z.array(phoneEntry).nullish(),
    companyName: str,
    businessId: str,
    address1: str,
    address: str,
    city: str,
    state: str,
    postalCode: str,
    country: str,
    website: str,
    timezone: str,
    source: str,
    type: str,
    assignedTo: str,
    dateOfBirth: strOrNum,
    dnd: bool,
    tags: z.array(z.string()).nullish(),
    customFields: z.array(customFieldValue).nullish(),
    dateAdded: strOrNum,
    dateUpdated: strOrNum,
    searchAfter: z.array(z.union([z.string(), z.number()])).nullish(),
  })
  .loose();
export type RawContact = z.infer<typeof rawContactSchema>;

const n = <T>(v: T | null | undefined): T | null => (v === undefined ? null : v);

/** Epoch ms or ISO text → ISO 8601, or null when unreadable. */
export function toIso(v: string | number | null | undefined): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return isoFromMs(v);
  if (/^\d{10,}$/.test(v)) return isoFromMs(Number(v));
  const t = Date.parse(v);
  return Number.isFinite(t) ? new Date(t).toISOString() : v;
}

/** Date of birth in any GHL shape (YYYY-MM-DD, ISO, epoch ms) → YYYY-MM-DD. */
export function toDateOnly(v: string | number | null | undefined): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return isoFromMs(v)?.slice(0, 10) ?? null;
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) return v.slice(0, 10);
  if (/^-?\d{9,}$/.test(v)) return isoFromMs(Number(v))?.slice(0, 10) ?? null;
  return v;
}

export function normalizeContact(c: RawContact): GhlContact {
  return {
    id: c.id,
    locationId: n(c.locationId),
    firstName: n(c.firstName),
    lastName: n(c.lastName),
    name: n(c.name),
    email: n(c.email),
    phone: n(c.phone),
    additionalEmails: (c.additionalEmails ?? [])
      .map((e) => (typeof e === 'string' ? e : e.email))
      .filter((e): e is string => !!e),
    additionalPhones: (c.additionalPhones ?? [])
      .map((p) => (typeof p === 'string' ? p : p.phone))
      .filter((p): p is string => !!p),
    companyName: n(c.companyName),
    businessId: n(c.businessId),
    address1: n(c.address1 ?? c.address),
    city: n(c.city),
    state: n(c.state),
    postalCode: n(c.postalCode),
    country: n(c.country),
    website: n(c.website),
    timezone: n(c.timezone),
    source: n(c.source),
    type: n(c.type),
    assignedTo: n(c.assignedTo),
    dateOfBirth: toDateOnly(c.dateOfBirth),
    dnd: n(c.dnd),
    tags: c.tags ?? [],
    customFields: (c.customFields ?? []).map((f): GhlCustomFieldValue => ({ id: f.id, value: f.value })),
    dateAdded: toIso(c.dateAdded),
    dateUpdated: toIso(c.dateUpdated),
  };
}

export const rawTaskSchema = z
  .object({
    id: z.string().min(1),
    contactId: str,
    title: str,
    body: str,
    assignedTo: str,
    dueDate: strOrNum,
    completed: bool,
  })
  .loose();

export function normalizeTask(t: z.infer<typeof rawTaskSchema>, contactId: string): GhlTask {
  return {
    id: t.id,
    contactId: t.contactId || contactId,
    title: n(t.title),
    body: n(t.body),
    assignedTo: n(t.assignedTo),
    dueDate: toIso(t.dueDate),
    completed: t.completed ?? false,
  };
}

/**
 * An item of the location task search (README "Location task search"). The spec leaves its shape open, so this is
 * lenient: the per-contact task's keys, `_id` read as `id` when `id` is missing; only `contactId` is required beyond
 * the id, because a task that cannot be tied to its contact cannot be synced (reported as rejected instead).
 */
export const rawSearchTaskSchema = z.preprocess(
  (v) =>
    v && typeof v === 'object' && !('id' in v) && typeof (v as { _id?: unknown })._id === 'string'
      ? { ...v, id: (v as { _id: string })._id }
      : v,
  rawTaskSchema.extend({ contactId: z.string().min(1), dateAdded: strOrNum }),
);

export function normalizeSearchTask(t: z.infer<typeof rawSearchTaskSchema>): GhlTask {
  return normalizeTask(t, t.contactId);
}

export const rawNoteSchema = z
  .object({
    id: z.string().min(1),
    contactId: str,
    body: str,
    bodyText: str,
    userId: str,
    title: str,
    color: str,
    pinned: bool,
    dateAdded: strOrNum,
  })
  .loose();

export function normalizeNote(x: z.infer<typeof rawNoteSchema>, contactId: string): GhlNote {
  return {
    id: x.id,
    contactId: x.contactId || contactId,
    body: n(x.body),
    bodyText: n(x.bodyText),
    userId: n(x.userId),
    title: n(x.title),
    color: n(x.color),
    pinned: x.pinned ?? false,
    dateAdded: toIso(x.dateAdded),
  };
}

export const rawAppointmentSchema = z
  .object({
    id: z.string().min(1),
    contactId: str,
    calendarId: str,
    title: str,
    status: str,
    appointmentStatus: str,
    assignedUserId: str,
    notes: str,
    address: str,
    startTime: strOrNum,
    endTime: strOrNum,
    dateAdded: strOrNum,
    dateUpdated: strOrNum,
  })
  .loose();

const timeText = (v: string | number | null | undefined): string | null =>
  v === null || v === undefined ? null : typeof v === 'number' ? isoFromMs(v) : v;

export function normalizeAppointment(a: z.infer<typeof rawAppointmentSchema>): GhlAppointment {
  return {
    id: a.id,
    contactId: n(a.contactId),
    calendarId: n(a.calendarId),
    title: n(a.title),
    status: n(a.status),
    appointmentStatus: n(a.appointmentStatus),
    assignedUserId: n(a.assignedUserId),
    notes: n(a.notes),
    address: n(a.address),
    startTime: timeText(a.startTime),
    endTime: timeText(a.endTime),
    dateAdded: timeText(a.dateAdded),
    dateUpdated: timeText(a.dateUpdated),
  };
}

export const rawCustomFieldDefSchema = z
  .object({
    id: z.string().min(1),
    name: z.string(),
    fieldKey: str,
    dataType: str,
    model: str,
    picklistOptions: z.array(z.unknown()).nullish(),
  })
  .loose();

export function normalizeCustomFieldDef(f: z.infer<typeof rawCustomFieldDefSchema>): GhlCustomFieldDef {
  return {
    id: f.id,
    name: f.name,
    fieldKey: n(f.fieldKey),
    dataType: n(f.dataType),
    model: n(f.model),
    picklistOptions: (f.picklistOptions ?? []).filter((o): o is string => typeof o === 'string'),
  };
}

/** Describe zod issues by path only (values may be personal data and must not reach logs). */
export function describeIssues(error: z.ZodError, max = 3): string {
  const parts = error.issues.slice(0, max).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  if (error.issues.length > max) parts.push(`+${error.issues.length - max} more`);
  return parts.join('; ');
}

/** Validate every item of a list on its own: good ones normalized, bad ones reported with the reason. */
export function splitItems<S extends z.ZodType, T>(
  raws: readonly unknown[],
  schema: S,
  normalize: (item: z.infer<S>) => T,
): GhlList<T> {
  const items: T[] = [];
  const rejected: GhlRejectedItem[] = [];
  for (const raw of raws) {
    const r = schema.safeParse(raw);
    if (r.success) {
      items.push(normalize(r.data));
    } else {
      const id =
        raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string'
          ? (raw as { id: string }).id
          : undefined;
      rejected.push({ raw, reason: describeIssues(r.error), issues: fieldIssues(r.error), ...(id ? { id } : {}) });
    }
  }
  return { items, rejected };
}

/* ---- envelopes: the outer shape of each answer (an envelope mismatch fails the whole call) ---- */

const list = z.array(z.unknown());

export const envelopes = {
  contact: z.object({ contact: rawContactSchema }).loose(),
  updated: z.object({ contact: rawContactSchema, succeded: z.boolean().nullish() }).loose(),
  upserted: z.object({ contact: rawContactSchema, new: z.boolean().nullish(), traceId: str }).loose(),
  deleted: z.object({ succeded: z.boolean().nullish(), succeeded: z.boolean().nullish() }).loose(),
  contactList: z
    .object({
      contacts: list,
      count: z.number().nullish(),
      meta: z
        .object({
          total: z.number().nullish(),
          startAfterId: str,
          startAfter: z.union([z.number(), z.string()]).nullish(),
          nextPage: z.union([z.number(), z.string()]).nullish(),
          nextPageUrl: str,
        })
        .loose()
        .nullish(),
    })
    .loose(),
  search: z.object({ contacts: list, total: z.number().nullish(), traceId: str }).loose(),
  duplicate: z.object({ contact: rawContactSchema.nullish() }).loose(),
  tasks: z.object({ tasks: list }).loose(),
  task: z.object({ task: rawTaskSchema }).loose(),
  taskSearch: z.object({ tasks: list }).loose(),
  notes: z.object({ notes: list }).loose(),
  note: z.object({ note: rawNoteSchema }).loose(),
  events: z.object({ events: list }).loose(),
  tags: z.object({ tags: z.array(z.string()) }).loose(),
  customFields: z.object({ customFields: list }).loose(),
  /** GET /locations/{locationId}: `GetLocationByIdSuccessfulResponseDto` (locations.json). */
  location: z
    .object({ location: z.object({ id: z.string(), name: str, country: str, timezone: str }).loose() })
    .loose(),
} as const;
