import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openConfigStore, ConfigError } from '../../main/store/settings.js';
import { FileVault, envKeySource, VaultError, openHeadlessVault } from '../../main/store/vault.js';
import { resolveProfileDir, defaultProfileDir } from '../../main/store/profile.js';

const dir = () => mkdtempSync(join(tmpdir(), 'ghlb-cfg-'));

describe('profile directory', () => {
  it('prefers --profile, then GHL_BRIDGE_HOME, then the per-OS folder', () => {
    expect(resolveProfileDir('/tmp/a', { GHL_BRIDGE_HOME: '/tmp/b' })).toBe('/tmp/a');
    expect(resolveProfileDir(undefined, { GHL_BRIDGE_HOME: '/tmp/b' })).toBe('/tmp/b');
    expect(defaultProfileDir('win32', { APPDATA: 'C:\\Users\\x\\AppData\\Roaming' }, 'C:\\Users\\x')).toContain('GHL Bridge');
    expect(defaultProfileDir('darwin', {}, '/Users/x')).toBe('/Users/x/Library/Application Support/GHL Bridge');
    expect(defaultProfileDir('linux', {}, '/home/x')).toBe('/home/x/.config/ghl-bridge');
  });
});

describe('settings store', () => {
  it('starts with defaults, persists changes, and rejects invalid values without saving them', () => {
    const d = dir();
    const store = openConfigStore(d);
    const cfg = store.read();
    expect(cfg.settings.syncIntervalMinutes).toBe(5);
    cfg.settings.syncIntervalMinutes = 15;
    store.write(cfg);
    expect(openConfigStore(d).read().settings.syncIntervalMinutes).toBe(15);
    const bad = store.read();
    bad.settings.syncIntervalMinutes = 0;
    expect(() => store.write(bad)).toThrowError(ConfigError);
    expect(openConfigStore(d).read().settings.syncIntervalMinutes).toBe(15);
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
  });
});

describe('file vault', () => {
  const env = { GHL_BRIDGE_VAULT_KEY: 'correct horse battery staple' };

  it('stores secrets encrypted, owner-only, and reads them back in a new process', async () => {
    const d = dir();
    const path = join(d, 'secrets.vault');
    const vault = new FileVault(path, envKeySource(env)!);
    await vault.setMany({ 'ghl.refresh': 'rt-secret-123', 'aimfox.key': 'af-key-456' });
    const raw = readFileSync(path, 'utf8');
    expect(raw).not.toContain('rt-secret-123');
    expect(raw).not.toContain('af-key-456');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const again = new FileVault(path, envKeySource(env)!);
    expect(await again.get('ghl.refresh')).toBe('rt-secret-123');
    await again.delete('ghl.refresh');
    expect(await new FileVault(path, envKeySource(env)!).get('ghl.refresh')).toBeUndefined();
    expect(await new FileVault(path, envKeySource(env)!).get('aimfox.key')).toBe('af-key-456');
  });

  it('refuses to open with the wrong key and leaves the file untouched', async () => {
    const d = dir();
    const path = join(d, 'secrets.vault');
    await new FileVault(path, envKeySource(env)!).set('x', 'y');
    const before = readFileSync(path, 'utf8');
    const wrong = new FileVault(path, envKeySource({ GHL_BRIDGE_VAULT_KEY: 'nope' })!);
    await expect(wrong.get('x')).rejects.toBeInstanceOf(VaultError);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('serialises concurrent writes so none is lost', async () => {
    const d = dir();
    const vault = new FileVault(join(d, 'v'), envKeySource(env)!);
    await Promise.all(Array.from({ length: 20 }, (_, i) => vault.set(`k${i}`, `v${i}`)));
    const again = new FileVault(join(d, 'v'), envKeySource(env)!);
    expect((await again.names()).length).toBe(20);
  });

  it('headless vault uses the environment key when set', async () => {
    const d = dir();
    const vault = openHeadlessVault(join(d, 'v'), d, env);
    expect(vault.kind).toMatch(/environment/);
    await vault.set('a', 'b');
    expect(await vault.get('a')).toBe('b');
  });
});
