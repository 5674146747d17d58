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
