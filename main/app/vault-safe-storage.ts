/**
 * The app's secret vault, backed by Electron safeStorage (DPAPI on Windows, Keychain on macOS, the desktop keyring on
 * Linux). Each secret is encrypted on its own; the file (owner-only, replaced atomically) holds only ciphertext.
 *
 * On Linux without a keyring, safeStorage falls back to 'basic_text' — a hard-coded key, i.e. no protection — so the
 * vault refuses to start there with a message that says what to install or which fallback to use.
 *
 * safeStorage is passed in (index.ts hands over electron's), so this file never imports electron and is tested in Node.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import type { SafeStorage } from 'electron';
import { VaultError } from '../store/vault.js';
import type { SecretVault } from '../store/vault.js';

export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> & {
  getSelectedStorageBackend?: SafeStorage['getSelectedStorageBackend'];
};

/** Why safeStorage cannot protect secrets on this machine, or undefined when it can. */
export function safeStorageProblem(ss: SafeStorageLike, platform: NodeJS.Platform): string | undefined {
  if (!ss.isEncryptionAvailable()) {
    return platform === 'linux'
      ? 'GHL Bridge cannot protect your sign-ins: no desktop keyring is available. Install and unlock GNOME Keyring or KWallet, then start GHL Bridge again (or run it headless with GHL_BRIDGE_VAULT_KEY set).'
      : 'GHL Bridge cannot protect your sign-ins: the operating system refused to provide encryption. Sign in to your user account normally (not as a service) and start GHL Bridge again.';
  }
  if (platform === 'linux' && ss.getSelectedStorageBackend?.() === 'basic_text') {
    return 'GHL Bridge will not store sign-ins unprotected: this desktop has no keyring (safeStorage fell back to plain text). Install and unlock GNOME Keyring or KWallet, then start GHL Bridge again (or run it headless with GHL_BRIDGE_VAULT_KEY set).';
  }
  return undefined;
}

interface VaultFileV1 {
  v: 1;
  /** name → base64 of safeStorage.encryptString(value) */
  entries: Record<string, string>;
}

export class SafeStorageVault implements SecretVault {
  readonly kind = 'Electron safeStorage';
  private cache?: Record<string, string>;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly ss: SafeStorageLike,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  private check(): void {
    const problem = safeStorageProblem(this.ss, this.platform);
    if (problem) throw new VaultError(problem, 'insecure');
  }

  private load(): Record<string, string> {
    if (this.cache) return this.cache;
    this.check();
    if (!existsSync(this.path)) return (this.cache = {});
    let file: VaultFileV1;
    try {
      file = JSON.parse(readFileSync(this.path, 'utf8')) as VaultFileV1;
      if (file.v !== 1 || typeof file.entries !== 'object' || file.entries === null) throw new Error('unknown format');
    } catch {
      throw new VaultError(
        `The secret store ${this.path} is damaged. It was left untouched; move it aside and sign in again.`,
        'corrupt',
      );
    }
    const out: Record<string, string> = {};
    for (const [name, b64] of Object.entries(file.entries)) {
      try {
        out[name] = this.ss.decryptString(Buffer.from(b64, 'base64'));
      } catch {
        throw new VaultError(
          `The secret store ${this.path} was protected by another user account or computer and cannot be read here. It was left untouched; move it aside and sign in again.`,
          'wrong_key',
        );
      }
    }
    return (this.cache = out);
  }

  private persist(data: Record<string, string>): void {
    this.check();
    const file: VaultFileV1 = { v: 1, entries: {} };
    for (const [name, value] of Object.entries(data))
      file.entries[name] = this.ss.encryptString(value).toString('base64');
    const tmp = `${this.path}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(file));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      renameSync(tmp, this.path);
    } catch (e) {
      try {
        unlinkSync(tmp);
      } catch {
        /* already gone */
      }
      throw e;
    }
  }

  private serial<T>(fn: () => T): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  get(name: string): Promise<string | undefined> {
    return this.serial(() => this.load()[name]);
  }

  names(): Promise<string[]> {
    return this.serial(() => Object.keys(this.load()));
  }

  setMany(entries: Record<string, string | undefined>): Promise<void> {
    return this.serial(() => {
      const data = { ...this.load() };
      for (const [k, v] of Object.entries(entries)) {
        if (v === undefined) delete data[k];
        else data[k] = v;
      }
      this.persist(data);
      this.cache = data;
    });
  }

  set(name: string, value: string): Promise<void> {
    return this.setMany({ [name]: value });
  }

  delete(name: string): Promise<void> {
    return this.setMany({ [name]: undefined });
  }
}
