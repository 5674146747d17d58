/**
 * Field mappings in the engine: the per-entity merge configuration the planner uses. The defaults, validation and the
 * fingerprint live in main/sync/fields (defaults.ts, validate.ts, fingerprint.ts) and are re-exported here for the
 * callers that import them from this file.
 */
import type { EntityKind, EntityMapping, FieldMapping, PairId, PairMapping } from '../../../preload/contract.js';
import { OTHER_SYSTEM, isCustomRef, resolveField } from '../fields/catalogue.js';
import type { CustomFieldDef } from '../fields/types.js';
import type { MergeField } from './merge.js';
import type { EntityConfig } from './planner.js';

export { defaultMapping } from '../fields/defaults.js';
export { mappingFingerprint, needsPreview } from '../fields/fingerprint.js';
export { MappingError, pairMappingSchema, validateMapping } from '../fields/validate.js';

export function entityMapping(m: PairMapping, entity: EntityKind): EntityMapping | undefined {
  return m.entities.find((e) => e.entity === entity);
}

/** The pair an entity belongs to when the caller does not say: leads are Aimfox's, contacts and tasks AroFlo's. */
const pairOf = (e: EntityMapping): PairId => (e.entity === 'lead' ? 'ghl-aimfox' : 'ghl-aroflo');

/**
 * Whether a field pair merges as a set (element by element), from the catalogue's types (main/sync/fields/README.md):
 * both fields are sets and the transform keeps them sets. A HighLevel custom field the list given does not hold (the
 * list is read later in the run) is taken to have its partner's type, as validation only accepts compatible pairs.
 */
export function isSetField(
  fm: FieldMapping,
  entity: EntityKind,
  pair: PairId,
  customFields: readonly CustomFieldDef[] = [],
): boolean {
  if (fm.transform === 'set_picklist') return false;
  const env = { customFields };
  const o = resolveField(OTHER_SYSTEM[pair], entity, fm.otherField, env);
  const g = resolveField('ghl', entity, fm.ghlField, env) ?? (isCustomRef(fm.ghlField) ? o : undefined);
  return g?.type === 'set' && o?.type === 'set';
}

export function mergeFields(
  e: EntityMapping,
  pair: PairId = pairOf(e),
  customFields: readonly CustomFieldDef[] = [],
): MergeField[] {
  return e.fields.map((fm) => ({
    key: fm.key,
    direction: fm.direction,
    conflictDefault: fm.conflictDefault,
    kind: isSetField(fm, e.entity, pair, customFields) ? 'set' : 'scalar',
    // Missing = on (README "Empty never blanks").
    emptyNeverBlanks: fm.emptyNeverBlanks ?? true,
  }));
}

export function entityConfig(e: EntityMapping, pair?: PairId): EntityConfig {
  const fields = mergeFields(e, pair);
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
