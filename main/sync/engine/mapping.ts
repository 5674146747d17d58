/**
 * Field mappings: the defaults for each pair, validation of what people save, the fingerprint that forces a
 * reviewed preview after any change, and the per-entity merge configuration the planner uses.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { EntityKind, EntityMapping, FieldMapping, PairId, PairMapping } from '../../../preload/contract.js';
import type { MergeField } from './merge.js';
import type { EntityConfig } from './planner.js';

const f = (key: string, label: string, ghlField: string, otherField: string, extra: Partial<FieldMapping> = {}): FieldMapping => ({
  key,
  label,
  ghlField,
  otherField,
  direction: 'both',
  transform: 'none',
  conflictDefault: 'ask',
  ...extra,
});

export function defaultMapping(pair: PairId): PairMapping {
  const m: Omit<PairMapping, 'fingerprint'> =
    pair === 'ghl-aroflo'
      ? {
          pair,
          label: 'HighLevel ⇄ AroFlo',
          entities: [
            {
              entity: 'contact',
              enabled: true,
              deletePolicy: 'archive',
              fields: [
                f('firstName', 'First name', 'firstName', 'givennames / firstname', { transform: 'trim' }),
                f('lastName', 'Last name', 'lastName', 'surname', { transform: 'trim' }),
                f('email', 'Email', 'email', 'email', { transform: 'lowercase' }),
                f('phone', 'Phone', 'phone', 'mobile', { transform: 'phone_e164' }),
              ],
            },
            {
              entity: 'task',
              enabled: true,
              deletePolicy: 'archive',
              fields: [
                f('title', 'Title', 'title', 'taskname'),
                f('dueDate', 'Due date', 'dueDate', 'duedate'),
                f('body', 'Description', 'body', 'description', { direction: 'to_other' }),
                f('completed', 'Completed', 'completed', 'status', { transform: 'status_map', valueMap: { true: 'Completed', false: 'Not Started' } }),
              ],
            },
            { entity: 'note', enabled: true, deletePolicy: 'unlink', fields: [f('body', 'Note', 'body', 'content')] },
          ],
          filters: { ghlBusinessIds: [], ghlTags: [], arofloBusinessUnits: [] },
          defaults: {},
          noteToTask: { enabled: false, match: '', titleTemplate: 'Follow up: {{note}}', dueOffsetDays: 2 },
          syncEnabled: false,
        }
      : {
          pair,
          label: 'HighLevel → Aimfox',
          entities: [
            {
              entity: 'lead',
              enabled: true,
              deletePolicy: 'unlink',
              fields: [f('labels', 'Tags → labels', 'tags', 'labels', { direction: 'to_other' })],
            },
            { entity: 'note', enabled: true, deletePolicy: 'unlink', fields: [f('body', 'Note', 'body', 'text', { direction: 'to_other' })] },
          ],
          filters: { ghlBusinessIds: [], ghlTags: [], arofloBusinessUnits: [] },
          defaults: {},
          syncEnabled: false,
        };
  return { ...m, fingerprint: mappingFingerprint(m) };
}

/** Everything that changes what a run does; not the bookkeeping fields. */
export function mappingFingerprint(m: Omit<PairMapping, 'fingerprint'> | PairMapping): string {
  const { pair, entities, filters, defaults, noteToTask } = m;
  return createHash('sha256').update(JSON.stringify({ pair, entities, filters, defaults, noteToTask })).digest('hex').slice(0, 16);
}

const fieldSchema = z.object({
  key: z.string().min(1).max(100),
  label: z.string().max(200),
  ghlField: z.string().max(200),
  otherField: z.string().max(200),
  direction: z.enum(['both', 'to_other', 'to_ghl', 'off']),
  transform: z.enum(['none', 'trim', 'lowercase', 'uppercase', 'phone_e164', 'name_join', 'name_split', 'status_map', 'date', 'datetime', 'address_join', 'address_split', 'set_picklist']),
  conflictDefault: z.enum(['ask', 'prefer_ghl', 'prefer_other']),
  valueMap: z.record(z.string(), z.string().max(200)).optional(),
  emptyNeverBlanks: z.boolean().optional(),
});
const switches = z.object({ toGhl: z.boolean(), toOther: z.boolean() }).optional();

const idList = z.array(z.string().trim().min(1, 'an empty value is not a valid filter').max(200)).max(1000);

export const pairMappingSchema = z.object({
  pair: z.enum(['ghl-aroflo', 'ghl-aimfox']),
  label: z.string().max(200),
  entities: z
    .array(z.object({ entity: z.enum(['contact', 'task', 'note', 'lead', 'label', 'appointment', 'business']), enabled: z.boolean(), deletePolicy: z.enum(['propagate', 'archive', 'unlink']), fields: z.array(fieldSchema).max(100), create: switches, update: switches }))
    .max(10),
  filters: z.object({ ghlBusinessIds: idList, ghlTags: idList, arofloBusinessUnits: idList }),
  defaults: z.object({
    arofloBusinessUnitId: z.string().max(200).optional(),
    arofloTaskTypeId: z.string().max(200).optional(),
    aimfoxCampaignId: z.string().max(200).optional(),
    linkedinFieldId: z.string().max(200).optional(),
    phoneCountry: z.string().regex(/^[A-Z]{2}$/, 'a country is a 2-letter code such as AU').optional(),
    timeZone: z.string().max(100).optional(),
  }),
  noteToTask: z
    .object({ enabled: z.boolean(), match: z.string().max(200), titleTemplate: z.string().min(1, 'the task title template cannot be empty').max(200), dueOffsetDays: z.number().int().min(0).max(365) })
    .optional(),
  fingerprint: z.string(),
  previewedFingerprint: z.string().optional(),
  syncEnabled: z.boolean(),
});

export class MappingError extends Error {}

/** Validate what a person saved; the message names the field that is wrong. */
export function validateMapping(input: unknown): PairMapping {
  const r = pairMappingSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new MappingError(`The mapping is not valid: ${issue.path.join(' › ') || 'mapping'} — ${issue.message}.`);
  }
  const m = r.data as PairMapping;
  const keys = new Set<string>();
  for (const e of m.entities) {
    for (const fm of e.fields) {
      const k = `${e.entity}:${fm.key}`;
      if (keys.has(k)) throw new MappingError(`The mapping is not valid: the field "${fm.label}" appears twice for ${e.entity}s.`);
      keys.add(k);
      if (fm.transform === 'status_map' && (!fm.valueMap || !Object.keys(fm.valueMap).length)) throw new MappingError(`The mapping is not valid: "${fm.label}" uses a value map but has no values.`);
    }
  }
  return { ...m, fingerprint: mappingFingerprint(m) };
}

export function entityMapping(m: PairMapping, entity: EntityKind): EntityMapping | undefined {
  return m.entities.find((e) => e.entity === entity);
}

export function mergeFields(e: EntityMapping): MergeField[] {
  return e.fields.map((fm) => ({
    key: fm.key,
    direction: fm.direction,
    conflictDefault: fm.conflictDefault,
    kind: fm.key === 'labels' || fm.key === 'tags' ? 'set' : 'scalar',
    // Missing = on (README "Empty never blanks").
    emptyNeverBlanks: fm.emptyNeverBlanks ?? true,
  }));
}

export function entityConfig(e: EntityMapping): EntityConfig {
  const fields = mergeFields(e);
  const any = (pred: (d: string) => boolean) => e.fields.some((x) => pred(x.direction));
  return {
    fields,
    deletePolicy: e.deletePolicy,
    // The create/update switches (README "Create and update switches"); missing = as before them.
    createTo: {
      other: e.enabled && any((d) => d === 'both' || d === 'to_other') && (e.create?.toOther ?? true),
      ghl: e.enabled && any((d) => d === 'both' || d === 'to_ghl') && (e.create?.toGhl ?? true),
    },
    updateTo: { other: e.update?.toOther ?? true, ghl: e.update?.toGhl ?? true },
  };
}

export function fieldLabels(e: EntityMapping): Record<string, string> {
  return Object.fromEntries(e.fields.map((x) => [x.key, x.label]));
}

/** A real run needs a reviewed preview of exactly this mapping. */
export function needsPreview(m: PairMapping): boolean {
  return m.previewedFingerprint !== m.fingerprint;
}
