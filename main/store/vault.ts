/**
 * The secret vault: tokens, keys and client secrets. Never in settings, logs, SQLite or the renderer.
 *
 * Headless it is an owner-only file, AES-256-GCM encrypted, with its key from the OS keyring (@napi-rs/keyring) or
 * from GHL_BRIDGE_VAULT_KEY. In the app the same interface is backed by Electron safeStorage (main/app).
 * Every write replaces the file atomically (write temp + fsync + rename), so a rotated refresh token is either fully
 * stored or not at all.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync, createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync, unlinkSync } from 'node:fs';

export interface SecretVault {
  readonly kind: string;
  get(name: string): Promise<string | undefined>;
  /** Set several at once, atomically. `undefined` deletes. */
  setMany(entries: Record<string, string | undefined>): Promise<void>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
  names(): Promise<string[]>;
}

export class VaultError extends Error {
  constructor(
    message: string,
    readonly code: 'no_key' | 'wrong_key' | 'corrupt' | 'insecure',
  ) {
    super(message);
    this.name = 'VaultError';
  }
}

interface VaultFile {
  v: 1;
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

/** Where a vault key comes from. */
export interface KeySource {
  kind: string;
  /** Returns key material (any string); creates and stores one when `create` and none exists. */
  material(create: boolean): Promise<string | undefined>;
}

export function envKeySource(env: NodeJS.ProcessEnv = process.env): KeySource | undefined {
  const v = env.GHL_BRIDGE_VAULT_KEY;
  if (!v) return undefined;
  return { kind: 'environment key', material: async () => v };
}

/** The OS keyring (Windows Credential Manager, macOS Keychain, Secret Service on Linux). */
export function keyringKeySource(profileDir: string): KeySource {
  const account = `vault:${createHash('sha256').update(profileDir).digest('hex').slice(0, 16)}`;
  return {
    kind: 'OS keyring',
    async material(create) {
      const { Entry } = await import('@napi-rs/keyring');
      const entry = new Entry('GHL Bridge', account);
      let existing: string | null | undefined;
      try {
        existing = entry.getPassword();
      } catch {
        existing = undefined;
      }
      if (existing) return existing;
      if (!create) return undefined;
      const fresh = randomBytes(32).toString('base64');
      entry.setPassword(fresh);
      // Read back: a keyring that silently drops writes must not leave us with an unreadable vault.
      if (entry.getPassword() !== fresh) throw new Error('the keyring did not keep the key');
      return fresh;
    },
  };
}

export class FileVault implements SecretVault {
  private cache?: Record<string, string>;
  private key?: Buffer;
  private salt?: Buffer;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly source: KeySource,
  ) {}

  get kind(): string {
    return `encrypted file (${this.source.kind})`;
  }

  private async load(): Promise<Record<string, string>> {
    if (this.cache) return this.cache;
    if (!existsSync(this.path)) {
      const material = await this.source.material(true);
      if (!material) throw new VaultError('No key is available to protect secrets.', 'no_key');
      this.salt = randomBytes(16);
      this.key = scryptSync(material, this.salt, 32);
      this.cache = {};
      return this.cache;
    }
    let file: VaultFile;
    try {
      file = JSON.parse(readFileSync(this.path, 'utf8')) as VaultFile;
      if (file.v !== 1) throw new Error('unknown version');
    } catch {
      throw new VaultError(`The secret store ${this.path} is damaged. It was left untouched; sign in again after moving it aside.`, 'corrupt');
    }
    const material = await this.source.material(false);
    if (!material) throw new VaultError(`The key for ${this.path} is missing from the ${this.source.kind}. Sign in again after moving the file aside.`, 'no_key');
    this.salt = Buffer.from(file.salt, 'base64');
    this.key = scryptSync(material, this.salt, 32);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(file.iv, 'base64'));
      decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
      const plain = Buffer.concat([decipher.update(Buffer.from(file.data, 'base64')), decipher.final()]);
      this.cache = JSON.parse(plain.toString('utf8')) as Record<string, string>;
    } catch {
      throw new VaultError(`The secret store ${this.path} cannot be opened with the key from the ${this.source.kind} (wrong key?). It was left untouched.`, 'wrong_key');
    }
    return this.cache;
  }

  private persist(data: Record<string, string>): void {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key as Buffer, iv);
    const enc = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
    const file: VaultFile = { v: 1, salt: (this.salt as Buffer).toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: enc.toString('base64') };
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

  /** Serialise operations so two writers never interleave read-modify-write. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  get(name: string): Promise<string | undefined> {
    return this.serial(async () => (await this.load())[name]);
  }

  names(): Promise<string[]> {
    return this.serial(async () => Object.keys(await this.load()));
  }

  setMany(entries: Record<string, string | undefined>): Promise<void> {
    return this.serial(async () => {
      const data = { ...(await this.load()) };
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

/** The headless vault for a profile: environment key first, else the OS keyring. */
export function openHeadlessVault(vaultPath: string, profileDir: string, env: NodeJS.ProcessEnv = process.env): SecretVault {
  const source = envKeySource(env) ?? keyringKeySource(profileDir);
  const vault = new FileVault(vaultPath, source);
  return {
    get kind() {
      return vault.kind;
    },
    get: (n) => wrapKeyringErrors(() => vault.get(n)),
    setMany: (e) => wrapKeyringErrors(() => vault.setMany(e)),
    set: (n, v) => wrapKeyringErrors(() => vault.set(n, v)),
    delete: (n) => wrapKeyringErrors(() => vault.delete(n)),
    names: () => wrapKeyringErrors(() => vault.names()),
  };
}

async function wrapKeyringErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof VaultError) throw e;
    throw new VaultError(
      `Secrets cannot be stored safely on this computer: no OS keyring answered (${(e as Error).message}). ` +
        'Install/unlock a keyring (e.g. GNOME Keyring) or set the GHL_BRIDGE_VAULT_KEY environment variable to a long random value.',
      'no_key',
    );
  }
}
