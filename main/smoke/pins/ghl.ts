/**
 * HighLevel answers, call by call: the keys and types every successful answer carries. Evidence, in order of
 * weight (main/sandbox/ghl/README.md, "Answers checked against live recordings"):
 *   [NG <file>]  a recorded live request/response pair, github.com/NangoHQ/integration-templates,
 *                integrations/highlevel/tests/<file> (recorded 2026-07-17);
 *   [spec <schema>]  the official OpenAPI file's schema (main/sandbox/ghl/README.md lists the files).
 * Only keys that the recordings always show (or the spec requires) are required; the real API sends more.
 */
import { oneOf, type Shape, type ShapePin } from '../shape.js';

const str = 'string';
const num = 'number';
const bool = 'boolean';
const strOrNull = 'string|null';

/** GET /contacts/{id}, PUT, upsert and the duplicate check: GetContectByIdSchema as seen live [NG get-contact]. */
export const CONTACT: Shape = {
  id: str,
  locationId: str,
  dateAdded: str,
  dateUpdated: str,
  type: str,
  tags: [str],
  customFields: [{ id: str, 'value?': 'any' }],
  additionalEmails: ['any'],
  additionalPhones: ['any'],
  'firstName?': strOrNull,
  'lastName?': strOrNull,
  'email?': strOrNull,
  'phone?': strOrNull,
  'companyName?': strOrNull,
  'country?': strOrNull,
  'businessId?': strOrNull,
  'createdBy?': { source: str, channel: str, timestamp: str },
};

/** POST /contacts/ [NG create-contact]: the create shape (deleted, bounceEmail, …) without additional*. */
const CREATED_CONTACT: Shape = {
  id: str,
  locationId: str,
  dateAdded: str,
  dateUpdated: str,
  deleted: bool,
  type: str,
  tags: [str],
  customFields: ['any'],
  'firstName?': strOrNull,
  'email?': strOrNull,
};

/** A search item [NG contacts, list-contacts]: absent values come as null, the keys are always there. */
export const SEARCH_ITEM: Shape = {
  id: str,
  locationId: str,
  type: str,
  dnd: bool,
  tags: [str],
  customFields: [{ id: str, 'value?': 'any' }],
  dateAdded: str,
  dateUpdated: str,
  additionalEmails: ['any'],
  additionalPhones: [{ phone: str }],
  followers: ['any'],
  searchAfter: ['number|string'],
  firstName: strOrNull,
  lastName: strOrNull,
  firstNameLowerCase: strOrNull,
  lastNameLowerCase: strOrNull,
  contactName: strOrNull,
  email: strOrNull,
  phone: strOrNull,
  phoneLabel: strOrNull,
  companyName: strOrNull,
  businessName: strOrNull,
  businessId: strOrNull,
  address: strOrNull,
  city: strOrNull,
  state: strOrNull,
  postalCode: strOrNull,
  website: strOrNull,
  timezone: strOrNull,
  source: strOrNull,
  assignedTo: strOrNull,
  validEmail: 'boolean|null',
  dateOfBirth: 'number|string|null',
  dndSettings: 'object',
  inboundDndSettings: 'object',
};

export const TASK: Shape = {
  id: str,
  title: str,
  dueDate: str,
  completed: bool,
  contactId: str,
  'body?': str,
  'assignedTo?': strOrNull,
};

/**
 * An item of the location task search [spec task-search: `{tasks}`, items untyped]: the keys the connector needs. A
 * maintainer confirmed the items carry `contactId` [I#332]; the rest is unverified (main/sandbox/ghl/README.md
 * "Location task search"), so only `id` and `contactId` are required.
 */
export const TASK_SEARCH_ITEM: Shape = { id: str, contactId: str, 'title?': str, 'completed?': bool, 'dueDate?': str };

/** [NG create-contact-note, list-contact-notes]: `body` may hold the editor's markup, `bodyText` is the plain text. */
export const NOTE: Shape = {
  id: str,
  body: str,
  bodyText: str,
  userId: strOrNull,
  dateAdded: str,
  contactId: str,
  pinned: bool,
  relations: ['any'],
};

/** Write and delete answers carry the flag in both spellings [NG update-contact, delete-contact, delete-contact-task]. */
const SUCCESS = { succeded: bool, succeeded: bool, traceId: str };

export const GHL_PINS = {
  getContact: {
    call: 'GET /contacts/{id}',
    status: 200,
    evidence: 'NG get-contact.test.json',
    shape: { contact: CONTACT, traceId: str },
  },
  createContact: {
    call: 'POST /contacts/',
    status: 200,
    evidence: 'NG create-contact.test.json (the spec says 201; live answered 200)',
    shape: { contact: CREATED_CONTACT, traceId: str },
  },
  updateContact: {
    call: 'PUT /contacts/{id}',
    status: 200,
    evidence: 'NG update-contact.test.json',
    shape: { ...SUCCESS, contact: CONTACT },
  },
  deleteContact: {
    call: 'DELETE /contacts/{id}',
    status: 200,
    evidence: 'NG delete-contact.test.json',
    shape: SUCCESS,
  },
  upsertContact: {
    call: 'POST /contacts/upsert',
    status: 200,
    evidence: 'NG upsert-contact.test.json',
    shape: { new: bool, ...SUCCESS, contact: CONTACT },
  },
  searchContacts: {
    call: 'POST /contacts/search',
    status: 200,
    evidence: 'NG contacts.test.json, list-contacts.test.json',
    shape: { contacts: [SEARCH_ITEM], total: num, traceId: str },
  },
  findDuplicate: {
    call: 'GET /contacts/search/duplicate',
    status: 200,
    evidence:
      'NG check-duplicate-contact.test.json (found); spec ContactsByIdSuccessfulResponseDto (none: contact null)',
    shape: oneOf({ contact: CONTACT, matchingField: str, traceId: str }, { contact: 'null', traceId: str }),
  },
  businessContacts: {
    call: 'GET /contacts/business/{businessId}',
    status: 200,
    evidence: 'spec ContactsSearchSuccessfulResponseDto',
    shape: { contacts: ['object'], count: num, traceId: str },
  },
  listContactsDeprecated: {
    call: 'GET /contacts/',
    status: 200,
    evidence: 'spec ContactsSearchSuccessfulResponseDto',
    shape: {
      contacts: [{ id: str, locationId: str, dateAdded: str, dateUpdated: str, tags: [str] }],
      count: num,
      meta: { total: num, currentPage: num },
      traceId: str,
    },
  },
  addTags: {
    call: 'POST /contacts/{id}/tags',
    status: 200,
    evidence: 'NG add-tags-to-contact.test.json (the spec says 201; live answered 200)',
    shape: { tags: [str], tagsAdded: [str], traceId: str },
  },
  removeTags: {
    call: 'DELETE /contacts/{id}/tags',
    status: 200,
    evidence: 'NG remove-tags-from-contact.test.json',
    shape: { tags: [str], tagsRemoved: [str], traceId: str },
  },
  listTasks: {
    call: 'GET /contacts/{id}/tasks',
    status: 200,
    evidence: 'NG list-contact-tasks.test.json; items as NG update-contact-task',
    shape: { tasks: [TASK], traceId: str },
  },
  getTask: {
    call: 'GET /contacts/{id}/tasks/{taskId}',
    status: 200,
    evidence: 'spec TaskByIsSuccessfulResponseDto; task as NG update-contact-task',
    shape: { task: TASK, traceId: str },
  },
  createTask: {
    call: 'POST /contacts/{id}/tasks',
    status: 200,
    evidence: 'NG create-contact-task.test.json (the spec says 201; live answered 200)',
    shape: { task: TASK, traceId: str },
  },
  updateTask: {
    call: 'PUT /contacts/{id}/tasks/{taskId}',
    status: 200,
    evidence: 'NG update-contact-task.test.json',
    shape: { task: TASK, traceId: str },
  },
  completeTask: {
    call: 'PUT /contacts/{id}/tasks/{taskId}/completed',
    status: 200,
    evidence: 'spec TaskByIsSuccessfulResponseDto; task as NG update-contact-task',
    shape: { task: TASK, traceId: str },
  },
  deleteTask: {
    call: 'DELETE /contacts/{id}/tasks/{taskId}',
    status: 200,
    evidence: 'NG delete-contact-task.test.json',
    shape: SUCCESS,
  },
  searchTasks: {
    call: 'POST /locations/{locationId}/tasks/search',
    status: 200,
    evidence: 'spec task-search (LocationTaskListSuccessfulResponseDto: {tasks}); items carry contactId [I#332]',
    shape: { tasks: [TASK_SEARCH_ITEM], traceId: str },
  },
  listNotes: {
    call: 'GET /contacts/{id}/notes',
    status: 200,
    evidence: 'NG list-contact-notes.test.json',
    shape: { notes: [NOTE], traceId: str },
  },
  getNote: {
    call: 'GET /contacts/{id}/notes/{noteId}',
    status: 200,
    evidence: 'spec GetCreateUpdateNoteSuccessfulResponseDto; note as NG create-contact-note',
    shape: { note: NOTE, traceId: str },
  },
  createNote: {
    call: 'POST /contacts/{id}/notes',
    status: 200,
    evidence: 'NG create-contact-note.test.json (the spec says 201; live answered 200)',
    shape: { note: NOTE, traceId: str },
  },
  updateNote: {
    call: 'PUT /contacts/{id}/notes/{noteId}',
    status: 200,
    evidence: 'spec GetCreateUpdateNoteSuccessfulResponseDto; note as NG create-contact-note',
    shape: { note: NOTE, traceId: str },
  },
  deleteNote: {
    call: 'DELETE /contacts/{id}/notes/{noteId}',
    status: 200,
    evidence: 'spec DeleteNoteSuccessfulResponseDto (succeded); both spellings as NG delete-contact-task',
    shape: SUCCESS,
  },
  listAppointments: {
    call: 'GET /contacts/{id}/appointments',
    status: 200,
    evidence: 'spec GetEventsSuccessfulResponseDto',
    shape: {
      events: [{ id: str, calendarId: str, startTime: str, endTime: str, 'title?': str, 'status?': str }],
      traceId: str,
    },
  },
  listCustomFields: {
    call: 'GET /locations/{locationId}/customFields',
    status: 200,
    evidence: 'NG custom-fields.test.json, list-custom-fields.test.json',
    shape: {
      customFields: [
        {
          id: str,
          name: str,
          model: str,
          fieldKey: str,
          placeholder: str,
          dataType: str,
          position: num,
          documentType: str,
          parentId: str,
          locationId: str,
          dateAdded: str,
          standard: bool,
        },
      ],
      traceId: str,
    },
  },
} satisfies Record<string, ShapePin>;

export type GhlPinName = keyof typeof GHL_PINS;

/**
 * Rate-limit headers the bridge's pacer reads [NG get-contact and others: x-ratelimit-max 100, -interval-milliseconds
 * 10000, -limit-daily 200000, -daily-remaining, -daily-reset (ms)]. Every recorded GET, PUT, DELETE and search answer
 * carries them; the recorded creates (POST contact, upsert, task, note, tags) do not. The smoke test checks the first
 * answer it gets (a GET).
 */
export const GHL_RATE_HEADERS = {
  evidence: 'NG get-contact.test.json (response headers)',
  names: [
    'x-ratelimit-max',
    'x-ratelimit-interval-milliseconds',
    'x-ratelimit-limit-daily',
    'x-ratelimit-daily-remaining',
    'x-ratelimit-daily-reset',
  ],
} as const;
