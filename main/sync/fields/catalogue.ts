/**
 * The field catalogue: every field of each system's entity (fields/ghl.ts, fields/aroflo.ts, fields/aimfox.ts), which
 * field pairs are compatible and through which transforms, and the view the Mappings screen and the CLI show
 * (main/sync/fields/README.md).
 */
import type {
  CatalogueView,
  CompatiblePair,
  EntityKind,
  FieldRef,
  FieldType,
  FieldView,
  PairId,
  PairMapping,
  SystemId,
  TransformId,
} from '../../../preload/contract.js';
import { aimfoxFields } from './aimfox.js';
import { arofloFields } from './aroflo.js';
import type { EnvSource } from './env.js';
import { ghlFields, missingCustomFieldDef } from './ghl.js';
import { TRANSFORMS, TRANSFORM_IDS } from './transforms/index.js';
import type { FieldDef, TransformEnv } from './types.js';

export const OTHER_SYSTEM: Record<PairId, Exclude<SystemId, 'ghl'>> = {
  'ghl-aroflo': 'aroflo',
  'ghl-aimfox': 'aimfox',
};
/** The entities a pair's mapping has field pairs for. */
export const PAIR_ENTITIES: Record<PairId, EntityKind[]> = {
  'ghl-aroflo': ['contact', 'task', 'note'],
  'ghl-aimfox': ['lead', 'note'],
};

/** HighLevel's defs per custom field list (one list per run), so reading 10,000 contacts builds them once. */
const ghlCache = new WeakMap<readonly unknown[], Map<EntityKind, readonly FieldDef[]>>();

/** The fields of one system's entity. The list is shared: do not change it. */
export function catalogueFor(
  system: SystemId,
  entity: EntityKind,
  env: Pick<TransformEnv, 'customFields'>,
): readonly FieldDef[] {
  if (system === 'aroflo') return arofloFields(entity);
  if (system === 'aimfox') return aimfoxFields(entity);
  let byEntity = ghlCache.get(env.customFields);
  if (!byEntity) ghlCache.set(env.customFields, (byEntity = new Map()));
  let defs = byEntity.get(entity);
  if (!defs) byEntity.set(entity, (defs = ghlFields(entity, env)));
  return defs;
}

/** A HighLevel custom field reference ('custom:<id>', or 'customField:<id>' as the contract's comment spells it). */
export const isCustomRef = (ref: string): boolean => /^(custom|customField):./.test(ref);
const customId = (ref: string) => ref.slice(ref.indexOf(':') + 1);

/** The def a mapping's field name means: by ref, then by alias (stored mappings' names), custom fields by id. */
export function resolveField(
  system: SystemId,
  entity: EntityKind,
  ref: FieldRef,
  env: Pick<TransformEnv, 'customFields'>,
): FieldDef | undefined {
  const defs = catalogueFor(system, entity, env);
  const want = ref.trim();
  const byRef = defs.find((d) => d.ref === want) ?? defs.find((d) => d.aliases?.includes(want));
  if (byRef || system !== 'ghl' || !isCustomRef(want)) return byRef;
  return defs.find((d) => d.origin === 'custom' && customId(d.ref) === customId(want));
}

/**
 * The def for a mapping's field name, a custom field the location no longer has included (flagged `missing`, so the
 * mapping keeps it and the run skips it); undefined for a name that is no field at all.
 */
export function resolveOrMissing(
  system: SystemId,
  entity: EntityKind,
  ref: FieldRef,
  env: Pick<TransformEnv, 'customFields'>,
): FieldDef | undefined {
  return (
    resolveField(system, entity, ref, env) ??
    (system === 'ghl' && isCustomRef(ref) ? missingCustomFieldDef(`custom:${customId(ref)}`, entity) : undefined)
  );
}

const accepts = (id: TransformId, g: FieldType, o: FieldType) =>
  TRANSFORMS[id].accepts.some(([a, b]) => a === g && b === o);

/** Which transform to suggest first for two types. */
function suggested(g: FieldType, o: FieldType): TransformId | undefined {
  if (g === 'phone' || o === 'phone') return 'phone_e164';
  if (g === 'person_name' && o !== 'person_name') return 'name_join';
  if (o === 'person_name' && g !== 'person_name') return 'name_split';
  if (g === 'address' && o !== 'address') return 'address_join';
  if (o === 'address' && g !== 'address') return 'address_split';
  if ((g === 'set') !== (o === 'set')) return 'set_picklist';
  if (g === 'boolean' && o !== 'boolean') return 'status_map';
  if (g === 'datetime' || o === 'datetime') return g === o ? 'datetime' : 'date';
  if (g === 'email' || o === 'email') return 'lowercase';
  return 'none';
}

/** The transforms that carry a value between these two fields; the first is the one to suggest. [] = incompatible. */
export function compatible(ghlDef: Pick<FieldDef, 'type'>, otherDef: Pick<FieldDef, 'type'>): TransformId[] {
  const all = TRANSFORM_IDS.filter((id) => accepts(id, ghlDef.type, otherDef.type));
  const first = suggested(ghlDef.type, otherDef.type);
  return first && all.includes(first) ? [first, ...all.filter((x) => x !== first)] : all;
}

export function fieldView(d: FieldDef): FieldView {
  return {
    ref: d.ref,
    label: d.label,
    type: d.type,
    writable: { ...d.write },
    ...(d.maxLength ? { maxLength: d.maxLength } : {}),
    ...(d.options ? { options: [...d.options] } : {}),
    origin: d.origin,
    ...(d.missing ? { missing: true as const } : {}),
  };
}

/** What the Mappings screen and `ghl-bridge mappings fields` show for a pair. */
export function catalogueView(
  pair: PairId,
  mapping: PairMapping | undefined,
  env: TransformEnv & { source?: EnvSource },
): CatalogueView {
  const other = OTHER_SYSTEM[pair];
  const entities = PAIR_ENTITIES[pair].map((entity) => {
    const ghl = [...catalogueFor('ghl', entity, env)];
    // Custom fields the mapping names that the location no longer has: shown, flagged.
    for (const fm of mapping?.entities.find((e) => e.entity === entity)?.fields ?? []) {
      if (isCustomRef(fm.ghlField) && !resolveField('ghl', entity, fm.ghlField, env))
        ghl.push(missingCustomFieldDef(`custom:${customId(fm.ghlField)}`, entity));
    }
    const others = catalogueFor(other, entity, env);
    const pairs: CompatiblePair[] = [];
    for (const g of ghl) {
      if (g.missing) continue;
      for (const o of others) {
        const transforms = compatible(g, o);
        if (transforms.length) pairs.push({ ghl: g.ref, other: o.ref, transforms });
      }
    }
    return { entity, ghl: ghl.map(fieldView), other: others.map(fieldView), compatible: pairs };
  });
  return {
    pair,
    env: { country: env.country, timeZone: env.timeZone, source: env.source ?? 'fallback' },
    entities,
    transforms: TRANSFORM_IDS.map((id) => ({ id, label: TRANSFORMS[id].label })),
  };
}
