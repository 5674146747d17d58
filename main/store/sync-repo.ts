/**
 * The sync engine's persistent state, as typed queries over the schema in migrations.ts:
 * links (ID map) with their per-side base snapshots, cursors, conflicts, outbox, audit, runs, activity, quarantine.
 */
import type { ConflictSummary, EntityKind, FieldDiff, PairId, RunSummary, SystemId, DuplicateCandidate, ActivityItem } from '../../preload/contract.js';
import type Database from 'better-sqlite3';
import type { Db } from './db.js';

type Statement = Database.Statement<unknown[], unknown>;
const statements = new WeakMap<Db, Map<string, Statement>>();

/** A prepared statement, compiled once per database (planning 100,000 records calls some of these per record). */
function prepared(db: Db, sql: string): Statement {
  let m = statements.get(db);
  if (!m) statements.set(db, (m = new Map()));
  let st = m.get(sql);
  if (!st) m.set(sql, (st = db.prepare<unknown[], unknown>(sql)));
  return st;
}

/** Ids per `in (…)` query. */
const IN_CHUNK = 500;

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

export class SyncRepo {
  constructor(
    readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // ---- links ----

  linksFor(pair: PairId, entity: EntityKind): LinkRow[] {
    // pair, entity and state are the same for every row: set here rather than read 100,000 times.
    const rows = prepared(this.db, `select id, ghl_id, other_id, ghl_parent, other_parent, other_kind, label from links where pair = ? and entity = ? and state = 'active'`).all(pair, entity) as LinkRow[];
    for (const r of rows) {
      r.pair = pair;
      r.entity = entity;
      r.state = 'active';
    }
    return rows;
  }

  /** Active links of these records of one side (what a change feed reported), in one query per 500 ids. */
  linksOf(pair: PairId, entity: EntityKind, side: 'ghl' | 'other', ids: readonly string[]): LinkRow[] {
    const col = side === 'ghl' ? 'ghl_id' : 'other_id';
    const out: LinkRow[] = [];
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      const chunk = ids.slice(i, i + IN_CHUNK);
      // `state != 'unlinked'` as written in the partial unique index, so SQLite searches it.
      const rows = this.db.prepare(`select * from links where pair = ? and entity = ? and state != 'unlinked' and ${col} in (${chunk.map(() => '?').join(', ')})`).all(pair, entity, ...chunk) as LinkRow[];
      for (const r of rows) if (r.state === 'active') out.push(r);
    }
    return out;
  }

  linkByGhl(pair: PairId, entity: EntityKind, ghlId: string): LinkRow | undefined {
    return prepared(this.db, `select * from links where pair = ? and entity = ? and ghl_id = ? and state != 'unlinked'`).get(pair, entity, ghlId) as LinkRow | undefined;
  }

  linkByOther(pair: PairId, entity: EntityKind, otherId: string): LinkRow | undefined {
    return prepared(this.db, `select * from links where pair = ? and entity = ? and other_id = ? and state != 'unlinked'`).get(pair, entity, otherId) as LinkRow | undefined;
  }

  /** Ids of records whose link was retired (deleted, undone): they must not be created again. */
  retiredIds(pair: PairId, entity: EntityKind): { ghl: Set<string>; other: Set<string> } {
    const rows = prepared(this.db, `select ghl_id, other_id from links where pair = ? and entity = ? and state = 'deleted'`).all(pair, entity) as Array<{ ghl_id: string | null; other_id: string | null }>;
    return { ghl: new Set(rows.map((r) => r.ghl_id).filter(Boolean) as string[]), other: new Set(rows.map((r) => r.other_id).filter(Boolean) as string[]) };
  }

  linkById(id: number): LinkRow | undefined {
    return prepared(this.db, `select * from links where id = ?`).get(id) as LinkRow | undefined;
  }

  countLinks(pair: PairId, entity: EntityKind): number {
    return (prepared(this.db, `select count(*) n from links where pair = ? and entity = ? and state = 'active'`).get(pair, entity) as { n: number }).n;
  }

  insertLink(l: Omit<LinkRow, 'id' | 'state'> & { state?: LinkRow['state'] }): number {
    const at = this.now();
    const r = this.db
      .prepare(
        `insert into links(pair, entity, ghl_id, other_id, ghl_parent, other_parent, other_kind, label, state, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(l.pair, l.entity, l.ghl_id, l.other_id, l.ghl_parent, l.other_parent, l.other_kind, l.label, l.state ?? 'active', at, at);
    return Number(r.lastInsertRowid);
  }

  updateLink(id: number, patch: Partial<Pick<LinkRow, 'ghl_id' | 'other_id' | 'ghl_parent' | 'other_parent' | 'other_kind' | 'label' | 'state'>>): void {
    const keys = Object.keys(patch) as Array<keyof typeof patch>;
    if (!keys.length) return;
    prepared(this.db, `update links set ${keys.map((k) => `${k} = ?`).join(', ')}, updated_at = ? where id = ?`).run(...keys.map((k) => patch[k] ?? null), this.now(), id);
  }

  // ---- base snapshots ----

  base(linkId: number): BaseRow | undefined {
    const r = prepared(this.db, `select ghl, other from base_snapshots where link_id = ?`).get(linkId) as { ghl: string; other: string } | undefined;
    return r ? { ghl: JSON.parse(r.ghl) as BaseRow['ghl'], other: JSON.parse(r.other) as BaseRow['other'] } : undefined;
  }

  basesFor(pair: PairId, entity: EntityKind): Map<number, BaseRow> {
    const rows = this.db
      .prepare(`select b.link_id, b.ghl, b.other from base_snapshots b join links l on l.id = b.link_id where l.pair = ? and l.entity = ? and l.state = 'active'`)
      .all(pair, entity) as Array<{ link_id: number; ghl: string; other: string }>;
    return new Map(rows.map((r) => [r.link_id, { ghl: JSON.parse(r.ghl) as BaseRow['ghl'], other: JSON.parse(r.other) as BaseRow['other'] }]));
  }

  /** Every active link's base as stored (JSON text): the planner parses only those it needs. */
  baseTextsFor(pair: PairId, entity: EntityKind): Map<number, { ghl: string; other: string }> {
    const rows = prepared(this.db, `select b.link_id, b.ghl, b.other from base_snapshots b join links l on l.id = b.link_id where l.pair = ? and l.entity = ? and l.state = 'active'`).all(pair, entity) as Array<{ link_id: number; ghl: string; other: string }>;
    return new Map(rows.map((r) => [r.link_id, { ghl: r.ghl, other: r.other }]));
  }

  /** The bases of these links (one query per 500). */
  basesOf(linkIds: readonly number[]): Map<number, BaseRow> {
    const out = new Map<number, BaseRow>();
    for (let i = 0; i < linkIds.length; i += IN_CHUNK) {
      const chunk = linkIds.slice(i, i + IN_CHUNK);
      const rows = this.db.prepare(`select link_id, ghl, other from base_snapshots where link_id in (${chunk.map(() => '?').join(', ')})`).all(...chunk) as Array<{ link_id: number; ghl: string; other: string }>;
      for (const r of rows) out.set(r.link_id, { ghl: JSON.parse(r.ghl) as BaseRow['ghl'], other: JSON.parse(r.other) as BaseRow['other'] });
    }
    return out;
  }

  setBase(linkId: number, base: BaseRow, runId: string): void {
    this.db
      .prepare(
        `insert into base_snapshots(link_id, ghl, other, run_id, synced_at) values (?, ?, ?, ?, ?)
         on conflict(link_id) do update set ghl = excluded.ghl, other = excluded.other, run_id = excluded.run_id, synced_at = excluded.synced_at`,
      )
      .run(linkId, JSON.stringify(base.ghl), JSON.stringify(base.other), runId, this.now());
  }

  // ---- cursors ----

  cursor(system: SystemId, name: string): string | undefined {
    return (prepared(this.db, `select value from cursors where system = ? and name = ?`).get(system, name) as { value: string } | undefined)?.value;
  }

  setCursor(system: SystemId, name: string, value: string): void {
    this.db
      .prepare(`insert into cursors(system, name, value, updated_at) values (?, ?, ?, ?) on conflict(system, name) do update set value = excluded.value, updated_at = excluded.updated_at`)
      .run(system, name, value, this.now());
  }

  // ---- meta ----

  meta(key: string): string | undefined {
    return (prepared(this.db, `select value from meta where key = ?`).get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string | undefined): void {
    if (value === undefined) prepared(this.db, `delete from meta where key = ?`).run(key);
    else prepared(this.db, `insert into meta(key, value) values (?, ?) on conflict(key) do update set value = excluded.value`).run(key, value);
  }

  // ---- conflicts ----

  openConflictBySubject(subject: string): ConflictRow | undefined {
    return prepared(this.db, `select * from conflicts where subject = ? and status = 'open'`).get(subject) as ConflictRow | undefined;
  }

  /** The newest item (open or closed) raised under this subject. */
  latestConflictBySubject(subject: string): ConflictRow | undefined {
    return prepared(this.db, `select * from conflicts where subject = ? order by created_at desc, id desc limit 1`).get(subject) as ConflictRow | undefined;
  }

  upsertConflict(c: { kind: 'conflict' | 'duplicate'; pair: PairId; entity: EntityKind; system: SystemId; linkId: number | null; subject: string; label: string; diffs: FieldDiff[]; candidates?: DuplicateCandidate[]; runId: string }): { id: string; isNew: boolean } {
    const existing = this.openConflictBySubject(c.subject);
    if (existing) {
      this.db
        .prepare(`update conflicts set diffs = ?, candidates = ?, label = ?, run_id = ? where id = ?`)
        .run(JSON.stringify(c.diffs), c.candidates ? JSON.stringify(c.candidates) : null, c.label, c.runId, existing.id);
      return { id: existing.id, isNew: false };
    }
    const id = `${c.kind === 'conflict' ? 'c' : 'd'}_${this.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    this.db
      .prepare(
        `insert into conflicts(id, kind, pair, entity, system, link_id, subject, label, diffs, candidates, status, run_id, created_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
      )
      .run(id, c.kind, c.pair, c.entity, c.system, c.linkId, c.subject, c.label, JSON.stringify(c.diffs), c.candidates ? JSON.stringify(c.candidates) : null, c.runId, this.now());
    return { id, isNew: true };
  }

  conflict(id: string): ConflictRow | undefined {
    return prepared(this.db, `select * from conflicts where id = ?`).get(id) as ConflictRow | undefined;
  }

  closeConflict(id: string, status: 'resolved' | 'dismissed', resolution: unknown): void {
    prepared(this.db, `update conflicts set status = ?, resolution = ?, resolved_at = ? where id = ?`).run(status, JSON.stringify(resolution), this.now(), id);
  }

  /** Resolutions chosen by a person that the next run must apply (status resolved, not yet applied). */
  pendingResolutions(pair: PairId, entity: EntityKind): Map<number, { conflictId: string; values: Record<string, string | null> }> {
    const rows = this.db
      .prepare(`select id, link_id, resolution from conflicts where pair = ? and entity = ? and kind = 'conflict' and status = 'resolved' and resolution like '%"applied":false%'`)
      .all(pair, entity) as Array<{ id: string; link_id: number | null; resolution: string }>;
    const out = new Map<number, { conflictId: string; values: Record<string, string | null> }>();
    for (const r of rows) {
      if (r.link_id === null) continue;
      const res = JSON.parse(r.resolution) as { values: Record<string, string | null> };
      out.set(r.link_id, { conflictId: r.id, values: res.values });
    }
    return out;
  }

  markResolutionApplied(conflictId: string): void {
    const row = this.conflict(conflictId);
    if (!row?.resolution) return;
    const res = JSON.parse(row.resolution) as Record<string, unknown>;
    res.applied = true;
    prepared(this.db, `update conflicts set resolution = ? where id = ?`).run(JSON.stringify(res), conflictId);
  }

  countOpen(kind: 'conflict' | 'duplicate'): number {
    return (prepared(this.db, `select count(*) n from conflicts where status = 'open' and kind = ?`).get(kind) as { n: number }).n;
  }

  listConflicts(f: { offset?: number; limit?: number; system?: SystemId; entity?: EntityKind; kind?: 'conflict' | 'duplicate'; query?: string; status?: string }): { items: ConflictSummary[]; total: number } {
    const where: string[] = [`status = ?`];
    const args: unknown[] = [f.status ?? 'open'];
    if (f.system) {
      where.push('system = ?');
      args.push(f.system);
    }
    if (f.entity) {
      where.push('entity = ?');
      args.push(f.entity);
    }
    if (f.kind) {
      where.push('kind = ?');
      args.push(f.kind);
    }
    if (f.query) {
      where.push('label like ?');
      args.push(`%${f.query}%`);
    }
    const w = where.join(' and ');
    const total = (prepared(this.db, `select count(*) n from conflicts where ${w}`).get(...args) as { n: number }).n;
    const rows = this.db
      .prepare(`select * from conflicts where ${w} order by created_at desc, id limit ? offset ?`)
      .all(...args, Math.min(f.limit ?? 100, 10_000), f.offset ?? 0) as ConflictRow[];
    return { items: rows.map(toConflictSummary), total };
  }

  // ---- outbox ----

  addOutbox(o: { runId: string; pair: PairId; entity: EntityKind; system: SystemId; action: OutboxRow['action']; linkId: number | null; subject: string; payload: unknown }): number {
    const at = this.now();
    const r = this.db
      .prepare(`insert into outbox(run_id, pair, entity, system, action, link_id, subject, payload, state, attempts, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 1, ?, ?)`)
      .run(o.runId, o.pair, o.entity, o.system, o.action, o.linkId, o.subject, JSON.stringify(o.payload), at, at);
    return Number(r.lastInsertRowid);
  }

  settleOutbox(id: number, state: 'confirmed' | 'failed' | 'abandoned', resultId?: string | null, error?: string): void {
    prepared(this.db, `update outbox set state = ?, result_id = ?, error = ?, updated_at = ? where id = ?`).run(state, resultId ?? null, error ?? null, this.now(), id);
  }

  /** The id the target answered with, noted the moment the answer arrives (the entry stays pending until confirmed). */
  noteOutboxResult(ids: Array<{ id: number; resultId: string }>): void {
    const stmt = prepared(this.db, `update outbox set result_id = ?, updated_at = ? where id = ? and state = 'pending'`);
    const at = this.now();
    this.db.transaction(() => {
      for (const x of ids) stmt.run(x.resultId, at, x.id);
    })();
  }

  /** Every confirmed create: which record it made in which system, from which source (the soak's accounting). */
  confirmedCreates(): Array<{ pair: PairId; entity: EntityKind; system: SystemId; subject: string; result_id: string }> {
    return prepared(this.db, `select pair, entity, system, subject, result_id from outbox where action = 'create' and state = 'confirmed' and result_id is not null order by id`).all() as Array<{ pair: PairId; entity: EntityKind; system: SystemId; subject: string; result_id: string }>;
  }

  pendingOutbox(pair?: PairId, entity?: EntityKind): OutboxRow[] {
    if (pair && entity) return prepared(this.db, `select * from outbox where state = 'pending' and pair = ? and entity = ? order by id`).all(pair, entity) as OutboxRow[];
    return prepared(this.db, `select * from outbox where state = 'pending' order by id`).all() as OutboxRow[];
  }

  // ---- audit ----

  audit(e: AuditEntry): void {
    this.db
      .prepare(`insert into audit(run_id, at, system, entity, record_id, link_id, action, field, before, after) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(e.runId, this.now(), e.system, e.entity, e.recordId, e.linkId, e.action, e.field ?? null, e.before ?? null, e.after ?? null);
  }

  auditForRun(runId: string): Array<AuditEntry & { id: number; at: number; undone_by: string | null }> {
    const rows = prepared(this.db, `select * from audit where run_id = ? order by id`).all(runId) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      id: r.id as number,
      at: r.at as number,
      runId: r.run_id as string,
      system: r.system as SystemId,
      entity: r.entity as EntityKind,
      recordId: r.record_id as string | null,
      linkId: r.link_id as number | null,
      action: r.action as AuditEntry['action'],
      field: r.field as string | null,
      before: r.before as string | null,
      after: r.after as string | null,
      undone_by: r.undone_by as string | null,
    }));
  }

  markUndone(auditId: number, undoRunId: string): void {
    prepared(this.db, `update audit set undone_by = ? where id = ?`).run(undoRunId, auditId);
  }

  *iterateAudit(): Generator<Record<string, unknown>> {
    for (const r of this.db.prepare(`select a.*, r.trigger, l.label as record_label, l.pair as pair from audit a left join runs r on r.id = a.run_id left join links l on l.id = a.link_id order by a.id`).iterate()) /* not cached: a cached statement cannot run twice at once */ yield r as Record<string, unknown>;
  }

  // ---- runs ----

  startRun(r: { id: string; trigger: RunSummary['trigger']; dryRun: boolean; startedAt: number }): void {
    prepared(this.db, `insert into runs(id, trigger, dry_run, status, started_at) values (?, ?, ?, 'running', ?)`).run(r.id, r.trigger, r.dryRun ? 1 : 0, r.startedAt);
  }

  finishRun(s: RunSummary, plan?: unknown): void {
    this.db
      .prepare(`update runs set status = ?, finished_at = ?, summary = ?, message = ?, plan = coalesce(?, plan) where id = ?`)
      .run(s.status, s.finishedAt ?? this.now(), JSON.stringify(s), s.message ?? null, plan === undefined ? null : JSON.stringify(plan), s.id);
  }

  run(id: string): (RunSummary & { plan?: unknown }) | undefined {
    const r = prepared(this.db, `select * from runs where id = ?`).get(id) as Record<string, unknown> | undefined;
    return r ? toRunSummary(r) : undefined;
  }

  listRuns(limit = 20): RunSummary[] {
    return (prepared(this.db, `select * from runs order by started_at desc, rowid desc limit ?`).all(Math.min(limit, 1000)) as Array<Record<string, unknown>>).map(toRunSummary);
  }

  /** Runs left 'running' by a crash: mark them so. */
  closeAbandonedRuns(): number {
    return prepared(this.db, `update runs set status = 'failed', message = 'Interrupted (the app stopped during this run); the next run finished its work.', finished_at = ? where status = 'running'`).run(this.now()).changes;
  }

  // ---- activity ----

  addActivity(a: { at: number; system: ActivityItem['system']; kind: ActivityItem['kind']; action: string; summary: string; runId?: string; ref?: string }): void {
    this.db
      .prepare(`insert into activity(at, system, kind, action, summary, run_id, ref) values (?, ?, ?, ?, ?, ?, ?) on conflict(ref) do nothing`)
      .run(a.at, a.system, a.kind, a.action, a.summary, a.runId ?? null, a.ref ?? null);
  }

  listActivity(f: { query?: string; system?: string; kind?: string; limit?: number; before?: number }): ActivityItem[] {
    const where: string[] = ['1 = 1'];
    const args: unknown[] = [];
    if (f.system) {
      where.push('system = ?');
      args.push(f.system);
    }
    if (f.kind) {
      where.push('kind = ?');
      args.push(f.kind);
    }
    if (f.before) {
      where.push('at < ?');
      args.push(f.before);
    }
    if (f.query) {
      where.push('summary like ?');
      args.push(`%${f.query}%`);
    }
    const rows = prepared(this.db, `select * from activity where ${where.join(' and ')} order by at desc, id desc limit ?`).all(...args, Math.min(f.limit ?? 200, 2000)) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      id: String(r.id),
      at: r.at as number,
      system: r.system as ActivityItem['system'],
      kind: r.kind as ActivityItem['kind'],
      action: r.action as string,
      summary: r.summary as string,
      runId: (r.run_id as string | null) ?? undefined,
    }));
  }

  // ---- quarantine ----

  quarantine(q: { system: SystemId; entity: EntityKind; recordId: string; reason: string; raw?: unknown; runId: string }): void {
    this.db
      .prepare(
        `insert into quarantine(system, entity, record_id, reason, raw, run_id, at) values (?, ?, ?, ?, ?, ?, ?)
         on conflict(system, entity, record_id) do update set reason = excluded.reason, raw = excluded.raw, run_id = excluded.run_id, at = excluded.at`,
      )
      .run(q.system, q.entity, q.recordId, q.reason, q.raw === undefined ? null : JSON.stringify(q.raw).slice(0, 4000), q.runId, this.now());
  }

  releaseQuarantine(system: SystemId, entity: EntityKind, recordId: string): void {
    prepared(this.db, `delete from quarantine where system = ? and entity = ? and record_id = ?`).run(system, entity, recordId);
  }

  countQuarantine(): number {
    return (prepared(this.db, `select count(*) n from quarantine`).get() as { n: number }).n;
  }

  listQuarantine(limit = 100): Array<{ system: SystemId; entity: EntityKind; record_id: string; reason: string; at: number }> {
    return prepared(this.db, `select system, entity, record_id, reason, at from quarantine order by at desc limit ?`).all(limit) as Array<{ system: SystemId; entity: EntityKind; record_id: string; reason: string; at: number }>;
  }
}

function toConflictSummary(r: ConflictRow): ConflictSummary {
  const diffs = JSON.parse(r.diffs) as FieldDiff[];
  return { id: r.id, kind: r.kind, pair: r.pair, system: r.system, entity: r.entity, label: r.label, fields: diffs.map((d) => d.label || d.field), createdAt: r.created_at, runId: r.run_id ?? undefined };
}

function toRunSummary(r: Record<string, unknown>): RunSummary & { plan?: unknown } {
  const summary = r.summary ? (JSON.parse(r.summary as string) as RunSummary) : undefined;
  return {
    id: r.id as string,
    trigger: r.trigger as RunSummary['trigger'],
    dryRun: r.dry_run === 1,
    status: r.status as RunSummary['status'],
    startedAt: r.started_at as number,
    finishedAt: (r.finished_at as number | null) ?? undefined,
    durationMs: summary?.durationMs,
    created: summary?.created ?? {},
    updated: summary?.updated ?? {},
    deleted: summary?.deleted ?? {},
    conflicts: summary?.conflicts ?? 0,
    errors: summary?.errors ?? 0,
    requests: summary?.requests ?? { ghl: 0, aroflo: 0, aimfox: 0 },
    message: (r.message as string | null) ?? undefined,
    plan: r.plan ? (JSON.parse(r.plan as string) as unknown) : undefined,
  };
}

/** The per-side record cache (see the `mirror` table). */
export class MirrorRepo {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  static scope(pair: PairId, entity: EntityKind, system: SystemId): string {
    return `${pair}:${entity}:${system}`;
  }

  put(scope: string, records: Array<{ id: string; parentId?: string; kind?: string; label: string; fields: Record<string, string | null>; email?: string | null; phone?: string | null; altKey?: string | null }>): void {
    const stmt = prepared(this.db, 
      `insert into mirror(scope, id, parent_id, kind, label, fields, email, phone, alt_key, seen_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict(scope, id) do update set parent_id = excluded.parent_id, kind = excluded.kind, label = excluded.label, fields = excluded.fields,
         email = excluded.email, phone = excluded.phone, alt_key = excluded.alt_key, seen_at = excluded.seen_at`,
    );
    const at = this.now();
    this.db.transaction(() => {
      for (const r of records) stmt.run(scope, r.id, r.parentId ?? null, r.kind ?? null, r.label, JSON.stringify(r.fields), r.email ?? null, r.phone ?? null, r.altKey ?? null, at);
    })();
  }

  remove(scope: string, ids: string[]): void {
    const stmt = prepared(this.db, `delete from mirror where scope = ? and id = ?`);
    this.db.transaction(() => {
      for (const id of ids) stmt.run(scope, id);
    })();
  }

  /** Replace the whole scope with a complete listing. */
  replaceAll(scope: string, records: Parameters<MirrorRepo['put']>[1]): void {
    this.db.transaction(() => {
      prepared(this.db, `delete from mirror where scope = ?`).run(scope);
      this.put(scope, records);
    })();
  }

  /** Whether the last time this record was read was before `at` (so it existed before then). */
  seenBefore(scope: string, id: string, at: number): boolean {
    return prepared(this.db, `select 1 from mirror where scope = ? and id = ? and seen_at < ?`).get(scope, id, at) !== undefined;
  }

  get(scope: string, ids: string[]): Map<string, MirrorRecord> {
    const out = new Map<string, MirrorRecord>();
    const stmt = prepared(this.db, `select * from mirror where scope = ? and id = ?`);
    for (const id of ids) {
      const r = stmt.get(scope, id) as MirrorDbRow | undefined;
      if (r) out.set(id, fromMirrorRow(r));
    }
    return out;
  }

  all(scope: string): MirrorRecord[] {
    return (prepared(this.db, `select * from mirror where scope = ?`).all(scope) as MirrorDbRow[]).map(fromMirrorRow);
  }

  findBy(scope: string, key: 'email' | 'phone' | 'alt_key', value: string): MirrorRecord[] {
    return (prepared(this.db, `select * from mirror where scope = ? and ${key} = ?`).all(scope, value) as MirrorDbRow[]).map(fromMirrorRow);
  }

  count(scope: string): number {
    return (prepared(this.db, `select count(*) n from mirror where scope = ?`).get(scope) as { n: number }).n;
  }
}

interface MirrorDbRow {
  id: string;
  parent_id: string | null;
  kind: string | null;
  label: string;
  fields: string;
  email: string | null;
  phone: string | null;
  alt_key: string | null;
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

function fromMirrorRow(r: MirrorDbRow): MirrorRecord {
  return { id: r.id, parentId: r.parent_id ?? undefined, kind: r.kind ?? undefined, label: r.label, fields: JSON.parse(r.fields) as Record<string, string | null>, email: r.email, phone: r.phone, altKey: r.alt_key };
}
