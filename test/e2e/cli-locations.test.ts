/**
 * `ghl-bridge locations` and `--location` as real processes against one GHL sandbox serving two locations
 * (README "Several locations"): add one from a PIT file (its name learnt from HighLevel, a second add refused), a
 * per-location command without --location refuses and lists them, with --location (id or name) it works on that one,
 * `status --all` shows both, `locations remove` needs --yes without a terminal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGhlSandbox } from '../../main/sandbox/ghl/index.js';
import { generateWorld } from '../../main/sandbox/world.js';

const BIN = join(import.meta.dirname, '../../bin/ghl-bridge.mjs');
const root = mkdtempSync(join(tmpdir(), 'ghlb-locs-'));
const profile = join(root, 'p');
const env: NodeJS.ProcessEnv = { ...process.env, GHL_BRIDGE_VAULT_KEY: randomBytes(32).toString('base64') };
delete env.GHL_BRIDGE_HOME;
let sb: Awaited<ReturnType<typeof startGhlSandbox>>;

function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [BIN, ...args, '--profile', profile], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, out, err })));
}

beforeAll(async () => {
  sb = await startGhlSandbox({
    world: generateWorld({ seed: 41, contacts: 8 }),
    rateLimits: 'off',
    extraLocations: [{ name: 'Bay Electrical', world: generateWorld({ seed: 42, contacts: 6 }) }],
  });
}, 60_000);
afterAll(async () => {
  await sb?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('ghl-bridge locations / --location', () => {
  it('one location: works as before, no --location needed', async () => {
    const g = sb.credentials;
    const login = await cli([
      'login',
      'ghl',
      '--create',
      '--base-url',
      sb.baseUrl,
      '--token',
      g.privateToken,
      '--location',
      g.locationId,
    ]);
    expect(login.code, login.err).toBe(0);
    const st = await cli(['status']);
    expect(st.code, st.err).toBe(0);
    const list = await cli(['locations', 'list', '--json']);
    expect(JSON.parse(list.out)).toEqual([{ id: g.locationId, name: g.locationId, primary: true }]);
  }, 240_000);

  it('adds a location from a PIT file, refuses it twice, then asks which one when there are two', async () => {
    const bay = sb.credentials.locations[1]!;
    const pit = join(root, 'bay.pit');
    writeFileSync(pit, bay.privateToken + '\n', { mode: 0o600 });
    const add = await cli(['locations', 'add', '--pit-file', pit, '--location', bay.locationId]);
    expect(add.code, add.err).toBe(0);
    expect(add.out).toContain(`Added Bay Electrical (${bay.locationId})`);
    const again = await cli(['locations', 'add', '--pit-file', pit, '--location', bay.locationId]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already in this profile/);

    const bare = await cli(['status']);
    expect(bare.code).toBe(1);
    expect(bare.err).toMatch(/This profile has 2 locations: .*Bay Electrical \(/);
    expect(bare.err).toMatch(/--location/);

    const byName = await cli(['status', '--location', 'bay electrical', '--json']);
    expect(byName.code, byName.err).toBe(0);
    expect(byName.out).toContain(join('locations', bay.locationId));
    const byId = await cli(['status', '--location', sb.credentials.locationId, '--json']);
    expect(JSON.parse(byId.out).profileDir).toBe(profile);
    const unknown = await cli(['status', '--location', 'Nowhere']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/no location "Nowhere".*Bay Electrical/);

    const all = await cli(['status', '--all']);
    expect(all.code, all.err).toBe(0);
    expect(all.out).toMatch(new RegExp(`${sb.credentials.locationId}.*never synced`));
    expect(all.out).toMatch(/Bay Electrical \(.*\): on; never synced/);
  }, 240_000);

  it('removes a location only with --yes when there is no terminal', async () => {
    const bay = sb.credentials.locations[1]!;
    const dir = join(profile, 'locations', bay.locationId);
    const no = await cli(['locations', 'remove', 'Bay Electrical']);
    expect(no.code).toBe(1);
    expect(no.out).toMatch(/Nothing was removed.*--yes/);
    expect(existsSync(dir)).toBe(true);
    const yes = await cli(['locations', 'remove', 'Bay Electrical', '--yes']);
    expect(yes.code, yes.err).toBe(0);
    expect(existsSync(dir)).toBe(false);
    expect((await cli(['status'])).code).toBe(0);
  }, 240_000);
});
