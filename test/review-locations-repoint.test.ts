/** Review 19: an added location's folder re-signed into ANOTHER HighLevel location (one already in the profile). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGhlSandbox } from '../main/sandbox/ghl/index.js';
import { generateWorld } from '../main/sandbox/world.js';
import { createService, type Service } from '../main/service/index.js';
import { ProfileLocations } from '../main/service/locations.js';

const env = { GHL_BRIDGE_VAULT_KEY: 'f771c15a585fdac8305cfbb3d1fd1cab3b413ab7c6b004cc2683dd7e4c69c4b5' };
let ghl: Awaited<ReturnType<typeof startGhlSandbox>>;
let root: string;
let a: Service;
let registry: ProfileLocations;

beforeAll(async () => {
  ghl = await startGhlSandbox({
    world: generateWorld({ seed: 31, contacts: 3 }),
    extraLocations: [{ name: 'Bay Electrical', world: generateWorld({ seed: 32, contacts: 3 }) }],
  });
  root = mkdtempSync(join(tmpdir(), 'r19-repoint-'));
  a = await createService({ profileDir: root, env });
  a.connections.setEndpoints({ ghl: ghl.baseUrl });
  await a.api.saveGhlPrivateToken({ token: ghl.credentials.privateToken, locationId: ghl.credentials.locationId });
  registry = new ProfileLocations(root, { env });
  const bay = ghl.credentials.locations[1]!;
  await registry.addWithPrivateToken({ token: bay.privateToken, locationId: bay.locationId });
});
afterAll(async () => {
  await a?.close();
  await ghl?.close?.();
  rmSync(root, { recursive: true, force: true });
});

it("an added location's folder cannot be signed into a location the profile already has", async () => {
  const bayId = ghl.credentials.locations[1]!.locationId;
  // Connections screen of "Bay Electrical" (serve's hub, or `login ghl --token … --location Bay`): the root's token pasted.
  const b = await registry.open(bayId, {});
  let refused = false;
  try {
    await (b as Service).api.saveGhlPrivateToken({
      token: ghl.credentials.privateToken,
      locationId: ghl.credentials.locationId,
    });
  } catch {
    refused = true;
  }
  const targets = [a.config.read().connections.ghl.locationId, (b as Service).config.read().connections.ghl.locationId];
  await b.close();
  expect({ refused, listed: (await registry.list()).map((l) => l.id), targets }).toMatchObject({ refused: true });
});
