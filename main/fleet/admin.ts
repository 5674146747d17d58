/**
 * Adding a location to the fleet: its settings (from a profile set up as on the desktop: login, mappings, preview)
 * into the locations table and its secrets into its encrypted secrets table. Its first run is queued by the workers'
 * tick (at a worker's start and every minute), so every job carries the workers' own timing (main/fleet/README.md).
 */
import { resolve } from 'node:path';
import { FleetStore, LOCATION_ID, locationSchema } from '../store/fleet/index.js';
import { fleetKeySource, PgVault } from '../store/pg/secrets.js';
import { VaultError } from '../store/vault.js';
import { isProfile, profilePaths } from '../store/profile.js';
import { openConfigStore } from '../store/settings.js';
import { openHeadlessVault } from '../store/vault.js';

export async function addLocation(opts: {
  databaseUrl: string;
  id: string;
  name?: string;
  fromProfile: string;
  intervalSeconds: number;
  /** GHL_BRIDGE_FLEET_KEY, and the profile's vault key (GHL_BRIDGE_VAULT_KEY) when it has one. */
  env?: NodeJS.ProcessEnv;
}): Promise<{ secrets: number }> {
  const env = opts.env ?? process.env;
  if (!LOCATION_ID.test(opts.id)) throw new Error('A location id is 1–40 lower-case letters, digits or -.');
  const source = fleetKeySource(env);
  if (!source)
    throw new VaultError(
      "Set GHL_BRIDGE_FLEET_KEY (32 random bytes, e.g. `openssl rand -base64 32`) or GHL_BRIDGE_FLEET_KEY_FILE: the locations' secrets are encrypted with it.",
      'no_key',
    );
  const dir = resolve(opts.fromProfile);
  if (!isProfile(dir))
    throw new Error(`${dir} holds no profile: set the location up first (ghl-bridge login … --profile DIR --create).`);
  const store = new FleetStore(opts.databaseUrl);
  try {
    await store.migrate();
    const config = openConfigStore(dir).read();
    const vault = openHeadlessVault(profilePaths(dir).vault, dir, env);
    const secrets: Record<string, string> = {};
    for (const n of await vault.names()) {
      const v = await vault.get(n);
      if (v !== undefined) secrets[n] = v;
    }
    await store.addLocation({ id: opts.id, name: opts.name ?? opts.id, intervalSeconds: opts.intervalSeconds, config });
    // The location's secrets: PgVault's encrypted table in the location's schema (main/store/pg/secrets.ts).
    const target = new PgVault({ connectionString: opts.databaseUrl, schema: locationSchema(opts.id), source });
    try {
      // Re-adding replaces the location's secrets wholly: one the profile no longer has is removed too.
      const gone = (await target.names()).filter((n) => !(n in secrets));
      await target.setMany({ ...Object.fromEntries(gone.map((n) => [n, undefined])), ...secrets });
    } finally {
      await target.close();
    }
    return { secrets: Object.keys(secrets).length };
  } finally {
    await store.close();
  }
}
