/**
 * Secrets never leave the vault in clear. One profile goes through everything that handles them — credentials typed
 * in, a HighLevel sign-in through the loopback consent (OAuth access and refresh tokens), syncs under faults
 * (network drops, server errors, HTML pages, a revoked token), a sync run with --verbose, one SIGKILLed mid-run — and
 * then every place a secret could leak is scanned for every token the test used: the logs table and the log file,
 * whatever the bridge API hands the window (status, connections, diagnostics, logs, runs, activity, audit export,
 * events), the raw bytes of the SQLite file with its -wal and -shm, the settings file, and the crash output.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import got from 'got';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeEvent } from '../../preload/contract.js';
import { wireToSandboxes } from '../../main/cli/demo.js';
import { runChild } from '../soak/harness/child.js';
import { collectSecrets } from '../soak/harness/runner.js';
import { startSandboxes, throwawayVaultKey, type Sandboxes } from '../../main/sandbox/index.js';
import { createService, type Service } from '../../main/service/index.js';
import { freePort } from '../support/ports.js';

let boxes: Sandboxes;
let dir: string;
const vaultKey = throwawayVaultKey();
const secrets = new Set<string>();
const events: BridgeEvent[] = [];
const crashOutput: string[] = [];
let redirectUri: string;

const open = () => createService({ profileDir: dir, env: { GHL_BRIDGE_VAULT_KEY: vaultKey } });

/** Every secret the vault holds right now (tokens rotate: collect each one ever seen). */
async function noteVault(svc: Service): Promise<void> {
  // The secret parts only: a token set also names its location and user, AroFlo's keys its user and organisation.
  const parts: Record<string, string[]> = {
    'ghl.tokens': ['accessToken', 'refreshToken'],
    'aroflo.credentials': ['pEncoded', 'secretKey'],
  };
  for (const name of ['ghl.pit', 'ghl.clientSecret', 'ghl.tokens', 'aroflo.credentials', 'aimfox.apiKey']) {
    const v = await svc.vault.get(name);
    if (!v) continue;
    if (parts[name]) {
      const o = JSON.parse(v) as Record<string, unknown>;
      for (const k of parts[name]) if (typeof o[k] === 'string') secrets.add(o[k]);
    } else secrets.add(v);
  }
}

/** The browser on the sandbox's consent page: pick the location, press Allow, follow the redirect to the loopback. */
async function consent(authorizeUrl: string): Promise<void> {
  const page = await got(authorizeUrl);
  const unescape = (s: string) =>
    s.replace(
      /&(amp|lt|gt|quot|#39);/g,
      (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] as string,
    );
  const action = unescape(/<form[^>]*action="([^"]+)"/.exec(page.body)?.[1] ?? '');
  const fields: Record<string, string> = {};
  for (const m of page.body.matchAll(/<input\b[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(m[0])?.[1];
    if (name && /type="hidden"/.test(m[0])) fields[name] = unescape(/value="([^"]*)"/.exec(m[0])?.[1] ?? '');
  }
  const res = await got.post(new URL(action, authorizeUrl).toString(), {
    form: { ...fields, locationId: boxes.ghl.credentials.locationId, decision: 'allow' },
    followRedirect: false,
  });
  await got(res.headers.location as string);
}

beforeAll(async () => {
  redirectUri = `http://127.0.0.1:${await freePort()}/oauth/callback`;
  boxes = await startSandboxes({ seed: 31, contacts: 20, rateLimits: 200, admin: true, redirectUris: [redirectUri] });
  dir = mkdtempSync(join(tmpdir(), 'ghlb-secrets-'));
  for (const s of collectSecrets(boxes)) secrets.add(s);

  // 1. A person types every credential in, and signs in to HighLevel through the browser.
  let svc = await open();
  svc.subscribe((e) => events.push(e));
  await wireToSandboxes(svc, boxes, { rateScale: 200 });
  await svc.api.saveGhlOAuthApp({
    clientId: boxes.ghl.credentials.oauth.clientId,
    clientSecret: boxes.ghl.credentials.oauth.clientSecret,
    redirectUri,
  });
  const loggedIn = new Promise<BridgeEvent>((resolve) => svc.subscribe((e) => e.type === 'login' && resolve(e)));
  const { authorizeUrl } = await svc.api.startGhlLogin();
  await consent(authorizeUrl);
  expect(await loggedIn).toMatchObject({ type: 'login', ok: true });
  for (const pair of ['ghl-aroflo', 'ghl-aimfox'] as const) {
    await svc.api.previewMapping({ pair });
    await svc.api.setSyncEnabled({ pair, enabled: true });
  }
  await svc.sync.execute({ trigger: 'cli', dryRun: false, full: true });
  await noteVault(svc);

  // 2. Syncs under faults; the access token revoked mid-way (refresh rotates both tokens).
  boxes.setFaults('system=*,rate=0.15,kinds=reset|5xx|html|truncated|malformed|429,latency=50,burst=2,seed=7');
  await svc.sync.execute({ trigger: 'cli', dryRun: false, full: true });
  boxes.ghl.admin.revokeOAuthTokens();
  await svc.sync.execute({ trigger: 'cli', dryRun: false, full: true });
  boxes.setFaults(undefined);
  // A person signs in again after "sign in again".
  const again = new Promise<BridgeEvent>((resolve) => svc.subscribe((e) => e.type === 'login' && resolve(e)));
  await consent((await svc.api.startGhlLogin()).authorizeUrl);
  await again;
  await svc.sync.execute({ trigger: 'cli', dryRun: false, full: true });
  await noteVault(svc);
  await svc.close();

  // 3. The sync as a child process: --verbose under faults, then one killed mid-run (crash output).
  boxes.setFaults('system=*,rate=0.2,kinds=reset|5xx|html|truncated,latency=50,seed=9');
  const verbose = await runChild({ profileDir: dir, vaultKey, extraArgs: ['--verbose'] });
  crashOutput.push(verbose.stdout, verbose.stderr);
  const killed = await runChild({ profileDir: dir, vaultKey, extraArgs: ['--verbose'], killAfterMs: 1_500 });
  crashOutput.push(killed.stdout, killed.stderr);
  boxes.setFaults(undefined);
  svc = await open();
  await noteVault(svc);
  await svc.close();
  expect(secrets.size).toBeGreaterThanOrEqual(8);
}, 180_000);

afterAll(async () => {
  await boxes?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function leaks(where: string, text: string | Buffer): string[] {
  const hay = typeof text === 'string' ? text : text.toString('latin1');
  const found: string[] = [];
  for (const s of secrets) {
    const needle = typeof text === 'string' ? s : Buffer.from(s, 'utf8').toString('latin1');
    if (hay.includes(needle)) found.push(`${where}: ${s.slice(0, 4)}…(${s.length} chars)`);
  }
  return found;
}

describe('no secret in clear text anywhere', () => {
  it('the tokens the test used are all known (PIT, OAuth client secret, access and refresh tokens, AroFlo pEncoded and secret, Aimfox key)', () => {
    const list = [...secrets];
    expect(list.some((s) => s.startsWith('ghl-at-'))).toBe(true);
    expect(list.some((s) => s.startsWith('ghl-rt-'))).toBe(true);
    expect(list).toContain(boxes.ghl.credentials.oauth.clientSecret);
    expect(list).toContain(boxes.aroflo.credentials.pEncoded);
    expect(list).toContain(boxes.aimfox.credentials.apiKey);
  });

  it('logs: the logs table and the log file', async () => {
    const svc = await open();
    try {
      const rows = svc.db.prepare('select * from logs').all();
      expect(rows.length).toBeGreaterThan(20);
      expect(leaks('logs table', JSON.stringify(rows))).toEqual([]);
    } finally {
      await svc.close();
    }
    const logDir = join(dir, 'logs');
    const files = readdirSync(logDir);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(leaks(`log file ${f}`, readFileSync(join(logDir, f)))).toEqual([]);
  });

  it('the window: everything the bridge API returns, and every event it sent', async () => {
    const svc = await open();
    try {
      const api = svc.api;
      const answers = {
        status: await api.getStatus(),
        connections: await api.getConnections(),
        diagnostics: await api.getDiagnostics(),
        logs: await api.listLogs({ limit: 5000 }),
        runs: await api.listRuns({ limit: 100 }),
        mappings: await api.getMappings(),
        settings: await api.getSettings(),
        activity: await api.listActivity({ limit: 2000 }),
        conflicts: await api.listConflicts({ limit: 1000 }),
        audit: await api.exportAuditCsv(),
        options: await api.getMappingOptions(),
      };
      expect(answers.logs.length).toBeGreaterThan(20);
      expect(leaks('bridge API', JSON.stringify(answers))).toEqual([]);
    } finally {
      await svc.close();
    }
    expect(events.length).toBeGreaterThan(10);
    expect(leaks('bridge events', JSON.stringify(events))).toEqual([]);
  });

  it('the diagnostics bundle', async () => {
    const svc = await open();
    try {
      const { text } = await svc.api.getDiagnostics();
      expect(text).toContain('recentLogs');
      expect(leaks('diagnostics', text)).toEqual([]);
    } finally {
      await svc.close();
    }
  });

  it('the SQLite file, its -wal and -shm, byte for byte; the settings file; the vault is encrypted', () => {
    let scanned = 0;
    for (const f of ['ghl-bridge.db', 'ghl-bridge.db-wal', 'ghl-bridge.db-shm', 'settings.json', 'secrets.vault']) {
      const p = join(dir, f);
      if (!existsSync(p)) continue;
      scanned++;
      expect(leaks(f, readFileSync(p))).toEqual([]);
    }
    expect(scanned).toBeGreaterThanOrEqual(3);
  });

  it('crash output: stdout and stderr of a --verbose sync under faults and of one killed mid-run', () => {
    expect(crashOutput.join('').length).toBeGreaterThan(100);
    expect(leaks('child output', crashOutput.join('\n'))).toEqual([]);
  });
});
