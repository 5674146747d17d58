/**
 * The engine's atomic writes, each one transaction (main/store/README.md). The bodies are the transactions the
 * executor used to open itself.
 */
import { LinkClashError } from '../errors.js';
import type { CommitRepo, Store } from '../repositories.js';
import type { Ctx } from './prepared.js';

export function sqliteCommit({ db }: Ctx, s: Omit<Store, 'commit'>): CommitRepo {
  const tx = <T>(fn: () => T): T => db.transaction(fn)();
  return {
    created(c) {
      const ghl = c.target === 'ghl' ? c.created : c.source;
      const other = c.target === 'ghl' ? c.source : c.created;
      return tx(() => {
        const existing =
          c.target === 'ghl' ? s.links.byOther(c.pair, c.entity, other.id) : s.links.byGhl(c.pair, c.entity, ghl.id);
        // The record found or made is already linked to something else: never link one record twice.
        const clash =
          c.target === 'ghl' ? s.links.byGhl(c.pair, c.entity, ghl.id) : s.links.byOther(c.pair, c.entity, other.id);
        if (clash && clash.id !== existing?.id)
          throw new LinkClashError(`${c.created.label} (${c.created.id}) is already linked to another record`);
        let linkId: number;
        if (existing) {
          linkId = existing.id;
          s.links.update(
            linkId,
            c.target === 'ghl'
              ? { ghl_id: ghl.id, ghl_parent: ghl.parentId ?? null }
              : { other_id: other.id, other_parent: other.parentId ?? null, other_kind: other.kind ?? null },
          );
        } else {
          linkId = s.links.insert({
            pair: c.pair,
            entity: c.entity,
            ghl_id: ghl.id,
            other_id: other.id,
            ghl_parent: ghl.parentId ?? null,
            other_parent: other.parentId ?? null,
            other_kind: other.kind ?? null,
            label: ghl.label || other.label,
          });
        }
        s.bases.set(linkId, c.base, c.runId);
        s.outbox.settle(c.outboxId, 'confirmed', c.created.id);
        const system = c.target === 'ghl' ? 'ghl' : c.otherSystem;
        s.audit.add({
          runId: c.runId,
          system,
          entity: c.entity,
          recordId: c.created.id,
          linkId,
          action: 'create',
          field: null,
          before: null,
          after: JSON.stringify(c.created.fields),
        });
        s.mirror.put(c.scope, [c.created]);
        return linkId;
      });
    },
    merged(m) {
      return tx(() => {
        let linkId = m.link?.id;
        if (linkId === undefined) {
          linkId = s.links.insert({
            pair: m.pair,
            entity: m.entity,
            ghl_id: m.ghl.id,
            other_id: m.other.id,
            ghl_parent: m.ghl.parentId ?? null,
            other_parent: m.other.parentId ?? null,
            other_kind: m.other.kind ?? null,
            label: m.label,
          });
          s.audit.add({
            runId: m.runId,
            system: m.otherSystem,
            entity: m.entity,
            recordId: m.other.id,
            linkId,
            action: 'link',
            field: null,
            before: null,
            after: m.ghl.id,
          });
        } else if (m.link && m.link.label !== m.label) {
          s.links.update(linkId, { label: m.label });
        }
        s.bases.set(linkId, m.base, m.runId);
        for (const a of m.audits) s.audit.add({ ...a, runId: m.runId, linkId });
        for (const o of m.outbox) s.outbox.settle(o.id, o.state, o.resultId, o.error);
        const subject = m.conflict.subject(linkId);
        let conflict: { isNew: boolean } | undefined;
        if (!m.conflict.diffs.length) {
          const open = s.conflicts.openBySubject(subject);
          if (open) s.conflicts.close(open.id, 'resolved', { settled: 'both sides agree now', applied: true });
        } else {
          const { isNew } = s.conflicts.upsert({
            kind: 'conflict',
            pair: m.pair,
            entity: m.entity,
            system: m.otherSystem,
            linkId,
            subject,
            label: m.label,
            diffs: m.conflict.diffs,
            runId: m.runId,
          });
          conflict = { isNew };
        }
        if (m.resolutionApplied) {
          const pending = s.conflicts.pendingResolutions(m.pair, m.entity).get(linkId);
          if (pending) s.conflicts.markResolutionApplied(pending.conflictId);
        }
        for (const x of m.mirror) s.mirror.put(x.scope, [x.record]);
        return { linkId, conflict };
      });
    },
    deleted(d) {
      tx(() => {
        s.links.update(d.linkId, { state: 'deleted' });
        s.audit.add(d.audit);
        s.outbox.settle(d.outbox.id, d.outbox.state, d.outbox.resultId, d.outbox.error);
        s.mirror.remove(d.scope, [d.recordId]);
      });
    },
    unlinked(u) {
      tx(() => {
        // Retired ('deleted'): what is left of a deleted record stays where it is and is never copied back.
        s.links.update(u.linkId, { state: u.retire ? 'deleted' : 'unlinked' });
        s.audit.add(u.audit);
      });
    },
    undone(u) {
      tx(() => {
        if (u.retireLink !== undefined) s.links.update(u.retireLink, { state: 'deleted' });
        for (const a of u.audits) s.audit.add(a);
        for (const id of u.undone) s.audit.markUndone(id, u.undoRunId);
      });
    },
    linkedByHand(l) {
      return tx(() => {
        const id = s.links.insert(l.link);
        s.apart.add(l.link.pair, l.link.entity, l.apart);
        return id;
      });
    },
  };
}
