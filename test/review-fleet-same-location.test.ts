/** Review 19: two fleet ids for one HighLevel location means two unguarded runs of that location with separate links. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addLocation } from '../main/fleet/admin.js';
import { defaultConfig, openConfigStore } from '../main/store/settings.js';
import { pgAvailable, startPgCluster, type PgCluster } from './support/pg-cluster.js';

describe.skipIf(!pgAvailable())('fleet add', () => {
  let cluster: PgCluster;
  let url: string;
  const dir = mkdtempSync(join(tmpdir(), 'r19-same-'));
  beforeAll(async () => {
    cluster = await startPgCluster();
    url = await cluster.createDatabase('fleet');
    const c = defaultConfig();
    c.connections.ghl.locationId = 'HarbourPlumbingLoc01';
    openConfigStore(dir).write(c);
  });
  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second fleet id for a HighLevel location the fleet already syncs', async () => {
    const env = { GHL_BRIDGE_FLEET_KEY: randomBytes(32).toString('base64'), GHL_BRIDGE_VAULT_KEY: randomBytes(32).toString('base64') };
    await addLocation({ databaseUrl: url, id: 'harbour', fromProfile: dir, intervalSeconds: 60, env });
    await expect(
      addLocation({ databaseUrl: url, id: 'harbour-plumbing', fromProfile: dir, intervalSeconds: 60, env }),
    ).rejects.toThrow();
  });
});
