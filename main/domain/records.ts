/**
 * Records as the sync engine sees them: fields already normalised to the mapping's canonical keys, whatever system
 * they came from, and what a side answers to a read or a write (main/sync/README.md).
 */

/** A normalized field value: strings only (sets are stored as a sorted JSON array string), null = empty. */
export type FieldValue = string | null;
export type Fields = Record<string, FieldValue>;

export interface SideRecord {
  id: string;
  /** The owning record on the same side (a task's contact, a note's contact or task). */
  parentId?: string;
  /** Which kind of record on that side (AroFlo: client | contact | tasknote | clientnote). */
  kind?: string;
  fields: Fields;
  /** What people call it. */
  label: string;
  /** Normalized match keys for first-link matching. */
  email?: string | null;
  phone?: string | null;
  /** Any other stable key for matching (LinkedIn public identifier). */
  altKey?: string | null;
  /** When the record was made in its system (ms), where the system says so (notes): the dashboard's "notes this week". */
  madeAt?: number | null;
  /** Adapter-private details needed to write related records (never compared, e.g. a client's business name). */
  context?: Record<string, string | null>;
  /**
   * Values a field's transform could not handle, by field key (main/sync/sides/README.md, "Values kept as typed"): the
   * field holds the value as typed, and carrying it to the other system is reported with this warning.
   */
  warnings?: Record<string, string>;
}

export interface Rejected {
  id?: string;
  reason: string;
  raw?: unknown;
}

export interface FetchResult {
  records: SideRecord[];
  rejected: Rejected[];
  /** True when this is every record of the entity (deletes can be inferred from what is missing). */
  complete: boolean;
  /** The position to resume from next time (incremental feeds). */
  cursor?: string;
  /**
   * What a rolling re-read read completely (main/sync/README.md, "Daily budget and the rolling re-read"): records read
   * by these ids, and every child of these parents. A linked record among them that is not in `records` is gone.
   */
  covers?: { ids?: string[]; parents?: string[] };
}

export interface CreateItem {
  /** Stable idempotency subject, e.g. "ghl:contact:abc". */
  subject: string;
  fields: Fields;
  /** The parent on the target side (already resolved through the ID map). */
  parentId?: string;
  /** The kind of record to create on the target side, when a side has several (AroFlo client vs contact). */
  kind?: string;
  label: string;
  /** The source record (read-only context for adapters, e.g. the GHL business of a contact). */
  source: SideRecord;
  /**
   * The outbox entry's reference (set when recovery looks). No target keeps it today; HighLevel contacts made by an
   * earlier version carry it in `source` until confirmed, and are found by it. Never mapped, never synced as data.
   */
  ref?: string;
  /** When the outbox entry was written, just before the create went out (epoch ms; set when recovery looks). */
  sentAt?: number;
}

/** `findCreated` could not tell: these records may be what the interrupted create made (a person decides). */
export interface CreateOutcomeUnknown {
  unknown: true;
  candidates: SideRecord[];
  /**
   * Those of `candidates` that carry the target's mark of a record this bridge made and hold exactly what was sent:
   * the engine links the first one no link holds (identical records are interchangeable); a person is asked about
   * the others only when none of these is free.
   */
  identical?: SideRecord[];
  reason: string;
}

export interface UpdateItem {
  id: string;
  parentId?: string;
  kind?: string;
  /** Only the fields to change. */
  changes: Fields;
  /** The record as it was read just before (read-before-write). */
  current: SideRecord;
  label: string;
}

export interface RemoveItem {
  id: string;
  parentId?: string;
  kind?: string;
  policy: 'propagate' | 'archive';
  label: string;
}

export type WriteResult =
  /** `skipped`: the target cannot do this (e.g. archive through its API); nothing was written, and this says why. */
  | { ok: true; record: SideRecord; skipped?: string }
  /** `uncertain`: the request went out but its answer was lost or unreadable, so the write may have happened. */
  | { ok: false; error: Error; uncertain?: boolean };
