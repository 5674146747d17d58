import { describe, expect, it } from 'vitest';
import type { AppStatus, ConnectionInfo, RunSummary } from '../../preload/contract.js';
import { NOTIFY_COOLDOWN_MS, planNotifications, rememberShown } from '../../main/app/notifications.js';
import type { NotifyMemory } from '../../main/app/notifications.js';

const NOW = 1_800_000_000_000;
const ALL_ON = { conflicts: true, signIn: true, failures: true };
const fresh: NotifyMemory = { lastShownAt: {} };

function conn(system: ConnectionInfo['system'], health: ConnectionInfo['health']): ConnectionInfo {
  return { system, label: system, configured: true, health };
}
function run(id: string, status: RunSummary['status'], message?: string): RunSummary {
  return { id, trigger: 'timer', dryRun: false, status, startedAt: NOW, created: {}, updated: {}, deleted: {}, conflicts: 0, errors: 0, requests: { ghl: 0, aroflo: 0, aimfox: 0 }, message };
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
const plan = (prev: AppStatus | undefined, next: AppStatus, memory = fresh, prefs = ALL_ON) => planNotifications({ prev, next, prefs, memory, now: NOW });

describe('what to notify', () => {
  it('nothing for the first status after start-up (the tray icon shows it)', () => {
    expect(plan(undefined, status({ openConflicts: 9, lastRun: run('r', 'failed') }))).toEqual([]);
  });

  it('nothing when nothing changed', () => {
    const s = status({ openConflicts: 2, lastRun: run('r1', 'ok') });
    expect(plan(s, s)).toEqual([]);
  });

  it('one notification for many new conflicts and duplicates, opening the Conflicts screen', () => {
    const out = plan(status({ openConflicts: 1 }), status({ openConflicts: 40, openDuplicates: 2 }));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'conflicts', screen: 'conflicts', title: '41 records need your decision' });
    expect(out[0]!.body).toBe('40 conflicts and 2 possible duplicates waiting on the Conflicts screen. Nothing is overwritten until you choose.');
  });

  it('no notification when conflicts were resolved (count went down)', () => {
    expect(plan(status({ openConflicts: 5 }), status({ openConflicts: 1 }))).toEqual([]);
  });

  it('one sign-in notification naming every system that just signed out', () => {
    const out = plan(status(), status({ connections: [conn('ghl', 'signed_out'), conn('aroflo', 'signed_out'), conn('aimfox', 'ok')] }));
    expect(out).toEqual([
      {
        kind: 'sign_in',
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

  it('only the first failure of a streak notifies', () => {
    const first = plan(status({ lastRun: run('r1', 'ok') }), status({ lastRun: run('r2', 'failed', 'AroFlo did not answer.') }));
    expect(first).toEqual([{ kind: 'failure', title: 'Sync failed', body: 'AroFlo did not answer.', screen: 'status' }]);
    expect(plan(status({ lastRun: run('r2', 'failed') }), status({ lastRun: run('r3', 'failed') }))).toEqual([]);
    // The same failed run seen again (a status refresh) is not new.
    expect(plan(status({ lastRun: run('r1', 'ok') }), status({ lastRun: run('r1', 'failed') }))).toEqual([]);
  });

  it('several kinds at once: one of each', () => {
    const out = plan(status({ lastRun: run('r1', 'ok') }), status({ openConflicts: 3, lastRun: run('r2', 'failed'), connections: [conn('aimfox', 'signed_out')] }));
    expect(out.map((n) => n.kind).sort()).toEqual(['conflicts', 'failure', 'sign_in']);
  });

  it('respects the notification settings', () => {
    const next = status({ openConflicts: 3, lastRun: run('r2', 'failed'), connections: [conn('aimfox', 'signed_out')] });
    expect(plan(status(), next, fresh, { conflicts: false, signIn: false, failures: false })).toEqual([]);
    expect(plan(status(), next, fresh, { conflicts: false, signIn: true, failures: false }).map((n) => n.kind)).toEqual(['sign_in']);
  });

  it('a kind shown recently stays quiet for the cool-down, then may notify again', () => {
    const shown = plan(status(), status({ openConflicts: 1 }));
    const memory = rememberShown(fresh, shown, NOW);
    expect(memory.lastShownAt.conflicts).toBe(NOW);
    const again = (at: number) => planNotifications({ prev: status({ openConflicts: 1 }), next: status({ openConflicts: 2 }), prefs: ALL_ON, memory, now: at });
    expect(again(NOW + NOTIFY_COOLDOWN_MS - 1)).toEqual([]);
    expect(again(NOW + NOTIFY_COOLDOWN_MS)).toHaveLength(1);
    // The cool-down is per kind: a failure is not held back by a conflicts notification.
    expect(planNotifications({ prev: status(), next: status({ lastRun: run('x', 'failed') }), prefs: ALL_ON, memory, now: NOW + 1 })).toHaveLength(1);
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
    // 100 minutes / 15-minute cool-down → at most 7 per kind.
    expect(count).toBeLessThanOrEqual(3 * Math.ceil(100 / 15));
    expect(count).toBeGreaterThan(0);
  });
});
