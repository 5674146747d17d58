/**
 * The ghl-bridge command as a person (or a service manager) uses it, in real processes: `sandbox` in one, then
 * login → test-connection → mappings → sync → status → conflicts → audit export → undo against it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const BIN = join(import.meta.dirname, '../../bin/ghl-bridge.mjs');
const profile = mkdtempSync(join(tmpdir(), 'ghlb-cli-'));
const env = {
  ...process.env,
  GHL_BRIDGE_VAULT_KEY: '7ace262a0e4b2645893264d3f6c90f721427bff92cbf5c063b3c50aece0e714a',
  GHL_BRIDGE_HOME: profile,
};

function cli(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let sandbox: ChildProcess;
interface Info {
  ghl: { baseUrl: string; locationId: string; privateToken: string; adminToken: string };
  aroflo: {
    baseUrl: string;
    uEncoded: string;
    pEncoded: string;
    orgEncoded: string;
    secretKey: string;
    businessUnits: Array<{ orgid: string }>;
    taskTypes: Array<{ tasktypeid: string }>;
  };
  aimfox: { baseUrl: string; apiKey: string; campaignId: string };
}
let info: Info;

beforeAll(async () => {
  sandbox = spawn(process.execPath, [BIN, 'sandbox', '--seed', '5', '--contacts', '25', '--rate-limits', 'x50'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: sandbox.stdout! });
    rl.once('line', resolve);
    sandbox.once('exit', (code) => reject(new Error(`sandbox exited early (${code})`)));
  });
  info = JSON.parse(line) as Info;
}, 120_000);

afterAll(async () => {
  sandbox?.kill('SIGTERM');
  await new Promise((r) => sandbox?.once('exit', r));
  rmSync(profile, { recursive: true, force: true });
});

describe('ghl-bridge command', () => {
  it('prints help for the command and for each subcommand', () => {
    const h = cli('--help');
    expect(h.code).toBe(0);
    for (const c of ['demo', 'sandbox', 'serve', 'sync', 'status', 'login', 'mappings', 'conflicts', 'audit', 'undo'])
      expect(h.out).toContain(c);
    expect(cli('sync', '--help').out).toContain('--dry-run');
    // The README lists every command the help lists (issue 17 item 9).
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    const listed = [...h.out.matchAll(/^ {2}([a-z][a-z-]*) {2,}/gm)].map((m) => m[1]!);
    expect(listed.length).toBeGreaterThan(10);
    for (const c of listed) expect(readme, `README lists "${c}"`).toMatch(new RegExp('(\\| |, )`' + c + '[ `]'));
    const bad = cli('sync', '--no-such-flag');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/Unknown option/);
  });

  it('the sandbox command printed ready-to-use URLs and credentials', () => {
    expect(info.ghl.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    expect(info.aroflo.secretKey.length).toBeGreaterThan(10);
    expect(info.aimfox.baseUrl).toMatch(/\/api\/v2$/);
  });

  it('signs in, previews, syncs, reports, exports the audit log and undoes a run', async () => {
    // GHL_BRIDGE_HOME names a folder that holds no profile yet: the first sign-in creates it only when asked to.
    const noProfile = cli('sync', '--once');
    expect(noProfile.code).toBe(1);
    expect(noProfile.err).toMatch(/There is no GHL Bridge profile/);

    expect(
      cli(
        'login',
        'ghl',
        '--token',
        info.ghl.privateToken,
        '--location',
        info.ghl.locationId,
        '--base-url',
        info.ghl.baseUrl,
        '--create',
      ).out,
    ).toMatch(/HighLevel: connected — HighLevel sub-account/);
    const refused = cli('sync', '--once');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/Nothing to sync yet/);
    const a = cli(
      'login',
      'aroflo',
      '--u',
      info.aroflo.uEncoded,
      '--p',
      info.aroflo.pEncoded,
      '--org',
      info.aroflo.orgEncoded,
      '--secret',
      info.aroflo.secretKey,
      '--base-url',
      info.aroflo.baseUrl,
    );
    expect(a.out, a.err).toMatch(/AroFlo: connected/);
    expect(cli('login', 'aimfox', '--key', info.aimfox.apiKey, '--base-url', info.aimfox.baseUrl).out).toMatch(
      /Aimfox: connected — LinkedIn: .*logged out in Aimfox/,
    );
    const wrong = cli('login', 'aimfox', '--key', 'not-a-real-key-123', '--base-url', info.aimfox.baseUrl);
    expect(wrong.code).toBe(1);
    expect(cli('login', 'aimfox', '--key', info.aimfox.apiKey, '--base-url', info.aimfox.baseUrl).code).toBe(0);

    const t = cli('test-connection');
    expect(t.code, t.out + t.err).toBe(0);
    expect(t.out).toMatch(/quota \d+\/2000 daily/);

    expect(
      cli(
        'mappings',
        'set',
        'ghl-aroflo',
        `arofloBusinessUnitId=${info.aroflo.businessUnits[0]!.orgid}`,
        `arofloTaskTypeId=${info.aroflo.taskTypes[0]!.tasktypeid}`,
      ).code,
    ).toBe(0);
    expect(cli('mappings', 'enable', 'ghl-aroflo').code).toBe(1); // not previewed yet
    const preview = cli('mappings', 'preview', 'ghl-aroflo', '--json');
    expect(preview.code, preview.err).toBe(0);
    const plan = JSON.parse(preview.out) as { counts: { create: number } };
    expect(plan.counts.create).toBeGreaterThan(0);
    expect(cli('mappings', 'enable', 'ghl-aroflo').code).toBe(0);

    const dry = JSON.parse(cli('sync', '--once', '--dry-run', '--json').out) as {
      dryRun: boolean;
      created: Record<string, number>;
    };
    expect(dry.dryRun).toBe(true);
    // A dry run reports what it would do (issue 17 item 1), in JSON and in words.
    expect(dry.created.contact).toBeGreaterThan(0);
    const dryText = cli('sync', '--once', '--dry-run').out;
    expect(dryText).toMatch(/would create: [1-9]\d* \(.*contacts/);
    expect(dryText).not.toMatch(/created: none/);
    const s = cli('sync', '--once', '--json');
    expect(s.code, s.err).toBe(0);
    const summary = JSON.parse(s.out) as {
      run: string;
      status: string;
      created: Record<string, number>;
      requests: Record<string, number>;
      durationMs: number;
    };
    expect(summary.status).toBe('ok');
    expect(summary.created.contact).toBe(dry.created.contact);
    expect(summary.requests.aroflo).toBeGreaterThan(0);
    expect(Object.keys(summary)).toEqual(
      expect.arrayContaining([
        'run',
        'dryRun',
        'created',
        'updated',
        'deleted',
        'conflicts',
        'errors',
        'requests',
        'durationMs',
      ]),
    );

    const st = JSON.parse(cli('status', '--json').out) as {
      lastRun: { id: string };
      connections: Array<{ health: string }>;
    };
    expect(st.lastRun.id).toBe(summary.run);
    // Words and local times, never codes or raw ids (issue 17 item 5).
    const words = cli('status').out;
    expect(words).toMatch(/HighLevel: not checked yet/);
    expect(words).toMatch(/Last sync: .*\d.*(GMT|UTC)/);
    expect(t.out).toMatch(/LinkedIn account Sam Lee is logged out/);
    expect(words).not.toMatch(/not_configured|unknown|\bok\b/);
    expect(words).not.toContain(info.ghl.locationId);
    expect(cli('conflicts', 'list').out).toMatch(/No open conflicts|open/);

    const csvFile = join(profile, 'audit.csv');
    expect(cli('audit', 'export', '--out', csvFile).code).toBe(0);
    const csv = readFileSync(csvFile, 'utf8');
    expect(csv.split('\r\n')[0]).toBe(
      '\uFEFF"Time","Run","Started by","System","Record type","Record","Action","Field","Before","After","Note","Undone by run","Record ID"',
    );
    expect(csv).toContain(summary.run);

    const u = cli('undo', summary.run);
    expect(u.code, u.err).toBe(0);
    expect(u.out).toMatch(/Reverted \d+ change/);

    // Secrets never reach what the commands print.
    for (const secret of [info.ghl.privateToken, info.aroflo.secretKey, info.aroflo.pEncoded, info.aimfox.apiKey]) {
      expect(s.out + s.err + t.out + t.err + csv).not.toContain(secret);
    }
  }, 240_000);
});
