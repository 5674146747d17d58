/**
 * What the sync and the service keep in the profile, as one repository per kind of data (main/store/README.md).
 * Interfaces only: main/store/sqlite/*.ts implement them over better-sqlite3 (`openSqliteStore(db)`), and a later
 * PostgreSQL store implements the same ones. They are synchronous, like better-sqlite3, and every write the engine
 * must make atomically is ONE CommitRepo method — so a store with an async driver changes that one small surface.
 */
import type {
  ActivityItem,
  ConflictSummary,
  DuplicateCandidate,
  EntityKind,
  FieldDiff,
  PairId,
  RuleKind,
  RunSummary,
  SystemId,
} from '../../preload/contract.js';

export interface LinkRow {
  id: number;
  pair: PairId;
  entity: EntityKind;
  ghl_id: string | null;
  other_id: string | null;
  ghl_parent: string | null;
  other_parent: string | null;
  other_kind: string | null;
  label: string;
  state: 'active' | 'unlinked' | 'deleted' | 'quarantined';
}

export type NewLink = Omit<LinkRow, 'id' | 'state'> & { state?: LinkRow['state'] };
export type LinkPatch = Partial<
  Pick<LinkRow, 'ghl_id' | 'other_id' | 'ghl_parent' | 'other_parent' | 'other_kind' | 'label' | 'state'>
>;

export interface BaseRow {
  ghl: Record<string, string | null>;
  other: Record<string, string | null>;
}

export interface OutboxRow {
  id: number;
  run_id: string;
  pair: PairId;
  entity: EntityKind;
  system: SystemId;
  action: 'create' | 'update' | 'delete' | 'archive';
  link_id: number | null;
  subject: string;
  payload: string;
  state: 'pending' | 'confirmed' | 'failed' | 'abandoned';
  result_id: string | null;
  attempts: number;
  /** When the entry was written (just before its request went out). */
  created_at: number;
}

export interface NewOutbox {
  runId: string;
  pair: PairId;
  entity: EntityKind;
  system: SystemId;
  action: OutboxRow['action'];
  linkId: number | null;
  subject: string;
  payload: unknown;
}

/** How an outbox entry ends. */
export interface OutboxSettle {
  id: number;
  state: 'confirmed' | 'failed' | 'abandoned';
  resultId?: string | null;
  error?: string;
}

export interface ConflictRow {
  id: string;
  kind: 'conflict' | 'duplicate';
  pair: PairId;
  entity: EntityKind;
  system: SystemId;
  link_id: number | null;
  subject: string;
  label: string;
  diffs: string;
  candidates: string | null;
  status: 'open' | 'resolved' | 'dismissed';
  resolution: string | null;
  run_id: string | null;
  created_at: number;
}

export interface NewConflict {
  kind: 'conflict' | 'duplicate';
  pair: PairId;
  entity: EntityKind;
  system: SystemId;
  linkId: number | null;
  subject: string;
  label: string;
  diffs: FieldDiff[];
  candidates?: DuplicateCandidate[];
  runId: string;
}

export interface AuditEntry {
  runId: string;
  system: SystemId;
  entity: EntityKind;
  recordId: string | null;
  linkId: number | null;
  action: 'create' | 'update' | 'delete' | 'archive' | 'link' | 'unlink';
  field?: string | null;
  before?: string | null;
  after?: string | null;
}

export type AuditRow = AuditEntry & { id: number; at: number; undone_by: string | null };

/** A record as the mirror keeps it. */
export interface MirrorInput {
  id: string;
  parentId?: string;
  kind?: string;
  label: string;
  fields: Record<string, string | null>;
  email?: string | null;
  phone?: string | null;
  altKey?: string | null;
}

export interface MirrorRecord {
  id: string;
  parentId?: string;
  kind?: string;
  label: string;
  fields: Record<string, string | null>;
  email: string | null;
  phone: string | null;
  altKey: string | null;
}

/** A contact whose tasks or notes a run wrote, for the next run to re-read (`pair`/`kind` absent: any). */
export interface RereadRow {
  parentId: string;
  pair?: string;
  kind?: 'task' | 'note';
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export interface LogRow {
  at: number;
  level: LogLevel;
  message: string;
  context?: Record<string, unknown>;
}

/** The mirror's scope of one side of one entity of a pair. */
export const mirrorScope = (pair: PairId, entity: EntityKind, system: SystemId): string =>
  `${pair}:${entity}:${system}`;

export interface LinkRepo {
  /** Every active link of a pair's entity. */
  active(pair: PairId, entity: EntityKind): LinkRow[];
  /** Active links of these records of one side, in one query per 500 ids. */
  of(pair: PairId, entity: EntityKind, side: 'ghl' | 'other', ids: readonly string[]): LinkRow[];
  byGhl(pair: PairId, entity: EntityKind, ghlId: string): LinkRow | undefined;
  byOther(pair: PairId, entity: EntityKind, otherId: string): LinkRow | undefined;
  byId(id: number): LinkRow | undefined;
  /** Ids of records whose link was retired (deleted, undone): they must not be created again. */
  retired(pair: PairId, entity: EntityKind): { ghl: Set<string>; other: Set<string> };
  count(pair: PairId, entity: EntityKind): number;
  /** Up to `limit` active links with an id above `afterId`, by id: one slice of the rolling re-read. */
  page(pair: PairId, entity: EntityKind, afterId: number, limit: number): LinkRow[];
  /** Active links of a child entity whose parent on one side is one of these (the children of a re-read slice). */
  under(pair: PairId, entity: EntityKind, side: 'ghl' | 'other', parents: readonly string[]): LinkRow[];
  /** The HighLevel ids of every link of a pair's entity, whatever its state (the tasks the notes-to-tasks rule made). */
  ghlIdsOf(pair: PairId, entity: EntityKind): Set<string>;
  /** Every link, any state (the soak's accounting). */
  everything(): Array<LinkRow & { created_at: number }>;
  insert(l: NewLink): number;
  update(id: number, patch: LinkPatch): void;
}

export interface BaseRepo {
  get(linkId: number): BaseRow | undefined;
  all(pair: PairId, entity: EntityKind): Map<number, BaseRow>;
  /** Every active link's base as stored (JSON text): the planner parses only those it needs. */
  textsFor(pair: PairId, entity: EntityKind): Map<number, { ghl: string; other: string }>;
  of(linkIds: readonly number[]): Map<number, BaseRow>;
  set(linkId: number, base: BaseRow, runId: string): void;
}

export interface OutboxRepo {
  add(o: NewOutbox): number;
  settle(id: number, state: OutboxSettle['state'], resultId?: string | null, error?: string): void;
  /** The id the target answered with, noted the moment the answer arrives (the entry stays pending until confirmed). */
  noteResults(ids: Array<{ id: number; resultId: string }>): void;
  /** Every confirmed create: which record it made in which system, from which source (the soak's accounting). */
  confirmedCreates(): Array<{ pair: PairId; entity: EntityKind; system: SystemId; subject: string; result_id: string }>;
  pending(pair?: PairId, entity?: EntityKind): OutboxRow[];
}

export interface ConflictRepo {
  openBySubject(subject: string): ConflictRow | undefined;
  /** The newest item (open or closed) raised under this subject. */
  latestBySubject(subject: string): ConflictRow | undefined;
  upsert(c: NewConflict): { id: string; isNew: boolean };
  get(id: string): ConflictRow | undefined;
  close(id: string, status: 'resolved' | 'dismissed', resolution: unknown): void;
  /** Resolutions chosen by a person that the next run must apply (status resolved, not yet applied). */
  pendingResolutions(
    pair: PairId,
    entity: EntityKind,
  ): Map<number, { conflictId: string; values: Record<string, string | null> }>;
  markResolutionApplied(conflictId: string): void;
  countOpen(kind: 'conflict' | 'duplicate'): number;
  list(f: {
    offset?: number;
    limit?: number;
    system?: SystemId;
    entity?: EntityKind;
    kind?: 'conflict' | 'duplicate';
    query?: string;
    status?: string;
  }): { items: ConflictSummary[]; total: number };
  /** Every open item as stored (the soak's invariants). */
  openRows(): ConflictRow[];
}

export interface AuditRepo {
  add(e: AuditEntry): void;
  forRun(runId: string): AuditRow[];
  markUndone(auditId: number, undoRunId: string): void;
  /** Every entry with its run's trigger and its link's label and pair, oldest first (the CSV export). */
  iterate(): Generator<Record<string, unknown>>;
  /** Every entry, oldest first. */
  all(): AuditRow[];
}

export interface RunRepo {
  start(r: { id: string; trigger: RunSummary['trigger']; dryRun: boolean; startedAt: number }): void;
  finish(s: RunSummary, plan?: unknown): void;
  get(id: string): (RunSummary & { plan?: unknown }) | undefined;
  list(limit?: number): RunSummary[];
  /** Real (not dry) runs started since `since` that finished with a summary, oldest first. */
  since(since: number): RunSummary[];
  /** Runs left 'running' by a crash: mark them so. */
  closeAbandoned(): number;
}

/** The per-side record cache (see the `mirror` table). */
export interface MirrorRepo {
  put(scope: string, records: MirrorInput[]): void;
  remove(scope: string, ids: string[]): void;
  /** Replace the whole scope with a complete listing. */
  replaceAll(scope: string, records: MirrorInput[]): void;
  /** Whether the last time this record was read was before `at` (so it existed before then). */
  seenBefore(scope: string, id: string, at: number): boolean;
  get(scope: string, ids: string[]): Map<string, MirrorRecord>;
  all(scope: string): MirrorRecord[];
  findBy(scope: string, key: 'email' | 'phone' | 'alt_key', value: string): MirrorRecord[];
  count(scope: string): number;
}

/** Where each change feed stands, and what one run hands to the next (tables cursors, feed_echo, feed_reread, feed_counter). */
export interface FeedStateRepo {
  cursor(system: SystemId, feed: string): string | undefined;
  setCursor(system: SystemId, feed: string, value: string): void;
  /** Records a run wrote, with the change stamp the system gave them: seeing that stamp again is our own echo. */
  echoes(system: SystemId): Map<string, number>;
  /** Replace the echoes of a system with what this run wrote. */
  setEchoes(system: SystemId, echoes: ReadonlyMap<string, number>, runId: string): void;
  /** Parents whose children a run wrote, for the next run to re-read. */
  rereads(system: SystemId): RereadRow[];
  /** Replace the rereads of a system with what this run wrote. */
  setRereads(system: SystemId, rows: readonly RereadRow[], runId: string): void;
  /** Add rereads (a write of a child is about to go out, or recovery confirmed one); those already there stay. */
  addRereads(system: SystemId, rows: readonly RereadRow[], runId: string): void;
  /** Remove rereads a pair consumed (read, or carried on by a hop). */
  removeRereads(system: SystemId, rows: readonly RereadRow[]): void;
  /** Add or refresh echoes without dropping the others (a run that failed after writing). */
  addEchoes(system: SystemId, echoes: ReadonlyMap<string, number>, runId: string): void;
  counter(name: FeedCounter): number;
  setCounter(name: FeedCounter, value: number): void;
}
/** `runs_since_full`: real runs since the last full re-read (0 = none yet), shared by every process on the profile. */
export type FeedCounter = 'runs_since_full';

/** The notes-to-tasks rule's baseline: the notes that were there when it was first used (tables rule_state, rule_seen). */
export interface RuleStateRepo {
  baselineAt(rule: RuleKind): string | undefined;
  /** Take the baseline once: these records count as seen. */
  setBaseline(rule: RuleKind, at: string, seen: readonly string[]): void;
  seen(rule: RuleKind, otherId: string): boolean;
}

/** Pairs of records a person said are different (table keep_apart). */
export interface KeepApartRepo {
  has(pair: PairId, entity: EntityKind, ghlId: string, otherId: string): boolean;
  add(pair: PairId, entity: EntityKind, pairs: ReadonlyArray<readonly [string, string]>): void;
}

export interface ActivityRepo {
  add(a: {
    at: number;
    system: ActivityItem['system'];
    kind: ActivityItem['kind'];
    action: string;
    summary: string;
    runId?: string;
    ref?: string;
  }): void;
  list(f: { query?: string; system?: string; kind?: string; limit?: number; before?: number }): ActivityItem[];
}

export interface QuarantineRepo {
  add(q: {
    system: SystemId;
    entity: EntityKind;
    recordId: string;
    reason: string;
    raw?: unknown;
    runId: string;
  }): void;
  release(system: SystemId, entity: EntityKind, recordId: string): void;
  count(): number;
  list(limit?: number): Array<{ system: SystemId; entity: EntityKind; record_id: string; reason: string; at: number }>;
}

export interface LogRepo {
  add(e: LogRow): void;
  /** Keep only the newest `keep` rows. */
  prune(keep: number): void;
  list(f: { levels: LogLevel[]; query?: string; limit: number }): LogRow[];
}

/** Totals over the whole history (the soak's report). */
export interface StatsRepo {
  /** Conflicts and possible duplicates ever raised, and how many items are open now. */
  conflicts(): { conflicts: number; duplicates: number; open: number };
  /** Audit entries of writes (create, update, delete, archive). */
  auditWrites(): number;
}

/** Small key/value state the sync never reads. */
export interface MetaRepo {
  get(key: string): string | undefined;
  set(key: string, value: string | undefined): void;
}

/** A record as the engine writes it into a commit (main/sync/engine/types.ts SideRecord, structurally). */
export interface CommitRecord extends MirrorInput {
  id: string;
}

/** The conflict a merge leaves: its fields in conflict (none: an open item is closed, both sides agree now) and its subject. */
export interface ConflictOutcome {
  diffs: FieldDiff[];
  subject: (linkId: number) => string;
}

/**
 * Every write the engine makes atomically: each method is one transaction.
 */
export interface CommitRepo {
  /** A create the target confirmed: link (new or completed), base, outbox confirmed, audit, mirror. Returns the link id. */
  created(c: {
    pair: PairId;
    entity: EntityKind;
    runId: string;
    outboxId: number;
    target: 'ghl' | 'other';
    source: CommitRecord;
    created: CommitRecord;
    base: BaseRow;
    otherSystem: SystemId;
    scope: string;
  }): number;
  /**
   * A merge after its writes were answered: the link (inserted when `link` is absent, else its label kept current), the
   * base, the audits, the outbox settled, the conflict item opened/updated or settled, a pending resolution marked
   * applied, and the mirror. Returns the link id and whether a new conflict item was opened.
   */
  merged(m: {
    pair: PairId;
    entity: EntityKind;
    runId: string;
    otherSystem: SystemId;
    link?: LinkRow;
    ghl: CommitRecord;
    other: CommitRecord;
    label: string;
    base: BaseRow;
    audits: Array<Omit<AuditEntry, 'linkId' | 'runId'>>;
    outbox: OutboxSettle[];
    conflict: ConflictOutcome;
    resolutionApplied: boolean;
    mirror: Array<{ scope: string; record: CommitRecord }>;
  }): { linkId: number; conflict?: { isNew: boolean } };
  /** A delete the target confirmed (or could not do: `abandoned`): link retired, audit, outbox settled, mirror. */
  deleted(d: { linkId: number; audit: AuditEntry; outbox: OutboxSettle; scope: string; recordId: string }): void;
  /** A link ended without a write: retired ('deleted') or just unlinked. */
  unlinked(u: { linkId: number; retire: boolean; audit: AuditEntry }): void;
  /** An undo's writes: audits, the entries it undid, and the link retired when it removed what a run created. */
  undone(u: { audits: AuditEntry[]; undone: number[]; undoRunId: string; retireLink?: number }): void;
  /** A person linked two records: the link, and every other pair of the group kept apart. */
  linkedByHand(l: { link: NewLink; apart: ReadonlyArray<readonly [string, string]> }): number;
}

/** What one API spent on one budget-day, summed over every process on the profile. */
export interface LedgerDay {
  api: SystemId;
  day: string;
  calls: number;
  /** Of `calls`, those sync runs made (the rest: other commands, tests of a connection). */
  runCalls: number;
  /** Of `runCalls`, those re-reads spent (full runs and the rolling re-read's slices; the rest: feeds and writes). */
  rereadCalls: number;
  /** Sync runs that spent from this budget-day. */
  runs: number;
}

/** Where one entity's rolling re-read stands (main/sync/README.md, "Rolling re-read"). */
export interface RereadPosition {
  /** The last link id re-checked in the current lap (0: a lap begins). */
  afterId: number;
  lapStartedAt: number;
  /** How long the last complete lap took (ms). */
  lastLapMs?: number;
  /** When the last slice was read (a slice is due in proportion to the time since). */
  lastAt?: number;
}

/** The daily budget ledger and the rolling re-read's positions, shared by every process on the profile. */
export interface BudgetRepo {
  /** Add what a process spent (one upsert per API and day, so two processes never lose each other's calls). */
  add(
    api: SystemId,
    day: string,
    spent: { calls: number; runCalls?: number; rereadCalls?: number; runs?: number },
  ): void;
  day(api: SystemId, day: string): LedgerDay;
  position(name: string): RereadPosition | undefined;
  setPosition(name: string, p: RereadPosition): void;
}

export interface Store {
  budget: BudgetRepo;
  links: LinkRepo;
  bases: BaseRepo;
  outbox: OutboxRepo;
  conflicts: ConflictRepo;
  audit: AuditRepo;
  runs: RunRepo;
  mirror: MirrorRepo;
  feeds: FeedStateRepo;
  rules: RuleStateRepo;
  apart: KeepApartRepo;
  activity: ActivityRepo;
  quarantine: QuarantineRepo;
  logs: LogRepo;
  stats: StatsRepo;
  commit: CommitRepo;
  meta: MetaRepo;
}
