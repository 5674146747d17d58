/** The sandbox's own storage shapes (not API shapes; render.ts turns these into what the API shows). */

export interface DndChannel {
  status: 'active' | 'inactive' | 'permanent';
  message?: string;
  code?: string;
}

export interface ContactRec {
  id: string;
  locationId: string;
  firstName?: string;
  lastName?: string;
  /** Only kept when given without first/last name. */
  name?: string;
  email?: string;
  phone?: string;
  companyName?: string;
  businessId?: string;
  address1?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
  website?: string;
  timezone?: string;
  source?: string;
  type?: string;
  dnd?: boolean;
  dndSettings?: Record<string, DndChannel>;
  inboundDndSettings?: Record<string, { status: 'active' | 'inactive'; message?: string }>;
  tags: string[];
  /** Custom field id → value, in insertion order. */
  customFields: Map<string, unknown>;
  /** epoch ms (midnight UTC) */
  dateOfBirth?: number;
  assignedTo?: string;
  additionalEmails: string[];
  additionalPhones: string[];
  followers: string[];
  keyword?: string;
  ssn?: string;
  gender?: string;
  dateAdded: number;
  dateUpdated: number;
}

export interface TaskRec {
  id: string;
  contactId: string;
  title: string;
  body?: string;
  assignedTo?: string;
  /** ISO 8601, ms, UTC */
  dueDate: string;
  completed: boolean;
  dateAdded: number;
}

export interface NoteRec {
  id: string;
  contactId: string;
  /** As written: markup when written in HighLevel's editor. */
  body: string;
  /** The plain text beside a formatted body; absent → derived from `body` (render.ts plainText). */
  bodyText?: string;
  userId?: string;
  title?: string;
  color?: string;
  pinned?: boolean;
  dateAdded: number;
}

export interface EventRec {
  id: string;
  calendarId: string;
  contactId: string;
  locationId: string;
  title: string;
  status: string;
  assignedUserId: string;
  notes?: string;
  address?: string;
  startTime: number;
  endTime: number;
  users: string[];
  dateAdded: number;
  dateUpdated: number;
}

export interface CustomFieldDef {
  id: string;
  name: string;
  fieldKey: string;
  dataType:
    | 'TEXT'
    | 'LARGE_TEXT'
    | 'NUMERICAL'
    | 'PHONE'
    | 'MONETORY'
    | 'CHECKBOX'
    | 'SINGLE_OPTIONS'
    | 'MULTIPLE_OPTIONS'
    | 'RADIO'
    | 'DATE';
  placeholder: string;
  position: number;
  picklistOptions?: string[];
  dateAdded: number;
}

export interface LocationRec {
  id: string;
  name: string;
  companyId: string;
  timezone: string;
  /** ISO 3166 alpha-2, as GET /locations/{locationId} answers it. */
  country: string;
  /** The business address of the sub-account (GET /locations/{locationId}). */
  address: { address: string; city: string; state: string; postalCode: string };
  customFields: CustomFieldDef[];
  userIds: string[];
}

/** A write to a contact: undefined = leave as is, null = clear. Produced by write-dto.ts or the admin. */
export type ContactPatch = {
  [
    K in
      | 'firstName'
      | 'lastName'
      | 'name'
      | 'email'
      | 'phone'
      | 'companyName'
      | 'address1'
      | 'city'
      | 'state'
      | 'postalCode'
      | 'country'
      | 'website'
      | 'timezone'
      | 'source'
      | 'type'
      | 'assignedTo'
      | 'keyword'
      | 'ssn'
      | 'gender'
      | 'businessId'
  ]?: string | null;
} & {
  dnd?: boolean | null;
  dndSettings?: Record<string, DndChannel> | null;
  inboundDndSettings?: Record<string, { status: 'active' | 'inactive'; message?: string }> | null;
  tags?: string[] | null;
  /** Set by id or key; an empty value clears the field. */
  customFields?: Array<{ id?: string; key?: string; value: unknown }>;
  dateOfBirth?: number | null;
  additionalEmails?: string[];
  additionalPhones?: string[];
  followers?: string[];
};
