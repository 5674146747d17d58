/**
 * `ghl-bridge mappings set PAIR KEY=VALUE…` sets the business's country and time zone the transforms read phones and
 * dates in (main/sync/fields/README.md, "Phones and dates"), checked as the window's Save checks them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/ghl-bridge.mjs');
const dir = mkdtempSync(join(tmpdir(), 'ghlb-cli-fields-'));
const profile = join(dir, 'p');
const env = {
  ...process.env,
  GHL_BRIDGE_VAULT_KEY: '7c2e9a4b1d6f8e3a5c7b9d1f3e5a7c9b2d4f6e8a0c2e4a6b8d0f2e4a6c8b0d2f',
};
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args, '--profile', profile], { env, encoding: 'utf8', timeout: 120_000 });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('sets phoneCountry and timeZone, refuses a wrong one, and an empty value goes back to the location', () => {
  const set = cli('mappings', 'set', 'ghl-aroflo', 'phoneCountry=nz', 'timeZone=Pacific/Auckland', '--create');
  expect(set.status, set.stderr).toBe(0);
  const defaults = () =>
    (JSON.parse(cli('mappings', '--pair', 'ghl-aroflo', '--json').stdout) as { defaults: Record<string, string> })
      .defaults;
  expect(defaults()).toMatchObject({ phoneCountry: 'NZ', timeZone: 'Pacific/Auckland' });
  const wrong = cli('mappings', 'set', 'ghl-aroflo', 'timeZone=Mars/Base');
  expect(wrong.status).toBe(1);
  expect(wrong.stderr).toMatch(/timeZone — not a time zone/);
  expect(cli('mappings', 'set', 'ghl-aroflo', 'phoneCountry=').status).toBe(0);
  expect(defaults()).not.toHaveProperty('phoneCountry');
  expect(defaults().timeZone).toBe('Pacific/Auckland');
}, 60_000);
