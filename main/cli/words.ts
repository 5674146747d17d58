/**
 * How the CLI says things to a person: times in their locale and time zone (with the offset, so a pasted line is
 * unambiguous), connection health in words, counts of what a run did or, for a dry run, would do.
 */
import type { BudgetInfo, ConnectionHealth, ConnectionInfo, Counts, RunSummary } from '../../preload/contract.js';

const ENTITY_MANY: Record<string, string> = {
  contact: 'contacts',
  task: 'tasks',
  note: 'notes',
  lead: 'leads',
  label: 'labels',
  appointment: 'appointments',
  business: 'businesses',
};

/** "4 Dec 2026, 14:05 (UTC+11)" in the person's locale and time zone. */
export function localTime(ms: number | undefined, opts: { locale?: string; timeZone?: string } = {}): string {
  if (ms === undefined || !Number.isFinite(ms)) return 'never';
  return new Intl.DateTimeFormat(opts.locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: opts.timeZone,
    timeZoneName: 'shortOffset',
  }).format(new Date(ms));
}

export const HEALTH_WORDS: Record<ConnectionHealth, string> = {
  not_configured: 'not set up',
  unknown: 'not checked yet',
  ok: 'connected',
  signed_out: 'needs signing in again',
  error: 'has a problem',
};

export const healthWords = (h: ConnectionHealth): string => HEALTH_WORDS[h] ?? 'has a problem';

const total = (c: Counts) => Object.values(c).reduce<number>((a, n) => a + (n ?? 0), 0);

/** "284 (200 contacts, 84 tasks)" or "none". */
export function countWords(c: Counts): string {
  const n = total(c);
  if (!n) return 'none';
  const parts = Object.entries(c)
    .filter(([, v]) => v)
    .map(([k, v]) => `${v} ${v === 1 ? k : (ENTITY_MANY[k] ?? `${k}s`)}`);
  return parts.length > 1 ? `${n} (${parts.join(', ')})` : parts[0]!;
}

/** The summary lines of a run; a dry run says what it would do. */
export function summaryLines(s: RunSummary): string[] {
  const verb = s.dryRun ? ['would create', 'would update', 'would delete'] : ['created', 'updated', 'deleted'];
  const out = [
    `${s.dryRun ? 'Preview (nothing written)' : 'Sync'} ${s.status === 'ok' ? 'finished' : s.status.replace('_', ' ')} in ${((s.durationMs ?? 0) / 1000).toFixed(1)} s`,
    `  ${verb[0]}: ${countWords(s.created)}`,
    `  ${verb[1]}: ${countWords(s.updated)}`,
    `  ${verb[2]}: ${countWords(s.deleted)}`,
    `  ${s.dryRun ? 'would find' : 'found'} for review (conflicts and possible duplicates): ${s.conflicts}; errors: ${s.errors}`,
    `  requests: HighLevel ${s.requests.ghl}, AroFlo ${s.requests.aroflo}, Aimfox ${s.requests.aimfox}`,
  ];
  if (s.message) out.push(`  ${s.message}`);
  return out;
}

/** "Aimfox: connected — LinkedIn: Jordan Avery (LinkedIn account Sam Lee is logged out …)". */
export function connectionLine(c: ConnectionInfo): string {
  const notes = [c.message, ...(c.warnings ?? [])].filter((m, i, all): m is string => !!m && all.indexOf(m) === i);
  return `${c.label}: ${healthWords(c.health)}${c.account ? ` — ${c.account}` : ''}${notes.length ? ` (${notes.join(' ')})` : ''}`;
}

const API_NAMES: Record<string, string> = { ghl: 'HighLevel', aroflo: 'AroFlo', aimfox: 'Aimfox' };
const n = (x: number) => x.toLocaleString('en-US');

/**
 * One API's budget today: "HighLevel budget: 1,204 used today, 14,480 projected, of a 50,000 share (25 % of 200,000 a
 * day); every record re-checked within 24 h" — and, when it runs low, what the sync does and when full sync resumes.
 */
export function budgetLine(b: BudgetInfo, opts: { locale?: string; timeZone?: string } = {}): string {
  const head = `${API_NAMES[b.system] ?? b.system} budget: ${n(b.usedToday)} used today, ${n(b.projected)} projected, of a ${n(b.allowance)} share (${b.sharePercent} % of ${n(b.perDay)} a day)`;
  const resumes = localTime(b.resetsAt, opts);
  if (b.state === 'ok') return `${head}; every record re-checked within ${b.windowHours} h`;
  if (b.state === 'shrunk')
    return `${head}; running low: smaller re-reads${b.coverageHours ? ` (every record within about ${b.coverageHours} h)` : ''} until the reset at ${resumes}`;
  if (b.state === 'paused') return `${head}; low: re-reads paused, changes still synced; full sync resumes ${resumes}`;
  return `${head}; used up: sync waits until the reset at ${resumes}`;
}
