/**
 * HighLevel's fields, declared once per entity (main/sync/fields/README.md, "HighLevel"): the contact's standard
 * fields (which ones the API writes on create and update: connectors/ghl/contact-input.ts), one field per custom
 * field of the location (`custom:<id>`; contacts carry only `{id, value}`, so ids resolve through the location's
 * list), the task and the note. The lead entity is the contact as Aimfox sees it: its tags and its custom fields
 * (the LinkedIn profile URL is one).
 */
import type {
  GhlContact,
  GhlContactUpdate,
  GhlCustomFieldDef,
  GhlCustomFieldInput,
  GhlNote,
  GhlNoteCreate,
  GhlTask,
  GhlTaskCreate,
} from '../../connectors/ghl/index.js';
import type { EntityKind, FieldType } from '../../../preload/contract.js';
import { countryCode, markupOf, noteText, streetLine, text } from './canonical.js';
import type { AddressParts, CustomFieldDef, FieldDef, PersonName, TransformEnv } from './types.js';

/** The tag the bridge puts on a contact it archived (also in main/sync/sides/ghl.ts): never a person's tag. */
export const ARCHIVED_TAG = 'archived-by-ghl-bridge';

type ContactPatch = GhlContactUpdate & { tags?: string[] };
type ContactDef = FieldDef<GhlContact, ContactPatch>;

const BOTH = { create: true, update: true } as const;
const str = (v: unknown): string | null =>
  v === null || v === undefined ? null : typeof v === 'string' ? v : String(v);

function standard(
  ref: keyof GhlContact & keyof ContactPatch,
  label: string,
  type: FieldType,
  extra: Partial<ContactDef> = {},
): ContactDef {
  return {
    system: 'ghl',
    entity: 'contact',
    ref,
    label,
    type,
    origin: 'standard',
    write: BOTH,
    read: (c) => c[ref],
    put: (p, v) => {
      (p as Record<string, unknown>)[ref] = type === 'boolean' ? v === true : v === undefined ? undefined : str(v);
    },
    ...extra,
  };
}

const CONTACT_FIELDS: ContactDef[] = [
  standard('firstName', 'First name', 'text'),
  standard('lastName', 'Last name', 'text'),
  {
    system: 'ghl',
    entity: 'contact',
    ref: 'fullName',
    label: 'Full name (first + last)',
    type: 'person_name',
    origin: 'standard',
    parts: ['firstName', 'lastName'],
    write: BOTH,
    read: (c): PersonName => ({ first: c.firstName, last: c.lastName }),
    put: (p, v) => {
      const n = v as PersonName;
      p.firstName = n.first;
      p.lastName = n.last;
    },
  },
  standard('email', 'Email', 'email'),
  standard('phone', 'Phone', 'phone'),
  standard('companyName', 'Company name', 'text'),
  standard('address1', 'Street address', 'text'),
  standard('city', 'City', 'text'),
  standard('state', 'State', 'text'),
  standard('postalCode', 'Postal code', 'text'),
  // Canonical and written as the 2-letter code HighLevel holds (a name a partner holds is turned into its code).
  standard('country', 'Country (2-letter code)', 'text', {
    canon: (v) => countryCode(v),
    put: (p, v) => {
      if (v !== undefined) p.country = countryCode(v);
    },
  }),
  {
    system: 'ghl',
    entity: 'contact',
    ref: 'address',
    label: 'Address (street, city, state, postal code, country)',
    type: 'address',
    origin: 'standard',
    parts: ['address1', 'city', 'state', 'postalCode', 'country'],
    write: BOTH,
    read: (c): AddressParts => ({
      line1: c.address1,
      line2: null,
      city: c.city,
      state: c.state,
      postcode: c.postalCode,
      country: c.country,
    }),
    put: (p, v) => {
      const a = v as Partial<AddressParts>;
      // HighLevel has one street line: a second line joins it. A part left undefined (empty never blanks) is not
      // written; the country is written as its code.
      if (a.line1 !== undefined || a.line2 !== undefined) p.address1 = streetLine(a);
      if (a.city !== undefined) p.city = a.city;
      if (a.state !== undefined) p.state = a.state;
      if (a.postcode !== undefined) p.postalCode = a.postcode;
      if (a.country !== undefined) p.country = countryCode(a.country);
    },
  },
  standard('website', 'Website', 'url'),
  // Read only: GHL Bridge writes "GHL Bridge" as the source of every contact it creates (main/sync/sides/README.md,
  // "Finding an interrupted create"), so a field pair writing it would be a second writer.
  standard('source', 'Source', 'text', {
    write: { create: false, update: false },
    readOnlyReason: 'is written by GHL Bridge itself (it marks the contacts it creates)',
  }),
  standard('dateOfBirth', 'Date of birth', 'date'),
  {
    ...standard('dnd', 'Do not disturb', 'boolean'),
    read: (c) => c.dnd === true,
  },
  {
    system: 'ghl',
    entity: 'contact',
    ref: 'tags',
    label: 'Tags',
    type: 'set',
    origin: 'standard',
    // On update HighLevel replaces every tag with `tags`: the side adds and removes tags with the tag endpoints instead.
    write: BOTH,
    read: (c) => c.tags.filter((t) => t !== ARCHIVED_TAG),
    put: (p, v) => {
      p.tags = Array.isArray(v) ? v.map(String) : [];
    },
  },
];

/** A HighLevel custom field's dataType as a field type; undefined = not offered (files, signatures). */
export function customFieldType(dataType: string): FieldType | undefined {
  switch (dataType.toUpperCase()) {
    case 'TEXT':
      return 'text';
    case 'LARGE_TEXT':
    case 'TEXTBOX_LIST':
      return 'longtext';
    case 'NUMERICAL':
    case 'MONETORY':
    case 'MONETARY':
      return 'number';
    case 'PHONE':
      return 'phone';
    case 'EMAIL':
      return 'email';
    case 'CHECKBOX':
    case 'MULTIPLE_OPTIONS':
      return 'set';
    case 'SINGLE_OPTIONS':
    case 'RADIO':
      return 'picklist';
    case 'DATE':
      return 'date';
    default:
      return undefined;
  }
}

/** The catalogue's view of the connector's custom field definitions (connectors/ghl GhlCustomFieldDef). */
export function customFieldDefs(defs: readonly GhlCustomFieldDef[]): CustomFieldDef[] {
  return defs
    .filter((d) => !d.model || d.model === 'contact')
    .map((d) => ({
      id: d.id,
      name: d.name,
      dataType: d.dataType ?? 'TEXT',
      ...(d.picklistOptions.length ? { options: d.picklistOptions } : {}),
    }));
}

/** The value HighLevel takes for a custom field of this type (contact-input.ts GhlCustomFieldInput). */
function customValue(type: FieldType, v: unknown): GhlCustomFieldInput['value'] {
  if (v === null || v === undefined) return null;
  if (type === 'set') return Array.isArray(v) ? v.map(String) : [String(v)];
  if (type === 'number') return typeof v === 'number' ? v : Number.isFinite(Number(v)) ? Number(v) : String(v);
  return String(v);
}

export function customFieldDef(
  cf: CustomFieldDef,
  entity: EntityKind = 'contact',
): FieldDef<GhlContact, ContactPatch> | undefined {
  const type = customFieldType(cf.dataType);
  if (!type) return undefined;
  return {
    system: 'ghl',
    entity,
    ref: `custom:${cf.id}`,
    aliases: [`customField:${cf.id}`],
    label: cf.name,
    type,
    origin: 'custom',
    ...(cf.options?.length ? { options: cf.options } : {}),
    write: BOTH,
    read: (c) => c.customFields.find((f) => f.id === cf.id)?.value ?? null,
    put: (p, v) => {
      p.customFields = [
        ...(p.customFields ?? []).filter((f) => f.id !== cf.id),
        { id: cf.id, value: customValue(type, v) },
      ];
    },
  };
}

/** A custom field a mapping names that the location no longer has: kept in the mapping, flagged, never read or written. */
export function missingCustomFieldDef(ref: string, entity: EntityKind = 'contact'): FieldDef {
  return {
    system: 'ghl',
    entity,
    ref,
    label: `Deleted custom field (${ref.slice(ref.indexOf(':') + 1)})`,
    type: 'text',
    origin: 'custom',
    missing: true,
    write: { create: false, update: false },
    read: () => undefined,
    put: () => undefined,
  };
}

type TaskDef = FieldDef<GhlTask, Partial<GhlTaskCreate>>;
const TASK_FIELDS: TaskDef[] = [
  {
    system: 'ghl',
    entity: 'task',
    ref: 'title',
    label: 'Title',
    type: 'text',
    origin: 'standard',
    write: BOTH,
    read: (t) => t.title,
    put: (p, v) => void (p.title = str(v) ?? ''),
  },
  {
    system: 'ghl',
    entity: 'task',
    ref: 'body',
    label: 'Description',
    type: 'longtext',
    origin: 'standard',
    write: BOTH,
    read: (t) => t.body,
    put: (p, v) => void (p.body = str(v) ?? ''),
  },
  {
    system: 'ghl',
    entity: 'task',
    ref: 'dueDate',
    label: 'Due date',
    type: 'datetime',
    origin: 'standard',
    write: BOTH,
    read: (t) => t.dueDate,
    put: (p, v) => {
      if (v !== null && v !== undefined) p.dueDate = String(v);
    },
  },
  {
    system: 'ghl',
    entity: 'task',
    ref: 'completed',
    label: 'Completed',
    type: 'boolean',
    origin: 'standard',
    write: BOTH,
    read: (t) => t.completed,
    put: (p, v) => void (p.completed = v === true),
  },
  {
    system: 'ghl',
    entity: 'task',
    ref: 'assignedTo',
    label: 'Assigned to (user id)',
    type: 'text',
    origin: 'standard',
    write: BOTH,
    read: (t) => t.assignedTo,
    put: (p, v) => {
      if (v !== null && v !== undefined) p.assignedTo = String(v);
    },
  },
];

/**
 * A note's plain text: HighLevel's own `bodyText` when it has one (notes written in its editor keep markup in `body`),
 * else the body with its markup turned into text — what the bridge has always compared (connectors/ghl/README.md
 * "Notes"). Written as markup with `&`, `<`, `>` escaped, so the text reads back exactly as sent.
 */
const NOTE_FIELDS: Array<FieldDef<GhlNote, Partial<GhlNoteCreate>>> = [
  {
    system: 'ghl',
    entity: 'note',
    ref: 'body',
    label: 'Note',
    type: 'longtext',
    origin: 'standard',
    write: BOTH,
    read: (n) => (n.bodyText !== null && n.bodyText.trim() ? n.bodyText : noteText(n.body)),
    canon: (v) => text(v),
    put: (p, v) => void (p.body = markupOf(str(v))),
  },
];

/** HighLevel's fields of one entity, custom fields of the location included (contact and lead). */
export function ghlFields(entity: EntityKind, env: Pick<TransformEnv, 'customFields'>): FieldDef[] {
  const custom = () =>
    env.customFields
      .map((cf) => customFieldDef(cf, entity))
      .filter((d): d is FieldDef<GhlContact, ContactPatch> => !!d);
  switch (entity) {
    case 'contact':
      return [...CONTACT_FIELDS, ...custom()] as FieldDef[];
    case 'lead':
      return [{ ...CONTACT_FIELDS.find((d) => d.ref === 'tags')!, entity: 'lead' }, ...custom()] as FieldDef[];
    case 'task':
      return TASK_FIELDS as FieldDef[];
    case 'note':
      return NOTE_FIELDS as FieldDef[];
    default:
      return [];
  }
}
