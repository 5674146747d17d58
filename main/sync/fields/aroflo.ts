/**
 * AroFlo's fields, declared once per entity (main/sync/fields/README.md, "AroFlo"). A person is either a residential
 * client (kind 'client': the client's own first name, surname, email, phones) or a contact under a business client
 * (kind 'contact'); the address, ABN, website and client name exist only on clients. Lengths are AroFlo's documented
 * limits, the ones connectors/aroflo/writes.ts refuses to exceed. AroFlo custom fields are not offered: the connector
 * does not read them (README).
 */
import type {
  ArofloAddress,
  ArofloClientNoteRecord,
  ArofloClientRecord,
  ArofloContactRecord,
  ArofloTaskNoteRecord,
  ArofloTaskRecord,
  ClientNoteInsert,
  ClientUpdate,
  ContactWrite,
  TaskInsert,
  TaskUpdate,
} from '../../connectors/aroflo/index.js';
import type { EntityKind, FieldType } from '../../../preload/contract.js';
import { countryCode, countryName, streetLine } from './canonical.js';
import { cut } from './transforms/shared.js';
import type { AddressParts, FieldDef, PersonName } from './types.js';

type Person = ArofloClientRecord | ArofloContactRecord;
/** A client write (ClientInsert/ClientUpdate) for kind 'client', a ContactWrite for kind 'contact'. */
export type ArofloPersonPatch = Partial<ClientUpdate> & Partial<ContactWrite>;
type PersonDef = FieldDef<Person, ArofloPersonPatch>;

const BOTH = { create: true, update: true } as const;
const CLIENT = ['client'] as const;
const isClient = (raw: Person, kind?: string): raw is ArofloClientRecord =>
  kind === 'client' || (kind !== 'contact' && 'name' in raw);
const str = (v: unknown, max?: number): string | undefined =>
  v === null || v === undefined || v === '' ? undefined : cut(String(v), max);
/** Empty text clears the field, as the side has always sent a cleared value; `undefined` would leave it as it is. */
const clear = (v: unknown, max?: number): string => str(v, max) ?? '';

function personText(
  ref: string,
  label: string,
  type: FieldType,
  max: number,
  keys: {
    client: keyof ArofloClientRecord & keyof ArofloPersonPatch;
    contact: keyof ArofloContactRecord & keyof ArofloPersonPatch;
  },
  extra: Partial<PersonDef> = {},
): PersonDef {
  return {
    system: 'aroflo',
    entity: 'contact',
    ref,
    label,
    type,
    origin: 'standard',
    kinds: ['client', 'contact'],
    maxLength: max,
    write: BOTH,
    read: (r, kind) => (isClient(r, kind) ? r[keys.client] : (r as ArofloContactRecord)[keys.contact]) ?? null,
    put: (p, v, kind) => {
      (p as Record<string, unknown>)[kind === 'contact' ? keys.contact : keys.client] = clear(v, max);
    },
    ...extra,
  };
}

function clientText(
  ref: string,
  label: string,
  type: FieldType,
  max: number,
  key: 'abn' | 'website' | 'name',
  extra: Partial<PersonDef> = {},
): PersonDef {
  return {
    system: 'aroflo',
    entity: 'contact',
    ref,
    label,
    type,
    origin: 'standard',
    kinds: CLIENT,
    maxLength: max,
    write: BOTH,
    read: (r) => (r as ArofloClientRecord)[key] ?? null,
    put: (p, v) => {
      p[key] = clear(v, max);
    },
    ...extra,
  };
}

/** AroFlo's address limits (writes.ts): street lines 150, suburb 100, state 50, postcode 10, country 50. */
const ADDRESS_PARTS: Array<{ part: keyof ArofloAddress; ref: string; label: string; max: number }> = [
  { part: 'line1', ref: 'addressline1', label: 'address line 1', max: 150 },
  { part: 'line2', ref: 'addressline2', label: 'address line 2', max: 150 },
  { part: 'suburb', ref: 'suburb', label: 'suburb', max: 100 },
  { part: 'state', ref: 'state', label: 'state', max: 50 },
  { part: 'postcode', ref: 'postcode', label: 'postcode', max: 10 },
  { part: 'country', ref: 'country', label: 'country', max: 50 },
];

/**
 * The street address (`address`, written) or the postal address (`mailingaddress`: read only, the connector's client
 * writes do not carry it). State and country must reach AroFlo together (README): the side adds the one that did not
 * change from the record it holds.
 */
function addressDefs(which: 'address' | 'mailingAddress'): PersonDef[] {
  const street = which === 'address';
  const prefix = street ? '' : 'postal.';
  const title = street ? 'Street' : 'Postal';
  const write = street ? BOTH : { create: false, update: false };
  const of = (r: Person): ArofloAddress => (r as ArofloClientRecord)[which] ?? {};
  const parts: PersonDef[] = ADDRESS_PARTS.map(({ part, ref, label, max }) => ({
    system: 'aroflo',
    entity: 'contact',
    ref: `${prefix}${ref}`,
    label: `${title} ${label}`,
    type: 'text',
    origin: 'standard',
    kinds: CLIENT,
    maxLength: max,
    write,
    read: (r) => of(r)[part] ?? null,
    put: (p, v) => {
      p.address = { ...p.address, [part]: clear(part === 'country' ? countryName(v) : v, max) };
    },
    // AroFlo holds the country by name, HighLevel by code: the canonical form is the code (README.md, "Addresses").
    ...(part === 'country' ? { canon: (v: unknown) => countryCode(v) } : {}),
  }));
  const whole: PersonDef = {
    system: 'aroflo',
    entity: 'contact',
    ref: street ? 'address' : 'postal',
    label: `${title} address (all parts)`,
    type: 'address',
    origin: 'standard',
    kinds: CLIENT,
    parts: parts.map((d) => d.ref),
    write,
    // The street is one line, as HighLevel holds it ("line 1, line 2"); the side keeps AroFlo's two lines when they
    // join to the text written (keepHeldStreet).
    read: (r): AddressParts => {
      const a = of(r);
      return {
        line1: streetLine(a),
        line2: null,
        city: a.suburb ?? null,
        state: a.state ?? null,
        postcode: a.postcode ?? null,
        country: a.country ?? null,
      };
    },
    put: (p, v) => {
      const a = v as Partial<AddressParts>;
      // A part left undefined (empty never blanks) is not written. The street written is one line, so line 2 (folded
      // into it) is cleared; the country is written by name.
      const out: ArofloAddress = {};
      if (a.line1 !== undefined || a.line2 !== undefined) [out.line1, out.line2] = [clear(streetLine(a), 150), ''];
      if (a.city !== undefined) out.suburb = clear(a.city, 100);
      if (a.state !== undefined) out.state = clear(a.state, 50);
      if (a.postcode !== undefined) out.postcode = clear(a.postcode, 10);
      if (a.country !== undefined) out.country = clear(countryName(a.country), 50);
      p.address = out;
    },
  };
  return [...parts, whole];
}

const CONTACT_FIELDS: PersonDef[] = [
  personText(
    'firstname',
    'First name',
    'text',
    50,
    { client: 'firstName', contact: 'givenNames' },
    { aliases: ['givennames / firstname', 'givennames', 'firstName'] },
  ),
  personText('surname', 'Surname', 'text', 50, { client: 'surname', contact: 'surname' }, { aliases: ['lastName'] }),
  {
    system: 'aroflo',
    entity: 'contact',
    ref: 'name',
    label: 'First name + surname',
    type: 'person_name',
    origin: 'standard',
    kinds: ['client', 'contact'],
    parts: ['firstname', 'surname'],
    write: BOTH,
    read: (r, kind): PersonName =>
      isClient(r, kind)
        ? { first: r.firstName ?? null, last: r.surname ?? null }
        : { first: (r as ArofloContactRecord).givenNames ?? null, last: r.surname ?? null },
    put: (p, v, kind) => {
      const n = v as PersonName;
      if (kind === 'contact') p.givenNames = clear(n.first, 50);
      else p.firstName = clear(n.first, 50);
      p.surname = clear(n.last, 50);
    },
  },
  personText('email', 'Email', 'email', 250, { client: 'email', contact: 'email' }),
  personText('phone', 'Phone', 'phone', 50, { client: 'phone', contact: 'phone' }),
  // The bridge's phone: AroFlo people often have only one of the two; written as the mobile (README "Phones").
  personText(
    'mobile',
    'Mobile (else phone)',
    'phone',
    50,
    { client: 'mobile', contact: 'mobile' },
    { read: (r) => r.mobile ?? r.phone ?? null },
  ),
  personText('mobileOnly', 'Mobile', 'phone', 50, { client: 'mobile', contact: 'mobile' }, { parts: ['mobile'] }),
  // Read only: the side names clients. A residential client's name is the person's (that is how it is recognised as
  // residential, and AroFlo refuses a name twice); a business client's name is the HighLevel business's.
  clientText('clientname', 'Client name', 'text', 50, 'name', { write: { create: false, update: false } }),
  clientText('abn', 'ABN', 'text', 50, 'abn'),
  clientText('website', 'Website', 'url', 1000, 'website'),
  ...addressDefs('address'),
  ...addressDefs('mailingAddress'),
];

type TaskPatch = Partial<TaskInsert> & Partial<TaskUpdate>;
type TaskDef = FieldDef<ArofloTaskRecord, TaskPatch>;
/** Status codes the connector writes (connectors/aroflo/writes.ts TASK_STATUS_WRITE), quotes and archived left out. */
export const ARO_TASK_STATUSES = ['notstarted', 'inprogress', 'pending', 'completed'] as const;
/** Insert only: AroFlo cannot change a job's name, description or due date through its API (README). */
const INSERT = { create: true, update: false } as const;

const TASK_FIELDS: TaskDef[] = [
  {
    system: 'aroflo',
    entity: 'task',
    ref: 'taskname',
    label: 'Job name',
    type: 'text',
    origin: 'standard',
    maxLength: 50,
    write: INSERT,
    read: (t) => t.name,
    put: (p, v) => void (p.name = clear(v, 50)),
  },
  {
    system: 'aroflo',
    entity: 'task',
    ref: 'description',
    label: 'Description',
    type: 'longtext',
    origin: 'standard',
    write: INSERT,
    read: (t) => t.description ?? null,
    put: (p, v) => void (p.description = str(v)),
  },
  {
    system: 'aroflo',
    entity: 'task',
    ref: 'duedate',
    label: 'Due date',
    type: 'date',
    origin: 'standard',
    write: INSERT,
    read: (t) => t.dueDate ?? null,
    put: (p, v) => void (p.dueDate = str(v)),
  },
  {
    system: 'aroflo',
    entity: 'task',
    ref: 'status',
    label: 'Status',
    type: 'picklist',
    origin: 'standard',
    options: ARO_TASK_STATUSES,
    // Not on insert (AroFlo takes a status only on update: the side sets it right after the insert).
    write: { create: false, update: true },
    read: (t) => t.status,
    put: (p, v) => {
      const s = ARO_TASK_STATUSES.find((x) => x === v);
      if (s) p.status = s;
    },
  },
  {
    system: 'aroflo',
    entity: 'task',
    ref: 'priority',
    label: 'Priority',
    type: 'text',
    origin: 'standard',
    write: { create: false, update: false },
    read: (t) => t.priority ?? null,
    put: () => undefined,
  },
  {
    system: 'aroflo',
    entity: 'task',
    ref: 'tasktype',
    label: 'Task type (id)',
    type: 'text',
    origin: 'standard',
    write: INSERT,
    read: (t) => t.taskTypeId ?? null,
    put: (p, v) => void (p.taskTypeId = str(v)),
  },
  {
    system: 'aroflo',
    entity: 'task',
    ref: 'substatus',
    label: 'Substatus',
    type: 'text',
    origin: 'standard',
    write: { create: false, update: false },
    read: (t) => t.substatus?.name ?? null,
    put: () => undefined,
  },
];

type NoteDef = FieldDef<
  ArofloTaskNoteRecord | ArofloClientNoteRecord,
  Partial<ClientNoteInsert> & { content?: string }
>;
const NOTE_FIELDS: NoteDef[] = [
  {
    system: 'aroflo',
    entity: 'note',
    ref: 'content',
    label: 'Note',
    type: 'longtext',
    origin: 'standard',
    write: BOTH,
    read: (n) => n.content,
    // A client note holds at most 1,000 characters; a job note has no documented limit.
    put: (p, v, kind) => void (p.content = kind === 'clientnote' ? cut(String(v ?? ''), 1000) : String(v ?? '')),
  },
];

/** AroFlo's fields of one entity. */
export function arofloFields(entity: EntityKind): FieldDef[] {
  switch (entity) {
    case 'contact':
      return CONTACT_FIELDS as FieldDef[];
    case 'task':
      return TASK_FIELDS as FieldDef[];
    case 'note':
      return NOTE_FIELDS as FieldDef[];
    default:
      return [];
  }
}

/**
 * AroFlo takes a client's state and country only together (README): when a patch changes one, the other is sent as
 * the client holds it now.
 */
export function completeAddressPair(
  patch: ArofloPersonPatch,
  current: Pick<ArofloClientRecord, 'address'> | undefined,
): void {
  const a = patch.address;
  if (!a || (a.state === undefined) === (a.country === undefined)) return;
  if (a.state === undefined) a.state = current?.address?.state ?? '';
  else a.country = current?.address?.country ?? '';
}

/**
 * A street written as one line keeps AroFlo's own two lines when they join to the same text ("1 Main St" + "Unit 4"
 * = "1 Main St, Unit 4"), so an edit of another part of the address does not fold line 2 into line 1.
 */
export function keepHeldStreet(address: ArofloAddress | undefined, held: ArofloAddress | undefined): void {
  if (!address || address.line1 === undefined || !held) return;
  if (streetLine(held) === streetLine(address)) [address.line1, address.line2] = [held.line1 ?? '', held.line2 ?? ''];
}
