/**
 * The notes-to-tasks rule: a new AroFlo note (on a job or on the customer) becomes a HighLevel task on the linked
 * contact. "New" means not there when the rule was first used: on that first run every existing note is recorded
 * as seen, so turning the rule on never floods HighLevel with tasks for old notes. Each note makes at most one task
 * (the link is kept like any other), and the tasks it makes are left out of task sync so they do not come back to
 * AroFlo as jobs.
 */
import type { NoteToTaskRule, RuleKind } from '../../domain/index.js';
import type { Store } from '../../store/repositories.js';
import type { RunContext } from '../context.js';
import type { EntitySide, SideRecord, WriteResult } from '../engine/types.js';
import { taskRecord } from '../sides/ghl.js';
import { fullName, text } from '../sides/normalize.js';
import { lazySet } from './lazy-set.js';

export const RULE_ENTITY: RuleKind = 'rule_task';

export function ruleMatches(rule: NoteToTaskRule, body: string | null | undefined): boolean {
  if (!rule.enabled) return false;
  const m = rule.match.trim().toLowerCase();
  return !m || (body ?? '').toLowerCase().includes(m);
}

export function ruleTitle(rule: NoteToTaskRule, vars: { note: string; contact: string; task: string }): string {
  const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
  const title = rule.titleTemplate.replace(/\{\{\s*(note|contact|task)\s*\}\}/g, (_, k: 'note' | 'contact' | 'task') =>
    oneLine(vars[k]),
  );
  return (title.length > 120 ? `${title.slice(0, 117)}…` : title) || 'Follow up on an AroFlo note';
}

/**
 * Record every note present now as already seen, once (the first run with the rule on), at the run's clock. A dry run
 * (a preview) keeps the baseline in memory only: the profile's baseline is taken by the first real run, so notes
 * added between a preview and that run are not "new".
 */
export function baselineIfNeeded(store: Store, records: SideRecord[], at: number, memory?: Set<string>): void {
  if (store.rules.baselineAt(RULE_ENTITY)) return;
  if (memory) for (const r of records) memory.add(r.id);
  else
    store.rules.setBaseline(
      RULE_ENTITY,
      new Date(at).toISOString(),
      records.map((r) => r.id),
    );
}

/** Wrap the AroFlo notes side: only notes the rule applies to and that were not there at its baseline (taken on first use). */
export function ruleNoteSide(
  notes: EntitySide,
  ctx: Pick<RunContext, 'store' | 'now' | 'dryRun'>,
  rule: NoteToTaskRule,
): EntitySide {
  const { store } = ctx;
  const memory = ctx.dryRun ? new Set<string>() : undefined;
  const take = (rs: SideRecord[]) => {
    baselineIfNeeded(store, rs, ctx.now(), memory);
    return rs
      .filter((r) => ruleMatches(rule, r.fields.body) && !memory?.has(r.id) && !store.rules.seen(RULE_ENTITY, r.id))
      .map((r) => ({
        ...r,
        fields: {} as Record<string, string | null>,
        context: { ...(r.context ?? {}), body: r.fields.body ?? '' },
      }));
  };
  return {
    ...notes,
    entity: RULE_ENTITY,
    canCreate: false,
    async fetchAll() {
      const r = await notes.fetchAll();
      return { ...r, records: take(r.records) };
    },
    async fetchChanged(cursor) {
      const r = await notes.fetchChanged(cursor);
      return { ...r, records: take(r.records) };
    },
  };
}

/** The HighLevel tasks the rule made (read when first asked: after the run recovered what a crash interrupted). */
export function ruleTaskIds(store: Store): ReadonlySet<string> {
  return lazySet(() => store.links.ghlIdsOf('ghl-aroflo', RULE_ENTITY));
}

/** HighLevel tasks made by the rule: only created, never listed (task sync owns HighLevel's tasks). */
export function ruleGhlTaskSide(ctx: RunContext, rule: NoteToTaskRule): EntitySide {
  const run = ctx.ghl;
  const now = ctx.now;
  return {
    system: 'ghl',
    entity: RULE_ENTITY,
    canCreate: true,
    async fetchAll() {
      return { records: [], rejected: [], complete: false, cursor: 'rule' };
    },
    async fetchChanged() {
      return { records: [], rejected: [], complete: false, cursor: 'rule' };
    },
    async getMany(ids) {
      return new Map(ids.map((id) => [id, null]));
    },
    async create(items) {
      const results: WriteResult[] = [];
      for (const it of items) {
        try {
          const contactId = it.parentId!;
          // The contact as this run read it, else as the ID map names it (a contact unchanged since the last run).
          const contact = run.contact(contactId);
          const contactName = contact
            ? fullName(text(contact.firstName), text(contact.lastName), '')
            : (ctx.store.links.byGhl('ghl-aroflo', 'contact', contactId)?.label ?? '');
          const note = it.source.context?.body ?? it.source.label;
          const title = ruleTitle(rule, {
            note,
            contact: contactName,
            task: it.source.context?.taskName ?? '',
          });
          const due = new Date(now() + rule.dueOffsetDays * 86_400_000).toISOString().slice(0, 10);
          run.touch(contactId, { pair: 'ghl-aroflo', kind: 'task' });
          const t = await run.client.tasks.create(contactId, {
            title,
            dueDate: `${due}T09:00:00.000Z`,
            completed: false,
            body: `From an AroFlo note:\n${note}`,
          });
          const rec = taskRecord(t);
          results.push({ ok: true, record: { ...rec, fields: {} } });
        } catch (e) {
          results.push({ ok: false, error: e as Error });
        }
      }
      return results;
    },
    async update(items) {
      return items.map((it) => ({ ok: true, record: it.current }));
    },
    async remove(items) {
      return items.map((it) => ({ ok: true, record: { id: it.id, fields: {}, label: it.label } }));
    },
    async findCreated(item) {
      if (!item.parentId) return undefined;
      const list = await run.client.tasks.list(item.parentId);
      const body = `From an AroFlo note:\n${item.source.context?.body ?? item.source.label}`;
      const t = list.items.find((x) => (x.body ?? '').trim() === body.trim());
      return t ? { ...taskRecord(t), fields: {} } : undefined;
    },
  };
}
