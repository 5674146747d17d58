import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SafeStorageVault, safeStorageProblem } from '../../main/app/vault-safe-storage.js';
import type { SafeStorageLike } from '../../main/app/vault-safe-storage.js';

/** Stands in for Electron safeStorage: a per-"user" key, and decryption fails under another user's key. */
function fakeSafeStorage(
  opts: {
    user?: string;
    available?: boolean;
    backend?: ReturnType<NonNullable<SafeStorageLike['getSelectedStorageBackend']>>;
  } = {},
): SafeStorageLike {
  const key = Buffer.from(`${opts.user ?? 'me'}#key`);
  const xor = (b: Buffer) => Buffer.from(b.map((x, i) => x ^ key[i % key.length]!));
  return {
    isEncryptionAvailable: () => opts.available ?? true,
    getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
    encryptString: (s: string) => xor(Buffer.concat([Buffer.from('OK:'), Buffer.from(s, 'utf8')])),
    decryptString: (b: Buffer) => {
      const plain = xor(b);
      if (plain.subarray(0, 3).toString() !== 'OK:')
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return plain.subarray(3).toString('utf8');
    },
  };
}

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ghlb-vault-'));
  file = join(dir, 'secrets.safestorage.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('safeStorage vault', () => {
  it('stores, reads back after a restart, lists and deletes secrets', async () => {
    const v = new SafeStorageVault(file, fakeSafeStorage(), 'linux');
    await v.setMany({ 'ghl.refreshToken': 'rt-123456789', 'aimfox.apiKey': 'ak-987654321' });
    await v.set('aroflo.secretKey', 'sk-abcdefgh');
    const again = new SafeStorageVault(file, fakeSafeStorage(), 'linux');
    expect(await again.get('ghl.refreshToken')).toBe('rt-123456789');
    expect((await again.names()).sort()).toEqual(['aimfox.apiKey', 'aroflo.secretKey', 'ghl.refreshToken']);
    await again.delete('aimfox.apiKey');
    expect(await new SafeStorageVault(file, fakeSafeStorage(), 'linux').get('aimfox.apiKey')).toBeUndefined();
  });

  it('writes only ciphertext, owner-only', async () => {
    const v = new SafeStorageVault(file, fakeSafeStorage(), 'linux');
    await v.set('ghl.accessToken', 'very-secret-token-value');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('very-secret-token-value');
    expect(text).toContain('ghl.accessToken');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('keeps every write when many arrive at once', async () => {
    const v = new SafeStorageVault(file, fakeSafeStorage(), 'linux');
    await Promise.all(Array.from({ length: 25 }, (_, i) => v.set(`k${i}`, `value-${i}`)));
    const names = await new SafeStorageVault(file, fakeSafeStorage(), 'linux').names();
    expect(names).toHaveLength(25);
  });

  it("refuses Linux's plain-text fallback with a message that says what to do", async () => {
    const ss = fakeSafeStorage({ backend: 'basic_text' });
    expect(safeStorageProblem(ss, 'linux')).toMatch(/no keyring.*Install and unlock GNOME Keyring or KWallet/);
    const v = new SafeStorageVault(file, ss, 'linux');
    await expect(v.set('x', 'secret-value')).rejects.toMatchObject({ name: 'VaultError', code: 'insecure' });
    await expect(v.get('x')).rejects.toThrow(/GNOME Keyring or KWallet/);
    expect(() => statSync(file)).toThrow();
  });

  it('the basic_text check is Linux-only; unavailable encryption is refused everywhere', () => {
    expect(safeStorageProblem(fakeSafeStorage({ backend: 'basic_text' }), 'win32')).toBeUndefined();
    expect(safeStorageProblem(fakeSafeStorage({ backend: 'unknown' }), 'linux')).toBeUndefined();
    expect(safeStorageProblem(fakeSafeStorage({ available: false }), 'win32')).toMatch(/refused to provide encryption/);
    expect(safeStorageProblem(fakeSafeStorage({ available: false }), 'linux')).toMatch(/no desktop keyring/);
  });

  it('a vault from another user account cannot be read, and is left untouched', async () => {
    await new SafeStorageVault(file, fakeSafeStorage({ user: 'alice' }), 'linux').set(
      'ghl.refreshToken',
      'alice-token-1',
    );
    const before = readFileSync(file, 'utf8');
    const bob = new SafeStorageVault(file, fakeSafeStorage({ user: 'bob' }), 'linux');
    await expect(bob.get('ghl.refreshToken')).rejects.toMatchObject({ code: 'wrong_key' });
    await expect(bob.set('other', 'value-123')).rejects.toThrow(/another user account or computer/);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('a damaged file is reported and left untouched', async () => {
    writeFileSync(file, '{"v":1,"entr');
    const v = new SafeStorageVault(file, fakeSafeStorage(), 'linux');
    await expect(v.get('x')).rejects.toMatchObject({ code: 'corrupt' });
    expect(readFileSync(file, 'utf8')).toBe('{"v":1,"entr');
  });
});
