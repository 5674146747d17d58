/**
 * Carrying out a plan, crash-safely.
 *
 * Every write is first recorded in the outbox (intent), then sent, then confirmed: the link, the base snapshot,
 * the outbox row and the audit entries are written in ONE transaction after the remote confirmed. A crash at any
 * point leaves either nothing (the next run plans the same write again) or a pending outbox row (the next run asks
 * the target whether the create happened — `findCreated` — and links what it finds instead of creating a twin).
 * A field's base only moves when every write of that field succeeded, so a failed propagation is retried next run.
 */
import { createHash } from 'node:crypto';
import type { EntityKind, PairId, SystemId } from '../../../preload/contract.js';
import { MirrorRepo, type LinkRow, type SyncRepo } from '../../store/sync-repo.js';
import type { FieldConflict } from './merge.js';
import type { EntityConfig, PlanOp, Side } from './planner.js';
import type { EntitySide, EntityWiring, Fields, SideRecord, UpdateItem, WriteResult } from './types.js';

export interface RunCounters {
  created: Partial<Record<EntityKind, number>>;
  updated: Partial<Record<EntityKind, number>>;
  deleted: Partial<Record<EntityKind, number>>;
  conflicts: number;
  newConflicts: number;
  duplicates: number;
  errors: number;
  skipped: number;
  quarantined: number;
}

export const emptyCounters = (): RunCounters => ({ created: {}, updated: {}, deleted: {}, conflicts: 0, newConflicts: 0, duplicates: 0, errors: 0, skipped: 0, quarantined: 0 });

export interface ExecHooks {
  /** Called when the outbox entries are written and just before the request goes out (tests inject faults here). */
  beforeSend?: (info: { op: PlanOp['op']; target: SystemId; entity: EntityKind; count: number }) => void;
  /** Called after the target answered and before we confirm: tests throw here to simulate a crash. */
  afterSend?: (info: { op: PlanOp['op']; target: SystemId; entity: EntityKind; count: number }) => void;
}

export interface ExecLogger {
  warn(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
}

export class CrashForTest extends Error {}

/** A create would link a record that is already linked elsewhere. */
export class LinkClashError extends Error {}

const inc = (m: Partial<Record<EntityKind, number>>, e: EntityKind, n = 1) => {
  m[e] = (m[e] ?? 0) + n;
};

/**
 * The reference a create carries to its target (where the target keeps one): the outbox entry's id and a short hash
 * of what it copies, so an entry id reused by a new profile never points at an old record.
 */
export function createRef(outboxId: number, subject: string): string {
  return `gb${outboxId}-${createHash('sha256').update(subject).digest('hex').slice(0, 6)}`;
}

export function conflictSubject(pair: PairId, entity: EntityKind, linkId: number): string {
  return `conflict:${pair}:${entity}:${linkId}`;
}

export async function executePlan(args: {
  ops: PlanOp[];
  wiring: EntityWiring;
  config: EntityConfig;
  repo: SyncRepo;
  mirror: MirrorRepo;
  runId: string;
  counters: RunCounters;
  hooks?: ExecHooks;
  logger: ExecLogger;
  fieldLabels: Record<string, string>;
}): Promise<void> {
  const { ops, wiring: w, repo, mirror, runId, counters, hooks, logger } = args;
  const { pair, entity } = w;
  const otherSystem = w.other.system;
  const sideOf = (s: Side): EntitySide => (s === 'ghl' ? w.ghl : w.other);
  const systemOf = (s: Side): SystemId => (s === 'ghl' ? 'ghl' : otherSystem);
  const scope = (s: Side) => MirrorRepo.scope(pair, entity, systemOf(s));
  const label = (f: string) => args.fieldLabels[f] ?? f;

  const recordConflicts = (linkId: number, lbl: string, conflicts: FieldConflict[]) => {
    const subject = conflictSubject(pair, entity, linkId);
    if (!conflicts.length) {
      const open = repo.openConflictBySubject(subject);
      if (open) repo.closeConflict(open.id, 'resolved', { settled: 'both sides agree now', applied: true });
      return;
    }
    const { isNew } = repo.upsertConflict({
      kind: 'conflict',
      pair,
      entity,
      system: otherSystem,
      linkId,
      subject,
      label: lbl,
      diffs: conflicts.map((c) => ({ field: c.field, label: label(c.field), base: c.base, ghl: c.ghl, other: c.other })),
      runId,
    });
    counters.conflicts++;
    if (isNew) counters.newConflicts++;
  };

  // 1. Things that write nothing remote.
  for (const op of ops) {
    if (op.op === 'quarantine') {
      repo.quarantine({ system: systemOf(op.side), entity, recordId: op.rejected.id ?? '(unknown id)', reason: op.rejected.reason, raw: op.rejected.raw, runId });
      counters.quarantined++;
    } else if (op.op === 'duplicate') {
      const cand = (r: SideRecord, s: Side) => ({ system: systemOf(s), id: r.id, label: r.label, details: { email: r.email ?? null, phone: r.phone ?? null, ...r.fields } });
      const { isNew } = repo.upsertConflict({
        kind: 'duplicate',
        pair,
        entity,
        system: otherSystem,
        linkId: null,
        subject: op.subject,
        label: [...op.ghl, ...op.other][0]?.label ?? 'Possible duplicate',
        diffs: [],
        candidates: [...op.ghl.map((r) => cand(r, 'ghl')), ...op.other.map((r) => cand(r, 'other'))],
        runId,
      });
      counters.duplicates++;
      if (isNew) counters.newConflicts++;
    } else if (op.op === 'unlink') {
      repo.tx(() => {
        // Retired ('deleted'): what is left of a deleted record stays where it is and is never copied back.
        repo.updateLink(op.link.id, { state: op.retire ? 'deleted' : 'unlinked' });
        repo.audit({ runId, system: otherSystem, entity, recordId: op.link.other_id, linkId: op.link.id, action: 'unlink', field: null, before: null, after: op.reason });
      });
    } else if (op.op === 'skip') {
      counters.skipped++;
    }
  }

  // 2. Creates, batched per target; both systems at once (each bounded by its own rate limit, not by the other).
  await eachTarget(async (target) => {
    const creates = ops.filter((o): o is Extract<PlanOp, { op: 'create' }> => o.op === 'create' && o.target === target);
    if (!creates.length) return;
    const outboxIds = creates.map((c) =>
      repo.addOutbox({ runId, pair, entity, system: systemOf(target), action: 'create', linkId: null, subject: c.subject, payload: { item: { ...c.item, source: undefined }, source: c.source, sourceSide: c.sourceSide } }),
    );
    let results: WriteResult[];
    hooks?.beforeSend?.({ op: 'create', target: systemOf(target), entity, count: creates.length });
    try {
      results = await sideOf(target).create(creates.map((c, i) => ({ ...c.item, ref: createRef(outboxIds[i] as number, c.subject) })));
    } catch (e) {
      results = creates.map(() => ({ ok: false as const, error: e as Error }));
    }
    // The ids the target answered with, kept at once: a crash before the confirmation below leaves the entry pending,
    // and recovery then reads that exact record back instead of searching for it (main/sync/engine/README.md, "Crash safety").
    repo.noteOutboxResult(results.flatMap((r, i) => (r?.ok ? [{ id: outboxIds[i] as number, resultId: r.record.id }] : [])));
    hooks?.afterSend?.({ op: 'create', target: systemOf(target), entity, count: creates.length });
    const confirmed: SideRecord[] = [];
    creates.forEach((c, i) => {
      const res = results[i] ?? { ok: false as const, error: new Error('no answer for this record') };
      const outboxId = outboxIds[i] as number;
      if (!res.ok) {
        counters.errors++;
        if (res.uncertain) {
          // The request went out but its answer was lost: the record may exist. The outbox entry stays open, so the
          // next run looks for it (and links it) before creating anything again — never a twin.
          logger.warn(`Could not tell whether ${entity} "${c.item.label}" was created in ${systemOf(target)} (${res.error.message}); the next run checks before creating it again.`, { entity, target: systemOf(target) });
          return;
        }
        repo.settleOutbox(outboxId, 'failed', null, res.error.message);
        logger.warn(`Could not create ${entity} "${c.item.label}" in ${systemOf(target)}: ${res.error.message}`, { entity, target: systemOf(target) });
        return;
      }
      try {
        confirmCreate(repo, mirror, { pair, entity, runId, outboxId, target, source: c.source, created: res.record, sentFields: c.item.fields, otherSystem, scope: scope(target) });
        confirmed.push(res.record);
        inc(counters.created, entity);
        warnCarried(logger, entity, c.item.label, systemOf(target), c.source, Object.keys(c.item.fields), args.fieldLabels);
      } catch (e) {
        repo.settleOutbox(outboxId, 'failed', res.record.id, (e as Error).message);
        counters.errors++;
        logger.warn(`Created ${entity} "${c.item.label}" in ${systemOf(target)} but could not link it: ${(e as Error).message}`, { entity });
      }
    });
    // Linked now: the reference kept with each record for recovery is no longer needed.
    if (confirmed.length) await sideOf(target).settleCreated?.(confirmed).catch((e: unknown) => logger.warn(`Created ${entity} records in ${systemOf(target)} keep their GHL Bridge reference: ${(e as Error).message}`, { entity }));
  });

  // 3. Updates (merges), batched per target.
  const merges = ops.filter((o): o is Extract<PlanOp, { op: 'merge' }> => o.op === 'merge');
  const outcome = new Map<Extract<PlanOp, { op: 'merge' }>, { ghl?: WriteResult; other?: WriteResult; outbox: number[] }>();
  for (const m of merges) outcome.set(m, { outbox: [] });
  // Both systems at once. The outbox rows are written before the first request goes (other first, then HighLevel:
  // the order the confirmation below reads them in).
  await eachTarget(async (target) => {
    const todo = merges.filter((m) => Object.keys(target === 'ghl' ? m.merge.toGhl : m.merge.toOther).length > 0);
    if (!todo.length) return;
    const items: UpdateItem[] = todo.map((m) => {
      const rec = target === 'ghl' ? m.ghl : m.other;
      return { id: rec.id, parentId: rec.parentId, kind: rec.kind, changes: target === 'ghl' ? m.merge.toGhl : m.merge.toOther, current: rec, label: rec.label };
    });
    todo.forEach((m, i) => {
      outcome.get(m)!.outbox.push(
        repo.addOutbox({ runId, pair, entity, system: systemOf(target), action: 'update', linkId: m.link?.id ?? null, subject: m.subject, payload: { id: items[i]!.id, changes: items[i]!.changes } }),
      );
    });
    let results: WriteResult[];
    try {
      results = await sideOf(target).update(items);
    } catch (e) {
      results = items.map(() => ({ ok: false as const, error: e as Error }));
    }
    hooks?.afterSend?.({ op: 'merge', target: systemOf(target), entity, count: items.length });
    todo.forEach((m, i) => {
      const o = outcome.get(m)!;
      o[target] = results[i] ?? { ok: false, error: new Error('no answer for this record') };
    });
  });
  for (const m of merges) {
    const o = outcome.get(m)!;
    const failed = (['ghl', 'other'] as const).filter((s) => o[s] && !o[s]!.ok);
    const baseGhl: Fields = { ...m.merge.baseGhl };
    const baseOther: Fields = { ...m.merge.baseOther };
    const oldBase = m.link ? repo.base(m.link.id) : undefined;
    for (const s of ['ghl', 'other'] as const) {
      const res = o[s];
      const written = s === 'ghl' ? m.merge.toGhl : m.merge.toOther;
      if (!res) continue;
      if (res.ok) {
        // What the target really holds now is the base for that side (echo suppression for lossy targets).
        for (const f of Object.keys(written)) (s === 'ghl' ? baseGhl : baseOther)[f] = res.record.fields[f] ?? written[f] ?? null;
      } else {
        for (const f of Object.keys(written)) {
          for (const [b, old] of [[baseGhl, oldBase?.ghl], [baseOther, oldBase?.other]] as const) {
            if (old && f in old) b[f] = old[f] ?? null;
            else delete b[f];
          }
        }
      }
    }
    const finalGhl = o.ghl?.ok ? o.ghl.record : m.ghl;
    const finalOther = o.other?.ok ? o.other.record : m.other;
    repo.tx(() => {
      let linkId = m.link?.id;
      if (linkId === undefined) {
        linkId = repo.insertLink({ pair, entity, ghl_id: m.ghl.id, other_id: m.other.id, ghl_parent: m.ghl.parentId ?? null, other_parent: m.other.parentId ?? null, other_kind: m.other.kind ?? null, label: m.ghl.label || m.other.label });
        repo.audit({ runId, system: otherSystem, entity, recordId: m.other.id, linkId, action: 'link', field: null, before: null, after: m.ghl.id });
      } else if (m.link && (m.link.label !== (m.ghl.label || m.other.label))) {
        repo.updateLink(linkId, { label: m.ghl.label || m.other.label });
      }
      repo.setBase(linkId, { ghl: baseGhl, other: baseOther }, runId);
      for (const s of ['ghl', 'other'] as const) {
        const res = o[s];
        if (!res?.ok) continue;
        const written = s === 'ghl' ? m.merge.toGhl : m.merge.toOther;
        const before = s === 'ghl' ? m.ghl : m.other;
        for (const f of Object.keys(written)) repo.audit({ runId, system: systemOf(s), entity, recordId: before.id, linkId, action: 'update', field: f, before: before.fields[f] ?? null, after: written[f] ?? null });
        warnCarried(logger, entity, before.label, systemOf(s), s === 'ghl' ? m.other : m.ghl, Object.keys(written), args.fieldLabels);
      }
      o.outbox.forEach((id, idx) => {
        const s = idx === 0 && Object.keys(m.merge.toOther).length ? 'other' : 'ghl';
        const res = o[s];
        repo.settleOutbox(id, res?.ok ? 'confirmed' : 'failed', res?.ok ? res.record.id : null, res && !res.ok ? res.error.message : undefined);
      });
      recordConflicts(linkId, m.ghl.label || m.other.label, m.merge.conflicts);
      const pendingRes = repo.pendingResolutions(pair, entity).get(linkId);
      if (pendingRes && !failed.length) repo.markResolutionApplied(pendingRes.conflictId);
    });
    mirror.put(scope('ghl'), [finalGhl]);
    mirror.put(scope('other'), [finalOther]);
    if (failed.length) {
      counters.errors += failed.length;
      for (const s of failed) logger.warn(`Could not update ${entity} "${m.ghl.label || m.other.label}" in ${systemOf(s)}: ${(o[s] as { error: Error }).error.message}`, { entity });
    } else if (o.ghl || o.other) inc(counters.updated, entity);
  }

  // 4. Deletes, batched per target, both systems at once.
  await eachTarget(async (target) => {
    const dels = ops.filter((o): o is Extract<PlanOp, { op: 'delete' }> => o.op === 'delete' && o.target === target);
    if (!dels.length) return;
    const outboxIds = dels.map((d) => repo.addOutbox({ runId, pair, entity, system: systemOf(target), action: d.policy === 'archive' ? 'archive' : 'delete', linkId: d.link.id, subject: d.subject, payload: { id: d.record.id } }));
    let results: WriteResult[];
    try {
      results = await sideOf(target).remove(dels.map((d) => ({ id: d.record.id, parentId: d.record.parentId, kind: d.record.kind, policy: d.policy, label: d.record.label })));
    } catch (e) {
      results = dels.map(() => ({ ok: false as const, error: e as Error }));
    }
    hooks?.afterSend?.({ op: 'delete', target: systemOf(target), entity, count: dels.length });
    dels.forEach((d, i) => {
      const res = results[i] ?? { ok: false as const, error: new Error('no answer') };
      if (!res.ok) {
        repo.settleOutbox(outboxIds[i] as number, 'failed', null, res.error.message);
        counters.errors++;
        logger.warn(`Could not ${d.policy === 'archive' ? 'archive' : 'delete'} ${entity} "${d.record.label}" in ${systemOf(target)}: ${res.error.message}`, { entity });
        return;
      }
      repo.tx(() => {
        repo.updateLink(d.link.id, { state: 'deleted' });
        // A target that cannot do it wrote nothing: the audit says the record is no longer synced, and why.
        if (res.skipped) repo.audit({ runId, system: systemOf(target), entity, recordId: d.record.id, linkId: d.link.id, action: 'unlink', field: null, before: JSON.stringify(d.record.fields), after: res.skipped });
        else repo.audit({ runId, system: systemOf(target), entity, recordId: d.record.id, linkId: d.link.id, action: d.policy === 'archive' ? 'archive' : 'delete', field: null, before: JSON.stringify(d.record.fields), after: null });
        repo.settleOutbox(outboxIds[i] as number, res.skipped ? 'abandoned' : 'confirmed', d.record.id, res.skipped);
      });
      mirror.remove(scope(target), [d.record.id]);
      if (res.skipped) counters.skipped++;
      else inc(counters.deleted, entity);
    });
  });
}

/**
 * `send` for the other system and for HighLevel at once: writes to one do not wait on the other's rate limit. Each
 * starts in that order and runs synchronously up to its first request, so what it records before sending is in a
 * fixed order. Both are waited for (each confirms what it sent), then the first failure is thrown.
 */
async function eachTarget(send: (target: Side) => Promise<void>): Promise<void> {
  const done = await Promise.allSettled((['other', 'ghl'] as const).map((t) => send(t)));
  const failed = done.find((d): d is PromiseRejectedResult => d.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Link a created record to its source, in one transaction with its base, outbox confirmation and audit. */
export function confirmCreate(
  repo: SyncRepo,
  mirror: MirrorRepo,
  c: { pair: PairId; entity: EntityKind; runId: string; outboxId: number; target: Side; source: SideRecord; created: SideRecord; sentFields: Fields; otherSystem: SystemId; scope: string },
): number {
  const ghl = c.target === 'ghl' ? c.created : c.source;
  const other = c.target === 'ghl' ? c.source : c.created;
  const baseCreated: Fields = {};
  for (const f of Object.keys(c.sentFields)) baseCreated[f] = c.created.fields[f] ?? null;
  // Fields that did not flow keep what each side holds.
  const baseGhl = c.target === 'ghl' ? { ...c.created.fields, ...baseCreated } : { ...c.source.fields };
  const baseOther = c.target === 'ghl' ? { ...c.source.fields } : { ...c.created.fields, ...baseCreated };
  let linkId = 0;
  repo.tx(() => {
    const existing = c.target === 'ghl' ? repo.linkByOther(c.pair, c.entity, other.id) : repo.linkByGhl(c.pair, c.entity, ghl.id);
    // The record found or made is already linked to something else: never link one record twice.
    const clash = c.target === 'ghl' ? repo.linkByGhl(c.pair, c.entity, ghl.id) : repo.linkByOther(c.pair, c.entity, other.id);
    if (clash && clash.id !== existing?.id) throw new LinkClashError(`${c.created.label} (${c.created.id}) is already linked to another record`);
    if (existing) {
      linkId = existing.id;
      repo.updateLink(linkId, c.target === 'ghl' ? { ghl_id: ghl.id, ghl_parent: ghl.parentId ?? null } : { other_id: other.id, other_parent: other.parentId ?? null, other_kind: other.kind ?? null });
    } else {
      linkId = repo.insertLink({ pair: c.pair, entity: c.entity, ghl_id: ghl.id, other_id: other.id, ghl_parent: ghl.parentId ?? null, other_parent: other.parentId ?? null, other_kind: other.kind ?? null, label: ghl.label || other.label });
    }
    repo.setBase(linkId, { ghl: baseGhl, other: baseOther }, c.runId);
    repo.settleOutbox(c.outboxId, 'confirmed', c.created.id);
    const system = c.target === 'ghl' ? 'ghl' : c.otherSystem;
    repo.audit({ runId: c.runId, system, entity: c.entity, recordId: c.created.id, linkId, action: 'create', field: null, before: null, after: JSON.stringify(c.created.fields) });
  });
  mirror.put(c.scope, [c.created]);
  return linkId;
}

export type { LinkRow };

/** The words a plan item or a log line gives a carried value that its transform could not handle (kept as typed). */
export function carriedWarnings(source: SideRecord, keys: string[], label: (f: string) => string): string | undefined {
  const w = keys.filter((k) => source.warnings?.[k]).map((k) => `${label(k)}: ${source.warnings![k]} — kept as typed`);
  return w.length ? w.join('; ') : undefined;
}

function warnCarried(logger: { warn(m: string, c?: Record<string, unknown>): void }, entity: EntityKind, label: string, target: SystemId, source: SideRecord, keys: string[], labels?: Record<string, string>): void {
  const w = carriedWarnings(source, keys, (f) => labels?.[f] ?? f);
  if (w) logger.warn(`${entity} "${label}" was written to ${target === 'ghl' ? 'HighLevel' : target === 'aroflo' ? 'AroFlo' : 'Aimfox'} with a value it could not convert (${w}).`, { entity, target });
}
