/**
 * The record-level change stream (store table `changes`, main/store/README.md): every change seen on a side (a field
 * of a linked record that differs from its base, a new record, a record deleted there) and every change the bridge
 * made (its fields are the audit's entries, linked by id, never copied).
 */
import type { EntityKind } from './entities.js';
import type { PairId, SystemId } from './systems.js';

/** Who made a change: a person in the change's system, or the bridge (which wrote it there). */
export type ChangeWho = 'person' | 'bridge';
export type ChangeAction = 'create' | 'update' | 'delete' | 'archive' | 'link' | 'unlink';

export interface ChangeField {
  field: string;
  before: string | null;
  after: string | null;
}

export interface ChangeItem {
  id: number;
  at: number;
  runId: string;
  /** The link the record belongs to (null: a record not linked, e.g. a new one whose copy failed). */
  linkId: number | null;
  pair: PairId;
  entity: EntityKind;
  /** Where the change happened: the system a person changed it in, or the system the bridge wrote to. */
  system: SystemId;
  recordId: string;
  label: string;
  email: string | null;
  who: ChangeWho;
  action: ChangeAction;
  fields: ChangeField[];
}

export interface ChangeQuery {
  linkId?: number;
  /** One record of one system (with `recordId`). */
  system?: SystemId;
  recordId?: string;
  /** Text in the label, the email or the record id. */
  query?: string;
  who?: ChangeWho;
  entity?: EntityKind;
  /** Inclusive bounds, ms. */
  from?: number;
  to?: number;
  offset?: number;
  limit?: number;
}

/** Changes per day (UTC), per system and who made them: the dashboard's chart. */
export interface ChangeDay {
  day: string;
  system: SystemId;
  who: ChangeWho;
  count: number;
}

// ---- the dashboard ----

/** The dashboard's filters: a business (by name) and a tag; business units are not kept in the mirror. */
export interface DashboardFilter {
  business?: string;
  tag?: string;
}

export type DashboardFilterKey = 'business' | 'tag';

export interface RecordCounts {
  total: number;
  /** Held by an active link of their pair. */
  linked: number;
}

export interface SystemFigures {
  system: SystemId;
  /** contacts (HighLevel), clients and contacts (AroFlo), leads (Aimfox) */
  people: RecordCounts;
  /** Tasks (HighLevel) or jobs (AroFlo); absent where the bridge syncs none (Aimfox). */
  tasks?: RecordCounts & { open: number; completed: number };
  notes: RecordCounts & { thisWeek: number };
  /** Open conflicts and possible duplicates involving the system. */
  review: number;
  quarantined: number;
  /** Filters asked for that this system's records carry no data for (its figures are not narrowed by them). */
  notFiltered: DashboardFilterKey[];
}

export interface Dashboard {
  /** When the last real sync finished (the mirror is as of then); null before the first. */
  asOf: number | null;
  systems: SystemFigures[];
  /** Changes per day over `days`, per system and who made them. */
  chart: ChangeDay[];
  /** The chart's days (UTC), oldest first. */
  days: string[];
  options: { businesses: string[]; tags: string[] };
  /** How long the store's queries took (ms): the benchmark prints it. */
  queryMs: number;
}
