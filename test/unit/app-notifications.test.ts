import { describe, expect, it } from 'vitest';
import type { AppStatus, ConnectionInfo, RunSummary } from '../../preload/contract.js';
import {
  FAILURE_COOLDOWN_MS,
  NOTIFY_COOLDOWN_MS,
  planNotifications,
  rememberShown,
} from '../../main/app/notifications.js';
import type { NotifyMemory } from '../../main/app/notifications.js';

const NOW = 1_800_000_000_000;
const ALL_ON = { conflicts: true, signIn: true, failures: true };
const fresh: NotifyMemory = { lastShownAt: {} };

function conn(system: ConnectionInfo['system'], health: ConnectionInfo['health']): ConnectionInfo {
  return { system, label: system, configured: true, health };
}
function run(id: string, status: RunSummary['status'], message?: string): RunSummary {
  return {
    id,
    trigger: 'timer',
    dryRun: false,
    status,
    startedAt: NOW,
    created: {},
    updated: {},
    deleted: {},
    conflicts: 0,
    errors: 0,
    requests: { ghl: 0, aroflo: 0, aimfox: 0 },
    message,
  };
}
function status(over: Partial<AppStatus> = {}): AppStatus {
  return {
    version: '1',
    profileDir: '/p',
    dbLevel: 1,
    paused: false,
    syncing: false,
    syncEnabled: { 'ghl-aroflo': true, 'ghl-aimfox': true },
    connections: [conn('ghl', 'ok'), conn('aroflo', 'ok'), conn('aimfox', 'ok')],
    openConflicts: 0,
    openDuplicates: 0,
    attention: [],
    ...over,
  };
}
const plan = (prev: AppStatus | undefined, next: AppStatus, memory = fresh, prefs = ALL_ON) =>
  planNotifications({ prev, next, prefs, memory, now: NOW });

describe('what to notify', () => {
  it('nothing for the first status after start-up (the tray icon shows it)', () => {
    expect(plan(undefined, status({ openConflicts: 9, lastRun: run('r', 'failed') }))).toEqual([]);
  });

  it('a LinkedIn account logged out in Aimfox notifies once, opening Connections (issue 17 item 2)', () => {
    const item = {
      kind: 'account' as const,
      severity: 'warning' as const,
      message:
        'Aimfox: LinkedIn account Sam Lee is logged out in Aimfox — reconnect it in Aimfox; nothing sends from it until then.',
      screen: 'connections' as const,
    };
    const before = status();
    const after = status({ attention: [item] });
    const out = plan(before, after);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'account', screen: 'connections' });
    expect(out[0]!.body).toContain('Sam Lee is logged out');
    expect(plan(after, after)).toEqual([]);
    expect(plan(before, after, fresh, { ...ALL_ON, signIn: false })).toEqual([]);
  });

  it('nothing when nothing changed', () => {
    const s = status({ openConflicts: 2, lastRun: run('r1', 'ok') });
    expect(plan(s, s)).toEqual([]);
  });

  it('one notification for many new conflicts and duplicates, opening the Conflicts screen', () => {
    const out = plan(status({ openConflicts: 1 }), status({ openConflicts: 40, openDuplicates: 2 }));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      kind: 'conflicts',
      kinds: ['conflicts'],
      screen: 'conflicts',
      title: '41 records need your decision',
    });
    expect(out[0]!.body).toBe(
      '40 conflicts and 2 possible duplicates waiting on the Conflicts screen. Nothing is overwritten until you choose.',
    );
  });

  it('no notification when conflicts were resolved (count went down)', () => {
    expect(plan(status({ openConflicts: 5 }), status({ openConflicts: 1 }))).toEqual([]);
  });

  it('one sign-in notification naming every system that just signed out', () => {
    const out = plan(
      status(),
      status({ connections: [conn('ghl', 'signed_out'), conn('aroflo', 'signed_out'), conn('aimfox', 'ok')] }),
    );
    expect(out).toEqual([
      {
        kind: 'sign_in',
        kinds: ['sign_in'],
        title: 'Sign in to HighLevel and AroFlo again',
        body: 'GHL Bridge cannot sync with HighLevel and AroFlo until you sign in again on the Connections screen.',
        screen: 'connections',
      },
    ]);
  });

  it('a system that was already signed out does not notify again', () => {
    const out = status({ connections: [conn('ghl', 'signed_out')] });
    expect(plan(out, out)).toEqual([]);
  });

  it('one failed sync alone is not notified (the tray shows it); the second in a row is', () => {
    expect(
      plan(status({ lastRun: run('r1', 'ok') }), status({ lastRun: run('r2', 'failed', 'AroFlo did not answer.') })),
    ).toEqual([]);
    const second = plan(
      status({ lastRun: run('r2', 'failed') }),
      status({ lastRun: run('r3', 'failed', 'AroFlo did not answer.') }),
    );
    expect(second).toEqual([
      {
        kind: 'failure',
        kinds: ['failure'],
        title: 'Syncs keep failing',
        body: 'The last two syncs failed. AroFlo did not answer.',
        screen: 'status',
      },
    ]);
    // The same failed run seen again (a status refresh) is not new.
    expect(plan(status({ lastRun: run('r2', 'failed') }), status({ lastRun: run('r2', 'failed') }))).toEqual([]);
    // A failed preview is not a failing sync.
    expect(
      plan(status({ lastRun: run('r2', 'failed') }), status({ lastRun: { ...run('r3', 'failed'), dryRun: true } })),
    ).toEqual([]);
  });

  it('a streak of failures reminds at most once per failure cool-down, not at every run', () => {
    let memory = fresh;
    let prev = status({ lastRun: run('r0', 'failed') });
    const shownAt: number[] = [];
    for (let i = 1; i <= 60; i++) {
      const now = NOW + i * 10 * 60_000; // a failed run every 10 minutes for 10 hours
      const next = status({ lastRun: run(`r${i}`, 'failed') });
      const out = planNotifications({ prev, next, prefs: ALL_ON, memory, now });
      if (out.length) shownAt.push(now);
      memory = rememberShown(memory, out, now);
      prev = next;
    }
    expect(shownAt.length).toBe(2);
    expect(shownAt[1]! - shownAt[0]!).toBeGreaterThanOrEqual(FAILURE_COOLDOWN_MS);
  });

  it('several kinds at once are grouped into one notification, the most important leading', () => {
    const out = plan(
      status({ lastRun: run('r1', 'failed') }),
      status({
        openConflicts: 3,
        lastRun: run('r2', 'failed', 'HighLevel is down.'),
        connections: [conn('aimfox', 'signed_out')],
      }),
    );
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      kind: 'sign_in',
      kinds: ['sign_in', 'failure', 'conflicts'],
      screen: 'connections',
      title: 'Sign in to Aimfox again, and 2 more',
    });
    expect(out[0]!.body).toContain('until you sign in again');
    expect(out[0]!.body).toContain('HighLevel is down.');
    expect(out[0]!.body).toContain('3 conflicts waiting');
    // Each kind it carried starts its cool-down.
    expect(Object.keys(rememberShown(fresh, out, NOW).lastShownAt).sort()).toEqual(['conflicts', 'failure', 'sign_in']);
  });

  it('respects the notification settings', () => {
    const next = status({
      openConflicts: 3,
      lastRun: run('r2', 'failed'),
      connections: [conn('aimfox', 'signed_out')],
    });
    const prev = status({ lastRun: run('r1', 'failed') });
    expect(plan(prev, next, fresh, { conflicts: false, signIn: false, failures: false })).toEqual([]);
    expect(plan(prev, next, fresh, { conflicts: false, signIn: true, failures: false }).map((n) => n.kinds)).toEqual([
      ['sign_in'],
    ]);
    expect(plan(prev, next, fresh, { conflicts: true, signIn: false, failures: true }).map((n) => n.kinds)).toEqual([
      ['failure', 'conflicts'],
    ]);
  });

  it('a kind shown recently stays quiet for the cool-down, then may notify again', () => {
    const shown = plan(status(), status({ openConflicts: 1 }));
    const memory = rememberShown(fresh, shown, NOW);
    expect(memory.lastShownAt.conflicts).toBe(NOW);
    const again = (at: number) =>
      planNotifications({
        prev: status({ openConflicts: 1 }),
        next: status({ openConflicts: 2 }),
        prefs: ALL_ON,
        memory,
        now: at,
      });
    expect(again(NOW + NOTIFY_COOLDOWN_MS - 1)).toEqual([]);
    expect(again(NOW + NOTIFY_COOLDOWN_MS)).toHaveLength(1);
    // The cool-down is per kind: a sign-in problem is not held back by a conflicts notification.
    expect(
      planNotifications({
        prev: status(),
        next: status({ connections: [conn('ghl', 'signed_out')] }),
        prefs: ALL_ON,
        memory,
        now: NOW + 1,
      }),
    ).toHaveLength(1);
  });

  it('a flapping state never produces a storm: 100 status changes, at most one notification per kind per cool-down', () => {
    let memory = fresh;
    let prev = status({ lastRun: run('r0', 'ok') });
    let count = 0;
    for (let i = 1; i <= 100; i++) {
      const next = status({
        openConflicts: i,
        lastRun: run(`r${i}`, i % 2 ? 'failed' : 'ok'),
        connections: [conn('ghl', i % 2 ? 'signed_out' : 'ok')],
      });
      const now = NOW + i * 60_000; // one change a minute, 100 minutes
      const out = planNotifications({ prev, next, prefs: ALL_ON, memory, now });
      count += out.length;
      memory = rememberShown(memory, out, now);
      prev = next;
    }
    // 100 minutes / 15-minute cool-down → at most 7 per kind (kinds due together share one notification).
    expect(count).toBeLessThanOrEqual(3 * Math.ceil(100 / 15));
    expect(count).toBeGreaterThan(0);
  });
});
