/**
 * Secrets on a server: the same `SecretVault` interface as the profile's vault file (main/store/vault.ts), kept in an
 * encrypted table of the location's schema in PostgreSQL. The key comes from GHL_BRIDGE_FLEET_KEY or from the file
 * named by GHL_BRIDGE_FLEET_KEY_FILE, under the vault's rules (32 random bytes, or a passphrase stretched with scrypt;
 * main/store/README.md, "Secrets on a server"). Never plain text in PostgreSQL: each value is AES-256-GCM encrypted,
 * bound (as associated data) to its location and name, so a row copied to another name or schema does not open.
 *
 * A key-check row (name '') proves the key before anything is written: a wrong key is refused with a clear error and
 * changes nothing. Writes run in one PostgreSQL transaction under an advisory lock per location, so a token refresh in
 * one worker never overwrites a rotation another worker made (`transaction`, as the file vault's cross-process lock).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import pg from 'pg';
import {
  derive,
  isRandomKey,
  KEY_KDF,
  PASSPHRASE_KDF,
  VaultError,
  weakVaultKey,
  type KdfParams,
  type KeySource,
  type SecretVault,
  type VaultTx,
} from '../vault.js';
import type { PgConnection } from './bridge.js';

const CHECK_NAME = '';
const CHECK_TEXT = 'ghl-bridge fleet key check';
const SECRETS_LOCK = 19_0420;
/** The lock migrations hold (main/store/pg/index.ts): creating the schema under it never races a store being migrated. */
const SCHEMA_LOCK = 19_0419;

/** GHL_BRIDGE_FLEET_KEY, else the file GHL_BRIDGE_FLEET_KEY_FILE names (owner-only, like an SSH key); undefined: none. */
export function fleetKeySource(env: NodeJS.ProcessEnv = process.env): KeySource | undefined {
  const direct = env.GHL_BRIDGE_FLEET_KEY;
  const file = env.GHL_BRIDGE_FLEET_KEY_FILE;
  if (!direct && !file) return undefined;
  const read = (): string => {
    if (direct) return direct;
    let text: string;
    try {
      if (process.platform !== 'win32' && (statSync(file!).mode & 0o077) !== 0)
        throw new VaultError(
          `The fleet key file ${file} can be read by other users: make it owner-only (chmod 600 ${file}).`,
          'insecure',
        );
      text = readFileSync(file!, 'utf8');
    } catch (e) {
      if (e instanceof VaultError) throw e;
      throw new VaultError(`The fleet key file ${file} cannot be read (${(e as Error).message}).`, 'no_key');
    }
    return text.replace(/\r?\n$/, '');
  };
  return {
    kind: direct ? 'GHL_BRIDGE_FLEET_KEY' : `fleet key file ${file}`,
    material: async (create) => {
      const v = read();
      const weak = weakVaultKey(v)?.replaceAll('GHL_BRIDGE_VAULT_KEY', 'GHL_BRIDGE_FLEET_KEY');
      if (weak && create) throw new VaultError(weak, 'weak_key');
      return v;
    },
    kdf: (m) => (isRandomKey(m) ? KEY_KDF : PASSPHRASE_KDF),
  };
}

interface Row {
  name: string;
  kdf: string;
  salt: Buffer;
  iv: Buffer;
  tag: Buffer;
  data: Buffer;
}

export interface PgVaultOptions extends PgConnection {
  /** The location's schema (the same one its store uses). */
  schema: string;
  /** Where the key comes from; default fleetKeySource(process.env). */
  source?: KeySource;
}

export class PgVault implements SecretVault {
  private readonly pool: pg.Pool;
  private readonly schema: string;
  private readonly source: KeySource;
  private ready?: Promise<void>;
  private keys = new Map<string, Buffer>();

  constructor(options: PgVaultOptions) {
    const { schema, source, ...conn } = options;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`not a plain schema name: ${schema}`);
    const s = source ?? fleetKeySource();
    if (!s)
      throw new VaultError(
        'No key for the fleet’s secrets: set GHL_BRIDGE_FLEET_KEY (32 random bytes, e.g. `openssl rand -base64 32`) or GHL_BRIDGE_FLEET_KEY_FILE to a file holding it, for every worker and serve process.',
        'no_key',
      );
    this.schema = schema;
    this.source = s;
    this.pool = new pg.Pool({ ...conn, max: 2, application_name: 'ghl-bridge secrets' });
    // An idle connection dropped by a restarted server must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  get kind(): string {
    return `encrypted PostgreSQL table ${this.schema}.secrets (${this.source.kind})`;
  }

  /** The schema and its table, created once (under the lock, so two workers starting at once do not race). */
  private ensure(): Promise<void> {
    return (this.ready ??= this.withClient(async (c) => {
      await c.query('begin');
      try {
        await c.query('select pg_advisory_xact_lock($1, hashtext($2))', [SCHEMA_LOCK, this.schema]);
        await c.query(`create schema if not exists ${this.schema}`);
        await c.query(`create table if not exists ${this.schema}.secrets (
          name        text primary key,   -- '' is the key-check row
          kdf         text not null,      -- JSON scrypt parameters
          salt        bytea not null,
          iv          bytea not null,
          tag         bytea not null,
          data        bytea not null,     -- AES-256-GCM ciphertext; never the value itself
          updated_at  bigint not null
        )`);
        await c.query('commit');
      } catch (e) {
        await c.query('rollback').catch(() => undefined);
        throw e;
      }
    }).catch((e: unknown) => {
      this.ready = undefined;
      throw e;
    }));
  }

  private async withClient<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    // The pool listens for errors on idle clients only: a checked-out one whose server goes away (PostgreSQL
    // restarted while a key is derived between two queries) would emit an unhandled 'error' and end the process.
    // Here the next query fails instead, and the broken client is dropped from the pool.
    let lost: Error | undefined;
    const onError = (e: Error) => {
      lost = e;
    };
    c.on('error', onError);
    try {
      return await fn(c);
    } finally {
      c.removeListener('error', onError);
      c.release(lost);
    }
  }

  private aad(name: string, kdf: KdfParams, salt: Buffer): Buffer {
    return Buffer.from(
      JSON.stringify([
        'ghl-bridge-fleet-secret',
        this.schema,
        name,
        kdf.name,
        kdf.N,
        kdf.r,
        kdf.p,
        salt.toString('base64'),
      ]),
      'utf8',
    );
  }

  private async key(material: string, salt: Buffer, kdf: KdfParams): Promise<Buffer> {
    const id = `${salt.toString('base64')}|${kdf.N}|${kdf.r}|${kdf.p}|${createHash('sha256').update(material).digest('base64')}`;
    let k = this.keys.get(id);
    if (!k) this.keys.set(id, (k = await derive(material, salt, kdf)));
    return k;
  }

  private async open(row: Row, material: string): Promise<string | undefined> {
    const kdf = JSON.parse(row.kdf) as KdfParams;
    const key = await this.key(material, row.salt, kdf);
    try {
      const d = createDecipheriv('aes-256-gcm', key, row.iv);
      d.setAAD(this.aad(row.name, kdf, row.salt));
      d.setAuthTag(row.tag);
      return Buffer.concat([d.update(row.data), d.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }

  private async seal(name: string, value: string, material: string, kdf: KdfParams, salt: Buffer) {
    const key = await this.key(material, salt, kdf);
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    c.setAAD(this.aad(name, kdf, salt));
    const data = Buffer.concat([c.update(value, 'utf8'), c.final()]);
    return { kdf: JSON.stringify(kdf), salt, iv, tag: c.getAuthTag(), data };
  }

  private wrongKey(): VaultError {
    return new VaultError(
      `The fleet's secrets for ${this.schema} cannot be opened with the key from ${this.source.kind} (wrong key?). Nothing was changed: start this worker with the key the other workers use.`,
      'wrong_key',
    );
  }

  /** The key material, proven against the key-check row (undefined: no secrets stored yet in this location). */
  private async material(c: pg.ClientBase): Promise<{ material: string; check?: Row }> {
    const { rows } = await c.query<Row>(`select * from ${this.schema}.secrets where name = $1`, [CHECK_NAME]);
    const check = rows[0];
    const material = await this.source.material(!check);
    if (!material) throw new VaultError(`No key is available from ${this.source.kind}.`, 'no_key');
    if (check && (await this.open(check, material)) !== CHECK_TEXT) throw this.wrongKey();
    return { material, check };
  }

  private async read(c: pg.ClientBase, name: string): Promise<string | undefined> {
    const { material } = await this.material(c);
    const { rows } = await c.query<Row>(`select * from ${this.schema}.secrets where name = $1`, [name]);
    if (!rows[0]) return undefined;
    const v = await this.open(rows[0], material);
    if (v === undefined)
      throw new VaultError(
        `The fleet secret "${name}" in ${this.schema} does not open with the key that opens the others: it was left untouched; sign in again to replace it.`,
        'corrupt',
      );
    return v;
  }

  async get(name: string): Promise<string | undefined> {
    if (name === CHECK_NAME) return undefined;
    await this.ensure();
    return this.withClient((c) => this.read(c, name));
  }

  async names(): Promise<string[]> {
    await this.ensure();
    return this.withClient(async (c) => {
      await this.material(c);
      const { rows } = await c.query<{ name: string }>(
        `select name from ${this.schema}.secrets where name <> $1 order by name`,
        [CHECK_NAME],
      );
      return rows.map((r) => r.name);
    });
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

  async transaction<T>(fn: (tx: VaultTx) => Promise<T>): Promise<T> {
    await this.ensure();
    return this.withClient(async (c) => {
      await c.query('begin');
      try {
        await c.query('select pg_advisory_xact_lock($1, hashtext($2))', [SECRETS_LOCK, this.schema]);
        const result = await fn({
          get: (name) => (name === CHECK_NAME ? Promise.resolve(undefined) : this.read(c, name)),
          setMany: async (entries) => {
            const { material, check } = await this.material(c);
            const kdf = check ? (JSON.parse(check.kdf) as KdfParams) : (this.source.kdf?.(material) ?? PASSPHRASE_KDF);
            const salt = check?.salt ?? randomBytes(16);
            const now = Date.now();
            const upsert = async (name: string, value: string) => {
              const r = await this.seal(name, value, material, kdf, salt);
              await c.query(
                `insert into ${this.schema}.secrets(name, kdf, salt, iv, tag, data, updated_at) values ($1, $2, $3, $4, $5, $6, $7)
                 on conflict(name) do update set kdf = excluded.kdf, salt = excluded.salt, iv = excluded.iv, tag = excluded.tag, data = excluded.data, updated_at = excluded.updated_at`,
                [name, r.kdf, r.salt, r.iv, r.tag, r.data, now],
              );
            };
            if (!check) await upsert(CHECK_NAME, CHECK_TEXT);
            for (const [name, value] of Object.entries(entries)) {
              if (name === CHECK_NAME) continue;
              if (value === undefined) await c.query(`delete from ${this.schema}.secrets where name = $1`, [name]);
              else await upsert(name, value);
            }
          },
        });
        await c.query('commit');
        return result;
      } catch (e) {
        await c.query('rollback').catch(() => undefined);
        throw e;
      }
    });
  }

  /** Ends the pool. */
  async close(): Promise<void> {
    await this.pool.end();
  }
}
