/**
 * Field mappings in the engine: the per-entity merge configuration the planner uses. The defaults, validation and the
 * fingerprint live in main/sync/fields (defaults.ts, validate.ts, fingerprint.ts) and are re-exported here for the
 * callers that import them from this file.
 */
import type { EntityKind, EntityMapping, PairMapping } from '../../../preload/contract.js';
import type { MergeField } from './merge.js';
import type { EntityConfig } from './planner.js';

export { defaultMapping } from '../fields/defaults.js';
export { mappingFingerprint, needsPreview } from '../fields/fingerprint.js';
export { MappingError, pairMappingSchema, validateMapping } from '../fields/validate.js';

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
