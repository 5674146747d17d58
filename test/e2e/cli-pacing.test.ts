/**
 * Pacing is shared by every process on a profile (main/connectors/shared/README.md, "Pacing across processes"): real
 * `ghl-bridge` processes on one profile, against the three sandboxes over HTTP with their documented limits
 * (main/sandbox/*\/README.md: GHL 100 per 10 s, AroFlo 3/s and 120/min, Aimfox 60/min), get no 429 — neither one right after another (each used to start
 * with an empty idea of the window the last one had just filled) nor two at once (each used to think it had the whole
 * window). The count is the sandboxes' own (their stats count every 429 they send).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startSandboxes, type Sandboxes } from '../../main/sandbox/index.js';
import { prepareProfile, type SoakProfile } from '../soak/harness/profile.js';

const BIN = join(import.meta.dirname, '../../bin/ghl-bridge.mjs');
/**
 * The documented windows (GHL 100 per 10 s: a sync here is HighLevel-bound and ends with that window full, and the
 * next process starts well within it).
 */
const SCALE = 1;

let boxes: Sandboxes;
let profile: SoakProfile;

interface Result {
  code: number | null;
  out: string;
  err: string;
}

function cli(args: string[]): Promise<Result> {
  const child = spawn(process.execPath, [BIN, ...args, '--profile', profile.dir], {
    env: { ...process.env, GHL_BRIDGE_VAULT_KEY: profile.vaultKey, GHL_BRIDGE_HOME: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, out, err })));
}

/** A sync that re-reads everything, so each one alone fills the windows it starts in. */
const sync = () => cli(['sync', '--once', '--full', '--json']);
/** `smoke` reads with every call the bridge makes, on all three systems (main/smoke/run.ts), beside or after a sync. */
const smoke = () => cli(['smoke', '--json']);

const tooMany = () => {
  const s = boxes.stats();
  return { ghl: s.ghl.rateLimited, aroflo: s.aroflo.rateLimited, aimfox: s.aimfox.rateLimited };
};
const calls = () => {
  const s = boxes.stats();
  return s.ghl.requests + s.aroflo.requests + s.aimfox.requests;
};

beforeAll(async () => {
  boxes = await startSandboxes({ seed: 23, contacts: 60, rateLimits: 'real', admin: true });
  profile = await prepareProfile(boxes, SCALE);
}, 120_000);

afterAll(async () => {
  await boxes?.close();
  if (profile) rmSync(profile.dir, { recursive: true, force: true });
});

describe('several ghl-bridge processes on one profile share what they know of each rate window', () => {
  it('two syncs and a smoke check one right after the other get no 429', async () => {
    boxes.resetStats();
    const a = await sync();
    expect(a.code, a.out + a.err).toBe(0);
    const b = await sync();
    expect(b.code, b.out + b.err).toBe(0);
    const c = await smoke();
    expect(c.out, c.err).toMatch(/"counts"/);
    expect(calls()).toBeGreaterThan(200);
    expect(tooMany()).toEqual({ ghl: 0, aroflo: 0, aimfox: 0 });
  }, 300_000);

  it('a sync and another command calling the same APIs at the same time get no 429', async () => {
    boxes.resetStats();
    // Two syncs cannot overlap (one run at a time per profile, cli-profile.test.ts); smoke runs beside one.
    const [a, b] = await Promise.all([sync(), smoke()]);
    expect(a.code, a.out + a.err).toBe(0);
    expect(b.out, b.err).toMatch(/"counts"/);
    expect(tooMany()).toEqual({ ghl: 0, aroflo: 0, aimfox: 0 });
  }, 300_000);
});
