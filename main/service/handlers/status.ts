/** Status and runs: what the bridge is doing, what needs attention, sync now, pause and resume. */
import type { AppStatus, AttentionItem, BridgeApi, PairId, PlanItem, RunPlan } from '../../../preload/contract.js';
import { databaseLevel } from '../../store/db.js';
import type { Store } from '../../store/repositories.js';
import { BridgeError } from '../errors.js';
import { need, PAIRS, type HandlerContext, type Shared } from './common.js';

type StatusApi = Pick<BridgeApi, 'getStatus' | 'listRuns' | 'syncNow' | 'getRunPlan' | 'pause' | 'resume'>;

/** getStatus alone: the other areas publish it, so it is created before them. */
export function statusReader(ctx: HandlerContext, store: Store): () => Promise<AppStatus> {
  const attention = (status: Omit<AppStatus, 'attention'>): AttentionItem[] => {
    const items: AttentionItem[] = [];
    for (const c of status.connections) {
      if (c.health === 'signed_out')
        items.push({
          kind: 'sign_in',
          severity: 'error',
          message: c.message ?? `${c.label} sign-in expired — sign in again.`,
          screen: 'connections',
        });
      else if (c.health === 'error')
        items.push({
          kind: 'errors',
          severity: 'warning',
          message: c.message ?? `${c.label} is not answering.`,
          screen: 'connections',
        });
      for (const w of c.warnings ?? [])
        items.push({ kind: 'account', severity: 'warning', message: `${c.label}: ${w}`, screen: 'connections' });
    }
    for (const why of ctx.sync.envProblems.values())
      items.push({ kind: 'mapping_review', severity: 'warning', message: why, screen: 'mappings' });
    if (ctx.sync.scheduleProblem)
      items.push({ kind: 'errors', severity: 'error', message: ctx.sync.scheduleProblem, screen: 'logs' });
    if (!status.connections.some((c) => c.system === 'ghl' && c.configured))
      items.push({
        kind: 'setup',
        severity: 'info',
        message: 'Connect HighLevel to get started.',
        screen: 'connections',
      });
    if (status.lastRun?.status === 'needs_approval')
      items.push({
        kind: 'guard',
        severity: 'warning',
        message: status.lastRun.message ?? 'The last sync stopped before writing and needs your approval.',
        screen: 'status',
      });
    if (status.openConflicts)
      items.push({
        kind: 'conflicts',
        severity: 'warning',
        message: `${status.openConflicts} conflict${status.openConflicts === 1 ? '' : 's'} need${status.openConflicts === 1 ? 's' : ''} your review.`,
        screen: 'conflicts',
      });
    if (status.openDuplicates)
      items.push({
        kind: 'duplicates',
        severity: 'info',
        message: `${status.openDuplicates} possible duplicate${status.openDuplicates === 1 ? '' : 's'} to review.`,
        screen: 'conflicts',
      });
    const q = store.quarantine.count();
    if (q)
      items.push({
        kind: 'quarantine',
        severity: 'warning',
        message: `${q} record${q === 1 ? '' : 's'} could not be read and ${q === 1 ? 'was' : 'were'} set aside — see Logs.`,
        screen: 'logs',
      });
    for (const m of ctx.config.read().mappings) {
      if (m.previewedFingerprint !== m.fingerprint)
        items.push({
          kind: 'mapping_review',
          severity: 'info',
          message: `${m.label}: preview the mapping before sync can run.`,
          screen: 'mappings',
        });
    }
    if (status.lastRun?.status === 'partial')
      items.push({
        kind: 'errors',
        severity: 'warning',
        message:
          status.lastRun.message ??
          `The last sync could not write ${status.lastRun.errors} record(s); they are retried on the next sync — see Logs.`,
        screen: 'logs',
      });
    if (status.lastRun?.status === 'failed')
      items.push({
        kind: 'errors',
        severity: 'error',
        message: `The last sync failed: ${status.lastRun.message ?? 'see Logs'}`,
        screen: 'logs',
      });
    // A budget running low: what the sync does about it, and when full sync resumes (the budget-day's reset).
    for (const b of status.budget ?? [])
      if (b.message)
        items.push({
          kind: 'budget',
          severity: b.state === 'spent' ? 'error' : 'warning',
          message: b.message,
          screen: 'status',
        });
    const order = { error: 0, warning: 1, info: 2 } as const;
    return items.sort((a, b) => order[a.severity] - order[b.severity]);
  };

  return async (): Promise<AppStatus> => {
    const cfg = ctx.config.read();
    const runs = store.runs.list(1);
    const mappings = ctx.sync.mappings();
    const base: Omit<AppStatus, 'attention'> = {
      version: ctx.version,
      profileDir: ctx.profileDir,
      dbLevel: databaseLevel(ctx.db),
      paused: cfg.paused,
      syncing: ctx.sync.running,
      progress: ctx.sync.progress,
      lastRun: runs[0],
      nextRunAt: ctx.sync.nextRunAt,
      syncEnabled: Object.fromEntries(
        PAIRS.map((p) => [p, mappings.find((m) => m.pair === p)?.syncEnabled ?? false]),
      ) as Record<PairId, boolean>,
      connections: ctx.connections.list(),
      openConflicts: store.conflicts.countOpen('conflict'),
      openDuplicates: store.conflicts.countOpen('duplicate'),
      budget: ctx.sync.budget.info({ flush: !ctx.sync.running }),
    };
    return { ...base, attention: attention(base) };
  };
}

export function statusHandlers(ctx: HandlerContext, shared: Shared, getStatus: () => Promise<AppStatus>): StatusApi {
  const { store, publishStatus } = shared;
  return {
    getStatus,
    async listRuns({ limit } = {}) {
      return store.runs.list(limit ?? 20);
    },
    async syncNow({ dryRun, approve } = {}) {
      const run = await ctx.sync.runNow({ trigger: 'manual', dryRun: !!dryRun, approve: !!approve });
      await publishStatus();
      return run;
    },
    async getRunPlan({ runId }) {
      const run = store.runs.get(need(runId, 'The run id'));
      const plan = run?.plan as { items?: PlanItem[]; guard?: { tripped: boolean; reason: string } } | undefined;
      if (!run || !plan?.items)
        throw new BridgeError('That sync kept no plan to review — run a preview instead.', 'not_found');
      const out: RunPlan = { runId: run.id, status: run.status, items: plan.items };
      if (plan.guard?.tripped) out.guard = { tripped: true, reason: plan.guard.reason };
      return out;
    },
    async pause() {
      ctx.sync.setPaused(true);
      await publishStatus();
      return getStatus();
    },
    async resume() {
      ctx.sync.setPaused(false);
      await publishStatus();
      return getStatus();
    },
  };
}
