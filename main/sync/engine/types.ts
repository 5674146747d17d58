/**
 * The engine's view of the world. The engine knows nothing of HTTP or of any API's shapes: each (pair, entity,
 * system) is an EntitySide that lists, reads and writes records whose fields are already normalized to the
 * mapping's canonical keys. Adapters in main/sync/sides turn the connectors into EntitySides.
 */
import type { EntityKind, PairId, SystemId } from '../../domain/index.js';
import type {
  CreateItem,
  CreateOutcomeUnknown,
  FetchResult,
  RemoveItem,
  SideRecord,
  UpdateItem,
  WriteResult,
} from '../../domain/records.js';

export type {
  CreateItem,
  CreateOutcomeUnknown,
  FetchResult,
  FieldValue,
  Fields,
  Rejected,
  RemoveItem,
  SideRecord,
  UpdateItem,
  WriteResult,
} from '../../domain/records.js';

export interface EntitySide {
  readonly system: SystemId;
  readonly entity: EntityKind;
  /** Records changed since the cursor (or everything, when the side has no cheap change feed). */
  fetchChanged(cursor: string | undefined): Promise<FetchResult>;
  /** Every record in scope. */
  fetchAll(): Promise<FetchResult>;
  /**
   * Fresh reads by id (read-before-write). Not there = null (gone). An id the side could not read (an unreadable
   * answer for it) is left out of the map: the engine takes nothing for deleted, nor writes, on its word.
   */
  getMany(ids: string[]): Promise<Map<string, SideRecord | null>>;
  /**
   * Ids a read later in this run will probably ask for — the counterparts of what the other side's change feed
   * reported, which the planner reads fresh before writing (main/sync/README.md, "One read by id, shared"). A side
   * that reads many ids a request reads them along with a read it makes anyway; the others need not implement it.
   */
  want?(ids: string[]): void;
  create(items: CreateItem[]): Promise<WriteResult[]>;
  update(items: UpdateItem[]): Promise<WriteResult[]>;
  remove(items: RemoveItem[]): Promise<WriteResult[]>;
  /**
   * After a crash between send and confirm: find what that create made, if it made anything. Several candidates
   * may be returned (identical notes); the engine takes the first one that is not linked to anything yet. Undefined
   * only when the create certainly did not happen; when that cannot be told, `CreateOutcomeUnknown` (the entry waits
   * and a person is asked) — see main/sync/README.md, "Crash safety".
   */
  findCreated(item: CreateItem): Promise<SideRecord | SideRecord[] | CreateOutcomeUnknown | undefined>;
  /**
   * How the rolling re-read re-checks this side (main/sync/README.md, "Daily budget and the rolling re-read"): `parent`
   * sides read every child of a slice of parents (`readChildren`), the others read the slice's records by id
   * (`getMany`). `perCall`: records (or parents) one request re-checks; 0 = no request at all. Missing: by id, one a call.
   */
  readonly recheck?: { by: 'id' | 'parent'; perCall: number };
  /** Every child of these parents (a `covers.parents` result: a linked child of one of them that is missing is gone). */
  readChildren?(parentIds: string[]): Promise<FetchResult>;
  /**
   * The fields a create writes in calls of their own once the record exists (an Aimfox lead's labels, an AroFlo job's
   * status): a run killed in between leaves the record without them, so recovery takes for its base only what the
   * record it found holds of them (main/sync/README.md, "Crash safety"). Keys of the pair's field pairs.
   */
  afterCreate?(): Promise<string[]>;
  /** Fields this side cannot write at all, or cannot change after creation. */
  readonly readOnlyFields?: ReadonlySet<string>;
  /** Whether records of this entity can be created on this side. */
  readonly canCreate: boolean;
}

export interface EntityWiring {
  pair: PairId;
  entity: EntityKind;
  ghl: EntitySide;
  other: EntitySide;
  /** For child entities: the entity whose links map parent ids (e.g. contact for task). */
  parentEntity?: EntityKind;
  /** A record without a parent is fine (a residential contact has no business). */
  parentOptional?: boolean;
  /**
   * Sides that hold a record whose parent they lack without that parent (HighLevel: a person of a business it does
   * not have is created with the business's name as the contact's company; GHL Bridge creates no HighLevel business).
   */
  parentCarried?: { ghl?: boolean; other?: boolean };
  /** Records of either side that other rules own (e.g. GHL tasks made by the notes-to-tasks rule). */
  exclude?: { ghl?: ReadonlySet<string>; other?: ReadonlySet<string> };
  /** Whether first-link matching by email/phone/altKey applies (contacts, leads). */
  matchable: boolean;
}

/** Record ids per entity (`scopeKey(pair, entity)`), per side, that a scoped run reads ("Sync this record now"). */
export interface RunScope {
  ids: Record<string, { ghl: string[]; other: string[] }>;
}

export const scopeKey = (pair: string, entity: string): string => `${pair}:${entity}`;
