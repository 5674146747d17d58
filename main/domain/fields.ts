/**
 * Field catalogue shapes: what the window and the CLI see of a system's fields (main/sync/README.md, "Fields").
 */
import type { EntityKind } from './entities.js';
import type { PairId } from './systems.js';
import type { TransformId } from './mapping.js';

/** The declared type of a field in a system's field catalogue. 'person_name' and 'address' are composites of parts. */
export type FieldType =
  | 'text'
  | 'longtext'
  | 'email'
  | 'phone'
  | 'url'
  | 'number'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'set'
  | 'picklist'
  | 'person_name'
  | 'address';

/** A field reference in a catalogue: 'firstName', 'address1', 'custom:<HighLevel custom field id>', 'postal.city'… */
export type FieldRef = string;

/** One field of one system's entity, as the window and the CLI see it. */
export interface FieldView {
  ref: FieldRef;
  label: string;
  type: FieldType;
  writable: { create: boolean; update: boolean };
  maxLength?: number;
  options?: string[];
  origin: 'standard' | 'custom';
  /** A custom field a mapping names that the system no longer has (deleted in HighLevel): the mapping keeps it, flagged. */
  missing?: true;
}

/** A field pair the catalogue allows, with the transforms that make the two types compatible (first = suggested). */
export interface CompatiblePair {
  ghl: FieldRef;
  other: FieldRef;
  transforms: TransformId[];
}

export interface CatalogueView {
  pair: PairId;
  /** The location's country (phones) and time zone (dates), as used by transforms. */
  env: { country: string; timeZone: string; source: 'mapping' | 'location' | 'fallback' };
  entities: Array<{ entity: EntityKind; ghl: FieldView[]; other: FieldView[]; compatible: CompatiblePair[] }>;
  /** Transforms by id, for labels in the window. */
  transforms: Array<{ id: TransformId; label: string }>;
}
