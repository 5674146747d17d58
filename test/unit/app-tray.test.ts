import { describe, expect, it } from 'vitest';
import type { AppStatus, RunSummary } from '../../preload/contract.js';
import { buildTrayMenu, toMenuTemplate } from '../../main/app/tray-menu.js';
import type { TrayAction, TrayMenuItem } from '../../main/app/tray-menu.js';
import { TOOLTIP_MAX, trayIconState } from '../../main/app/tray-state.js';

const NOW = Date.UTC(2026, 10, 23, 14, 30);
const fmt = (ms: number) => `T${new Date(ms).toISOString().slice(11, 16)}`;

function run(over: Partial<RunSummary> = {}): RunSummary {
  return {
    id: 'r1',
    trigger: 'timer',
    dryRun: false,
    status: 'ok',
    startedAt: NOW - 120_000,
    finishedAt: NOW - 60_000,
    created: { contact: 2 },
    updated: { contact: 3, task: 1 },
    deleted: {},
    conflicts: 0,
    errors: 0,
    requests: { ghl: 10, aroflo: 4, aimfox: 0 },
    ...over,
  };
}

function status(over: Partial<AppStatus> = {}): AppStatus {
  return {
    version: '1.2.3',
    profileDir: '/p',
    dbLevel: 3,
    paused: false,
    syncing: false,
    syncEnabled: { 'ghl-aroflo': true, 'ghl-aimfox': false },
    connections: [],
    openConflicts: 0,
    openDuplicates: 0,
    attention: [],
    ...over,
  };
}

const labels = (items: TrayMenuItem[]) => items.map((i) => (i.type === 'separator' ? '---' : i.label));
const item = (items: TrayMenuItem[], id: string) => {
  const found = items.find((i) => i.type === 'normal' && i.id === id);
  if (!found || found.type !== 'normal') throw new Error(`no item ${id}`);
  return found;
};

describe('tray menu', () => {
  it('idle: headline, last sync with result, Sync now, Pause, Conflicts (0), Open, Quit', () => {
    const menu = buildTrayMenu({ status: status({ lastRun: run() }), now: NOW, formatTime: fmt });
    expect(labels(menu)).toEqual([
      'Up to date',
      'Last sync T14:29: succeeded, 6 changes',
      '---',
      'Sync now',
      'Pause sync',
      '---',
      'Conflicts (0)',
      'Open GHL Bridge',
      '---',
      'Quit GHL Bridge',
    ]);
    expect(item(menu, 'headline').enabled).toBe(false);
    expect(item(menu, 'last-run').enabled).toBe(false);
    expect(item(menu, 'sync-now')).toMatchObject({ enabled: true, action: 'sync-now' });
    expect(item(menu, 'pause').action).toBe('pause');
    expect(item(menu, 'conflicts').action).toBe('open-conflicts');
    expect(item(menu, 'open').action).toBe('open-window');
    expect(item(menu, 'quit').action).toBe('quit');
  });

  it('a LinkedIn account logged out in Aimfox puts the tray in "needs attention" with its words (issue 17 item 2)', () => {
    const msg =
      'Aimfox: LinkedIn account Sam Lee is logged out in Aimfox — reconnect it in Aimfox; nothing sends from it until then.';
    const t = trayIconState(
      status({ attention: [{ kind: 'account', severity: 'warning', message: msg, screen: 'connections' }] }),
      Date.now(),
    );
    expect(t.icon).toBe('attention');
    expect(t.tooltip).toContain('Sam Lee is logged out');
  });

  it('counts conflicts and possible duplicates together, and opens the Conflicts screen', () => {
    const menu = buildTrayMenu({ status: status({ openConflicts: 3, openDuplicates: 2 }), now: NOW, formatTime: fmt });
    expect(item(menu, 'conflicts')).toMatchObject({ label: 'Conflicts (5)', action: 'open-conflicts' });
    expect(item(menu, 'headline').label).toBe('Items to review');
  });

  it('paused: offers Resume instead of Pause', () => {
    const menu = buildTrayMenu({ status: status({ paused: true }), now: NOW, formatTime: fmt });
    expect(item(menu, 'pause')).toMatchObject({ label: 'Resume sync', action: 'resume' });
    expect(item(menu, 'headline').label).toBe('Sync is paused');
  });

  it('syncing: Sync now is disabled and the headline shows progress', () => {
    const menu = buildTrayMenu({
      status: status({ syncing: true, progress: { runId: 'r2', phase: 'contacts', done: 40, total: 160 } }),
      now: NOW,
      formatTime: fmt,
    });
    expect(item(menu, 'sync-now')).toMatchObject({ label: 'Syncing…', enabled: false });
    expect(item(menu, 'headline').label).toBe('Syncing contacts: 40 of 160 (25%)');
  });

  it('a failed last run reads as failed, without a change count', () => {
    const menu = buildTrayMenu({
      status: status({ lastRun: run({ status: 'failed', message: 'AroFlo sign-in expired' }) }),
      now: NOW,
      formatTime: fmt,
    });
    expect(item(menu, 'last-run').label).toBe('Last sync T14:29: failed');
    expect(item(menu, 'headline').label).toBe('Needs attention');
  });

  it('before the first status: only Open and Quit work', () => {
    const menu = buildTrayMenu({ status: undefined, now: NOW });
    expect(labels(menu)).toEqual(['GHL Bridge is starting…', '---', 'Open GHL Bridge', '---', 'Quit GHL Bridge']);
  });

  it('becomes an Electron template whose clicks run the action', () => {
    const clicked: TrayAction[] = [];
    const template = toMenuTemplate(
      buildTrayMenu({ status: status({ openConflicts: 1 }), now: NOW, formatTime: fmt }),
      (a) => clicked.push(a),
    );
    const conflicts = template.find((t) => t.id === 'conflicts');
    (conflicts?.click as () => void)();
    expect(clicked).toEqual(['open-conflicts']);
    expect(template.filter((t) => t.type === 'separator')).toHaveLength(3);
    expect(template.find((t) => t.id === 'headline')?.click).toBeUndefined();
  });
});

describe('tray icon state', () => {
  it('idle when up to date, with the last sync in the tooltip', () => {
    expect(trayIconState(status({ lastRun: run() }), NOW, fmt)).toEqual({
      icon: 'idle',
      tooltip: 'GHL Bridge — Up to date — Last sync T14:29: succeeded, 6 changes',
    });
  });

  it('progress uses the words of the run when it has them', () => {
    const s = status({
      syncing: true,
      progress: { runId: 'r', phase: 'reading', done: 1, total: 4, message: 'Reading contacts' },
    });
    expect(trayIconState(s, NOW, fmt)).toEqual({
      icon: 'syncing',
      tooltip: 'GHL Bridge — Syncing — Reading contacts (25%)',
    });
    expect(item(buildTrayMenu({ status: s, now: NOW, formatTime: fmt }), 'headline').label).toBe(
      'Syncing — Reading contacts (25%)',
    );
  });

  it('syncing shows progress in the tooltip, and outranks everything', () => {
    const s = status({
      syncing: true,
      paused: true,
      progress: { runId: 'r', phase: 'tasks', done: 1, total: 3 },
      lastRun: run({ status: 'failed' }),
    });
    expect(trayIconState(s, NOW, fmt)).toEqual({
      icon: 'syncing',
      tooltip: 'GHL Bridge — Syncing tasks: 1 of 3 (33%)',
    });
  });

  it('paused outranks problems but still names them', () => {
    const s = status({ paused: true, openConflicts: 2 });
    expect(trayIconState(s, NOW, fmt)).toEqual({
      icon: 'paused',
      tooltip: 'GHL Bridge — Sync paused — 2 items to review',
    });
  });

  it('error for a failed run or an error-level attention item', () => {
    expect(
      trayIconState(status({ lastRun: run({ status: 'failed', message: 'HighLevel is down' }) }), NOW, fmt),
    ).toEqual({
      icon: 'error',
      tooltip: 'GHL Bridge — Last sync failed: HighLevel is down',
    });
    const other = status({
      attention: [
        { kind: 'errors', severity: 'error', message: 'The secret store could not be opened.', screen: 'logs' },
      ],
    });
    expect(trayIconState(other, NOW, fmt)).toEqual({
      icon: 'error',
      tooltip: 'GHL Bridge — The secret store could not be opened.',
    });
  });

  it('a sign-in to renew is "needs attention" (the person can fix it), even when it made the last run fail', () => {
    const signIn = status({
      lastRun: run({ status: 'failed', message: 'AroFlo refused the keys.' }),
      attention: [
        {
          kind: 'sign_in',
          severity: 'error',
          message: 'AroFlo sign-in expired — sign in again.',
          screen: 'connections',
        },
        {
          kind: 'errors',
          severity: 'error',
          message: 'The last sync failed: AroFlo refused the keys.',
          screen: 'logs',
        },
      ],
    });
    expect(trayIconState(signIn, NOW, fmt)).toEqual({
      icon: 'attention',
      tooltip: 'GHL Bridge — AroFlo sign-in expired — sign in again.',
    });
    expect(item(buildTrayMenu({ status: signIn, now: NOW, formatTime: fmt }), 'headline').label).toBe('Sign-in needed');
    // Paused still wins the icon, and names the sign-in.
    expect(trayIconState({ ...signIn, paused: true }, NOW, fmt)).toEqual({
      icon: 'paused',
      tooltip: 'GHL Bridge — Sync paused — AroFlo sign-in expired — sign in again.',
    });
  });

  it('a sync the safety limits stopped waits for approval: headline and icon say so', () => {
    const s = status({ lastRun: run({ status: 'needs_approval', message: 'Would delete 40 of 100.' }) });
    expect(item(buildTrayMenu({ status: s, now: NOW, formatTime: fmt }), 'headline').label).toBe(
      'Waiting for your approval',
    );
    expect(item(buildTrayMenu({ status: s, now: NOW, formatTime: fmt }), 'last-run').label).toBe(
      'Last sync T14:29: waiting for your approval',
    );
    expect(trayIconState(s, NOW, fmt).icon).toBe('attention');
  });

  it('needs attention for conflicts, warnings and runs waiting for approval', () => {
    expect(trayIconState(status({ openDuplicates: 1 }), NOW, fmt).icon).toBe('attention');
    expect(
      trayIconState(
        status({
          attention: [{ kind: 'quarantine', severity: 'warning', message: '2 records set aside', screen: 'logs' }],
        }),
        NOW,
        fmt,
      ),
    ).toEqual({
      icon: 'attention',
      tooltip: 'GHL Bridge — 2 records set aside',
    });
    expect(trayIconState(status({ lastRun: run({ status: 'needs_approval' }) }), NOW, fmt).icon).toBe('attention');
  });

  it('info-level items (e.g. "connect HighLevel") do not raise the icon', () => {
    const s = status({
      attention: [
        { kind: 'setup', severity: 'info', message: 'Connect HighLevel to get started.', screen: 'connections' },
      ],
    });
    expect(trayIconState(s, NOW, fmt)).toEqual({ icon: 'idle', tooltip: 'GHL Bridge — No sync yet' });
  });

  it('keeps the tooltip within the Windows limit', () => {
    const s = status({ lastRun: run({ status: 'failed', message: 'x'.repeat(400) }) });
    const { tooltip } = trayIconState(s, NOW, fmt);
    expect(tooltip.length).toBe(TOOLTIP_MAX);
    expect(tooltip.endsWith('…')).toBe(true);
  });

  it('starting up', () => {
    expect(trayIconState(undefined, NOW)).toEqual({ icon: 'idle', tooltip: 'GHL Bridge — starting…' });
  });
});

describe('tray: a daily budget running low', () => {
  const budget = (state: 'ok' | 'shrunk' | 'paused' | 'spent', system: 'ghl' | 'aroflo' = 'ghl') => ({
    system,
    perDay: 200_000,
    sharePercent: 25,
    allowance: 50_000,
    usedToday: 49_000,
    projected: 50_000,
    state,
    windowHours: 24,
    resetsAt: Date.UTC(2026, 10, 24, 0, 0),
  });

  it('says so, and when full sync resumes (the reset), in the tooltip and the menu', () => {
    const s = status({ lastRun: run(), budget: [budget('ok', 'aroflo'), budget('paused')] });
    const { icon, tooltip } = trayIconState(s, NOW, fmt);
    expect(icon).toBe('attention');
    expect(tooltip).toBe('GHL Bridge — HighLevel budget low — re-reads paused until T00:00');
    expect(item(buildTrayMenu({ status: s, now: NOW, formatTime: fmt }), 'budget').label).toBe(
      'HighLevel budget low — re-reads paused until T00:00',
    );
  });

  it('a budget used up outranks one running low; every budget fine shows nothing', () => {
    const s = status({ lastRun: run(), budget: [budget('shrunk'), budget('spent', 'aroflo')] });
    expect(trayIconState(s, NOW, fmt).tooltip).toBe('GHL Bridge — AroFlo budget used up — sync resumes T00:00');
    const fine = status({ lastRun: run(), budget: [budget('ok')] });
    expect(trayIconState(fine, NOW, fmt).icon).toBe('idle');
    expect(
      buildTrayMenu({ status: fine, now: NOW, formatTime: fmt }).some((i) => i.type === 'normal' && i.id === 'budget'),
    ).toBe(false);
  });
});
