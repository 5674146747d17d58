/**
 * What to notify about, as a pure function of the previous and the next status: new conflicts, a sign-in that
 * expired, and syncs that keep failing. Whatever is due at one moment is grouped into one notification, and a kind
 * that was shown recently stays quiet for its cool-down, so a flapping connection or a run that fails every five
 * minutes never becomes a storm. The tray icon keeps showing the state in between.
 */
import type { AppStatus, Screen, Settings, SystemId } from '../../preload/contract.js';

export type NotifyKind = 'conflicts' | 'sign_in' | 'failure' | 'account';

export interface PlannedNotification {
  /** The most important kind in it (decides the screen a click opens). */
  kind: NotifyKind;
  /** Every kind it carries (one notification groups whatever was due at once). */
  kinds: NotifyKind[];
  title: string;
  body: string;
  /** The screen a click opens. */
  screen: Screen;
}

export interface NotifyMemory {
  /** When each kind was last shown (epoch ms). */
  lastShownAt: Partial<Record<NotifyKind, number>>;
}

export const NOTIFY_COOLDOWN_MS = 15 * 60_000;
/** A sync that keeps failing is shown by the tray icon; a reminder at most every few hours is enough. */
export const FAILURE_COOLDOWN_MS = 6 * 60 * 60_000;

const LABEL: Record<SystemId, string> = { ghl: 'HighLevel', aroflo: 'AroFlo', aimfox: 'Aimfox' };
/** Most important first: nothing syncs while signed out; failures next; conflicts wait calmly. */
const PRIORITY: NotifyKind[] = ['sign_in', 'account', 'failure', 'conflicts'];

function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

type Part = Omit<PlannedNotification, 'kinds'>;

function conflictsPart(prev: AppStatus, next: AppStatus): Part | undefined {
  const before = prev.openConflicts + prev.openDuplicates;
  const after = next.openConflicts + next.openDuplicates;
  if (after <= before) return undefined;
  const parts = [
    next.openConflicts ? `${next.openConflicts} conflict${next.openConflicts === 1 ? '' : 's'}` : '',
    next.openDuplicates ? `${next.openDuplicates} possible duplicate${next.openDuplicates === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return {
    kind: 'conflicts',
    title: after - before === 1 ? 'A record needs your decision' : `${after - before} records need your decision`,
    body: `${joinNames(parts)} waiting on the Conflicts screen. Nothing is overwritten until you choose.`,
    screen: 'conflicts',
  };
}

function signInPart(prev: AppStatus, next: AppStatus): Part | undefined {
  const wasOut = new Set(prev.connections.filter((c) => c.health === 'signed_out').map((c) => c.system));
  const newlyOut = next.connections.filter((c) => c.health === 'signed_out' && !wasOut.has(c.system));
  if (newlyOut.length === 0) return undefined;
  const names = joinNames(newlyOut.map((c) => LABEL[c.system] ?? c.label));
  return {
    kind: 'sign_in',
    title: `Sign in to ${names} again`,
    body: `GHL Bridge cannot sync with ${names} until you sign in again on the Connections screen.`,
    screen: 'connections',
  };
}

/**
 * Something in a connected account a person must fix there (a LinkedIn account logged out in Aimfox): notified when
 * it first appears; it stays under Needs attention and in the tray until it is fixed. Follows the sign-in setting.
 */
function accountPart(prev: AppStatus, next: AppStatus): Part | undefined {
  const before = new Set(prev.attention.filter((a) => a.kind === 'account').map((a) => a.message));
  const fresh = next.attention.filter((a) => a.kind === 'account' && !before.has(a.message));
  if (fresh.length === 0) return undefined;
  return {
    kind: 'account',
    title: fresh.length === 1 ? 'An account needs your attention' : `${fresh.length} accounts need your attention`,
    body: fresh.map((a) => a.message).join(' '),
    screen: 'connections',
  };
}

/** Syncs that keep failing: a new failed run right after another failed run. One failure alone may be a blip. */
function failurePart(prev: AppStatus, next: AppStatus): Part | undefined {
  const run = next.lastRun;
  if (!run || run.dryRun || run.id === prev.lastRun?.id || run.status !== 'failed') return undefined;
  if (prev.lastRun?.status !== 'failed' || prev.lastRun.dryRun) return undefined;
  return {
    kind: 'failure',
    title: 'Syncs keep failing',
    body: run.message
      ? `The last two syncs failed. ${run.message}`
      : 'The last two syncs failed. Open GHL Bridge to see what happened.',
    screen: 'status',
  };
}

export function planNotifications(args: {
  prev: AppStatus | undefined;
  next: AppStatus;
  prefs: Settings['notifications'];
  memory: NotifyMemory;
  now: number;
  cooldownMs?: number;
  failureCooldownMs?: number;
}): PlannedNotification[] {
  const { prev, next, prefs, memory, now } = args;
  // The first status after start-up is the baseline: the tray icon shows it; only changes notify.
  if (!prev) return [];
  const cooldown: Record<NotifyKind, number> = {
    conflicts: args.cooldownMs ?? NOTIFY_COOLDOWN_MS,
    sign_in: args.cooldownMs ?? NOTIFY_COOLDOWN_MS,
    account: args.cooldownMs ?? NOTIFY_COOLDOWN_MS,
    failure: args.failureCooldownMs ?? FAILURE_COOLDOWN_MS,
  };
  const quiet = (kind: NotifyKind) => {
    const last = memory.lastShownAt[kind];
    return last !== undefined && now - last < cooldown[kind];
  };
  const due: Part[] = [];
  if (prefs.signIn && !quiet('sign_in')) due.push(...[signInPart(prev, next)].filter((p): p is Part => !!p));
  if (prefs.signIn && !quiet('account')) due.push(...[accountPart(prev, next)].filter((p): p is Part => !!p));
  if (prefs.failures && !quiet('failure')) due.push(...[failurePart(prev, next)].filter((p): p is Part => !!p));
  if (prefs.conflicts && !quiet('conflicts')) due.push(...[conflictsPart(prev, next)].filter((p): p is Part => !!p));
  if (due.length === 0) return [];
  due.sort((a, b) => PRIORITY.indexOf(a.kind) - PRIORITY.indexOf(b.kind));
  const lead = due[0]!;
  if (due.length === 1) return [{ ...lead, kinds: [lead.kind] }];
  // Several at once: one notification, the most important first, opening its screen.
  return [
    {
      kind: lead.kind,
      kinds: due.map((d) => d.kind),
      title: `${lead.title}, and ${due.length - 1} more`,
      body: due.map((d) => d.body).join(' '),
      screen: lead.screen,
    },
  ];
}

/** Records what was shown (returns a new memory). */
export function rememberShown(memory: NotifyMemory, shown: PlannedNotification[], now: number): NotifyMemory {
  const lastShownAt = { ...memory.lastShownAt };
  for (const n of shown) for (const k of n.kinds ?? [n.kind]) lastShownAt[k] = now;
  return { lastShownAt };
}
