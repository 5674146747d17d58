/**
 * What we may send when writing a contact. GHL validates writes against a strict whitelist and answers 422
 * "property X should not exist" for anything else (README "Facts: contact writes"), so bodies are built only from the keys listed here,
 * and an unknown key is refused before any request is sent (silently dropping it would lose the caller's data).
 *
 * - create (POST /contacts/): CreateContactDto; `tags` allowed (a new contact has none to lose).
 * - update (PUT /contacts/{id}): UpdateContactDto + what the server is known to accept (companyName, keyword, ssn,
 *   type); never `tags` (a PUT with tags REPLACES all tags — use addTags/removeTags), `gender`, `locationId`, `id`,
 *   `*LowerCase`, `additionalEmails` (read-only).
 * - upsert (POST /contacts/upsert): UpsertContactDto minus `tags` (replaces all tags of the matched contact) and
 *   `gender` (silently discarded on an existing contact, I#313); `createNewIfDuplicateAllowed` is never sent.
 */
import { ConnectorError } from '../shared/errors.js';

export type DndStatus = 'active' | 'inactive' | 'permanent';
export interface DndSetting {
  status: DndStatus;
  message?: string;
  code?: string;
}
export type DndChannel = 'Call' | 'Email' | 'SMS' | 'WhatsApp' | 'GMB' | 'FB';

/**
 * A custom field value to write. Give the field `id` (preferred) or its `key` (e.g. "contact.linkedin_url").
 * Value by field kind: string (text, select, radio), number (numeric, monetary), string[] (checkbox,
 * multi-select), object (file); null clears it.
 */
export interface GhlCustomFieldInput {
  id?: string;
  key?: string;
  value: string | number | string[] | Record<string, unknown> | null;
}

/** Fields every contact write accepts. `null` clears a value; an absent key leaves it unchanged. */
export interface GhlContactFields {
  firstName?: string | null;
  lastName?: string | null;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  address1?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
  website?: string | null;
  timezone?: string | null;
  source?: string | null;
  /** YYYY-MM-DD. */
  dateOfBirth?: string | null;
  /** Two-letter country code. */
  country?: string | null;
  companyName?: string | null;
  /** GHL user id. */
  assignedTo?: string | null;
  dnd?: boolean;
  dndSettings?: Partial<Record<DndChannel, DndSetting>>;
  inboundDndSettings?: { all?: { status: 'active' | 'inactive'; message?: string } };
  customFields?: GhlCustomFieldInput[];
}

export interface GhlContactCreate extends GhlContactFields {
  tags?: string[];
  gender?: string;
}

export interface GhlContactUpdate extends GhlContactFields {
  keyword?: string | null;
  ssn?: string | null;
  /** "lead" | "customer". */
  type?: string | null;
}

export type GhlContactUpsert = GhlContactFields;

const COMMON = [
  'firstName',
  'lastName',
  'name',
  'email',
  'phone',
  'address1',
  'city',
  'state',
  'postalCode',
  'website',
  'timezone',
  'source',
  'dateOfBirth',
  'country',
  'companyName',
  'assignedTo',
  'dnd',
  'dndSettings',
  'inboundDndSettings',
  'customFields',
] as const;

export const CONTACT_WRITE_WHITELIST = {
  create: new Set<string>([...COMMON, 'tags', 'gender']),
  update: new Set<string>([...COMMON, 'keyword', 'ssn', 'type']),
  upsert: new Set<string>([...COMMON]),
} as const;

const WHY_NOT: Record<string, string> = {
  tags: 'tags are changed with addTags/removeTags (a plain write replaces every tag)',
  gender: 'GHL rejects or silently drops gender here',
  locationId: 'the location is fixed by the connection',
  id: 'the id cannot be changed',
  additionalEmails: 'additional emails are read-only in GHL',
};

export type ContactWriteKind = keyof typeof CONTACT_WRITE_WHITELIST;

/**
 * Fields whose DTO does not take `null` (spec: no `nullable`). A `null` (= "no value") there is sent as "" on update
 * (clears it) and left out on create/upsert (a new contact has no value anyway; upsert cannot clear these).
 */
const NOT_NULLABLE: Record<ContactWriteKind, ReadonlySet<string>> = {
  create: new Set(['postalCode', 'country', 'source', 'assignedTo', 'gender']),
  upsert: new Set(['postalCode', 'country', 'source', 'assignedTo']),
  update: new Set(['postalCode', 'country']),
};

/** The JSON body for a contact write, from whitelisted keys only. Throws `rejected` (nothing sent) on any other key. */
export function contactBody(kind: ContactWriteKind, input: object, locationId?: string): Record<string, unknown> {
  const allowed = CONTACT_WRITE_WHITELIST[kind];
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (!allowed.has(key)) {
      const why =
        WHY_NOT[key] ??
        (key.endsWith('LowerCase') ? 'lower-case copies are computed by GHL' : 'GHL does not accept it');
      throw new ConnectorError({
        system: 'ghl',
        kind: 'rejected',
        operation: `contact ${kind}`,
        detail: `field "${key}" cannot be sent on ${kind}`,
        message: `HighLevel contact ${kind} not sent: the field "${key}" cannot be written this way (${why}) — remove it from the field mapping.`,
      });
    }
    if (value === null && NOT_NULLABLE[kind].has(key)) {
      if (kind === 'update') body[key] = '';
      continue;
    }
    body[key] = key === 'customFields' ? customFieldsBody(value as GhlCustomFieldInput[]) : value;
  }
  if (kind !== 'update' && locationId) body.locationId = locationId;
  return body;
}

function customFieldsBody(fields: GhlCustomFieldInput[]): Array<Record<string, unknown>> {
  return fields.map((f) => {
    if (!f.id && !f.key) {
      throw new ConnectorError({
        system: 'ghl',
        kind: 'rejected',
        operation: 'contact write',
        detail: 'custom field without id or key',
        message:
          'HighLevel contact not sent: a custom field in the mapping has neither an id nor a key — pick the field again in the mapping.',
      });
    }
    return { ...(f.id ? { id: f.id } : {}), ...(f.key ? { key: f.key } : {}), field_value: f.value };
  });
}
