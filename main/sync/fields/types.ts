/**
 * The field catalogue and transforms: the shared shapes (main/sync/fields/README.md).
 *
 * A system's fields are declared once per entity as FieldDefs (fields/ghl.ts, fields/aroflo.ts, fields/aimfox.ts).
 * A mapping's field pair names one FieldDef on each side and a Transform. On read, each side's value becomes the
 * pair's canonical value (`toCanon`), which is what merge compares and what bases store; on write the canonical value
 * is turned back into what the target system holds (`fromCanon`) and put into the connector's input (`put`).
 */
import type { CountryCode } from 'libphonenumber-js';
import type {
  EntityKind,
  FieldMapping,
  FieldRef,
  FieldType,
  SystemId,
  TransformId,
} from '../../../preload/contract.js';

/** What merge compares and bases store: text, a sorted JSON array for sets, null = empty. */
export type Canon = string | null;

/** Which side of a pair a value is read from or written to. */
export type PairSide = 'ghl' | 'other';

/** A HighLevel custom field definition as the catalogue needs it (from GET /locations/{id}/customFields). */
export interface CustomFieldDef {
  id: string;
  name: string;
  /** HighLevel's dataType: TEXT, LARGE_TEXT, NUMERICAL, PHONE, MONETORY, CHECKBOX, SINGLE_OPTIONS, MULTIPLE_OPTIONS, DATE, … */
  dataType: string;
  options?: string[];
}

/** What transforms need to know of the business: read from the mapping, else the HighLevel location, else fallbacks. */
export interface TransformEnv {
  country: CountryCode;
  timeZone: string;
  customFields: readonly CustomFieldDef[];
}

export interface FieldDef<Raw = unknown, Patch = Record<string, unknown>> {
  system: SystemId;
  entity: EntityKind;
  ref: FieldRef;
  label: string;
  type: FieldType;
  origin: 'standard' | 'custom';
  /** SideRecord.kind values the field exists on (AroFlo 'client' vs 'contact'); missing = all. */
  kinds?: readonly string[];
  /** Other names stored mappings use for this field (today's 'givennames / firstname'); they resolve to this def. */
  aliases?: readonly string[];
  /** The refs of the fields it writes, for "two pairs write one field": a composite's parts; missing = its own ref. */
  parts?: readonly FieldRef[];
  /** The def's own canonical form when the type's is not exactly what the bridge stored so far (HighLevel note text). */
  canon?(value: unknown, env: TransformEnv): Canon;
  maxLength?: number;
  options?: readonly string[];
  /** A custom field the mapping names that the system no longer has. */
  missing?: true;
  write: { create: boolean; update: boolean };
  /** Why a field the system's API can write is not writable through a mapping (validation says it). */
  readOnlyReason?: string;
  /** The value as the system holds it (a string, a string[] for sets, an object for composites), undefined = absent. */
  read(raw: Raw, kind?: string): unknown;
  /** Put a value (what `fromCanon` gave) into the connector's create/update input; undefined = leave the patch alone. */
  put(patch: Patch, value: unknown, kind?: string): void;
}

export interface TransformResult {
  value: Canon;
  /** Set when the value could not be handled: `value` is then the text as typed, never null. */
  warning?: string;
}

export interface Transform {
  id: TransformId;
  label: string;
  /** The (ghl type, other type) pairs this transform makes compatible. */
  accepts: ReadonlyArray<readonly [FieldType, FieldType]>;
  /** A side's value → the pair's canonical value. Never throws. `partner` is the pair's field on the other side. */
  toCanon(
    value: unknown,
    side: PairSide,
    def: FieldDef,
    fm: FieldMapping,
    env: TransformEnv,
    partner?: FieldDef,
  ): TransformResult;
  /** The canonical value → what `def` holds on that side. Never throws; cuts text to def.maxLength. */
  fromCanon(
    canon: Canon,
    side: PairSide,
    def: FieldDef,
    fm: FieldMapping,
    env: TransformEnv,
    partner?: FieldDef,
  ): unknown;
}

/** The value of a 'person_name' composite, as its def reads and puts it. */
export interface PersonName {
  first: string | null;
  last: string | null;
}

/** The value of an 'address' composite, as its def reads and puts it (AroFlo suburb = HighLevel city). */
export interface AddressParts {
  line1: string | null;
  line2: string | null;
  city: string | null;
  state: string | null;
  postcode: string | null;
  country: string | null;
}
