/**
 * One sync run: recover the outbox, fetch every entity from both sides, plan everything, check the guard, then
 * (unless this is a dry run) execute entity by entity in dependency order and save the change-feed cursors.
 */
import type { Counts, EntityKind, PairId, PlanItem, RunSummary, RunTrigger, Settings, SystemId } from '../../../preload/contract.js';
import { MirrorRepo, type LinkRow, type OutboxRow, type SyncRepo } from '../../store/sync-repo.js';
import { carriedWarnings, confirmCreate, createRef, emptyCounters, executePlan, type ExecHooks, type RunCounters } from './executor.js';
import { checkGuard, type GuardVerdict } from './guard.js';
import { FreshReads, planEntity, type EntityConfig, type EntityPlan, type ParentResolver, type PlanOp } from './planner.js';
import type { EntitySide, EntityWiring, FetchResult, SideRecord } from './types.js';

export interface WiredEntity {
  wiring: EntityWiring;
  config: EntityConfig;
  fieldLabels: Record<string, string>;
  /** Cursor name for this entity's change feeds. */
  cursorName: string;
}

export interface RunLogger {
  debug?(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

export interface RunOptions {
  runId: string;
  trigger: RunTrigger;
  dryRun: boolean;
  /** Read everything (finds deletes) instead of change feeds. */
  full: boolean;
  /** The person reviewed a guard stop and approved. */
  approve?: boolean;
  guard: Settings['guard'];
  hooks?: ExecHooks;
  onProgress?: (p: { phase: string; done: number; total?: number; message?: string }) => void;
}

export interface RunResult {
  summary: RunSummary;
  items: PlanItem[];
  guard: GuardVerdict;
  counters: RunCounters;
}

export interface RunDeps {
  repo: SyncRepo;
  mirror: MirrorRepo;
  logger: RunLogger;
  now: () => number;
  /** Requests each API has answered so far (the run reports the difference). */
  requestCounts: () => Record<SystemId, number>;
  /** Told about the error that stopped a run (the app marks a connection "sign in again" from it). */
  onError?: (e: unknown) => void;
}

const sideKey = (s: EntitySide) => `${s.system}:${s.entity}`;

export async function runSync(deps: RunDeps, entities: WiredEntity[], opts: RunOptions): Promise<RunResult> {
  const { repo, mirror, logger, now } = deps;
  const startedAt = now();
  const req0 = deps.requestCounts();
  const counters = emptyCounters();
  const progress = (phase: string, done: number, total?: number, message?: string) => opts.onProgress?.({ phase, done, total, message });
  repo.closeAbandonedRuns();
  repo.startRun({ id: opts.runId, trigger: opts.trigger, dryRun: opts.dryRun, startedAt });

  const finish = (status: RunSummary['status'], message: string | undefined, items: PlanItem[], guard: GuardVerdict): RunResult => {
    const req1 = deps.requestCounts();
    // A dry run writes nothing, so its counts are what it would do: the plan's, counted as a real run counts them.
    const would = opts.dryRun ? planCounts(items) : undefined;
    const summary: RunSummary = {
      id: opts.runId,
      trigger: opts.trigger,
      dryRun: opts.dryRun,
      status,
      startedAt,
      finishedAt: now(),
      durationMs: now() - startedAt,
      created: would?.created ?? counters.created,
      updated: would?.updated ?? counters.updated,
      deleted: would?.deleted ?? counters.deleted,
      conflicts: would?.review ?? counters.conflicts + counters.duplicates,
      errors: counters.errors,
      requests: { ghl: req1.ghl - req0.ghl, aroflo: req1.aroflo - req0.aroflo, aimfox: req1.aimfox - req0.aimfox },
      message,
    };
    repo.finishRun(summary, opts.dryRun || status === 'needs_approval' ? { items, guard } : undefined);
    return { summary, items, guard, counters };
  };
  const noGuard: GuardVerdict = { tripped: false, reason: '', deletes: 0, changes: 0, linked: 0 };

  try {
    // 1. Finish what a crashed run left in the outbox (never in a dry run: it writes links).
    if (!opts.dryRun) await recoverOutbox(deps, entities, opts.runId);
    // Creates still open after recovery (their outcome could not be checked) are not sent again before it can be.
    // A preview computes the same hold (it only reads the outbox), so it shows what the run will do.
    const open = repo.pendingOutbox().filter((r) => r.action === 'create');
    const waiting = new Set(open.map((r) => `${r.pair}|${r.entity}|${r.subject}`));
    // Nor is a record with no email, phone or profile copied back from a system such a create went to: it may be
    // what that create made, and nothing but the create's own check can tell (main/sync/engine/README.md, "Crash safety").
    const intoSystem = new Map<string, string[]>();
    for (const r of open) {
      const k = `${r.pair}|${r.entity}|${r.system}`;
      intoSystem.set(k, [...(intoSystem.get(k) ?? []), (JSON.parse(r.payload) as { item?: { label?: string } }).item?.label ?? '?']);
    }
    const keyless = (r: SideRecord) => !r.email && !r.phone && !r.altKey;
    const hold = (e: WiredEntity, plan: EntityPlan): EntityPlan => {
      if (!waiting.size) return plan;
      const from = (op: Extract<PlanOp, { op: 'create' }>) => `${e.wiring.pair}|${e.wiring.entity}|${op.sourceSide === 'ghl' ? 'ghl' : e.wiring.other.system}`;
      const names = (labels: string[]) => labels.map((l) => `"${l}"`).join(', ');
      const why = (op: Extract<PlanOp, { op: 'create' }>): string | undefined => {
        if (waiting.has(`${e.wiring.pair}|${e.wiring.entity}|${op.subject}`)) return 'an earlier create of it was interrupted and is not sent again until it is known whether it went through (Conflicts)';
        const into = intoSystem.get(from(op));
        if (e.wiring.matchable && keyless(op.source) && into) return `held back while an interrupted create of ${names(into)} waits: this record, with no email or phone, may be what it made (Conflicts)`;
        return undefined;
      };
      return {
        ...plan,
        ops: plan.ops.map((op): PlanOp => {
          const reason = op.op === 'create' ? why(op) : undefined;
          return op.op === 'create' && reason ? { op: 'skip', record: op.source, side: op.sourceSide, reason, subject: `held:${op.subject}` } : op;
        }),
      };
    };

    // 2. Fetch.
    const fetched = new Map<WiredEntity, { ghl: FetchResult; other: FetchResult; full: boolean }>();
    let i = 0;
    for (const e of entities) {
      progress('reading', i++, entities.length, `Reading ${plural(e.wiring.entity)}`);
      const cg = repo.cursor('ghl', e.cursorName);
      const co = repo.cursor(e.wiring.other.system, e.cursorName);
      const full = opts.full || cg === undefined || co === undefined;
      const [g, o] = await Promise.all([full ? e.wiring.ghl.fetchAll() : e.wiring.ghl.fetchChanged(cg), full ? e.wiring.other.fetchAll() : e.wiring.other.fetchChanged(co)]);
      fetched.set(e, { ghl: g, other: o, full });
      remember(mirror, e.wiring, 'ghl', g);
      remember(mirror, e.wiring, 'other', o);
    }

    // 3. Plan everything (parents that are only planned resolve to placeholders), then the guard.
    const reads = new FreshReads(sideKey);
    const planned: Array<{ e: WiredEntity; plan: EntityPlan }> = [];
    const pendingParents = new Map<string, Map<string, string>>();
    progress('planning', 0, entities.length);
    for (const e of entities) {
      const f = fetched.get(e)!;
      const plan = hold(e, await planEntity({ wiring: e.wiring, config: e.config, repo, mirror, fetched: f, reads, full: f.full, parents: parentResolver(repo, e.wiring, pendingParents) }));
      notePendingParents(pendingParents, e.wiring, plan);
      planned.push({ e, plan });
    }
    const items = planned.flatMap(({ e, plan }) => toPlanItems(e, plan));
    const guard = checkGuard(planned.map((p) => p.plan), opts.guard);
    if (opts.dryRun) {
      progress('done', entities.length, entities.length);
      return finish('ok', guard.tripped ? guard.reason : undefined, items, guard);
    }
    if (guard.tripped && !opts.approve) {
      logger.warn(`Sync stopped before writing anything: ${guard.reason}`);
      return finish('needs_approval', guard.reason, items, guard);
    }

    // 4. Execute in dependency order; children are re-planned against the links their parents just got.
    let done = 0;
    for (const { e, plan: first } of planned) {
      progress('writing', done++, planned.length, `Syncing ${plural(e.wiring.entity)}`);
      const f = fetched.get(e)!;
      const plan = e.wiring.parentEntity
        ? hold(e, await planEntity({ wiring: e.wiring, config: e.config, repo, mirror, fetched: f, reads, full: f.full, parents: parentResolver(repo, e.wiring) }))
        : first;
      if (plan.emptyListing) continue;
      await executePlan({ ops: plan.ops, wiring: e.wiring, config: e.config, repo, mirror, runId: opts.runId, counters, hooks: opts.hooks, logger, fieldLabels: e.fieldLabels });
      if (f.ghl.cursor) repo.setCursor('ghl', e.cursorName, f.ghl.cursor);
      if (f.other.cursor) repo.setCursor(e.wiring.other.system, e.cursorName, f.other.cursor);
      if (f.full) {
        repo.setCursor('ghl', e.cursorName, f.ghl.cursor ?? repo.cursor('ghl', e.cursorName) ?? 'full');
        repo.setCursor(e.wiring.other.system, e.cursorName, f.other.cursor ?? repo.cursor(e.wiring.other.system, e.cursorName) ?? 'full');
      }
    }
    progress('done', planned.length, planned.length);
    const status = counters.errors ? 'partial' : 'ok';
    return finish(status, counters.errors ? `${counters.errors} record(s) could not be written; they will be retried on the next run.` : undefined, items, noGuard);
  } catch (e) {
    if ((e as Error).name === 'CrashForTest' || e instanceof Error && e.constructor.name === 'CrashForTest') throw e;
    const message = (e as Error).message ?? String(e);
    deps.onError?.(e);
    logger.error(`Sync run failed: ${message}`);
    counters.errors++;
    return finish('failed', message, [], noGuard);
  }
}

function remember(mirror: MirrorRepo, w: EntityWiring, side: 'ghl' | 'other', f: FetchResult): void {
  const scope = MirrorRepo.scope(w.pair, w.entity, side === 'ghl' ? 'ghl' : w.other.system);
  if (f.complete) mirror.replaceAll(scope, f.records);
  else if (f.records.length) mirror.put(scope, f.records);
}

/** Parent ids across sides through the parent entity's links (plus placeholders for parents only planned). */
function parentResolver(repo: SyncRepo, w: EntityWiring, pending?: Map<string, Map<string, string>>): ParentResolver | undefined {
  if (!w.parentEntity) return undefined;
  const parent = w.parentEntity;
  const planned = pending?.get(`${w.pair}:${parent}`);
  // Only a live link: a parent whose link was retired (deleted on one side) has no counterpart to put children under.
  const live = (l: LinkRow | undefined) => (l?.state === 'active' ? l : undefined);
  return {
    toOther: (ghlParentId) => live(repo.linkByGhl(w.pair, parent, ghlParentId))?.other_id ?? planned?.get(`ghl:${ghlParentId}`) ?? undefined,
    toGhl: (otherParentId) => live(repo.linkByOther(w.pair, parent, otherParentId))?.ghl_id ?? planned?.get(`other:${otherParentId}`) ?? undefined,
  };
}

function notePendingParents(pending: Map<string, Map<string, string>>, w: EntityWiring, plan: EntityPlan): void {
  const m = new Map<string, string>();
  for (const op of plan.ops) {
    if (op.op === 'create') m.set(`${op.sourceSide}:${op.source.id}`, `pending:${op.subject}`);
    if (op.op === 'merge' && !op.link) {
      m.set(`ghl:${op.ghl.id}`, op.other.id);
      m.set(`other:${op.other.id}`, op.ghl.id);
    }
  }
  pending.set(`${w.pair}:${w.entity}`, m);
}

/** The review item of an interrupted create whose outcome could not be told. */
export const waitSubject = (outboxId: number) => `outbox:${outboxId}`;

/**
 * After a crash: a pending create either happened (link it), certainly did not (plan it again), or cannot be told
 * (it waits, and a person is asked: link it to one of the records it may have made, or keep them apart).
 */
async function recoverOutbox(deps: RunDeps, entities: WiredEntity[], runId: string): Promise<void> {
  const { repo, mirror, logger } = deps;
  // Only the pairs and entities wired in this run: an entry of a pair left out (sync switched off, a new preview
  // needed, a system signed out or not answering) waits, unchecked, until its pair runs again — dropping it would
  // re-send its create then (a twin).
  for (const e of entities) for (const row of repo.pendingOutbox(e.wiring.pair, e.wiring.entity)) {
    if (row.action !== 'create') {
      repo.settleOutbox(row.id, 'abandoned', null, 'superseded: re-planned with fresh reads');
      continue;
    }
    const payload = JSON.parse(row.payload) as { item: { subject: string; fields: Record<string, string | null>; parentId?: string; kind?: string; label: string }; source: SideRecord; sourceSide: 'ghl' | 'other' };
    const target = payload.sourceSide === 'ghl' ? 'other' : 'ghl';
    const side = target === 'ghl' ? e.wiring.ghl : e.wiring.other;
    // A person was asked about this one: their answer settles it (a link they chose is already in the ID map).
    const asked = repo.latestConflictBySubject(waitSubject(row.id));
    if (asked?.status === 'open') continue;
    if (asked?.status === 'resolved') {
      repo.settleOutbox(row.id, 'abandoned', null, 'a person linked it to the record it made');
      continue;
    }
    // Kept apart: the records the person said are not what it made are set aside, and the target is asked again —
    // a record that could be it and that the person has not seen is asked about, never created over blindly.
    const apart = (r: SideRecord) => {
      const [g, o] = payload.sourceSide === 'ghl' ? [payload.source.id, r.id] : [r.id, payload.source.id];
      return repo.meta(`apart:${row.pair}:${row.entity}:${g}|${o}`) !== undefined;
    };
    let found: SideRecord | undefined;
    const scope = MirrorRepo.scope(row.pair, row.entity, target === 'ghl' ? 'ghl' : e.wiring.other.system);
    try {
      const linked = (r: SideRecord) => (target === 'ghl' ? repo.linkByGhl(row.pair, row.entity, r.id) : repo.linkByOther(row.pair, row.entity, r.id));
      // The target answered before the crash: that exact record is what the create made.
      const made = row.result_id ? (await side.getMany([row.result_id])).get(row.result_id) : undefined;
      const answer = made && !linked(made) ? made : await side.findCreated({ ...payload.item, source: payload.source, ref: createRef(row.id, row.subject), sentAt: row.created_at });
      if (answer && 'unknown' in answer) {
        // Records already linked are someone else's, and so is one this bridge last read before the create went
        // out (it existed already). Any other may be what the create made — or someone's namesake added since: a
        // person is asked, even about a single one (a name alone never links). None left: it was not made.
        const open = answer.candidates.filter((r) => !linked(r) && !apart(r) && !mirror.seenBefore(scope, r.id, row.created_at));
        if (open.length || !answer.candidates.length) {
          askAboutCreate(deps, row, e, payload, target, open, answer.reason, runId);
          continue;
        }
      } else found = [answer ?? []].flat().find((r) => !linked(r) && !apart(r));
    } catch (err) {
      logger.warn(`Could not check whether an interrupted create of "${payload.item.label}" went through; it waits, and is checked again next run: ${(err as Error).message}`);
      continue;
    }
    if (found) {
      try {
        confirmCreate(repo, mirror, { pair: row.pair, entity: row.entity, runId, outboxId: row.id, target, source: payload.source, created: found, sentFields: payload.item.fields, otherSystem: e.wiring.other.system, scope });
        logger.info(`Recovered an interrupted create: "${payload.item.label}" was already in ${side.system}; linked it instead of creating it again.`);
      } catch (err) {
        // What we found is someone else's record: leave linking to matching (which asks when unsure).
        repo.settleOutbox(row.id, 'abandoned', null, (err as Error).message);
        logger.warn(`An interrupted create of "${payload.item.label}" could not be confirmed (${(err as Error).message}); it is planned again.`);
      }
    } else {
      repo.settleOutbox(row.id, 'abandoned', null, asked ? 'a person said none of the records is what it made; planned again' : 'not created before the interruption; planned again');
    }
  }
}

/** An interrupted create whose outcome the target cannot tell: one review item, the entry waits (never re-sent blindly). */
function askAboutCreate(deps: RunDeps, row: OutboxRow, e: WiredEntity, payload: { item: { label: string }; source: SideRecord; sourceSide: 'ghl' | 'other' }, target: 'ghl' | 'other', candidates: SideRecord[], reason: string, runId: string): void {
  const sys = (s: 'ghl' | 'other'): SystemId => (s === 'ghl' ? 'ghl' : e.wiring.other.system);
  const cand = (r: SideRecord, s: 'ghl' | 'other') => ({ system: sys(s), id: r.id, label: r.label, details: { email: r.email ?? null, phone: r.phone ?? null, ...r.fields } });
  deps.repo.upsertConflict({
    kind: 'duplicate',
    pair: row.pair,
    entity: row.entity,
    system: e.wiring.other.system,
    linkId: null,
    subject: waitSubject(row.id),
    // Not a possible duplicate like the others: the wording says what each answer does.
    label: `${payload.item.label} — an interrupted create: "Link" the record it made (nothing is created again); "Keep apart" if none of these is it (it is created again)`,
    diffs: [],
    candidates: [cand(payload.source, payload.sourceSide), ...candidates.map((c) => cand(c, target))],
    runId,
  });
  deps.logger.warn(`An interrupted create of "${payload.item.label}" may already be in ${sys(target) === 'ghl' ? 'HighLevel' : sys(target)} (${reason}); it waits until you link it to the record it made or keep them apart (Conflicts).`);
}

const SYSTEM_OF = (e: WiredEntity, s: 'ghl' | 'other'): SystemId => (s === 'ghl' ? 'ghl' : e.wiring.other.system);

const reasonOf = (w: string | undefined) => (w ? { reason: `a value could not be converted: ${w}` } : {});

/** The plan as people (and the dry-run ≡ real-run check) see it. */
export function toPlanItems(e: WiredEntity, plan: EntityPlan): PlanItem[] {
  const out: PlanItem[] = [];
  const entity = e.wiring.entity as EntityKind;
  const lbl = (f: string) => e.fieldLabels[f] ?? f;
  for (const op of plan.ops as PlanOp[]) {
    switch (op.op) {
      case 'create':
        out.push({ id: op.subject, action: 'create', target: SYSTEM_OF(e, op.target), entity, label: op.item.label, fields: Object.entries(op.item.fields).map(([field, to]) => ({ field: lbl(field), to })), ...reasonOf(carriedWarnings(op.source, Object.keys(op.item.fields), lbl)) });
        break;
      case 'merge': {
        if (!op.link) out.push({ id: `${op.subject}:link`, action: 'link', target: e.wiring.other.system, entity, label: op.ghl.label || op.other.label, reason: 'same email or phone' });
        for (const [side, changes, rec] of [['ghl', op.merge.toGhl, op.ghl], ['other', op.merge.toOther, op.other]] as const) {
          const keys = Object.keys(changes);
          const warned = carriedWarnings(side === 'ghl' ? op.other : op.ghl, keys, lbl);
          if (keys.length) out.push({ id: `${op.subject}:${side}`, action: 'update', target: SYSTEM_OF(e, side), entity, label: rec.label, fields: keys.map((k) => ({ field: lbl(k), from: rec.fields[k] ?? null, to: changes[k] ?? null })), ...reasonOf(warned) });
        }
        if (op.merge.conflicts.length) out.push({ id: `${op.subject}:conflict`, action: 'conflict', target: e.wiring.other.system, entity, label: op.ghl.label || op.other.label, fields: op.merge.conflicts.map((c) => ({ field: lbl(c.field), from: c.ghl, to: c.other })), reason: 'changed on both sides' });
        break;
      }
      case 'delete':
        out.push({ id: op.subject, action: op.policy === 'archive' ? 'archive' : 'delete', target: SYSTEM_OF(e, op.target), entity, label: op.record.label });
        break;
      case 'unlink':
        out.push({ id: op.subject, action: 'skip', target: e.wiring.other.system, entity, label: op.link.label, reason: op.reason });
        break;
      case 'duplicate':
        out.push({ id: op.subject, action: 'duplicate', target: e.wiring.other.system, entity, label: [...op.ghl, ...op.other][0]?.label ?? '', reason: op.reason });
        break;
      case 'skip':
        out.push({ id: op.subject, action: 'skip', target: SYSTEM_OF(e, op.side === 'ghl' ? 'other' : 'ghl'), entity, label: op.record.label, reason: op.reason });
        break;
      case 'quarantine':
        out.push({ id: op.subject, action: 'skip', target: SYSTEM_OF(e, op.side), entity, label: op.rejected.id ?? '(unreadable record)', reason: `unreadable: ${op.rejected.reason}` });
        break;
    }
  }
  return out;
}

/**
 * What a plan would do, counted as a real run counts: one per record created, updated (on either side or both) or
 * deleted, and one per record waiting for review (a conflict or a possible duplicate).
 */
export function planCounts(items: PlanItem[]): { created: Counts; updated: Counts; deleted: Counts; review: number } {
  const created: Counts = {};
  const deleted: Counts = {};
  const updated = new Map<EntityKind, Set<string>>();
  let review = 0;
  const inc = (c: Counts, e: EntityKind) => void (c[e] = (c[e] ?? 0) + 1);
  for (const i of items) {
    if (i.action === 'create') inc(created, i.entity);
    else if (i.action === 'delete' || i.action === 'archive') inc(deleted, i.entity);
    else if (i.action === 'conflict' || i.action === 'duplicate') review++;
    else if (i.action === 'update') {
      const set = updated.get(i.entity) ?? new Set<string>();
      set.add(i.id.replace(/:(ghl|other)$/, ''));
      updated.set(i.entity, set);
    }
  }
  return { created, updated: Object.fromEntries([...updated].map(([e, s]) => [e, s.size])) as Counts, deleted, review };
}

export type { PairId };

const PLURAL: Record<string, string> = { business: 'businesses', rule_task: 'note-to-task rule', contact: 'contacts', task: 'tasks', note: 'notes', lead: 'leads' };
function plural(entity: string): string {
  return PLURAL[entity] ?? `${entity}s`;
}
