/**
 * A pair's mapping as people edit it: entities, field pairs with direction, transform and conflict default, filters,
 * defaults and the notes-to-tasks rule. Stored in the profile's config (main/store/README.md).
 */
import type { EntityKind } from './entities.js';
import type { PairId } from './systems.js';

export type Direction = 'both' | 'to_other' | 'to_ghl' | 'off';
export type ConflictDefault = 'ask' | 'prefer_ghl' | 'prefer_other';
/**
 * How a value is carried between the two systems (main/sync/fields/README.md). 'status_map' is the value map (its id is
 * kept so stored mappings keep their fingerprint).
 */
export type TransformId =
  | 'none'
  | 'trim'
  | 'lowercase'
  | 'uppercase'
  | 'phone_e164'
  | 'name_join'
  | 'name_split'
  | 'status_map'
  | 'date'
  | 'datetime'
  | 'address_join'
  | 'address_split'
  | 'set_picklist';

export type DeletePolicy = 'propagate' | 'archive' | 'unlink';

export interface FieldMapping {
  /** Stable key, e.g. "email". */
  key: string;
  label: string;
  /** Field name on the GHL side (e.g. "email", "customField:<id>"). */
  ghlField: string;
  /** Field name on the other side (e.g. AroFlo "email", Aimfox "labels"). */
  otherField: string;
  direction: Direction;
  transform: TransformId;
  conflictDefault: ConflictDefault;
  /** For status_map: GHL value → other value. */
  valueMap?: Record<string, string>;
  /** For status_map: the value written for a value the map does not name (each direction). */
  valueMapDefault?: { toGhl?: string; toOther?: string };
  /** An empty value never overwrites a filled one (missing = true). */
  emptyNeverBlanks?: boolean;
}

export interface EntityMapping {
  entity: EntityKind;
  enabled: boolean;
  fields: FieldMapping[];
  deletePolicy: DeletePolicy;
  /** Whether new records are created on each side (missing = on when some field flows that way). */
  create?: { toGhl: boolean; toOther: boolean };
  /** Whether linked records are updated on each side (missing = both on). */
  update?: { toGhl: boolean; toOther: boolean };
}

export interface NoteToTaskRule {
  enabled: boolean;
  /** Only notes whose text contains this (case-insensitive); empty = every new note. */
  match: string;
  /** e.g. "Follow up: {{note}}" — {{note}}, {{contact}}, {{task}} are filled in. */
  titleTemplate: string;
  dueOffsetDays: number;
}

export interface PairMapping {
  pair: PairId;
  label: string;
  entities: EntityMapping[];
  filters: {
    /** Only GHL contacts of these businesses (ids); empty = all. */
    ghlBusinessIds: string[];
    /** Only GHL contacts with at least one of these tags; empty = all. */
    ghlTags: string[];
    /** AroFlo only: only these business units (orgids); empty = all. */
    arofloBusinessUnits: string[];
  };
  defaults: {
    arofloBusinessUnitId?: string;
    arofloTaskTypeId?: string;
    aimfoxCampaignId?: string;
    /** GHL custom field holding the LinkedIn profile URL. */
    linkedinFieldId?: string;
    /** ISO 3166 alpha-2 country phones are read in; missing = the HighLevel location's country, else AU. */
    phoneCountry?: string;
    /** IANA time zone dates are read in; missing = the HighLevel location's time zone, else the machine's. */
    timeZone?: string;
  };
  noteToTask?: NoteToTaskRule;
  /**
   * HighLevel appointments become notes on the linked AroFlo client / Aimfox lead (main/sync/README.md, "Appointments
   * to notes"). Missing = off: a profile made before the setting existed does not start writing notes on upgrade; a new
   * profile has it on.
   */
  appointmentNotes?: { enabled: boolean };
  /** Hash of everything above; a change needs a reviewed preview before the next real run. */
  fingerprint: string;
  previewedFingerprint?: string;
  /** The business's country and time zone the reviewed preview read phones and dates in (a change needs a new preview). */
  previewedEnv?: { country: string; timeZone: string };
  syncEnabled: boolean;
}
