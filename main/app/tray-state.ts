/**
 * What the tray shows, as pure functions of the app status: the icon (idle, syncing, needs attention, error,
 * paused) with its tooltip, and the one-line summaries the tray menu reuses. No electron here.
 */
import type { AppStatus, RunSummary } from '../../preload/contract.js';

export type TrayIconName = 'idle' | 'syncing' | 'attention' | 'error' | 'paused';

/** Formats a time for the tray: "14:05" today, "23 Nov 14:05" otherwise. Injected so tests control the clock. */
export type TimeFormatter = (ms: number, now: number) => string;

export const defaultTimeFormatter: TimeFormatter = (ms, now) => {
  const d = new Date(ms);
  const time = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return new Date(now).toDateString() === d.toDateString()
    ? time
    : `${d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })} ${time}`;
};

/** Windows truncates tray tooltips at 127 characters; keep every platform the same. */
export const TOOLTIP_MAX = 127;

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

export function openReviewCount(status: AppStatus): number {
  return status.openConflicts + status.openDuplicates;
}

export function progressText(status: AppStatus): string {
  const p = status.progress;
  if (!p) return 'Syncing…';
  // The run's own words ("Reading contacts") read better than its phase name.
  if (p.message)
    return p.total && p.total > 0
      ? `Syncing — ${p.message} (${Math.min(100, Math.round((p.done / p.total) * 100))}%)`
      : `Syncing — ${p.message}`;
  if (p.total && p.total > 0) {
    const pct = Math.min(100, Math.round((p.done / p.total) * 100));
    return `Syncing ${p.phase}: ${p.done} of ${p.total} (${pct}%)`;
  }
  return `Syncing ${p.phase}: ${p.done} done`;
}

const RESULT: Record<RunSummary['status'], string> = {
  running: 'running',
  ok: 'succeeded',
  partial: 'partly done',
  failed: 'failed',
  stopped: 'stopped',
  needs_approval: 'waiting for your approval',
};

export function lastRunText(
  run: RunSummary | undefined,
  now: number,
  fmt: TimeFormatter = defaultTimeFormatter,
): string {
  if (!run) return 'No sync yet';
  const changes = [run.created, run.updated, run.deleted].reduce(
    (n, c) => n + Object.values(c).reduce<number>((a, b) => a + (b ?? 0), 0),
    0,
  );
  const detail =
    run.status === 'ok' || run.status === 'partial'
      ? `, ${run.dryRun ? 'would make ' : ''}${changes} change${changes === 1 ? '' : 's'}`
      : '';
  return `Last ${run.dryRun ? 'preview' : 'sync'} ${fmt(run.finishedAt ?? run.startedAt, now)}: ${RESULT[run.status] ?? run.status}${detail}`;
}

const API_NAMES: Record<string, string> = { ghl: 'HighLevel', aroflo: 'AroFlo', aimfox: 'Aimfox' };

/**
 * A daily budget that runs low, in a tray line: what the sync does about it and when full sync resumes (the
 * budget-day's reset). Undefined while every budget is fine. The worst state wins (used up > paused > smaller re-reads).
 */
export function budgetText(
  status: AppStatus,
  now: number,
  fmt: TimeFormatter = defaultTimeFormatter,
): string | undefined {
  const rank = { spent: 3, paused: 2, shrunk: 1, ok: 0 } as const;
  const b = [...(status.budget ?? [])].sort((x, y) => rank[y.state] - rank[x.state])[0];
  if (!b || b.state === 'ok') return undefined;
  const name = API_NAMES[b.system] ?? b.system;
  const at = fmt(b.resetsAt, now);
  if (b.state === 'spent') return `${name} budget used up — sync resumes ${at}`;
  if (b.state === 'paused') return `${name} budget low — re-reads paused until ${at}`;
  return `${name} budget running low — smaller re-reads until ${at}`;
}

/** The sign-in a connection needs again, if any: the person can fix it, so it is "needs attention", not "error". */
export function signInNeeded(status: AppStatus): string | undefined {
  return status.attention.find((a) => a.kind === 'sign_in')?.message;
}

/**
 * Which icon, and why. Precedence: syncing > paused > sign-in needed (attention) > error > needs attention > idle.
 * Paused outranks problems because nothing will change until the person resumes; the tooltip still names the
 * problem. A sign-in that expired makes runs fail too, but what to do is sign in, so it shows as attention.
 */
export function trayIconState(
  status: AppStatus | undefined,
  now: number,
  fmt: TimeFormatter = defaultTimeFormatter,
): { icon: TrayIconName; tooltip: string } {
  if (!status) return { icon: 'idle', tooltip: 'GHL Bridge — starting…' };
  const signIn = signInNeeded(status);
  const errors = status.attention.filter((a) => a.severity === 'error' && a.kind !== 'sign_in');
  const failed = status.lastRun?.status === 'failed';
  const review = openReviewCount(status);
  const problem =
    errors.filter((a) => a.kind !== 'budget')[0]?.message ??
    (failed ? `Last sync failed${status.lastRun?.message ? `: ${status.lastRun.message}` : ''}` : undefined);
  const budget = budgetText(status, now, fmt);
  const attentionText =
    review > 0
      ? `${review} item${review === 1 ? '' : 's'} to review`
      : (budget ?? status.attention.find((a) => a.severity === 'warning')?.message);

  let icon: TrayIconName;
  let text: string;
  if (status.syncing) {
    icon = 'syncing';
    text = progressText(status);
  } else if (status.paused) {
    icon = 'paused';
    const why = signIn ?? problem ?? attentionText;
    text = `Sync paused${why ? ` — ${why}` : ''}`;
  } else if (signIn) {
    icon = 'attention';
    text = signIn;
  } else if (problem) {
    icon = 'error';
    text = problem;
  } else if (attentionText || status.lastRun?.status === 'needs_approval' || status.lastRun?.status === 'partial') {
    icon = 'attention';
    text = attentionText ?? lastRunText(status.lastRun, now, fmt);
  } else {
    icon = 'idle';
    text = status.lastRun ? `Up to date — ${lastRunText(status.lastRun, now, fmt)}` : 'No sync yet';
  }
  return { icon, tooltip: clip(`GHL Bridge — ${text}`, TOOLTIP_MAX) };
}
