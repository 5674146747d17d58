/**
 * The normalized GHL records the rest of the app sees. Every field is always present: `null` means "GHL has no
 * value", `[]` means "none". Whatever shape a GHL endpoint answers in (GET one, search item, create response), the
 * client turns it into these, so the engine compares like with like.
 */
import type { FieldIssue } from '../shared/issues.js';

/** A custom field value as GHL reports it on a contact (read format is `{id, value}` only — no key or name). */
export interface GhlCustomFieldValue {
  id: string;
  /** string (text, select, radio), number (numeric, monetary), string[] (checkbox, multi-select), object (file). */
  value: unknown;
}

export interface GhlContact {
  id: string;
  locationId: string | null;
  firstName: string | null;
  lastName: string | null;
  /** Full name as GHL stores it (only GET-one/write responses carry it; search items give a lower-case copy, not kept). */
  name: string | null;
  email: string | null;
  /** As stored by GHL, usually E.164. */
  phone: string | null;
  /** Read-only in GHL: cannot be written through the API. */
  additionalEmails: string[];
  additionalPhones: string[];
  companyName: string | null;
  /** The GHL business (company record) this contact belongs to. */
  businessId: string | null;
  /** Street line. Search results call it `address`, GET calls it `address1`; both land here. */
  address1: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
  website: string | null;
  timezone: string | null;
  source: string | null;
  /** "lead" / "customer". */
  type: string | null;
  /** GHL user id the contact is assigned to. */
  assignedTo: string | null;
  /** YYYY-MM-DD (search answers epoch ms; normalized). */
  dateOfBirth: string | null;
  dnd: boolean | null;
  tags: string[];
  customFields: GhlCustomFieldValue[];
  /** ISO 8601 UTC. */
  dateAdded: string | null;
  /** ISO 8601 UTC; the change feed sorts on it. */
  dateUpdated: string | null;
}

/** A task; GHL tasks always hang off one contact and carry no updated timestamp. */
export interface GhlTask {
  id: string;
  contactId: string;
  title: string | null;
  body: string | null;
  /** GHL user id. */
  assignedTo: string | null;
  /** ISO 8601. */
  dueDate: string | null;
  completed: boolean;
}

/** A note on a contact; only `dateAdded`, no updated timestamp. */
export interface GhlNote {
  id: string;
  contactId: string;
  /** As stored: markup when the note was written in HighLevel's editor (README "Notes"). */
  body: string | null;
  /** HighLevel's plain text of `body` (absent in older answers). */
  bodyText: string | null;
  userId: string | null;
  title: string | null;
  color: string | null;
  pinned: boolean;
  /** ISO 8601. */
  dateAdded: string | null;
}

/** An appointment (calendar event) of a contact. Times are kept as GHL sends them ("YYYY-MM-DD HH:mm:ss" in the docs). */
export interface GhlAppointment {
  id: string;
  contactId: string | null;
  calendarId: string | null;
  title: string | null;
  status: string | null;
  appointmentStatus: string | null;
  assignedUserId: string | null;
  notes: string | null;
  address: string | null;
  startTime: string | null;
  endTime: string | null;
  dateAdded: string | null;
  dateUpdated: string | null;
}

/**
 * The sub-account (location) as the bridge needs it, from GET /locations/{locationId} (README "The location"):
 * where phones are read (`country`, ISO 3166 alpha-2) and dates are meant (`timezone`, IANA). Null = not given.
 */
export interface GhlLocation {
  id: string;
  name: string | null;
  country: string | null;
  timezone: string | null;
}

/** A custom field definition of the location (GET /locations/{locationId}/customFields). */
export interface GhlCustomFieldDef {
  id: string;
  name: string;
  /** e.g. "contact.linkedin_url"; used as `key` when writing. */
  fieldKey: string | null;
  /** TEXT, LARGE_TEXT, NUMERICAL, MONETORY, CHECKBOX, MULTIPLE_OPTIONS, SINGLE_OPTIONS, RADIO, FILE_UPLOAD, DATE … */
  dataType: string | null;
  /** The object the field belongs to ("contact" …), when GHL says. */
  model: string | null;
  picklistOptions: string[];
}

/** One item of a list answer that did not match the documented shape: quarantine it, keep the others. */
export interface GhlRejectedItem {
  /** The item as received (may hold personal data: keep it local, never log it in full). */
  raw: unknown;
  /** What was wrong, e.g. "email: expected string, received number". */
  reason: string;
  /** The same without values: field paths and issue kinds (connectors/shared/issues.ts). */
  issues?: FieldIssue[];
  /** The item's id when it had a readable one. */
  id?: string;
}

/** A list answer: the items that passed validation plus the ones that did not. */
export interface GhlList<T> {
  items: T[];
  rejected: GhlRejectedItem[];
}
