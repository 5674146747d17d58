/**
 * Validation of a mapping a person saves (the window, `ghl-bridge mappings save`): its shape, and — given the field
 * catalogue — that every field exists, that the transform carries the two types, and that no two field pairs write one
 * field (main/sync/fields/README.md, "Validation"). Each refusal names the field; nothing is saved by this module.
 */
import { isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';
import type { EntityKind, EntityMapping, FieldMapping, PairMapping, SystemId } from '../../../preload/contract.js';
import { isTimeZone } from './canonical.js';
import { OTHER_SYSTEM, compatible, isCustomRef, resolveField } from './catalogue.js';
import { mappingFingerprint } from './fingerprint.js';
import { TRANSFORMS, TRANSFORM_IDS } from './transforms/index.js';
import type { CustomFieldDef, FieldDef } from './types.js';

const transformIds = TRANSFORM_IDS as [TransformIdT, ...TransformIdT[]];
type TransformIdT = (typeof TRANSFORM_IDS)[number];

const fieldSchema = z.object({
  key: z.string().min(1).max(100),
  label: z.string().max(200),
  ghlField: z.string().max(200),
  otherField: z.string().max(200),
  direction: z.enum(['both', 'to_other', 'to_ghl', 'off']),
  transform: z.enum(transformIds),
  conflictDefault: z.enum(['ask', 'prefer_ghl', 'prefer_other']),
  valueMap: z.record(z.string(), z.string().max(200)).optional(),
  valueMapDefault: z
    .object({ toGhl: z.string().max(200).optional(), toOther: z.string().max(200).optional() })
    .optional(),
  emptyNeverBlanks: z.boolean().optional(),
});

const idList = z.array(z.string().trim().min(1, 'an empty value is not a valid filter').max(200)).max(1000);
const switches = z.object({ toGhl: z.boolean(), toOther: z.boolean() });

export const pairMappingSchema = z.object({
  pair: z.enum(['ghl-aroflo', 'ghl-aimfox']),
  label: z.string().max(200),
  entities: z
    .array(
      z.object({
        entity: z.enum(['contact', 'task', 'note', 'lead', 'label', 'appointment', 'business']),
        enabled: z.boolean(),
        deletePolicy: z.enum(['propagate', 'archive', 'unlink']),
        fields: z.array(fieldSchema).max(100),
        create: switches.optional(),
        update: switches.optional(),
      }),
    )
    .max(10),
  filters: z.object({ ghlBusinessIds: idList, ghlTags: idList, arofloBusinessUnits: idList }),
  defaults: z.object({
    arofloBusinessUnitId: z.string().max(200).optional(),
    arofloTaskTypeId: z.string().max(200).optional(),
    aimfoxCampaignId: z.string().max(200).optional(),
    linkedinFieldId: z.string().max(200).optional(),
    phoneCountry: z
      .string()
      .refine((c) => isSupportedCountry(c), 'not a country code phones can be read in (two letters, e.g. AU)')
      .optional(),
    timeZone: z
      .string()
      .refine((t) => isTimeZone(t), 'not a time zone (e.g. Australia/Sydney)')
      .optional(),
  }),
  noteToTask: z
    .object({
      enabled: z.boolean(),
      match: z.string().max(200),
      titleTemplate: z.string().min(1, 'the task title template cannot be empty').max(200),
      dueOffsetDays: z.number().int().min(0).max(365),
    })
    .optional(),
  appointmentNotes: z.object({ enabled: z.boolean() }).optional(),
  fingerprint: z.string(),
  previewedFingerprint: z.string().optional(),
  previewedEnv: z.object({ country: z.string().max(10), timeZone: z.string().max(100) }).optional(),
  syncEnabled: z.boolean(),
});

export class MappingError extends Error {}

export interface ValidateOptions {
  /** The location's custom fields (the catalogue is built from them); without it only the shape is checked. */
  catalogue?: { customFields: readonly CustomFieldDef[] };
  /**
   * HighLevel is not connected, so its custom fields are unknown (`catalogue` then holds none): every other field is
   * checked, a HighLevel custom field is kept as it is and flagged as unknown.
   */
  customFieldsUnknown?: boolean;
  /** The mapping saved before: a custom field deleted in HighLevel that it already had is kept (flagged). */
  previous?: PairMapping;
}

export interface ValidationReport {
  mapping: PairMapping;
  /** Field pairs kept although their HighLevel custom field no longer exists: "Site notes (custom:abc)". */
  flagged: string[];
}

const SYSTEM_NAME: Record<SystemId, string> = { ghl: 'HighLevel', aroflo: 'AroFlo', aimfox: 'Aimfox' };
const RECORDS: Record<SystemId, Partial<Record<EntityKind, string>>> = {
  ghl: { contact: 'contacts', lead: 'contacts', task: 'tasks', note: 'notes' },
  aroflo: { contact: 'clients', task: 'jobs', note: 'notes' },
  aimfox: { lead: 'leads', note: 'notes' },
};
const recordsOf = (system: SystemId, entity: EntityKind) => RECORDS[system][entity] ?? `${entity}s`;
const refuse = (fm: FieldMapping, why: string) =>
  new MappingError(`The mapping is not valid: "${fm.label || fm.key}" — ${why}.`);
const flowsTo = (fm: FieldMapping, side: 'ghl' | 'other') =>
  fm.direction === 'both' || fm.direction === (side === 'ghl' ? 'to_ghl' : 'to_other');
const customId = (ref: string) => ref.slice(ref.indexOf(':') + 1);

/** Validate what a person saved; the message names the field that is wrong. */
export function validateMapping(input: unknown, opts: ValidateOptions = {}): PairMapping {
  return validateMappingReport(input, opts).mapping;
}

export function validateMappingReport(input: unknown, opts: ValidateOptions = {}): ValidationReport {
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
      if (keys.has(k))
        throw new MappingError(`The mapping is not valid: the field "${fm.label}" appears twice for ${e.entity}s.`);
      keys.add(k);
      if (fm.transform === 'status_map' && (!fm.valueMap || !Object.keys(fm.valueMap).length))
        throw new MappingError(`The mapping is not valid: "${fm.label}" uses a value map but has no values.`);
    }
  }
  const flagged = opts.catalogue
    ? m.entities.flatMap((e) => checkEntity(m, e, opts.catalogue!, opts.previous, !!opts.customFieldsUnknown))
    : [];
  return { mapping: { ...m, fingerprint: mappingFingerprint(m) }, flagged };
}

/** The catalogue checks of one entity; returns the flagged (kept, deleted) custom fields. */
function checkEntity(
  m: PairMapping,
  e: EntityMapping,
  catalogue: { customFields: readonly CustomFieldDef[] },
  previous: PairMapping | undefined,
  customFieldsUnknown: boolean,
): string[] {
  const other = OTHER_SYSTEM[m.pair];
  const flagged: string[] = [];
  const written = { ghl: new Map<string, FieldMapping>(), other: new Map<string, FieldMapping>() };
  for (const fm of e.fields) {
    const g = resolveField('ghl', e.entity, fm.ghlField, catalogue);
    const o = resolveField(other, e.entity, fm.otherField, catalogue);
    if (!g) {
      if (isCustomRef(fm.ghlField) && customFieldsUnknown) {
        flagged.push(`${fm.label} (${fm.ghlField}): unknown until HighLevel is connected`);
        if (!o)
          throw refuse(fm, `${SYSTEM_NAME[other]} has no field "${fm.otherField}" on ${recordsOf(other, e.entity)}`);
        if (flowsTo(fm, 'other') && fm.direction !== 'off')
          claim(written.other, o, fm, SYSTEM_NAME[other], catalogue, other, e.entity);
        continue;
      }
      if (isCustomRef(fm.ghlField) && hadCustomField(previous, e.entity, fm.ghlField)) {
        flagged.push(`${fm.label} (${fm.ghlField})`);
        if (!o)
          throw refuse(fm, `${SYSTEM_NAME[other]} has no field "${fm.otherField}" on ${recordsOf(other, e.entity)}`);
        continue;
      }
      throw refuse(
        fm,
        isCustomRef(fm.ghlField)
          ? `the HighLevel custom field "${customId(fm.ghlField)}" does not exist in this location`
          : `HighLevel has no field "${fm.ghlField}" on ${recordsOf('ghl', e.entity)}`,
      );
    }
    if (!o) throw refuse(fm, `${SYSTEM_NAME[other]} has no field "${fm.otherField}" on ${recordsOf(other, e.entity)}`);
    const ok = compatible(g, o);
    if (!ok.length)
      throw refuse(
        fm,
        `HighLevel's "${g.label}" (${g.type}) and ${SYSTEM_NAME[other]}'s "${o.label}" (${o.type}) cannot be paired`,
      );
    if (!ok.includes(fm.transform)) {
      const names = ok.map((t) => `"${TRANSFORMS[t].label}"`).join(', ');
      throw refuse(
        fm,
        `the transform "${TRANSFORMS[fm.transform].label}" cannot carry HighLevel's "${g.label}" (${g.type}) to ${SYSTEM_NAME[other]}'s "${o.label}" (${o.type}); choose one of ${names}`,
      );
    }
    if (fm.direction === 'off') continue;
    for (const [side, def, system] of [
      ['ghl', g, 'ghl'],
      ['other', o, other],
    ] as const) {
      if (!flowsTo(fm, side)) continue;
      if (!def.write.create && !def.write.update && def.readOnlyReason) {
        throw refuse(
          fm,
          `${SYSTEM_NAME[system]}'s "${def.label}" ${def.readOnlyReason}; let the field flow only from ${SYSTEM_NAME[system]}`,
        );
      }
      if (!def.write.create && !def.write.update) {
        throw refuse(
          fm,
          `${SYSTEM_NAME[system]}'s "${def.label}" cannot be written through its API; let the field flow only from ${SYSTEM_NAME[system]}`,
        );
      }
      // A set written from one choice holds only that choice; HighLevel's tags are all the contact's tags.
      if (system === 'ghl' && def.ref === 'tags' && fm.transform === 'set_picklist') {
        throw refuse(
          fm,
          `"${TRANSFORMS.set_picklist.label}" would replace every other HighLevel tag of the contact with the one choice; let it flow only from HighLevel, or pair the tags with a list of labels`,
        );
      }
      claim(written[side], def, fm, SYSTEM_NAME[system], catalogue, system, e.entity);
    }
  }
  return flagged;
}

/** Two field pairs may not write one field (a composite writes each of its parts). */
function claim(
  taken: Map<string, FieldMapping>,
  def: FieldDef,
  fm: FieldMapping,
  system: string,
  catalogue: { customFields: readonly CustomFieldDef[] },
  sys: SystemId,
  entity: EntityKind,
): void {
  for (const ref of def.parts ?? [def.ref]) {
    const before = taken.get(ref);
    if (before) {
      const label = resolveField(sys, entity, ref, catalogue)?.label ?? ref;
      throw refuse(fm, `${system}'s "${label}" is already written by "${before.label || before.key}"`);
    }
    taken.set(ref, fm);
  }
}

function hadCustomField(previous: PairMapping | undefined, entity: EntityKind, ref: string): boolean {
  const id = customId(ref);
  return !!previous?.entities
    .find((x) => x.entity === entity)
    ?.fields.some((f) => isCustomRef(f.ghlField) && customId(f.ghlField) === id);
}
