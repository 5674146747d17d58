/**
 * Issue 15 item 4: how many syncs ran since the last full re-read is kept in the profile, shared by every process
 * (the app, serve mode, each `ghl-bridge` command). So a one-off `ghl-bridge sync --once` right after a full sync
 * reads the change feeds (and its slice of the rolling re-read, issue 15 item 2) — it is not another full re-read of
 * every contact's tasks and notes, then or later. Real CLI processes against the sandboxes over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wireToSandboxes, DEMO_REDIRECT } from '../../main/cli/demo.js';
import { startSandboxes, throwawayVaultKey, type Sandboxes } from '../../main/sandbox/index.js';
import { createService } from '../../main/service/index.js';

const BIN = join(import.meta.dirname, '../../bin/ghl-bridge.mjs');
const CONTACTS = 30;
let boxes: Sandboxes;
let profile: string;
const vaultKey = throwawayVaultKey();

/** `ghl-bridge sync --once --json` in its own process (async: the sandboxes answer from this one). */
function syncOnce(): Promise<{ status: string; requests: { ghl: number; aroflo: number; aimfox: number } }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'sync', '--once', '--json', '--profile', profile], {
      env: { ...process.env, GHL_BRIDGE_VAULT_KEY: vaultKey },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      try {
        resolve(JSON.parse(out) as { status: string; requests: { ghl: number; aroflo: number; aimfox: number } });
      } catch {
        reject(new Error(`sync exited ${code}: ${out}\n${err}`));
      }
    });
  });
}

beforeAll(async () => {
  boxes = await startSandboxes({
    seed: 15,
    contacts: CONTACTS,
    rateLimits: 200,
    admin: true,
    redirectUris: [DEMO_REDIRECT],
  });
  profile = mkdtempSync(join(tmpdir(), 'ghlb-mode-'));
  const svc = await createService({ profileDir: profile, env: { GHL_BRIDGE_VAULT_KEY: vaultKey } });
  try {
    await wireToSandboxes(svc, boxes, { rateScale: 200 });
    for (const pair of ['ghl-aroflo', 'ghl-aimfox'] as const) {
      await svc.api.previewMapping({ pair });
      await svc.api.setSyncEnabled({ pair, enabled: true });
    }
  } finally {
    await svc.close();
  }
}, 120_000);

afterAll(async () => {
  await boxes?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('sync --once after a full sync', () => {
  it('reads the change feeds and a slice, never a whole re-read again', async () => {
    const first = await syncOnce();
    expect(first.status).toBe('ok');
    // A full read reads each contact's tasks and notes from HighLevel, one request per contact at the least.
    expect(first.requests.ghl).toBeGreaterThan(CONTACTS);
    const second = await syncOnce();
    expect(second.status).toBe('ok');
    // Well under a whole re-read. (Each sync also lists the calendars' events from a day back: a fixed cost of
    // 1 + calendars × windows, not per contact — main/sync/README.md, "Appointments to notes".)
    expect(second.requests.ghl).toBeLessThan(first.requests.ghl / 2);
    for (let i = 0; i < 3; i++) expect((await syncOnce()).requests.ghl).toBeLessThan(first.requests.ghl / 2);
  }, 240_000);
});
