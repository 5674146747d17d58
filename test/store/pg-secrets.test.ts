/**
 * Secrets on a server (main/store/pg/secrets.ts): the vault interface over an encrypted PostgreSQL table, keyed from
 * GHL_BRIDGE_FLEET_KEY or GHL_BRIDGE_FLEET_KEY_FILE. Never plain text in PostgreSQL — checked on the cluster's own files.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetKeySource, PgVault } from '../../main/store/pg/secrets.js';
import { pgAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.js';

/** Every file under the cluster's data folder that holds `needle` (tables, WAL, everything on disk). */
function filesHolding(dir: string, needle: Buffer): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...filesHolding(p, needle));
    else if (st.isFile() && readFileSync(p).includes(needle)) out.push(p);
  }
  return out;
}

describe.skipIf(!pgAvailable())('secrets on PostgreSQL', () => {
  let cluster: PgCluster;
  let url: string;
  const vaults: PgVault[] = [];
  const key = randomBytes(32).toString('base64');
  const vault = (schema: string, env: NodeJS.ProcessEnv = { GHL_BRIDGE_FLEET_KEY: key }) => {
    const v = new PgVault({ connectionString: url, schema, source: fleetKeySource(env) });
    vaults.push(v);
    return v;
  };
  beforeAll(async () => {
    cluster = await startPgCluster();
    url = await cluster.createDatabase('fleet');
  });
  afterAll(async () => {
    for (const v of vaults) await v.close();
    await cluster?.stop();
  });

  it('stores, lists, replaces and deletes, like the vault file', async () => {
    const v = vault('loc_a');
    expect(await v.get('ghl:token')).toBeUndefined();
    await v.setMany({ 'ghl:token': 'tok-1', 'aroflo:secret': 's-1' });
    await v.set('ghl:token', 'tok-2');
    expect(await v.get('ghl:token')).toBe('tok-2');
    expect(await v.names()).toEqual(['aroflo:secret', 'ghl:token']);
    await v.delete('aroflo:secret');
    expect(await v.names()).toEqual(['ghl:token']);
    // Another location is another set of secrets.
    expect(await vault('loc_b').get('ghl:token')).toBeUndefined();
    expect(v.kind).toContain('loc_a.secrets');
  });

  it('never holds a value in plain text: not in the table, not in any file of the cluster', async () => {
    const token = `pit-${randomBytes(12).toString('hex')}`;
    const v = vault('loc_plain');
    await v.set('ghl:private-integration-token', token);
    // The same search finds a value that IS stored in plain text, so it can fail.
    const marker = `plain-${randomBytes(12).toString('hex')}`;
    await cluster.psql(
      `create table loc_plain.control (v text); insert into loc_plain.control values ('${marker}')`,
      'fleet',
    );
    await cluster.psql('checkpoint', 'fleet');
    expect(filesHolding(cluster.dir, Buffer.from(marker)).length).toBeGreaterThan(0);
    expect(filesHolding(cluster.dir, Buffer.from(token))).toEqual([]);
    expect(
      await cluster.psql(
        // A byte search: ciphertext may hold a 0x00, which no text conversion accepts.
        `select count(*) from loc_plain.secrets where position(convert_to('pit-', 'UTF8') in data) > 0`,
        'fleet',
      ),
    ).toBe('0\n');
    expect(await v.get('ghl:private-integration-token')).toBe(token);
  });

  it('a wrong key is a clear error and loses nothing', async () => {
    const right = vault('loc_keys');
    await right.setMany({ 'ghl:token': 'keep-me', 'aimfox:key': 'keep-me-too' });
    const before = await cluster.psql(`select name, encode(data, 'hex') from loc_keys.secrets order by name`, 'fleet');
    const wrong = vault('loc_keys', { GHL_BRIDGE_FLEET_KEY: randomBytes(32).toString('base64') });
    await expect(wrong.get('ghl:token')).rejects.toMatchObject({ code: 'wrong_key', message: /wrong key\?/ });
    await expect(wrong.set('ghl:token', 'overwritten')).rejects.toMatchObject({ code: 'wrong_key' });
    await expect(wrong.names()).rejects.toMatchObject({ code: 'wrong_key' });
    expect(await cluster.psql(`select name, encode(data, 'hex') from loc_keys.secrets order by name`, 'fleet')).toBe(
      before,
    );
    expect(await right.get('ghl:token')).toBe('keep-me');
    expect(await right.get('aimfox:key')).toBe('keep-me-too');
  });

  it('a value is bound to its name and location: a row copied over another does not open', async () => {
    const v = vault('loc_bind');
    await v.setMany({ a: 'value-a', b: 'value-b' });
    await cluster.psql(
      `update loc_bind.secrets set iv = s.iv, tag = s.tag, data = s.data from loc_bind.secrets s where s.name = 'a' and loc_bind.secrets.name = 'b'`,
      'fleet',
    );
    await expect(v.get('b')).rejects.toMatchObject({ code: 'corrupt' });
    expect(await v.get('a')).toBe('value-a');
  });

  it('a key file must be owner-only; a weak key is refused for new secrets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ghlb-fleetkey-'));
    const file = join(dir, 'fleet.key');
    writeFileSync(file, `${key}\n`);
    chmodSync(file, 0o644);
    const loose = vault('loc_file', { GHL_BRIDGE_FLEET_KEY_FILE: file });
    await expect(loose.set('x', 'y')).rejects.toMatchObject({ code: 'insecure' });
    chmodSync(file, 0o600);
    const fromFile = vault('loc_file', { GHL_BRIDGE_FLEET_KEY_FILE: file });
    await fromFile.set('x', 'y');
    // The file holds the same key as the environment variable: either opens what the other wrote.
    expect(await vault('loc_file').get('x')).toBe('y');
    await expect(vault('loc_weak', { GHL_BRIDGE_FLEET_KEY: 'short' }).set('x', 'y')).rejects.toMatchObject({
      code: 'weak_key',
      message: /GHL_BRIDGE_FLEET_KEY/,
    });
    expect(() => new PgVault({ connectionString: url, schema: 'loc_none', source: fleetKeySource({}) })).toThrow(
      /GHL_BRIDGE_FLEET_KEY/,
    );
  });

  it('read-modify-write transactions from two workers never lose an update', async () => {
    const one = vault('loc_tx');
    const two = vault('loc_tx');
    await one.set('counter', '0');
    const bump = (v: PgVault) =>
      v.transaction(async (tx) => {
        const n = Number(await tx.get('counter'));
        await new Promise((r) => setTimeout(r, 5));
        await tx.setMany({ counter: String(n + 1) });
      });
    await Promise.all(Array.from({ length: 12 }, (_, i) => bump(i % 2 ? one : two)));
    expect(await one.get('counter')).toBe('12');
  });
});
