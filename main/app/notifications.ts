/**
 * What to notify about, as a pure function of the previous and the next status: at most one notification per kind
 * per change, and a kind that was shown recently stays quiet for a cool-down, so a flapping connection or a run that
 * fails every five minutes never becomes a storm. The tray icon keeps showing the state in between.
 */
import type { AppStatus, Screen, Settings, SystemId } from '../../preload/contract.js';

export type NotifyKind = 'conflicts' | 'sign_in' | 'failure';

export interface PlannedNotification {
  kind: NotifyKind;
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

const LABEL: Record<SystemId, string> = { ghl: 'HighLevel', aroflo: 'AroFlo', aimfox: 'Aimfox' };

function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export function planNotifications(args: {
  prev: AppStatus | undefined;
  next: AppStatus;
  prefs: Settings['notifications'];
  memory: NotifyMemory;
  now: number;
  cooldownMs?: number;
}): PlannedNotification[] {
  const { prev, next, prefs, memory, now } = args;
  // The first status after start-up is the baseline: the tray icon shows it; only changes notify.
  if (!prev) return [];
  const cooldown = args.cooldownMs ?? NOTIFY_COOLDOWN_MS;
  const quiet = (kind: NotifyKind) => {
    const last = memory.lastShownAt[kind];
    return last !== undefined && now - last < cooldown;
  };
  const out: PlannedNotification[] = [];

  if (prefs.conflicts && !quiet('conflicts')) {
    const before = prev.openConflicts + prev.openDuplicates;
    const after = next.openConflicts + next.openDuplicates;
    if (after > before) {
      const parts = [
        next.openConflicts ? `${next.openConflicts} conflict${next.openConflicts === 1 ? '' : 's'}` : '',
        next.openDuplicates ? `${next.openDuplicates} possible duplicate${next.openDuplicates === 1 ? '' : 's'}` : '',
      ].filter(Boolean);
      out.push({
        kind: 'conflicts',
        title: after - before === 1 ? 'A record needs your decision' : `${after - before} records need your decision`,
        body: `${joinNames(parts)} waiting on the Conflicts screen. Nothing is overwritten until you choose.`,
        screen: 'conflicts',
      });
    }
  }

  if (prefs.signIn && !quiet('sign_in')) {
    const wasOut = new Set(prev.connections.filter((c) => c.health === 'signed_out').map((c) => c.system));
    const newlyOut = next.connections.filter((c) => c.health === 'signed_out' && !wasOut.has(c.system));
    if (newlyOut.length > 0) {
      const names = joinNames(newlyOut.map((c) => LABEL[c.system] ?? c.label));
      out.push({
        kind: 'sign_in',
        title: `Sign in to ${names} again`,
        body: `GHL Bridge cannot sync with ${names} until you sign in again on the Connections screen.`,
        screen: 'connections',
      });
    }
  }

  if (prefs.failures && !quiet('failure')) {
    const run = next.lastRun;
    const newRun = run && run.id !== prev.lastRun?.id;
    // Only the first failure of a streak: a run that keeps failing is already shown by the tray icon.
    if (newRun && run.status === 'failed' && prev.lastRun?.status !== 'failed') {
      out.push({
        kind: 'failure',
        title: 'Sync failed',
        body: run.message ? `${run.message}` : 'The last sync did not finish. Open GHL Bridge to see what happened.',
        screen: 'status',
      });
    }
  }
  return out;
}

/** Records what was shown (returns a new memory). */
export function rememberShown(memory: NotifyMemory, shown: PlannedNotification[], now: number): NotifyMemory {
  const lastShownAt = { ...memory.lastShownAt };
  for (const n of shown) lastShownAt[n.kind] = now;
  return { lastShownAt };
}
