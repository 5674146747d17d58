/**
 * Undo a run: revert what it wrote, where the target still holds what we wrote. Where someone changed it since,
 * nothing is overwritten: a conflict is raised for a person to settle.
 *  - field updates: the target gets the value from before the run; the bases are left as they were, so the next
 *    sync carries the old value back to the other side too (both sides return to where they were before the run);
 *  - creates: the record we created is archived/deleted and its link retired, so it is not created again;
 *  - deletes and archives cannot be brought back through these APIs: they are counted and reported.
 */
import type { EntityKind, PairId, SystemId } from '../../../preload/contract.js';
import type { Store } from '../../store/repositories.js';
import { conflictSubject } from './execute/index.js';
import type { WiredEntity } from './run.js';
import type { EntitySide, SideRecord } from './types.js';

export interface UndoResult {
  reverted: number;
  conflicts: number;
  notUndoable: number;
}

export async function undoRun(
  deps: { store: Store; now: () => number; logger: { info(m: string): void; warn(m: string): void } },
  entities: WiredEntity[],
  runId: string,
  undoId: string,
): Promise<UndoResult> {
  const { store } = deps;
  const result: UndoResult = { reverted: 0, conflicts: 0, notUndoable: 0 };
  const entries = store.audit.forRun(runId).filter((e) => !e.undone_by);
  if (!entries.length) return result;
  const startedAt = deps.now();
  store.runs.start({ id: undoId, trigger: 'undo', dryRun: false, startedAt });
  // What the undo did, per entity, for its row in Recent syncs: records put back (updated) and records it removed.
  const updated: Partial<Record<EntityKind, number>> = {};
  const removed: Partial<Record<EntityKind, number>> = {};
  let errors = 0;
  let review = 0;
  const bump = (c: Partial<Record<EntityKind, number>>, e: EntityKind) => void (c[e] = (c[e] ?? 0) + 1);

  const sideFor = (
    pair: PairId,
    entity: EntityKind,
    system: SystemId,
  ): { side: EntitySide; e: WiredEntity } | undefined => {
    const e = entities.find((x) => x.wiring.pair === pair && x.wiring.entity === entity);
    if (!e) return undefined;
    return { side: system === 'ghl' ? e.wiring.ghl : e.wiring.other, e };
  };

  // Group field updates per record so each record is read once and written once.
  const updates = new Map<string, typeof entries>();
  for (const a of entries) {
    if (a.action === 'update' && a.field && a.recordId && a.linkId !== null) {
      const k = `${a.linkId}|${a.system}|${a.recordId}`;
      updates.set(k, [...(updates.get(k) ?? []), a]);
    }
  }
  for (const [k, group] of updates) {
    const [linkIdText, system, recordId] = k.split('|') as [string, SystemId, string];
    const link = store.links.byId(Number(linkIdText));
    const target = link && sideFor(link.pair, link.entity, system);
    if (!link || !target) {
      result.notUndoable += group.length;
      continue;
    }
    const current = (await target.side.getMany([recordId])).get(recordId);
    if (!current) {
      result.notUndoable += group.length;
      continue;
    }
    const changes: Record<string, string | null> = {};
    const drifted: Array<{ field: string; before: string | null; after: string | null; now: string | null }> = [];
    for (const a of group) {
      const now = current.fields[a.field!] ?? null;
      if (now === (a.after ?? null)) changes[a.field!] = a.before ?? null;
      else drifted.push({ field: a.field!, before: a.before ?? null, after: a.after ?? null, now });
    }
    if (Object.keys(changes).length) {
      const [res] = await target.side.update([
        { id: recordId, changes, current, label: current.label, parentId: current.parentId, kind: current.kind },
      ]);
      if (res?.ok) {
        const done = group.filter((a) => a.field! in changes);
        store.commit.undone({
          undoRunId: undoId,
          audits: done.map((a) => ({
            runId: undoId,
            system,
            entity: link.entity,
            recordId,
            linkId: link.id,
            action: 'update' as const,
            field: a.field,
            before: a.after,
            after: a.before,
          })),
          undone: done.map((a) => a.id),
        });
        result.reverted += Object.keys(changes).length;
        bump(updated, link.entity);
      } else {
        errors++;
        deps.logger.warn(
          `Undo could not write "${current.label}": ${res && !res.ok ? res.error.message : 'no answer'}`,
        );
      }
    }
    if (drifted.length) {
      const other = await readOther(
        entities,
        link.pair,
        link.entity,
        system === 'ghl' ? 'other' : 'ghl',
        system === 'ghl' ? link.other_id : link.ghl_id,
      );
      store.conflicts.upsert({
        kind: 'conflict',
        pair: link.pair,
        entity: link.entity,
        system: target.e.wiring.other.system,
        linkId: link.id,
        subject: conflictSubject(link.pair, link.entity, link.id),
        label: `${current.label} (undo of a sync)`,
        diffs: drifted.map((d) => ({
          field: d.field,
          label: `${target.e.fieldLabels[d.field] ?? d.field} — before the sync it was "${d.before ?? ''}"`,
          base: d.after,
          ghl: system === 'ghl' ? d.now : (other?.fields[d.field] ?? null),
          other: system === 'ghl' ? (other?.fields[d.field] ?? null) : d.now,
        })),
        runId: undoId,
      });
      result.conflicts += drifted.length;
      review++;
    }
  }

  // Creates: retire what we made, if nobody touched it since.
  for (const a of entries.filter((x) => x.action === 'create' && x.recordId && x.linkId !== null)) {
    const link = store.links.byId(a.linkId!);
    const target = link && sideFor(link.pair, link.entity, a.system);
    if (!link || !target) {
      result.notUndoable++;
      continue;
    }
    const current = (await target.side.getMany([a.recordId!])).get(a.recordId!);
    const created = JSON.parse(a.after ?? '{}') as Record<string, string | null>;
    if (!current) {
      store.commit.undone({ undoRunId: undoId, audits: [], undone: [a.id], retireLink: link.id });
      continue;
    }
    const untouched = Object.keys(created).every((f) => (current.fields[f] ?? null) === (created[f] ?? null));
    if (!untouched) {
      result.conflicts++;
      deps.logger.warn(`Undo left "${current.label}" in ${a.system}: it was changed after the sync created it.`);
      continue;
    }
    const [res] = await target.side.remove([
      {
        id: current.id,
        parentId: current.parentId,
        kind: current.kind,
        policy: a.system === 'ghl' ? 'propagate' : 'archive',
        label: current.label,
      },
    ]);
    if (res?.ok) {
      store.commit.undone({
        undoRunId: undoId,
        retireLink: link.id,
        audits: [
          {
            runId: undoId,
            system: a.system,
            entity: link.entity,
            recordId: current.id,
            linkId: link.id,
            action: a.system === 'ghl' ? 'delete' : 'archive',
            field: null,
            before: JSON.stringify(current.fields),
            after: null,
          },
        ],
        undone: [a.id],
      });
      result.reverted++;
      bump(removed, link.entity);
    } else errors++;
  }
  result.notUndoable += entries.filter((x) => x.action === 'delete' || x.action === 'archive').length;
  store.runs.finish({
    id: undoId,
    trigger: 'undo',
    dryRun: false,
    status: errors ? 'partial' : 'ok',
    startedAt,
    finishedAt: deps.now(),
    durationMs: deps.now() - startedAt,
    created: {},
    updated,
    deleted: removed,
    // Records, like every other run's count (the result above counts fields).
    conflicts: review,
    errors,
    requests: { ghl: 0, aroflo: 0, aimfox: 0 },
    message: `Undo of ${runId}: ${result.reverted} reverted, ${result.conflicts} conflict(s), ${result.notUndoable} not undoable (deletes cannot be brought back).`,
  });
  return result;
}

async function readOther(
  entities: WiredEntity[],
  pair: PairId,
  entity: EntityKind,
  side: 'ghl' | 'other',
  id: string | null,
): Promise<SideRecord | undefined> {
  if (!id) return undefined;
  const e = entities.find((x) => x.wiring.pair === pair && x.wiring.entity === entity);
  if (!e) return undefined;
  return (await (side === 'ghl' ? e.wiring.ghl : e.wiring.other).getMany([id])).get(id) ?? undefined;
}
