/**
 * What GHL Bridge keeps on disk is readable by its owner only: the profile folder 0700; the database with its -wal
 * and -shm, the secret vault, the settings file and the log file 0600 — also when the folder or files existed before
 * with looser permissions (a copied or restored profile).
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createService } from '../../main/service/index.js';

const mode = (p: string) => statSync(p).mode & 0o777;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function useProfile(dir: string): Promise<void> {
  const svc = await createService({
    profileDir: dir,
    env: { GHL_BRIDGE_VAULT_KEY: '37e1571b91e024339911ca3b8ecb8bb6b9273da425a375b701ee93728c99bf62' },
  });
  try {
    svc.connections.setEndpoints({
      ghl: 'http://127.0.0.1:9/',
      aroflo: 'http://127.0.0.1:9/',
      aimfox: 'http://127.0.0.1:9/',
    });
    await svc.vault.set('aimfox.apiKey', 'a-secret-for-the-vault');
    await svc.api.saveSettings({ settings: { syncIntervalMinutes: 7 } });
    svc.logger.info('a line for the log file');
    // Leave the WAL files in place, as a running app would.
    svc.db.prepare('create table if not exists perm_probe(x)').run();
    svc.db.prepare('insert into perm_probe values (1)').run();
    check(dir);
  } finally {
    await svc.close();
  }
}

function check(dir: string): void {
  if (process.platform === 'win32') return;
  expect(mode(dir), 'profile folder').toBe(0o700);
  const files = ['ghl-bridge.db', 'ghl-bridge.db-wal', 'ghl-bridge.db-shm', 'secrets.vault', 'settings.json'].filter(
    (f) => existsSync(join(dir, f)),
  );
  expect(files).toEqual(
    expect.arrayContaining(['ghl-bridge.db', 'ghl-bridge.db-wal', 'secrets.vault', 'settings.json']),
  );
  for (const f of files) expect(mode(join(dir, f)), f).toBe(0o600);
  const logs = join(dir, 'logs');
  expect(mode(logs), 'logs folder').toBe(0o700);
  const logFiles = readdirSync(logs);
  expect(logFiles.length).toBeGreaterThan(0);
  for (const f of logFiles) expect(mode(join(logs, f)), f).toBe(0o600);
}

describe('files are owner-only', () => {
  it('a new profile: folder 0700; database, -wal, -shm, vault, settings and log 0600', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'ghlb-files-'));
    dirs.push(parent);
    await useProfile(join(parent, 'profile'));
  });

  it('an existing profile with loose permissions is tightened when opened', async () => {
    if (process.platform === 'win32') return;
    const dir = mkdtempSync(join(tmpdir(), 'ghlb-files-'));
    dirs.push(dir);
    chmodSync(dir, 0o755);
    await useProfile(dir);
    // Loosen everything, as a copy or a backup restore might, then open it again.
    chmodSync(dir, 0o777);
    for (const f of readdirSync(dir)) if (!statSync(join(dir, f)).isDirectory()) chmodSync(join(dir, f), 0o644);
    chmodSync(join(dir, 'logs'), 0o755);
    for (const f of readdirSync(join(dir, 'logs'))) chmodSync(join(dir, 'logs', f), 0o644);
    await useProfile(dir);
  });

  it('a settings file written by someone else with loose permissions is tightened', async () => {
    if (process.platform === 'win32') return;
    const dir = mkdtempSync(join(tmpdir(), 'ghlb-files-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'logs'), { mode: 0o777 });
    writeFileSync(join(dir, 'settings.json'), '{}', { mode: 0o666 });
    chmodSync(join(dir, 'settings.json'), 0o666);
    await useProfile(dir);
  });

  // Found by this suite: a vault or settings file loosened from outside stayed loose until the app next wrote it.
  it('a vault and settings file loosened from outside are tightened as soon as the profile is opened', async () => {
    if (process.platform === 'win32') throw new Error('not applicable');
    const dir = mkdtempSync(join(tmpdir(), 'ghlb-files-'));
    dirs.push(dir);
    await useProfile(dir);
    for (const f of ['secrets.vault', 'settings.json']) chmodSync(join(dir, f), 0o644);
    const svc = await createService({
      profileDir: dir,
      env: { GHL_BRIDGE_VAULT_KEY: '37e1571b91e024339911ca3b8ecb8bb6b9273da425a375b701ee93728c99bf62' },
    });
    try {
      await svc.vault.get('aimfox.apiKey');
      await svc.api.getStatus();
      for (const f of ['secrets.vault', 'settings.json']) expect(mode(join(dir, f)), f).toBe(0o600);
    } finally {
      await svc.close();
    }
  });
});
