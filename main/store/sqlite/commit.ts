/**
 * The engine's atomic writes, each one transaction (main/store/README.md). The bodies are the transactions the
 * executor used to open itself.
 */
import { LinkClashError } from '../errors.js';
import type { AuditEntry, CommitRecord, CommitRepo, NewChange, SeenChange, Store } from '../repositories.js';
import type { Ctx } from './prepared.js';

/** The bridge's writes as change-stream rows: one per record written, pointing at its audit entries. */
function bridgeChanges(
  written: Array<{ entry: AuditEntry; id: number }>,
  who: (recordId: string) => Pick<CommitRecord, 'label' | 'email'> | undefined,
  base: Pick<NewChange, 'runId' | 'pair' | 'entity' | 'linkId'>,
): NewChange[] {
  const rows = new Map<string, NewChange>();
  for (const { entry: a, id } of written) {
    if (!a.recordId || a.action === 'link') continue;
    const key = `${a.system}|${a.recordId}|${a.action}`;
    const row = rows.get(key);
    if (row) row.auditIds!.push(id);
    else {
      const rec = who(a.recordId);
      rows.set(key, {
        ...base,
        system: a.system,
        recordId: a.recordId,
        label: rec?.label ?? '',
        email: rec?.email ?? null,
        who: 'bridge',
        action: a.action,
        auditIds: [id],
      });
    }
  }
  return [...rows.values()];
}

const personChanges = (
  seen: SeenChange[] | undefined,
  base: Pick<NewChange, 'runId' | 'pair' | 'entity' | 'linkId'>,
): NewChange[] => (seen ?? []).map((c) => ({ ...base, ...c, who: 'person' as const }));

export function sqliteCommit({ db, now }: Ctx, s: Omit<Store, 'commit'>): CommitRepo {
  const tx = <T>(fn: () => T): T => db.transaction(fn)();
  const audit = (entry: AuditEntry) => ({ entry, id: s.audit.add(entry) });
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
        const made = audit({
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
        // Made now, in its system, if the target's answer does not say when (the dashboard's notes of the week).
        s.mirror.put(c.scope, [{ ...c.created, madeAt: c.created.madeAt ?? now() }]);
        const row = { runId: c.runId, pair: c.pair, entity: c.entity, linkId };
        s.changes.add([
          ...personChanges(c.seen, row),
          ...bridgeChanges([made], () => ({ label: c.created.label || c.source.label, email: c.created.email }), row),
        ]);
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
        const written = m.audits.map((a) => audit({ ...a, runId: m.runId, linkId }));
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
        const row = { runId: m.runId, pair: m.pair, entity: m.entity, linkId };
        const rec = (id: string) => (id === m.ghl.id ? m.ghl : id === m.other.id ? m.other : undefined);
        s.changes.add([
          ...personChanges(m.seen, row),
          ...bridgeChanges(written, (id) => ({ label: m.label, email: rec(id)?.email ?? null }), row),
        ]);
        return { linkId, conflict };
      });
    },
    deleted(d) {
      tx(() => {
        const link = s.links.byId(d.linkId);
        s.links.update(d.linkId, { state: 'deleted' });
        const made = audit(d.audit);
        if (link) {
          const row = { runId: d.audit.runId, pair: link.pair, entity: link.entity, linkId: d.linkId };
          s.changes.add([...personChanges(d.seen, row), ...bridgeChanges([made], () => ({ label: link.label }), row)]);
        }
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
        const written = u.audits.map(audit);
        for (const id of u.undone) s.audit.markUndone(id, u.undoRunId);
        // An undo's writes are the bridge's too: one stream row per record, under the link it wrote through.
        const byLink = new Map<number, typeof written>();
        for (const w of written)
          if (w.entry.linkId !== null) byLink.set(w.entry.linkId, [...(byLink.get(w.entry.linkId) ?? []), w]);
        for (const [linkId, ws] of byLink) {
          const link = s.links.byId(linkId);
          if (!link) continue;
          s.changes.add(
            bridgeChanges(ws, () => ({ label: link.label }), {
              runId: u.undoRunId,
              pair: link.pair,
              entity: link.entity,
              linkId,
            }),
          );
        }
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
