/**
 * The secret vault: tokens, keys and client secrets. Never in settings, logs, SQLite or the renderer.
 *
 * Headless it is an owner-only file, AES-256-GCM encrypted, with its key from GHL_BRIDGE_VAULT_KEY or a persistent OS
 * keyring (@napi-rs/keyring, pinned to the Secret Service on Linux). In the app the same interface is backed by
 * Electron safeStorage (main/app).
 *
 * - Several processes share a profile (the app or `serve`, and CLI commands beside it), so nothing is cached: every
 *   read reads the file, and every write is a read-modify-write under a cross-process lock (store/lock.ts). A write
 *   can therefore never put back a value another process replaced (a spent GHL refresh token).
 * - Every write replaces the file atomically (write temp + fsync + rename): a rotated refresh token is either fully
 *   stored or not at all, and readers need no lock.
 * - The file header records the scrypt parameters; the header (version, parameters, salt) is bound as AES-GCM
 *   associated data. Files from before (v1: no parameters, Node's scrypt defaults) still open and are rewritten as
 *   v2 on their next write.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt, createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync, unlinkSync } from 'node:fs';
import { acquireLock, describeOwner } from './lock.js';

/** Reads and writes inside `SecretVault.transaction`: straight from and to the file, under its lock. */
export interface VaultTx {
  get(name: string): Promise<string | undefined>;
  setMany(entries: Record<string, string | undefined>): Promise<void>;
}

export interface SecretVault {
  readonly kind: string;
  get(name: string): Promise<string | undefined>;
  /** Set several at once, atomically. `undefined` deletes. */
  setMany(entries: Record<string, string | undefined>): Promise<void>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
  names(): Promise<string[]>;
  /**
   * Run `fn` while no other process may write the vault, reading what is on disk now (not a cached copy). Used for
   * the GHL token refresh: re-read, and spend the refresh token only if no other process has rotated it already.
   * Vaults used by one process only may leave it out.
   */
  transaction?<T>(fn: (tx: VaultTx) => Promise<T>): Promise<T>;
}

export class VaultError extends Error {
  constructor(
    message: string,
    readonly code: 'no_key' | 'wrong_key' | 'corrupt' | 'insecure' | 'weak_key' | 'busy',
  ) {
    super(message);
    this.name = 'VaultError';
  }
}

/** scrypt parameters, recorded in the file so a file opens with the parameters it was written with. */
export interface KdfParams {
  name: 'scrypt';
  N: number;
  r: number;
  p: number;
}

/** Files written before the header carried KDF parameters: Node's scrypt defaults, no associated data. */
interface VaultFileV1 {
  v: 1;
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

/** Version 2: KDF parameters in the header, and the header (version, KDF, salt) bound as AES-GCM associated data. */
interface VaultFileV2 {
  v: 2;
  kdf: KdfParams;
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

const V1_KDF: KdfParams = { name: 'scrypt', N: 2 ** 14, r: 8, p: 1 };
/** For a key of ≥ 32 random bytes (the keyring's, or a random GHL_BRIDGE_VAULT_KEY): stretching adds nothing. */
export const KEY_KDF: KdfParams = { name: 'scrypt', N: 2 ** 14, r: 8, p: 1 };
/** For a passphrase: 128 MiB and about 0.4 s here, once per process (the derived key is kept while the salt stays). */
export const PASSPHRASE_KDF: KdfParams = { name: 'scrypt', N: 2 ** 17, r: 8, p: 1 };
const MAX_N = 2 ** 18;

function associatedData(h: { v: 2; kdf: KdfParams; salt: string }): Buffer {
  return Buffer.from(JSON.stringify(['ghl-bridge-vault', h.v, h.kdf.name, h.kdf.N, h.kdf.r, h.kdf.p, h.salt]), 'utf8');
}

/** scrypt: key material + salt → a 32-byte AES key (also used by the fleet's secret table, main/store/pg/secrets.ts). */
export function derive(material: string, salt: Buffer, k: KdfParams): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(material, salt, 32, { N: k.N, r: k.r, p: k.p, maxmem: 256 * k.N * k.r + 32 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** Where a vault key comes from. */
export interface KeySource {
  kind: string;
  /**
   * Returns key material (any string). `create` is true when a new vault (or a re-keyed one) is about to be written
   * with it: a keyring creates and stores a key if it has none, a weak environment key is refused. An existing vault is
   * opened with `create` false.
   */
  material(create: boolean): Promise<string | undefined>;
  /** The key the vault was written with before a re-key (GHL_BRIDGE_VAULT_KEY_OLD), tried when the current one fails. */
  previous?(): Promise<string | undefined>;
  /** How the material is stretched into a key for new writes. Default: as a passphrase. */
  kdf?(material: string): KdfParams;
}

export const VAULT_KEY_RULE =
  'GHL_BRIDGE_VAULT_KEY must be at least 32 random bytes written as hex (64 characters) or base64 (44 characters) — for example the output of `openssl rand -base64 32` — or a passphrase of at least 20 characters with at least 8 different characters.';

/**
 * Exactly 32 random bytes as 64 hex characters or as 44 padded base64 characters (what `openssl rand -base64 32`
 * prints): stretching adds nothing to those. Anything else — a 44-letter passphrase also fits the base64 alphabet — is
 * treated as a passphrase and stretched.
 */
export function isRandomKey(v: string): boolean {
  if (/^[0-9a-fA-F]{64}$/.test(v)) return true;
  if (!/^[A-Za-z0-9+/]{43}=$/.test(v)) return false;
  const bytes = Buffer.from(v, 'base64');
  return bytes.length === 32 && bytes.toString('base64') === v;
}

/** Why a GHL_BRIDGE_VAULT_KEY is refused, or undefined when it is strong enough. */
export function weakVaultKey(v: string): string | undefined {
  const distinct = new Set(v).size;
  if (distinct < 8)
    return `GHL_BRIDGE_VAULT_KEY is refused: it repeats too few characters (${distinct} different). ${VAULT_KEY_RULE}`;
  if (isRandomKey(v) || v.length >= 20) return undefined;
  return `GHL_BRIDGE_VAULT_KEY is refused: ${v.length} characters is too short. ${VAULT_KEY_RULE}`;
}

/**
 * GHL_BRIDGE_VAULT_KEY. A weak key is refused for a new vault only: a vault an earlier version wrote with a key now
 * judged weak still opens (refusing it would lose every sign-in), with a warning that says how to re-key it —
 * GHL_BRIDGE_VAULT_KEY_OLD set to the old key and GHL_BRIDGE_VAULT_KEY to a strong one; the next read rewrites the
 * vault with the new key.
 */
export function envKeySource(env: NodeJS.ProcessEnv = process.env): KeySource | undefined {
  const v = env.GHL_BRIDGE_VAULT_KEY;
  if (!v) return undefined;
  const old = env.GHL_BRIDGE_VAULT_KEY_OLD;
  let warned = false;
  return {
    kind: 'environment key',
    material: async (create) => {
      const weak = weakVaultKey(v);
      if (weak && create) throw new VaultError(weak, 'weak_key');
      if (weak && !warned) {
        warned = true;
        process.emitWarning(
          `${weak.replace('is refused', 'is weak')} The existing secret store still opens with it; re-key it: set GHL_BRIDGE_VAULT_KEY_OLD to the current key and GHL_BRIDGE_VAULT_KEY to a strong one (e.g. \`openssl rand -base64 32\`), then run any GHL Bridge command once (e.g. \`ghl-bridge status\`).`,
          { code: 'GHL_BRIDGE_WEAK_VAULT_KEY' },
        );
      }
      return v;
    },
    previous: old && old !== v ? async () => old : undefined,
    kdf: (m) => (isRandomKey(m) ? KEY_KDF : PASSPHRASE_KDF),
  };
}

/**
 * The OS keyring (Windows Credential Manager, macOS Keychain, Secret Service on Linux). On Linux the entry is pinned
 * to the Secret Service: @napi-rs/keyring would otherwise fall back to the kernel keyutils keyring, which its README
 * documents as in-memory only ("will not persist across reboots") — a vault key there would vanish on reboot.
 */
export function keyringKeySource(profileDir: string): KeySource {
  const account = `vault:${createHash('sha256').update(profileDir).digest('hex').slice(0, 16)}`;
  return {
    kind: 'OS keyring',
    async material(create) {
      // Only what the keyring itself throws means "no persistent keyring"; errors from callers' work inside a
      // transaction (a failed token refresh) must reach them as they are.
      try {
        const { Entry } = await import('@napi-rs/keyring');
        const entry = new Entry('GHL Bridge', account, { linux: { store: 'secret-service' } });
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
      } catch (e) {
        if (e instanceof VaultError) throw e;
        throw new VaultError(`${NO_PERSISTENT_KEYRING} (The keyring said: ${(e as Error).message}.)`, 'no_key');
      }
    },
    kdf: () => KEY_KDF,
  };
}

/** How long a vault write waits for another process's write (a token refresh holds the lock across one HTTP call). */
const LOCK_WAIT_MS = 90_000;
/** How long a refused rename of the vault file is retried (see FileVault.rename). */
const RENAME_RETRY_MS = 10_000;

interface Opened {
  data: Record<string, string>;
  /** The header to keep on the next write; undefined = write a fresh header (new file, or a v1 file to migrate). */
  header?: { kdf: KdfParams; salt: Buffer };
  /** The file exists (a write is not creating a new vault). */
  exists: boolean;
  /** Opened with the previous key (GHL_BRIDGE_VAULT_KEY_OLD): to be rewritten with the current one. */
  rekey?: boolean;
}

export class FileVault implements SecretVault {
  /** Derived keys by salt+params, so a file rewritten with the same header costs no second derivation. */
  private keys = new Map<string, Buffer>();
  private material?: string;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly source: KeySource,
    private readonly lockWaitMs = LOCK_WAIT_MS,
    /** The OS as the vault sees it (tests: a rename that Windows refuses for a moment). */
    private readonly os: { platform?: NodeJS.Platform; rename?: (from: string, to: string) => void } = {},
  ) {}

  get kind(): string {
    return `encrypted file (${this.source.kind})`;
  }

  private async key(material: string, salt: Buffer, kdf: KdfParams): Promise<Buffer> {
    const id = `${salt.toString('base64')}|${kdf.N}|${kdf.r}|${kdf.p}|${createHash('sha256').update(material).digest('base64')}`;
    let k = this.keys.get(id);
    if (!k) {
      k = await derive(material, salt, kdf);
      this.keys.set(id, k);
    }
    return k;
  }

  /** What is on disk now. Every call reads the file: another process may have written it since. */
  private async read(): Promise<Opened> {
    if (!existsSync(this.path)) return { data: {}, exists: false };
    let file: VaultFileV1 | VaultFileV2;
    try {
      file = JSON.parse(readFileSync(this.path, 'utf8')) as VaultFileV1 | VaultFileV2;
      if (file.v !== 1 && file.v !== 2) throw new Error('unknown version');
      // Bounded, so an edited header cannot make us allocate gigabytes before the tag check refuses it.
      if (
        file.v === 2 &&
        (file.kdf?.name !== 'scrypt' ||
          !(file.kdf.N >= 2 ** 14 && file.kdf.N <= MAX_N && (file.kdf.N & (file.kdf.N - 1)) === 0) ||
          file.kdf.r !== 8 ||
          !(file.kdf.p >= 1 && file.kdf.p <= 4))
      ) {
        throw new Error('unknown key derivation');
      }
    } catch {
      throw new VaultError(
        `The secret store ${this.path} is damaged. It was left untouched; sign in again after moving it aside.`,
        'corrupt',
      );
    }
    const material = (this.material ??= await this.source.material(false));
    if (!material)
      throw new VaultError(
        `The key for ${this.path} is missing from the ${this.source.kind}. Sign in again after moving the file aside.`,
        'no_key',
      );
    const salt = Buffer.from(file.salt, 'base64');
    const kdf = file.v === 2 ? file.kdf : V1_KDF;
    let data = await this.decrypt(file, material, salt, kdf);
    let rekey = false;
    if (!data) {
      const previous = await this.source.previous?.();
      data = previous ? await this.decrypt(file, previous, salt, kdf) : undefined;
      if (!data)
        throw new VaultError(
          `The secret store ${this.path} cannot be opened with the key from the ${this.source.kind} (wrong key?). It was left untouched.`,
          'wrong_key',
        );
      rekey = true;
    }
    // A v1 file, or one whose parameters are weaker than this key now asks for, gets a fresh header on the next write.
    const wanted = this.source.kdf?.(material) ?? PASSPHRASE_KDF;
    const keep = !rekey && file.v === 2 && kdf.N >= wanted.N && kdf.r >= wanted.r;
    return { data, header: keep ? { kdf, salt } : undefined, exists: true, rekey };
  }

  /** The vault's content, or undefined when this key does not open it. */
  private async decrypt(
    file: VaultFileV1 | VaultFileV2,
    material: string,
    salt: Buffer,
    kdf: KdfParams,
  ): Promise<Record<string, string> | undefined> {
    const key = await this.key(material, salt, kdf);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(file.iv, 'base64'));
      if (file.v === 2) decipher.setAAD(associatedData({ v: 2, kdf, salt: file.salt }));
      decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
      const plain = Buffer.concat([decipher.update(Buffer.from(file.data, 'base64')), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as Record<string, string>;
    } catch {
      return undefined;
    }
  }

  /** Read; a vault opened with the previous key is rewritten with the current one at once (the caller holds the lock). */
  private async readRekeyed(): Promise<Opened> {
    const opened = await this.read();
    if (!opened.rekey) return opened;
    await this.persist(opened.data, opened);
    return { ...opened, rekey: false };
  }

  /** Read without the lock; only a re-key takes it (and re-reads under it). */
  private async readOutside(): Promise<Opened> {
    const opened = await this.read();
    return opened.rekey ? this.locked(() => this.readRekeyed()) : opened;
  }

  private async persist(data: Record<string, string>, opened: Opened): Promise<void> {
    // A new vault, or one being re-keyed, is written with a key the source accepts for new vaults (never a weak one).
    const material =
      !opened.exists || opened.rekey
        ? (this.material = await this.source.material(true))
        : (this.material ??= await this.source.material(false));
    if (!material) throw new VaultError('No key is available to protect secrets.', 'no_key');
    const header = opened.rekey ? undefined : opened.header;
    const kdf = header?.kdf ?? this.source.kdf?.(material) ?? PASSPHRASE_KDF;
    const salt = header?.salt ?? randomBytes(16);
    const key = await this.key(material, salt, kdf);
    const iv = randomBytes(12);
    const head = { v: 2 as const, kdf, salt: salt.toString('base64') };
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(associatedData(head));
    const enc = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
    const file: VaultFileV2 = {
      ...head,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: enc.toString('base64'),
    };
    const tmp = `${this.path}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(file));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      await this.rename(tmp, this.path);
    } catch (e) {
      try {
        unlinkSync(tmp);
      } catch {
        /* already gone */
      }
      throw e;
    }
  }

  /**
   * Replace the file. On Windows an antivirus scanner or the indexer holding the file makes the rename fail with
   * EPERM/EBUSY/EACCES for a moment; the new pair must not stay in memory only (a short command would exit with the
   * spent refresh token on disk), so the rename is retried with backoff for about 10 s (anywhere on EBUSY/EPERM).
   */
  private async rename(from: string, to: string): Promise<void> {
    const rename = this.os.rename ?? renameSync;
    const windows = (this.os.platform ?? process.platform) === 'win32';
    let pause = 20;
    for (let waited = 0; ; waited += pause, pause = Math.min(pause * 2, 1000)) {
      try {
        rename(from, to);
        return;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const passing = code === 'EBUSY' || code === 'EPERM' || (windows && code === 'EACCES');
        if (!passing || waited >= RENAME_RETRY_MS) throw e;
      }
      await new Promise((r) => setTimeout(r, pause));
    }
  }

  /** Serialise operations in this process, so two writers never interleave read-modify-write. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Hold the vault's cross-process lock (see store/lock.ts) around fn. */
  private async locked<T>(fn: () => Promise<T>): Promise<T> {
    const lock = await acquireLock(`${this.path}.lock`, {
      command: `GHL Bridge (process ${process.pid})`,
      waitMs: this.lockWaitMs,
      busyMessage: (o) =>
        `The secret store is being written by ${describeOwner(o)} and did not become free; try again.`,
    }).catch((e: Error) => {
      throw new VaultError(e.message, 'busy');
    });
    try {
      return await fn();
    } finally {
      lock.release();
    }
  }

  get(name: string): Promise<string | undefined> {
    return this.serial(async () => (await this.readOutside()).data[name]);
  }

  names(): Promise<string[]> {
    return this.serial(async () => Object.keys((await this.readOutside()).data));
  }

  setMany(entries: Record<string, string | undefined>): Promise<void> {
    return this.transaction((tx) => tx.setMany(entries));
  }

  set(name: string, value: string): Promise<void> {
    return this.setMany({ [name]: value });
  }

  delete(name: string): Promise<void> {
    return this.setMany({ [name]: undefined });
  }

  transaction<T>(fn: (tx: VaultTx) => Promise<T>): Promise<T> {
    return this.serial(() =>
      this.locked(() =>
        fn({
          get: async (name) => (await this.readRekeyed()).data[name],
          setMany: async (entries) => {
            const opened = await this.read();
            const next = { ...opened.data };
            for (const [k, v] of Object.entries(entries)) {
              if (v === undefined) delete next[k];
              else next[k] = v;
            }
            await this.persist(next, opened);
          },
        }),
      ),
    );
  }
}

/** The headless vault for a profile: environment key first, else the OS keyring (a persistent one only). */
export function openHeadlessVault(
  vaultPath: string,
  profileDir: string,
  env: NodeJS.ProcessEnv = process.env,
): SecretVault {
  return new FileVault(vaultPath, envKeySource(env) ?? keyringKeySource(profileDir));
}

export const NO_PERSISTENT_KEYRING =
  'Secrets cannot be stored safely on this computer: no persistent OS keyring answered (on Linux GHL Bridge needs a Secret Service such as GNOME Keyring or KWallet; ' +
  'the kernel keyring is not used because it forgets keys on reboot). Set the GHL_BRIDGE_VAULT_KEY environment variable for every GHL Bridge command and service ' +
  'instead — 32 random bytes, e.g. `export GHL_BRIDGE_VAULT_KEY="$(openssl rand -base64 32)"` — and keep a copy of it: without it the stored sign-ins cannot be read.';
