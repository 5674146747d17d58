/**
 * Issue 15 item 2: the daily budget ledger lives in the profile, so every process counts into the same budget-day,
 * and `ghl-bridge status --json` says how much each API's budget is used and projected, and when it runs low what the
 * sync does and when full sync resumes. Real CLI processes against the sandboxes over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wireToSandboxes, DEMO_REDIRECT } from '../../main/cli/demo.js';
import { startSandboxes, throwawayVaultKey, type Sandboxes } from '../../main/sandbox/index.js';
import { createService } from '../../main/service/index.js';
import { budgetDay } from '../../main/sync/budget/index.js';
import type { AppStatus, BudgetInfo } from '../../preload/contract.js';

const BIN = join(import.meta.dirname, '../../bin/ghl-bridge.mjs');
let boxes: Sandboxes;
let profile: string;
const vaultKey = throwawayVaultKey();

/** `ghl-bridge …` in its own process (async: the sandboxes answer from this one). */
function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args, '--profile', profile], {
      env: { ...process.env, GHL_BRIDGE_VAULT_KEY: vaultKey },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out, err }));
  });
}

const syncOnce = async () => JSON.parse((await cli(['sync', '--once', '--json'])).out) as { requests: { ghl: number } };
const budgetOf = async (system: string): Promise<BudgetInfo> => {
  const s = JSON.parse((await cli(['status', '--json'])).out) as AppStatus;
  return s.budget!.find((b) => b.system === system)!;
};

/** Another process on the profile spent `calls` HighLevel requests today (an in-process service adds them). */
async function spend(calls: number): Promise<void> {
  const svc = await createService({ profileDir: profile, env: { GHL_BRIDGE_VAULT_KEY: vaultKey } });
  try {
    svc.sync.store.budget.add('ghl', budgetDay('ghl', Date.now()).day, { calls });
  } finally {
    await svc.close();
  }
}

beforeAll(async () => {
  boxes = await startSandboxes({ seed: 16, contacts: 30, rateLimits: 200, admin: true, redirectUris: [DEMO_REDIRECT] });
  profile = mkdtempSync(join(tmpdir(), 'ghlb-budget-'));
  const svc = await createService({ profileDir: profile, env: { GHL_BRIDGE_VAULT_KEY: vaultKey } });
  try {
    await wireToSandboxes(svc, boxes, { rateScale: 200 });
    await svc.api.previewMapping({ pair: 'ghl-aroflo' });
    await svc.api.setSyncEnabled({ pair: 'ghl-aroflo', enabled: true });
  } finally {
    await svc.close();
  }
}, 120_000);

afterAll(async () => {
  await boxes?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('the daily budget across processes', () => {
  it('two CLI processes count into one ledger: status shows what both spent today', async () => {
    const before = (await budgetOf('ghl')).usedToday;
    const a = await syncOnce();
    const b = await syncOnce();
    expect(a.requests.ghl).toBeGreaterThan(0);
    expect(b.requests.ghl).toBeGreaterThan(0);
    const after = await budgetOf('ghl');
    // Each process adds what it spent (its run, and the calls around it) to the profile's budget-day.
    expect(after.usedToday - before).toBeGreaterThanOrEqual(a.requests.ghl + b.requests.ghl);
    expect(after.projected).toBeGreaterThanOrEqual(after.usedToday);
    expect(after.state).toBe('ok');
  }, 120_000);

  it('a budget running low: status --json says re-reads are paused and when full sync resumes', async () => {
    // The bridge's HighLevel share down to 1 % (2,000 requests), and another process spent them today.
    const svc = await createService({ profileDir: profile, env: { GHL_BRIDGE_VAULT_KEY: vaultKey } });
    await svc.api.saveSettings({ settings: { budget: { ghlSharePercent: 1 } } });
    await svc.close();
    await spend(2_000);
    const low = await budgetOf('ghl');
    expect(low.state).toBe('paused');
    expect(low.resetsAt).toBe(budgetDay('ghl', Date.now()).resetsAt);
    expect(low.message).toMatch(
      /re-reads are paused, changes are still synced; full sync resumes when the budget resets/,
    );
    const s = JSON.parse((await cli(['status', '--json'])).out) as AppStatus;
    expect(s.attention.some((x) => x.kind === 'budget' && x.message === low.message)).toBe(true);
    // Feeds still run while the budget is not spent.
    const r = JSON.parse((await cli(['sync', '--once', '--json'])).out) as { status: string };
    expect(r.status).toBe('ok');
    const words = await cli(['status']);
    expect(words.out).toMatch(
      /HighLevel budget: [\d,]+ used today, [\d,]+ projected, of a 2,000 share \(1 % of 200,000 a day\); low: re-reads paused/,
    );
  }, 120_000);

  it('with only the floor for writes left, sync --once waits for the reset and says so', async () => {
    await spend(200_000);
    const spent = await budgetOf('ghl');
    expect(spent.state).toBe('spent');
    const r = await cli(['sync', '--once']);
    expect(r.code).not.toBe(0);
    expect(`${r.out}${r.err}`).toMatch(/HighLevel daily budget used up .*sync waits until the budget resets/);
  }, 120_000);
});
