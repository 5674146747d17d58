/**
 * Recovering the outbox after a crash (main/sync/README.md, "Crash safety").
 */
import type { SystemId } from '../../domain/index.js';
import { mirrorScope, type OutboxRow } from '../../store/repositories.js';
import { confirmCreate, createRef } from './execute/index.js';
import type { RunDeps, WiredEntity } from './run.js';
import type { SideRecord } from './types.js';

/** The review item of an interrupted create whose outcome could not be told. */
export const waitSubject = (outboxId: number) => `outbox:${outboxId}`;

/**
 * After a crash: a pending create either happened (link it), certainly did not (plan it again), or cannot be told
 * (it waits, and a person is asked: link it to one of the records it may have made, or keep them apart).
 */
export async function recoverOutbox(deps: RunDeps, entities: WiredEntity[], runId: string): Promise<void> {
  const { store, logger } = deps;
  // Only the pairs and entities wired in this run: an entry of a pair left out (sync switched off, a new preview
  // needed, a system signed out or not answering) waits, unchecked, until its pair runs again — dropping it would
  // re-send its create then (a twin).
  for (const e of entities)
    for (const row of store.outbox.pending(e.wiring.pair, e.wiring.entity)) {
      if (row.action !== 'create') {
        store.outbox.settle(row.id, 'abandoned', null, 'superseded: re-planned with fresh reads');
        continue;
      }
      const payload = JSON.parse(row.payload) as {
        item: {
          subject: string;
          fields: Record<string, string | null>;
          parentId?: string;
          kind?: string;
          label: string;
        };
        source: SideRecord;
        sourceSide: 'ghl' | 'other';
      };
      const target = payload.sourceSide === 'ghl' ? 'other' : 'ghl';
      const side = target === 'ghl' ? e.wiring.ghl : e.wiring.other;
      // A person was asked about this one: their answer settles it (a link they chose is already in the ID map).
      const asked = store.conflicts.latestBySubject(waitSubject(row.id));
      if (asked?.status === 'open') continue;
      if (asked?.status === 'resolved') {
        store.outbox.settle(row.id, 'abandoned', null, 'a person linked it to the record it made');
        continue;
      }
      // Kept apart: the records the person said are not what it made are set aside, and the target is asked again —
      // a record that could be it and that the person has not seen is asked about, never created over blindly.
      const apart = (r: SideRecord) => {
        const [g, o] = payload.sourceSide === 'ghl' ? [payload.source.id, r.id] : [r.id, payload.source.id];
        return store.apart.has(row.pair, row.entity, g, o);
      };
      let found: SideRecord | undefined;
      let after: string[] = [];
      const scope = mirrorScope(row.pair, row.entity, target === 'ghl' ? 'ghl' : e.wiring.other.system);
      try {
        const linked = (r: SideRecord) =>
          target === 'ghl'
            ? store.links.byGhl(row.pair, row.entity, r.id)
            : store.links.byOther(row.pair, row.entity, r.id);
        // The target answered before the crash: that exact record is what the create made.
        const made = row.result_id ? (await side.getMany([row.result_id])).get(row.result_id) : undefined;
        const answer =
          made && !linked(made)
            ? made
            : await side.findCreated({
                ...payload.item,
                source: payload.source,
                ref: createRef(row.id, row.subject),
                sentAt: row.created_at,
              });
        if (answer && 'unknown' in answer) {
          // Records already linked are someone else's, and so is one this bridge last read before the create went
          // out (it existed already). A free one the bridge made holding exactly what was sent is what it made (or
          // interchangeable with it). Any other may be what the create made — or someone's namesake added since: a
          // person is asked, even about a single one (a name alone never links). None left: it was not made.
          const free = (rs: SideRecord[]) =>
            rs.filter((r) => !linked(r) && !apart(r) && !store.mirror.seenBefore(scope, r.id, row.created_at));
          found = free(answer.identical ?? [])[0];
          const open = found ? [] : free(answer.candidates);
          if (!found && (open.length || !answer.candidates.length)) {
            askAboutCreate(deps, row, e, payload, target, open, answer.reason, runId);
            continue;
          }
        } else found = [answer ?? []].flat().find((r) => !linked(r) && !apart(r));
        // What the create writes once the record exists may be missing from it (the base then says so).
        if (found) after = (await side.afterCreate?.()) ?? [];
      } catch (err) {
        logger.warn(
          `Could not check whether an interrupted create of "${payload.item.label}" went through; it waits, and is checked again next run: ${(err as Error).message}`,
        );
        continue;
      }
      if (found) {
        try {
          confirmCreate(store, {
            pair: row.pair,
            entity: row.entity,
            runId,
            outboxId: row.id,
            target,
            source: payload.source,
            created: found,
            sentFields: payload.item.fields,
            otherSystem: e.wiring.other.system,
            scope,
            recovered: {
              after,
              sets: new Set(e.config.fields.filter((f) => f.kind === 'set').map((f) => f.key)),
            },
          });
          logger.info(
            `Recovered an interrupted create: "${payload.item.label}" was already in ${side.system}; linked it instead of creating it again.`,
          );
          // A HighLevel task or note it made goes on to the other pair: its contact is re-read next run (main/sync/README.md, "Hops").
          if (target === 'ghl' && (row.entity === 'task' || row.entity === 'note')) {
            const parentId = found.parentId ?? found.id.split('/')[0]!;
            store.feeds.addRereads('ghl', [{ parentId, pair: row.pair, kind: row.entity }], runId);
          }
        } catch (err) {
          // What we found is someone else's record: leave linking to matching (which asks when unsure).
          store.outbox.settle(row.id, 'abandoned', null, (err as Error).message);
          logger.warn(
            `An interrupted create of "${payload.item.label}" could not be confirmed (${(err as Error).message}); it is planned again.`,
          );
        }
      } else {
        store.outbox.settle(
          row.id,
          'abandoned',
          null,
          asked
            ? 'a person said none of the records is what it made; planned again'
            : 'not created before the interruption; planned again',
        );
      }
    }
}

/** An interrupted create whose outcome the target cannot tell: one review item, the entry waits (never re-sent blindly). */
function askAboutCreate(
  deps: RunDeps,
  row: OutboxRow,
  e: WiredEntity,
  payload: { item: { label: string }; source: SideRecord; sourceSide: 'ghl' | 'other' },
  target: 'ghl' | 'other',
  candidates: SideRecord[],
  reason: string,
  runId: string,
): void {
  const sys = (s: 'ghl' | 'other'): SystemId => (s === 'ghl' ? 'ghl' : e.wiring.other.system);
  const cand = (r: SideRecord, s: 'ghl' | 'other') => ({
    system: sys(s),
    id: r.id,
    label: r.label,
    details: { email: r.email ?? null, phone: r.phone ?? null, ...r.fields },
  });
  deps.store.conflicts.upsert({
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
  deps.logger.warn(
    `An interrupted create of "${payload.item.label}" may already be in ${sys(target) === 'ghl' ? 'HighLevel' : sys(target)} (${reason}); it waits until you link it to the record it made or keep them apart (Conflicts).`,
  );
}
