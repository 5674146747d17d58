/**
 * Request-body validation for writes, as GHL's NestJS/class-validator layer answers it: a strict whitelist
 * (unknown property → 422 "property X should not exist") and per-field type checks, all messages collected
 * in one 422 `{statusCode:422, message:[…], error:"Unprocessable Entity"}` [I#314][I#262].
 */
import { unprocessable } from './errors.js';
import type { ContactPatch, DndChannel } from './records.js';

const NULLABLE_STRINGS_COMMON = [
  'firstName',
  'lastName',
  'name',
  'email',
  'phone',
  'address1',
  'city',
  'state',
  'website',
  'timezone',
];
const DND_CHANNELS = ['Call', 'Email', 'SMS', 'WhatsApp', 'GMB', 'FB'];
const DND_STATUS = ['active', 'inactive', 'permanent'];
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Kind = 'create' | 'upsert' | 'update';

/** Field → how it is checked, per DTO. `nullable` follows the spec; the PUT extras follow [I#314]. */
interface FieldRule {
  type: 'string' | 'boolean' | 'tags' | 'customFields' | 'dnd' | 'inboundDnd' | 'dateOfBirth';
  nullable?: boolean;
}

function rulesFor(kind: Kind): Record<string, FieldRule> {
  const r: Record<string, FieldRule> = {};
  for (const f of NULLABLE_STRINGS_COMMON) r[f] = { type: 'string', nullable: true };
  r.postalCode = { type: 'string' };
  r.country = { type: 'string' };
  r.dnd = { type: 'boolean' };
  r.dndSettings = { type: 'dnd' };
  r.inboundDndSettings = { type: 'inboundDnd' };
  r.tags = { type: 'tags' };
  r.customFields = { type: 'customFields' };
  r.dateOfBirth = { type: 'dateOfBirth', nullable: true };
  if (kind === 'update') {
    r.source = { type: 'string', nullable: true };
    r.assignedTo = { type: 'string', nullable: true };
    // Accepted by the server although not in UpdateContactDto [I#314]:
    r.companyName = { type: 'string', nullable: true };
    r.keyword = { type: 'string', nullable: true };
    r.ssn = { type: 'string', nullable: true };
    r.type = { type: 'string', nullable: true };
  } else {
    r.locationId = { type: 'string' };
    r.gender = { type: 'string' };
    r.source = { type: 'string' };
    r.assignedTo = { type: 'string' };
    r.companyName = { type: 'string', nullable: true };
    if (kind === 'upsert') r.createNewIfDuplicateAllowed = { type: 'boolean' };
  }
  return r;
}

const RULES: Record<Kind, Record<string, FieldRule>> = {
  create: rulesFor('create'),
  upsert: rulesFor('upsert'),
  update: rulesFor('update'),
};

const DOB_FORMATS: Array<[RegExp, (m: RegExpExecArray) => [string, string, string]]> = [
  [/^(\d{4})[-/._](\d{1,2})[-/._](\d{1,2})$/, (m) => [m[1]!, m[2]!, m[3]!]],
  [/^(\d{1,2})[-/._](\d{1,2})[-/._](\d{4})$/, (m) => [m[3]!, m[1]!, m[2]!]],
];

/** The documented dateOfBirth formats (YYYY-MM-DD, MM/DD/YYYY, … with - / . _) → epoch ms at UTC midnight. */
export function parseDateOfBirth(text: string): number | undefined {
  const t = text.trim();
  const isoFull = /^\d{4}-\d{2}-\d{2}T/.test(t) ? Date.parse(t) : NaN;
  if (!Number.isNaN(isoFull))
    return Date.UTC(
      new Date(isoFull).getUTCFullYear(),
      new Date(isoFull).getUTCMonth(),
      new Date(isoFull).getUTCDate(),
    );
  for (const [re, pick] of DOB_FORMATS) {
    const m = re.exec(t);
    if (!m) continue;
    const [y, mo, d] = pick(m).map(Number) as [number, number, number];
    const ms = Date.UTC(y, mo - 1, d);
    const back = new Date(ms);
    if (back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d) return ms;
  }
  return undefined;
}

export interface ContactWrite {
  patch: ContactPatch;
  locationId?: string;
  createNewIfDuplicateAllowed?: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validate a contact body for POST /contacts/, POST /contacts/upsert or PUT /contacts/:id; throws 422. */
export function parseContactWrite(body: unknown, kind: Kind): ContactWrite {
  const input = isObject(body) ? body : {};
  const rules = RULES[kind];
  const errors: string[] = [];
  for (const key of Object.keys(input)) if (!(key in rules)) errors.push(`property ${key} should not exist`);

  const patch: ContactPatch = {};
  const out: ContactWrite = { patch };
  for (const [field, rule] of Object.entries(rules)) {
    if (!(field in input)) continue;
    const v = input[field];
    if (v === null && rule.nullable) {
      (patch as Record<string, unknown>)[field] = null;
      continue;
    }
    switch (rule.type) {
      case 'string':
        if (typeof v !== 'string') errors.push(`${field} must be a string`);
        else if (field === 'email' && v.trim() !== '' && !EMAIL_RE.test(v.trim()))
          errors.push('email must be an email');
        else if (field === 'locationId') out.locationId = v;
        else (patch as Record<string, unknown>)[field] = v; // gender on an existing contact is dropped by the upsert [I#313]
        break;
      case 'boolean':
        if (typeof v !== 'boolean') errors.push(`${field} must be a boolean value`);
        else if (field === 'createNewIfDuplicateAllowed') out.createNewIfDuplicateAllowed = v;
        else patch.dnd = v;
        break;
      case 'tags':
        if (!Array.isArray(v)) errors.push('tags must be an array');
        else if (!v.every((t) => typeof t === 'string')) errors.push('each value in tags must be a string');
        else patch.tags = v as string[];
        break;
      case 'customFields':
        if (!Array.isArray(v)) {
          errors.push('customFields must be an array');
          break;
        }
        patch.customFields = [];
        v.forEach((item, i) => {
          if (!isObject(item)) return void errors.push(`customFields.${i} must be an object`);
          const id = item.id;
          const key = item.key;
          if (id !== undefined && typeof id !== 'string') errors.push(`customFields.${i}.id must be a string`);
          if (key !== undefined && typeof key !== 'string') errors.push(`customFields.${i}.key must be a string`);
          if (id === undefined && key === undefined) errors.push(`customFields.${i}.id must be a string`);
          const value = 'field_value' in item ? item.field_value : item.value;
          patch.customFields!.push({
            id: typeof id === 'string' ? id : undefined,
            key: typeof key === 'string' ? key : undefined,
            value,
          });
        });
        break;
      case 'dnd': {
        if (!isObject(v)) {
          errors.push('dndSettings must be an object');
          break;
        }
        const settings: Record<string, DndChannel> = {};
        for (const [ch, s] of Object.entries(v)) {
          if (!DND_CHANNELS.includes(ch)) errors.push(`property dndSettings.${ch} should not exist`);
          else if (!isObject(s) || !DND_STATUS.includes(String(s.status)))
            errors.push(`dndSettings.${ch}.status must be one of the following values: ${DND_STATUS.join(', ')}`);
          else
            settings[ch] = {
              status: s.status as DndChannel['status'],
              ...(typeof s.message === 'string' ? { message: s.message } : {}),
              ...(typeof s.code === 'string' ? { code: s.code } : {}),
            };
        }
        patch.dndSettings = settings;
        break;
      }
      case 'inboundDnd': {
        if (
          !isObject(v) ||
          (v.all !== undefined && (!isObject(v.all) || !['active', 'inactive'].includes(String(v.all.status))))
        ) {
          errors.push('inboundDndSettings.all.status must be one of the following values: active, inactive');
          break;
        }
        if (isObject(v.all))
          patch.inboundDndSettings = {
            all: {
              status: v.all.status as 'active' | 'inactive',
              ...(typeof v.all.message === 'string' ? { message: v.all.message } : {}),
            },
          };
        break;
      }
      case 'dateOfBirth': {
        const ms = typeof v === 'string' ? parseDateOfBirth(v) : undefined;
        if (ms === undefined)
          errors.push(
            'dateOfBirth must be a valid date in one of the formats YYYY-MM-DD, MM/DD/YYYY, YYYY/MM/DD, MM-DD-YYYY, YYYY.MM.DD, MM.DD.YYYY, YYYY_MM_DD, MM_DD_YYYY',
          );
        else patch.dateOfBirth = ms;
        break;
      }
    }
  }
  if (kind !== 'update') {
    if (typeof input.locationId !== 'string') {
      if (!errors.includes('locationId must be a string')) errors.push('locationId must be a string');
      errors.push('locationId should not be empty');
    } else if (input.locationId === '') errors.push('locationId should not be empty');
  }
  if (errors.length) throw unprocessable(errors);
  return out;
}

// ---- tasks, notes, tags ----------------------------------------------------------------------------------

function whitelist(input: Record<string, unknown>, allowed: string[], errors: string[]): void {
  for (const key of Object.keys(input)) if (!allowed.includes(key)) errors.push(`property ${key} should not exist`);
}

function isoDate(v: unknown): string | undefined {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v))
    return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export interface TaskWrite {
  title?: string;
  body?: string;
  dueDate?: string;
  completed?: boolean;
  assignedTo?: string;
}

/** CreateTaskParams (create: title, dueDate, completed required) / UpdateTaskBody (all optional). */
export function parseTaskWrite(body: unknown, create: boolean): TaskWrite {
  const input = isObject(body) ? body : {};
  const errors: string[] = [];
  whitelist(input, ['title', 'body', 'dueDate', 'completed', 'assignedTo'], errors);
  const out: TaskWrite = {};
  for (const f of ['title', 'body', 'assignedTo'] as const) {
    if (input[f] === undefined) continue;
    if (typeof input[f] !== 'string') errors.push(`${f} must be a string`);
    else out[f] = input[f];
  }
  if (input.dueDate !== undefined) {
    const d = isoDate(input.dueDate);
    if (!d) errors.push('dueDate must be a valid ISO 8601 date string');
    else out.dueDate = d;
  }
  if (input.completed !== undefined) {
    if (typeof input.completed !== 'boolean') errors.push('completed must be a boolean value');
    else out.completed = input.completed;
  }
  if (create) {
    if (input.title === undefined) errors.push('title must be a string', 'title should not be empty');
    if (input.dueDate === undefined)
      errors.push('dueDate must be a valid ISO 8601 date string', 'dueDate should not be empty');
    if (input.completed === undefined)
      errors.push('completed must be a boolean value', 'completed should not be empty');
  }
  if (errors.length) throw unprocessable(errors);
  return out;
}

export function parseTaskCompleted(body: unknown): boolean {
  const input = isObject(body) ? body : {};
  const errors: string[] = [];
  whitelist(input, ['completed'], errors);
  if (typeof input.completed !== 'boolean') errors.push('completed must be a boolean value');
  if (errors.length) throw unprocessable(errors);
  return input.completed as boolean;
}

export interface NoteWrite {
  body?: string;
  userId?: string;
  title?: string;
  color?: string;
  pinned?: boolean;
}

/** NotesDTO (create: body required) / UpdateNoteDTO. */
export function parseNoteWrite(body: unknown, create: boolean): NoteWrite {
  const input = isObject(body) ? body : {};
  const errors: string[] = [];
  whitelist(input, ['body', 'userId', 'title', 'color', 'pinned'], errors);
  const out: NoteWrite = {};
  for (const f of ['body', 'userId', 'title', 'color'] as const) {
    if (input[f] === undefined) continue;
    if (typeof input[f] !== 'string') errors.push(`${f} must be a string`);
    else out[f] = input[f];
  }
  if (input.pinned !== undefined) {
    if (typeof input.pinned !== 'boolean') errors.push('pinned must be a boolean value');
    else out.pinned = input.pinned;
  }
  if (create && (typeof input.body !== 'string' || input.body === '')) errors.push('body should not be empty');
  if (errors.length) throw unprocessable(errors);
  return out;
}

/** TagsDTO: `tags` required, strings. */
export function parseTags(body: unknown): string[] {
  const input = isObject(body) ? body : {};
  const errors: string[] = [];
  whitelist(input, ['tags'], errors);
  if (!Array.isArray(input.tags)) errors.push('tags must be an array');
  else if (!input.tags.every((t) => typeof t === 'string')) errors.push('each value in tags must be a string');
  if (errors.length) throw unprocessable(errors);
  return input.tags as string[];
}
