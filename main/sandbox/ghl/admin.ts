/**
 * The in-process admin: a person editing records in the GHL web app. Edits go through the same store
 * as API writes, so they bump dateUpdated, reach search after the lag, and show up in the next poll.
 * No whitelist and no duplicate rule (tests use it to build awkward states, e.g. additional emails).
 */
import type { SandboxStats } from '../types.js';
import type { GhlContext } from './context.js';
import { AdminError, type AdminAppointmentInput, type AdminContactInput, type GhlAdmin } from './options.js';
import type { ContactPatch, ContactRec } from './records.js';
import { contactView, eventView, noteView, taskView } from './render.js';
import { parseDateOfBirth } from './write-dto.js';
import { SANDBOX_CALENDARS, calendarIds } from './routes-calendars.js';

const STRING_KEYS = new Set([
  'firstName',
  'lastName',
  'name',
  'email',
  'phone',
  'companyName',
  'businessId',
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
]);
const LIST_KEYS = new Set(['tags', 'additionalEmails', 'additionalPhones', 'followers']);

function toMs(v: string | number, what: string): number {
  const ms = typeof v === 'number' ? v : Date.parse(v);
  if (!Number.isFinite(ms)) throw new AdminError(400, `${what} is not a date: ${String(v)}`);
  return ms;
}

function isoDue(v: unknown): string {
  if (typeof v !== 'string' && typeof v !== 'number') throw new AdminError(400, 'dueDate is required (ISO date)');
  return new Date(toMs(v, 'dueDate')).toISOString();
}

/** Admin input → store patch; unknown keys are refused so a typo in a test does not pass silently. */
export function adminPatch(input: AdminContactInput): ContactPatch {
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (STRING_KEYS.has(k)) {
      if (v !== null && typeof v !== 'string') throw new AdminError(400, `${k} must be a string or null`);
      patch[k] = v;
    } else if (LIST_KEYS.has(k)) {
      if (v !== null && (!Array.isArray(v) || !v.every((x) => typeof x === 'string')))
        throw new AdminError(400, `${k} must be a list of strings`);
      patch[k] = v ?? [];
    } else if (k === 'dnd') {
      if (v !== null && typeof v !== 'boolean') throw new AdminError(400, 'dnd must be true, false or null');
      patch.dnd = v;
    } else if (k === 'dndSettings') {
      patch.dndSettings = v;
    } else if (k === 'inboundDndSettings') {
      patch.inboundDndSettings = v;
    } else if (k === 'dateOfBirth') {
      patch.dateOfBirth =
        v === null ? null : typeof v === 'number' ? v : typeof v === 'string' ? parseDateOfBirth(v) : undefined;
      if (patch.dateOfBirth === undefined) throw new AdminError(400, `dateOfBirth is not a date: ${String(v)}`);
    } else if (k === 'customFields') {
      if (!Array.isArray(v)) throw new AdminError(400, 'customFields must be a list of {id or key, value}');
      patch.customFields = v.map((cf: Record<string, unknown>) => ({
        id: cf.id,
        key: cf.key,
        value: 'field_value' in cf ? cf.field_value : cf.value,
      }));
    } else {
      throw new AdminError(400, `Unknown contact field "${k}"`);
    }
  }
  return patch as ContactPatch;
}

export interface AdminHooks {
  stats(): SandboxStats;
  reset(): void;
  setFaults(spec: string): void;
}

export function createAdmin(ctx: GhlContext, hooks: AdminHooks): GhlAdmin {
  const { store } = ctx;
  const contact = (id: string): ContactRec => {
    const rec = store.contacts.get(id);
    if (!rec) throw new AdminError(404, `No contact with id ${id}`);
    return rec;
  };
  const task = (contactId: string, taskId: string) => {
    const t = store.findTask(contact(contactId).id, taskId);
    if (!t) throw new AdminError(404, `No task ${taskId} on contact ${contactId}`);
    return t;
  };
  const note = (contactId: string, noteId: string) => {
    const n = store.findNote(contact(contactId).id, noteId);
    if (!n) throw new AdminError(404, `No note ${noteId} on contact ${contactId}`);
    return n;
  };

  return {
    listContacts: (locationId = ctx.identity.locationId) =>
      [...store.liveIndex(locationId).sortedBy('dateAdded')].map((d) => contactView(store.contacts.get(d.id)!)),
    listCalendars: (locationId = ctx.identity.locationId) =>
      calendarIds(ctx.opts.seed, locationId).map((id, i) => ({ id, name: SANDBOX_CALENDARS[i]! })),
    getContact: (id) => {
      const rec = store.contacts.get(id);
      return rec ? contactView(rec) : undefined;
    },
    createContact: (input, locationId = ctx.identity.locationId) => {
      if (!store.location(locationId)) throw new AdminError(404, `No location ${locationId}`);
      return contactView(store.createContact(locationId, adminPatch(input)));
    },
    updateContact: (id, patch) => contactView(store.updateContact(contact(id), adminPatch(patch))),
    deleteContact: (id) => store.deleteContact(id),
    setTags: (contactId, tags) => contactView(store.updateContact(contact(contactId), { tags })),

    listTasks: (contactId) => store.listTasks(contact(contactId).id).map(taskView),
    getTask: (contactId, taskId) => {
      const t = store.findTask(contactId, taskId);
      return t ? taskView(t) : undefined;
    },
    createTask: (contactId, input) => {
      if (!input.title) throw new AdminError(400, 'A task needs a title');
      return taskView(
        store.createTask(contact(contactId).id, {
          title: input.title,
          body: input.body,
          dueDate: isoDue(input.dueDate),
          completed: input.completed ?? false,
          assignedTo: input.assignedTo,
        }),
      );
    },
    updateTask: (contactId, taskId, patch) =>
      taskView(
        store.updateTask(task(contactId, taskId), {
          ...patch,
          ...(patch.dueDate !== undefined ? { dueDate: isoDue(patch.dueDate) } : {}),
        }),
      ),
    completeTask: (contactId, taskId, completed = true) =>
      taskView(store.updateTask(task(contactId, taskId), { completed })),
    deleteTask: (contactId, taskId) => store.deleteTask(contactId, taskId),

    listNotes: (contactId) => store.listNotes(contact(contactId).id).map(noteView),
    getNote: (contactId, noteId) => {
      const n = store.findNote(contactId, noteId);
      return n ? noteView(n) : undefined;
    },
    createNote: (contactId, input) => {
      if (!input.body) throw new AdminError(400, 'A note needs a body');
      return noteView(store.createNote(contact(contactId).id, { ...input }));
    },
    updateNote: (contactId, noteId, patch) => noteView(store.updateNote(note(contactId, noteId), patch)),
    deleteNote: (contactId, noteId) => store.deleteNote(contactId, noteId),

    addAppointment: (contactId, input: AdminAppointmentInput) => {
      const c = contact(contactId);
      const loc = store.location(c.locationId)!;
      const start = toMs(input.startTime, 'startTime');
      const end = input.endTime === undefined ? start + 3_600_000 : toMs(input.endTime, 'endTime');
      const now = ctx.now();
      const ev = store.addEvent({
        id: store.ids.next('appointment'),
        calendarId: input.calendarId ?? calendarIds(ctx.opts.seed, loc.id)[0]!,
        contactId: c.id,
        locationId: loc.id,
        title: input.title ?? 'Appointment',
        status: input.status ?? 'booked',
        assignedUserId: loc.userIds[0]!,
        notes: input.notes,
        address: input.address,
        startTime: start,
        endTime: end,
        users: [loc.userIds[0]!],
        dateAdded: now,
        dateUpdated: now,
      });
      return eventView(ev, loc.timezone);
    },

    updateAppointment: (contactId, eventId, patch) => {
      const c = contact(contactId);
      const ev = store.events.get(c.id)?.find((e) => e.id === eventId);
      if (!ev) throw new AdminError(404, `No appointment ${eventId} on contact ${contactId}`);
      const loc = store.location(c.locationId)!;
      const start = patch.startTime === undefined ? ev.startTime : toMs(patch.startTime, 'startTime');
      const end =
        patch.endTime !== undefined
          ? toMs(patch.endTime, 'endTime')
          : patch.startTime !== undefined
            ? start + (ev.endTime - ev.startTime)
            : ev.endTime;
      const updated = store.updateEvent(c.id, eventId, {
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
        ...(patch.address !== undefined ? { address: patch.address } : {}),
        startTime: start,
        endTime: end,
        dateUpdated: ctx.now(),
      });
      return eventView(updated, loc.timezone);
    },

    setLocation: (patch) => {
      const loc = store.location(ctx.identity.locationId)!;
      if (patch.country !== undefined) {
        if (!/^[A-Z]{2}$/.test(patch.country))
          throw new AdminError(400, 'country must be an ISO 3166 alpha-2 code, e.g. "NZ"');
        loc.country = patch.country;
      }
      if (patch.timezone !== undefined) {
        try {
          new Intl.DateTimeFormat('en', { timeZone: patch.timezone });
        } catch {
          throw new AdminError(400, `timezone is not an IANA time zone: ${patch.timezone}`);
        }
        loc.timezone = patch.timezone;
      }
      return { country: loc.country, timezone: loc.timezone };
    },
    addCustomField: (input) => {
      const loc = store.location(ctx.identity.locationId)!;
      const name = typeof input.name === 'string' ? input.name.trim() : '';
      if (!name) throw new AdminError(400, 'A custom field needs a name');
      const slug = name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '_')
        .replace(/^_|_$/g, '');
      if (loc.customFields.some((f) => f.fieldKey === `contact.${slug}`))
        throw new AdminError(400, `The location already has a field "${name}"`);
      const def = store.addCustomField(loc.id, {
        id: store.ids.next('custom-field'),
        name,
        fieldKey: `contact.${slug}`,
        dataType: input.dataType ?? 'TEXT',
        placeholder: '',
        position: (loc.customFields.at(-1)?.position ?? 0) + 50,
        ...(input.picklistOptions ? { picklistOptions: [...input.picklistOptions] } : {}),
        dateAdded: ctx.now(),
      });
      return {
        id: def.id,
        name: def.name,
        fieldKey: def.fieldKey,
        dataType: def.dataType,
        ...(def.picklistOptions ? { picklistOptions: [...def.picklistOptions] } : {}),
      };
    },
    deleteCustomField: (id) => store.deleteCustomField(ctx.identity.locationId, id),

    setPrivateTokenScopes: (scopes) => ctx.tokens.setPrivateTokenScopes(scopes),
    revokePrivateToken: () => ctx.tokens.revokePrivateToken(),
    rotatePrivateToken: () => ctx.tokens.rotatePrivateToken(),
    otherLocationPrivateToken: () => ctx.tokens.issueOtherPrivateToken(ctx.identity.otherLocationId),
    revokeOAuthTokens: () => ctx.tokens.revokeAllOAuth(),
    setFaults: (spec) => hooks.setFaults(spec),
    stats: () => hooks.stats(),
    reset: () => hooks.reset(),
  };
}
