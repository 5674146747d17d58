/**
 * The hold on interrupted creates (main/sync/README.md, "Crash safety"): a create a crash interrupted, whose outcome
 * recovery could not check, is not sent again until it is known whether it went through; nor is a record with no
 * email, phone or profile copied back from the system such a create went to (it may be what that create made). Built
 * from the outbox's pending entries, so the first pass, the hop pass and a preview all hold the same records.
 */
import type { Store } from '../../store/repositories.js';
import type { EntityPlan, PlanOp } from './planner.js';
import type { WiredEntity } from './run.js';
import type { SideRecord } from './types.js';

export type Hold = (e: WiredEntity, plan: EntityPlan) => EntityPlan;

export function holdInterrupted(store: Store): Hold {
  const open = store.outbox.pending().filter((r) => r.action === 'create');
  const waiting = new Set(open.map((r) => `${r.pair}|${r.entity}|${r.subject}`));
  const intoSystem = new Map<string, string[]>();
  for (const r of open) {
    const k = `${r.pair}|${r.entity}|${r.system}`;
    intoSystem.set(k, [
      ...(intoSystem.get(k) ?? []),
      (JSON.parse(r.payload) as { item?: { label?: string } }).item?.label ?? '?',
    ]);
  }
  const keyless = (r: SideRecord) => !r.email && !r.phone && !r.altKey;
  return (e, plan) => {
    if (!waiting.size) return plan;
    const from = (op: Extract<PlanOp, { op: 'create' }>) =>
      `${e.wiring.pair}|${e.wiring.entity}|${op.sourceSide === 'ghl' ? 'ghl' : e.wiring.other.system}`;
    const names = (labels: string[]) => labels.map((l) => `"${l}"`).join(', ');
    const why = (op: Extract<PlanOp, { op: 'create' }>): string | undefined => {
      if (waiting.has(`${e.wiring.pair}|${e.wiring.entity}|${op.subject}`))
        return 'an earlier create of it was interrupted and is not sent again until it is known whether it went through (Conflicts)';
      const into = intoSystem.get(from(op));
      if (e.wiring.matchable && keyless(op.source) && into)
        return `held back while an interrupted create of ${names(into)} waits: this record, with no email or phone, may be what it made (Conflicts)`;
      return undefined;
    };
    return {
      ...plan,
      ops: plan.ops.map((op): PlanOp => {
        const reason = op.op === 'create' ? why(op) : undefined;
        return op.op === 'create' && reason
          ? { op: 'skip', record: op.source, side: op.sourceSide, reason, subject: `held:${op.subject}` }
          : op;
      }),
    };
  };
}
