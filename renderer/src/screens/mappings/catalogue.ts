/**
 * Reading the field catalogue (getFieldCatalogue) for one kind of record: which fields each side has, which pairs of
 * them fit together and with which changes on the way, and a new field pair built from a choice.
 */
import type {
  CatalogueView,
  Direction,
  EntityKind,
  FieldMapping,
  FieldRef,
  FieldView,
  TransformId,
} from '../../../../preload/contract.js';

export type EntityCatalogue = CatalogueView['entities'][number];

export const entityCatalogue = (c: CatalogueView | undefined, entity: EntityKind): EntityCatalogue | undefined =>
  c?.entities.find((e) => e.entity === entity);

/** Custom fields were once saved as "customField:<id>"; the catalogue names them "custom:<id>". */
const sameRef = (a: FieldRef, b: FieldRef) =>
  a === b || a.replace(/^customField:/, 'custom:') === b.replace(/^customField:/, 'custom:');

export const findField = (fields: FieldView[] | undefined, ref: FieldRef): FieldView | undefined =>
  fields?.find((f) => sameRef(f.ref, ref));

/** The changes that make this pair of fields fit (first = suggested); undefined when the catalogue does not know the pair. */
export function transformsFor(
  ec: EntityCatalogue | undefined,
  ghl: FieldRef,
  other: FieldRef,
): TransformId[] | undefined {
  return ec?.compatible.find((p) => sameRef(p.ghl, ghl) && sameRef(p.other, other))?.transforms;
}

/** HighLevel fields that fit at least one field of the other system. */
export function ghlChoices(ec: EntityCatalogue): FieldView[] {
  const refs = new Set(ec.compatible.map((p) => p.ghl));
  return ec.ghl.filter((f) => refs.has(f.ref) && !f.missing);
}

/** The other system's fields that fit the chosen HighLevel field. */
export function otherChoices(ec: EntityCatalogue, ghl: FieldRef): FieldView[] {
  const refs = new Set(ec.compatible.filter((p) => p.ghl === ghl).map((p) => p.other));
  return ec.other.filter((f) => refs.has(f.ref) && !f.missing);
}

const writable = (f: FieldView | undefined) => !!f && (f.writable.create || f.writable.update);

/** The direction a new pair starts with: both ways when both sides can be written, else the way that can. */
export function firstDirection(ghl: FieldView | undefined, other: FieldView | undefined): Direction {
  if (writable(ghl) && writable(other)) return 'both';
  if (writable(other)) return 'to_other';
  if (writable(ghl)) return 'to_ghl';
  return 'off';
}

/** A new field pair from the person's choice; its key is unique within the record type. */
export function newFieldPair(
  ec: EntityCatalogue,
  ghl: FieldRef,
  other: FieldRef,
  transform: TransformId,
  taken: FieldMapping[],
): FieldMapping {
  const g = findField(ec.ghl, ghl);
  const o = findField(ec.other, other);
  const base = `${ghl}-${other}`.replace(/[^A-Za-z0-9]+/g, '_').slice(0, 90);
  let key = base;
  for (let n = 2; taken.some((f) => f.key === key); n++) key = `${base}_${n}`;
  const label =
    g && o && g.label.toLowerCase() !== o.label.toLowerCase() ? `${g.label} ⇄ ${o.label}` : (g?.label ?? ghl);
  const fm: FieldMapping = {
    key,
    label,
    ghlField: ghl,
    otherField: other,
    direction: firstDirection(g, o),
    transform,
    conflictDefault: 'ask',
  };
  if (transform === 'status_map') fm.valueMap = {};
  return fm;
}
