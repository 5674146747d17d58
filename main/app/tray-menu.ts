/**
 * The tray menu as a pure function of the app status. Items carry an `action` instead of a click handler;
 * main/app/index.ts turns them into Electron MenuItemConstructorOptions and wires the actions.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { AppStatus } from '../../preload/contract.js';
import {
  budgetText,
  defaultTimeFormatter,
  lastRunText,
  openReviewCount,
  progressText,
  signInNeeded,
} from './tray-state.js';
import type { TimeFormatter } from './tray-state.js';

export type TrayAction = 'sync-now' | 'pause' | 'resume' | 'open-conflicts' | 'open-window' | 'quit';

export type TrayMenuItem =
  { type: 'separator' } | { type: 'normal'; id: string; label: string; enabled: boolean; action?: TrayAction };

export interface TrayMenuState {
  /** Undefined while the service is still starting. */
  status: AppStatus | undefined;
  now: number;
  formatTime?: TimeFormatter;
}

const sep: TrayMenuItem = { type: 'separator' };

function headline(status: AppStatus): string {
  if (status.syncing) return progressText(status);
  if (status.paused) return 'Sync is paused';
  if (signInNeeded(status)) return 'Sign-in needed';
  if (status.lastRun?.status === 'needs_approval') return 'Waiting for your approval';
  if (status.lastRun?.status === 'failed' || status.attention.some((a) => a.severity === 'error'))
    return 'Needs attention';
  if (openReviewCount(status) > 0) return 'Items to review';
  return status.lastRun ? 'Up to date' : 'Not synced yet';
}

export function buildTrayMenu(state: TrayMenuState): TrayMenuItem[] {
  const { status, now } = state;
  const fmt = state.formatTime ?? defaultTimeFormatter;
  if (!status) {
    return [
      { type: 'normal', id: 'headline', label: 'GHL Bridge is starting…', enabled: false },
      sep,
      { type: 'normal', id: 'open', label: 'Open GHL Bridge', enabled: true, action: 'open-window' },
      sep,
      { type: 'normal', id: 'quit', label: 'Quit GHL Bridge', enabled: true, action: 'quit' },
    ];
  }
  const review = openReviewCount(status);
  const budget = budgetText(status, now, fmt);
  return [
    { type: 'normal', id: 'headline', label: headline(status), enabled: false },
    { type: 'normal', id: 'last-run', label: lastRunText(status.lastRun, now, fmt), enabled: false },
    ...(budget ? [{ type: 'normal', id: 'budget', label: budget, enabled: false } as const] : []),
    sep,
    {
      type: 'normal',
      id: 'sync-now',
      label: status.syncing ? 'Syncing…' : 'Sync now',
      enabled: !status.syncing,
      action: 'sync-now',
    },
    status.paused
      ? { type: 'normal', id: 'pause', label: 'Resume sync', enabled: true, action: 'resume' }
      : { type: 'normal', id: 'pause', label: 'Pause sync', enabled: true, action: 'pause' },
    sep,
    { type: 'normal', id: 'conflicts', label: `Conflicts (${review})`, enabled: true, action: 'open-conflicts' },
    { type: 'normal', id: 'open', label: 'Open GHL Bridge', enabled: true, action: 'open-window' },
    sep,
    { type: 'normal', id: 'quit', label: 'Quit GHL Bridge', enabled: true, action: 'quit' },
  ];
}

/** Electron's menu template for the items; `onAction` runs when one is clicked. */
export function toMenuTemplate(
  items: TrayMenuItem[],
  onAction: (action: TrayAction) => void,
): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' };
    const action = item.action;
    return {
      id: item.id,
      label: item.label,
      enabled: item.enabled,
      ...(action ? { click: () => onAction(action) } : {}),
    };
  });
}
