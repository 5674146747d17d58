/**
 * `ghl-bridge fleet add-location` (main/fleet/admin.ts) on a real PostgreSQL cluster: one fleet id per HighLevel
 * location, so no location is ever synced by two unguarded runs with separate links (test/fleet/README.md).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addLocation } from '../../main/fleet/admin.js';
import { FleetStore, locationSchema } from '../../main/store/fleet/index.js';
import { fleetKeySource, PgVault } from '../../main/store/pg/secrets.js';
import { profilePaths } from '../../main/store/profile.js';
import { defaultConfig, openConfigStore } from '../../main/store/settings.js';
import { openHeadlessVault } from '../../main/store/vault.js';
import { pgAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.js';

describe.skipIf(!pgAvailable())('fleet add-location', () => {
  let cluster: PgCluster;
  let url: string;
  const dirs: string[] = [];
  const env = {
    GHL_BRIDGE_FLEET_KEY: randomBytes(32).toString('base64'),
    GHL_BRIDGE_VAULT_KEY: randomBytes(32).toString('base64'),
  };
  /** A profile set up as on the desktop, signed into HighLevel location `ghl`, with these secrets. */
  const profile = async (ghl: string, secrets: Record<string, string> = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-add-'));
    dirs.push(dir);
    const c = defaultConfig();
    c.connections.ghl.locationId = ghl;
    openConfigStore(dir).write(c);
    await openHeadlessVault(profilePaths(dir).vault, dir, env).setMany(secrets);
    return dir;
  };
  const add = (id: string, fromProfile: string) =>
    addLocation({ databaseUrl: url, id, fromProfile, intervalSeconds: 60, env });
  beforeAll(async () => {
    cluster = await startPgCluster();
    url = await cluster.createDatabase('fleet');
  });
  afterAll(async () => {
    await cluster?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('refuses a second fleet id for a HighLevel location the fleet already syncs', async () => {
    const dir = await profile('HarbourPlumbingLoc01');
    await add('harbour', dir);
    await expect(add('harbour-plumbing', dir)).rejects.toThrow(/already the fleet's location "harbour"/);
    const store = new FleetStore(url);
    try {
      expect((await store.locations()).map((l) => l.id)).toEqual(['harbour']);
    } finally {
      await store.close();
    }
  });

  it('refuses to point an existing fleet id at a different HighLevel location', async () => {
    await add('bayside', await profile('BaysideLoc01'));
    await expect(add('bayside', await profile('SomewhereElseLoc02'))).rejects.toThrow(
      /syncs HighLevel location BaysideLoc01/,
    );
    const store = new FleetStore(url);
    try {
      expect((await store.readConfig('bayside')).connections.ghl.locationId).toBe('BaysideLoc01');
    } finally {
      await store.close();
    }
  });

  it('re-adding the same id from the same location replaces its secrets wholly', async () => {
    await add('ridge', await profile('RidgeLoc01', { 'ghl.token': 'old-token', 'aroflo.secret': 'old-aroflo' }));
    await add('ridge', await profile('RidgeLoc01', { 'ghl.token': 'new-token' }));
    const vault = new PgVault({ connectionString: url, schema: locationSchema('ridge'), source: fleetKeySource(env)! });
    try {
      expect(await vault.names()).toEqual(['ghl.token']);
      expect(await vault.get('ghl.token')).toBe('new-token');
    } finally {
      await vault.close();
    }
  });
});
