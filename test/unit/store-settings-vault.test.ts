import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createDecipheriv, scryptSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openConfigStore, ConfigError } from '../../main/store/settings.js';
import {
  FileVault,
  envKeySource,
  VaultError,
  openHeadlessVault,
  weakVaultKey,
  isRandomKey,
  type KeySource,
} from '../../main/store/vault.js';
import { resolveProfileDir, defaultProfileDir } from '../../main/store/profile.js';
import { TokenManager, type OAuthTokens, type TokenStore } from '../../main/connectors/ghl/token-manager.js';
import { ConnectorError } from '../../main/connectors/shared/errors.js';
import type { SecretVault, VaultTx } from '../../main/store/vault.js';

const dir = () => mkdtempSync(join(tmpdir(), 'ghlb-cfg-'));

describe('profile directory', () => {
  it('prefers --profile, then GHL_BRIDGE_HOME, then the per-OS folder', () => {
    expect(resolveProfileDir('/tmp/a', { GHL_BRIDGE_HOME: '/tmp/b' })).toBe('/tmp/a');
    expect(resolveProfileDir(undefined, { GHL_BRIDGE_HOME: '/tmp/b' })).toBe('/tmp/b');
    expect(defaultProfileDir('win32', { APPDATA: 'C:\\Users\\x\\AppData\\Roaming' }, 'C:\\Users\\x')).toContain(
      'GHL Bridge',
    );
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
    const wrong = new FileVault(path, envKeySource({ GHL_BRIDGE_VAULT_KEY: 'a different long passphrase' })!);
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

  it('an error from inside a headless vault transaction comes back as itself (a failed token refresh keeps the still-valid token)', async () => {
    const d = dir();
    const vault = openHeadlessVault(join(d, 'v'), d, env);
    const now = 1_800_000_000_000;
    const pair: OAuthTokens = {
      accessToken: 'a0',
      refreshToken: 'r0',
      expiresAt: now + 60_000,
      scope: 'contacts.readonly',
      locationId: 'loc1',
      userType: 'Location',
    };
    await vault.set('ghl.tokens', JSON.stringify(pair));
    // The same shape as the service's token store: the refresh runs inside the vault's transaction.
    const io = (v: Pick<VaultTx, 'get' | 'setMany'>): Pick<TokenStore, 'load' | 'save'> => ({
      load: async () => {
        const raw = await v.get('ghl.tokens');
        return raw ? (JSON.parse(raw) as OAuthTokens) : undefined;
      },
      save: (t) => v.setMany({ 'ghl.tokens': JSON.stringify(t) }),
    });
    const tx = (vault as Required<SecretVault>).transaction.bind(vault);
    const store: TokenStore = { ...io(vault), exclusive: (fn) => tx((t) => fn(io(t))) };
    const tm = new TokenManager({
      tokenUrl: 'http://127.0.0.1:9/oauth/token',
      clientId: 'cid',
      clientSecret: 'sec',
      store,
      now: () => now,
    });
    expect(await tm.accessToken()).toBe('a0');
    const thrown = await vault.transaction!(async () => {
      throw new ConnectorError({ system: 'ghl', kind: 'rate_limited', message: 'slow down' });
    }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(ConnectorError);
    expect((thrown as ConnectorError).kind).toBe('rate_limited');
  });

  it('a rename refused for a moment (Windows antivirus or indexer: EPERM/EBUSY) is retried, so a rotated token reaches the disk', async () => {
    const d = dir();
    const path = join(d, 'secrets.vault');
    let refusals = 3;
    let calls = 0;
    const rename = (from: string, to: string) => {
      calls++;
      if (refusals-- > 0)
        throw Object.assign(new Error('operation not permitted, rename'), { code: calls % 2 ? 'EPERM' : 'EBUSY' });
      renameSync(from, to);
    };
    const vault = new FileVault(path, envKeySource(env)!, undefined, { platform: 'win32', rename });
    await vault.set('ghl.tokens', 'pair-2');
    expect(calls).toBe(4);
    expect(await new FileVault(path, envKeySource(env)!).get('ghl.tokens')).toBe('pair-2');
    expect(readdirSync(d).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('headless vault uses the environment key when set', async () => {
    const d = dir();
    const vault = openHeadlessVault(join(d, 'v'), d, env);
    expect(vault.kind).toMatch(/environment/);
    await vault.set('a', 'b');
    expect(await vault.get('a')).toBe('b');
  });
});

describe('vault key and file format', () => {
  const passphrase = { GHL_BRIDGE_VAULT_KEY: 'correct horse battery staple' };
  const fixture = join(import.meta.dirname, 'fixtures/vault-v1.json');

  it('refuses a weak GHL_BRIDGE_VAULT_KEY and says what a strong one is', async () => {
    for (const weak of ['cli-test-key', 'short', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '0'.repeat(64)]) {
      const d = dir();
      const v = new FileVault(join(d, 'v'), envKeySource({ GHL_BRIDGE_VAULT_KEY: weak })!);
      const err = await v.set('a', 'b').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(VaultError);
      expect((err as VaultError).code).toBe('weak_key');
      expect((err as Error).message).toMatch(/32 random bytes/);
      expect((err as Error).message).toMatch(/passphrase of at least 20 characters/);
    }
    expect(weakVaultKey('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08')).toBeUndefined(); // 32 bytes as hex
    expect(weakVaultKey('q3Zk0m1xTQm0yCqvFJ7bQ2tV9nU3pYw4Hf8aLr6sE1c=')).toBeUndefined(); // 32 bytes as base64
    expect(weakVaultKey('correct horse battery staple')).toBeUndefined();
  });

  it('records the key derivation in the header, costs a passphrase scrypt N=2^17, and binds the header as associated data', async () => {
    const d = dir();
    const path = join(d, 'v');
    await new FileVault(path, envKeySource(passphrase)!).set('k', 'secret-value');
    const file = JSON.parse(readFileSync(path, 'utf8')) as {
      v: number;
      kdf: { name: string; N: number; r: number; p: number };
      salt: string;
      iv: string;
      tag: string;
      data: string;
    };
    expect(file.v).toBe(2);
    expect(file.kdf).toEqual({ name: 'scrypt', N: 2 ** 17, r: 8, p: 1 });
    // Decrypting without the header as associated data fails: the header is authenticated, not just stored.
    const key = scryptSync(passphrase.GHL_BRIDGE_VAULT_KEY, Buffer.from(file.salt, 'base64'), 32, {
      N: file.kdf.N,
      r: 8,
      p: 1,
      maxmem: 256 * 1024 * 1024,
    });
    const plain = () => {
      const d2 = createDecipheriv('aes-256-gcm', key, Buffer.from(file.iv, 'base64'));
      d2.setAuthTag(Buffer.from(file.tag, 'base64'));
      return Buffer.concat([d2.update(Buffer.from(file.data, 'base64')), d2.final()]);
    };
    expect(plain).toThrow();
    // A header edited on disk (here: the version downgraded to the format without associated data) is refused.
    writeFileSync(path, JSON.stringify({ ...file, v: 1 }));
    await expect(new FileVault(path, envKeySource(passphrase)!).get('k')).rejects.toMatchObject({ code: 'wrong_key' });
    // Parameters out of bounds are refused before any key is derived (no gigabyte allocation on an edited file).
    writeFileSync(path, JSON.stringify({ ...file, kdf: { ...file.kdf, N: 2 ** 24 } }));
    await expect(new FileVault(path, envKeySource(passphrase)!).get('k')).rejects.toMatchObject({ code: 'corrupt' });
  });

  it('a random 32-byte key is not stretched again (cheap KDF), a passphrase is', async () => {
    const d = dir();
    await new FileVault(
      join(d, 'r'),
      envKeySource({ GHL_BRIDGE_VAULT_KEY: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' })!,
    ).set('a', 'b');
    expect((JSON.parse(readFileSync(join(d, 'r'), 'utf8')) as { kdf: { N: number } }).kdf.N).toBe(2 ** 14);
  });

  it('only exactly 32 random bytes (44 base64 characters with padding, or 64 hex) count as a random key; a letters-only passphrase is stretched', async () => {
    expect(isRandomKey('q3Zk0m1xTQm0yCqvFJ7bQ2tV9nU3pYw4Hf8aLr6sE1c=')).toBe(true);
    expect(isRandomKey('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08')).toBe(true);
    const letters = 'thequickbrownfoxjumpsoverthelazydogandthecat'; // 44 letters: valid base64 alphabet, not random
    expect(isRandomKey(letters)).toBe(false);
    expect(isRandomKey('q3Zk0m1xTQm0yCqvFJ7bQ2tV9nU3pYw4Hf8aLr6sE1c')).toBe(false); // unpadded
    const d = dir();
    await new FileVault(join(d, 'p'), envKeySource({ GHL_BRIDGE_VAULT_KEY: letters })!).set('a', 'b');
    expect((JSON.parse(readFileSync(join(d, 'p'), 'utf8')) as { kdf: { N: number } }).kdf.N).toBe(2 ** 17);
  });

  it('an existing vault still opens with a key that is now judged weak (with a warning), and GHL_BRIDGE_VAULT_KEY_OLD re-keys it', async () => {
    const d = dir();
    const path = join(d, 'secrets.vault');
    // A vault written by an earlier version that accepted this key.
    const unchecked: KeySource = { kind: 'environment key', material: async () => 'cli-test-key' };
    await new FileVault(path, unchecked).set('ghl.tokens', 'pair-1');
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const weak = new FileVault(path, envKeySource({ GHL_BRIDGE_VAULT_KEY: 'cli-test-key' })!);
      expect(await weak.get('ghl.tokens')).toBe('pair-1');
      await weak.set('ghl.tokens', 'pair-2'); // a token refresh must still be saved
      await new Promise((r) => setImmediate(r));
      expect(warnings.join('\n')).toMatch(/GHL_BRIDGE_VAULT_KEY_OLD/);
    } finally {
      process.off('warning', onWarning);
    }
    // A new vault is still refused a weak key.
    await expect(
      new FileVault(join(d, 'new'), envKeySource({ GHL_BRIDGE_VAULT_KEY: 'cli-test-key' })!).set('a', 'b'),
    ).rejects.toMatchObject({ code: 'weak_key' });
    // Re-key: the old key opens it, the new one is written; afterwards the new key alone opens it.
    const strong = 'q3Zk0m1xTQm0yCqvFJ7bQ2tV9nU3pYw4Hf8aLr6sE1c=';
    const rekey = new FileVault(
      path,
      envKeySource({ GHL_BRIDGE_VAULT_KEY: strong, GHL_BRIDGE_VAULT_KEY_OLD: 'cli-test-key' })!,
    );
    expect(await rekey.get('ghl.tokens')).toBe('pair-2');
    expect(await new FileVault(path, envKeySource({ GHL_BRIDGE_VAULT_KEY: strong })!).get('ghl.tokens')).toBe('pair-2');
    await expect(new FileVault(path, unchecked).get('ghl.tokens')).rejects.toMatchObject({ code: 'wrong_key' });
    // Re-keying to a weak key is refused.
    const other = join(d, 'other.vault');
    await new FileVault(other, envKeySource({ GHL_BRIDGE_VAULT_KEY: strong })!).set('x', 'y');
    await expect(
      new FileVault(other, envKeySource({ GHL_BRIDGE_VAULT_KEY: 'short', GHL_BRIDGE_VAULT_KEY_OLD: strong })!).get('x'),
    ).rejects.toMatchObject({ code: 'weak_key' });
  });

  it('opens a vault file written by the previous version, and rewrites it in the new format on the next write', async () => {
    const d = dir();
    const path = join(d, 'secrets.vault');
    copyFileSync(fixture, path);
    const v = new FileVault(path, envKeySource(passphrase)!);
    expect(await v.get('aimfox.key')).toBe('af-key-v1');
    expect(JSON.parse(readFileSync(path, 'utf8')).v).toBe(1); // reading changes nothing
    await v.set('aroflo', 'x');
    const after = JSON.parse(readFileSync(path, 'utf8')) as { v: number; kdf: { N: number } };
    expect(after.v).toBe(2);
    expect(after.kdf.N).toBe(2 ** 17);
    const again = new FileVault(path, envKeySource(passphrase)!);
    expect(await again.get('ghl.tokens')).toContain('rt-v1');
    expect(await again.get('aroflo')).toBe('x');
  });

  it('a write never puts back what another writer replaced: each write re-reads the file under the lock', async () => {
    const d = dir();
    const path = join(d, 'v');
    const key = { GHL_BRIDGE_VAULT_KEY: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' };
    const a = new FileVault(path, envKeySource(key)!);
    const b = new FileVault(path, envKeySource(key)!);
    await a.setMany({ tokens: 'pair-1', other: 'x' });
    expect(await b.get('tokens')).toBe('pair-1');
    await a.set('tokens', 'pair-2'); // "process A" rotates
    await b.set('other', 'y'); // "process B" writes something else afterwards
    const c = new FileVault(path, envKeySource(key)!);
    expect(await c.get('tokens')).toBe('pair-2');
    expect(await c.get('other')).toBe('y');
    expect(await b.get('tokens')).toBe('pair-2');
  });

  // In a child process: the native keyring reads the real environment, so a D-Bus address set only in an env object
  // would not hide a desktop's GNOME Keyring (the test would fail there and store a key in that person's keyring).
  it.runIf(process.platform === 'linux')(
    'without GHL_BRIDGE_VAULT_KEY and without a persistent keyring, saving is refused with what to do',
    async () => {
      const d = dir();
      const vaultModule = pathToFileURL(join(import.meta.dirname, '../../main/store/vault.ts')).href;
      const script = `
      const { openHeadlessVault } = await import(${JSON.stringify(vaultModule)});
      const d = ${JSON.stringify(d)};
      const err = await openHeadlessVault(d + '/v', d).set('a', 'b').then(() => undefined, (e) => e);
      process.stdout.write(JSON.stringify({ name: err?.name, code: err?.code, message: err?.message }));
    `;
      // No D-Bus session: no Secret Service. The kernel keyring (in memory only) must not be used instead.
      const env = {
        PATH: process.env.PATH,
        HOME: d,
        XDG_RUNTIME_DIR: d,
        DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus',
      };
      const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        env,
        encoding: 'utf8',
        cwd: join(import.meta.dirname, '../..'),
      });
      const err = JSON.parse(out) as { name?: string; code?: string; message?: string };
      expect(err.name).toBe('VaultError');
      expect(err.code).toBe('no_key');
      expect(err.message).toMatch(/GHL_BRIDGE_VAULT_KEY/);
      expect(err.message).toMatch(/forgets keys on reboot/);
      expect(err.message).toMatch(/openssl rand -base64 32/);
      expect(existsSync(join(d, 'v'))).toBe(false);
    },
  );
});
