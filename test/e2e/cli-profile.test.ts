/**
 * Several real ghl-bridge processes on one profile, against the GHL sandbox over HTTP (its refresh tokens are
 * single-use, as HighLevel's: main/sandbox/ghl/README.md): concurrent token refreshes sign nobody out, one
 * long-running process per profile, one sync run at a time across processes; and the profile rules of the command
 * (no silent new profile, read-only commands never create one, login without a terminal, a sign-in that could not be
 * read later is not "ok", a listing whose read failed is an error).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import got from 'got';
import { startGhlSandbox } from '../../main/sandbox/ghl/index.js';
import { generateWorld } from '../../main/sandbox/world.js';
import { refreshTokens, type OAuthTokens } from '../../main/connectors/oauth/token-endpoint.js';
import { FileVault, envKeySource } from '../../main/store/vault.js';
import { freePort } from '../support/ports.js';
import { consentForm } from '../support/consent-page.js';

const BIN = join(import.meta.dirname, '../../bin/ghl-bridge.mjs');
const root = mkdtempSync(join(tmpdir(), 'ghlb-profile-'));
const KEY = randomBytes(32).toString('base64');
const baseEnv: NodeJS.ProcessEnv = { ...process.env, GHL_BRIDGE_VAULT_KEY: KEY };
delete baseEnv.GHL_BRIDGE_HOME;

type Sandbox = Awaited<ReturnType<typeof startGhlSandbox>>;
let sb: Sandbox;
let redirectUri: string;
const children: ChildProcess[] = [];

interface Result {
  code: number | null;
  out: string;
  err: string;
}

function start(args: string[], env: NodeJS.ProcessEnv = baseEnv): ChildProcess {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return child;
}

function finish(child: ChildProcess): Promise<Result> {
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, out, err })));
}

const cli = (args: string[], env?: NodeJS.ProcessEnv): Promise<Result> => finish(start(args, env));

/** The first stdout line matching `re` (the child keeps running). */
function lineMatching(child: ChildProcess, re: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (l) => {
      if (re.test(l)) {
        rl.close();
        resolve(l);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited (${code}) before printing ${re}`)));
  });
}

/** Be the person's browser on the sandbox's consent page: pick the sub-account, press Allow, follow the redirect. */
async function consent(authorizeUrl: string): Promise<void> {
  const page = await got(authorizeUrl);
  const { action, fields } = consentForm(page.body);
  const res = await got.post(new URL(action, authorizeUrl).toString(), {
    form: { ...fields, locationId: sb.credentials.locationId, decision: 'allow' },
    followRedirect: false,
  });
  await got(res.headers.location as string);
}

/** Sign a new profile in to the sandbox by OAuth with the real `login` command (the browser part done by `consent`). */
async function oauthProfile(name: string): Promise<string> {
  const dir = join(root, name);
  const o = sb.credentials.oauth;
  const login = start([
    'login',
    'ghl',
    '--client-id',
    o.clientId,
    '--client-secret',
    o.clientSecret,
    '--redirect-uri',
    redirectUri,
    '--base-url',
    sb.baseUrl,
    '--authorize-url',
    o.authorizeUrl,
    '--profile',
    dir,
    '--create',
  ]);
  const done = finish(login);
  const url = await lineMatching(login, /^http:\/\/127\.0\.0\.1:\d+\/.*chooselocation/);
  await consent(url);
  const r = await done;
  expect(r.code, r.out + r.err).toBe(0);
  return dir;
}

const vaultOf = (dir: string) => new FileVault(join(dir, 'secrets.vault'), envKeySource(baseEnv)!);
const storedTokens = async (dir: string) => JSON.parse((await vaultOf(dir).get('ghl.tokens'))!) as OAuthTokens;
const tokenPosts = () => sb.stats().byEndpoint['POST /oauth/token'] ?? 0;

beforeAll(async () => {
  redirectUri = `http://127.0.0.1:${await freePort()}/oauth/callback`;
  sb = await startGhlSandbox({
    world: generateWorld({ seed: 11, contacts: 12 }),
    port: 0,
    rateLimits: 'off',
    admin: true,
    redirectUris: [redirectUri],
  });
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await sb?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('two processes on one profile', () => {
  it('refresh the single-use GHL token at the same time: nobody is signed out and the vault holds the latest pair', async () => {
    const dir = await oauthProfile('refresh');
    // Make the stored access token due for renewal, so both commands refresh as soon as they call HighLevel, and
    // hold every token request in the sandbox for a moment so the two refreshes overlap for certain.
    const t0 = await storedTokens(dir);
    await vaultOf(dir).set('ghl.tokens', JSON.stringify({ ...t0, expiresAt: Date.now() + 5_000 }));
    sb.faults.set('system=ghl,path=POST /oauth/token,rate=1,kinds=latency,latency=1500');
    const before = tokenPosts();
    try {
      const [a, b] = await Promise.all([
        cli(['test-connection', 'ghl', '--profile', dir]),
        cli(['test-connection', 'ghl', '--profile', dir]),
      ]);
      expect(a.code, a.out + a.err).toBe(0);
      expect(b.code, b.out + b.err).toBe(0);
      expect(a.out).toMatch(/HighLevel: connected/);
      expect(b.out).toMatch(/HighLevel: connected/);
      // One refresh: the second process found the pair already rotated and used it instead of spending the old one.
      expect(tokenPosts() - before).toBe(1);
    } finally {
      sb.faults.set(undefined);
    }
    const latest = await storedTokens(dir);
    expect(latest.refreshToken).not.toBe(t0.refreshToken);
    // The pair on disk is the live one: its refresh token is accepted (the spent one would be refused).
    const next = await refreshTokens(
      {
        tokenUrl: `${sb.baseUrl}/oauth/token`,
        clientId: sb.credentials.oauth.clientId,
        clientSecret: sb.credentials.oauth.clientSecret,
      },
      latest,
      { redirectUri },
    );
    expect(next.refreshToken).toBeTruthy();
  }, 120_000);

  it('one long-running process per profile: a second serve is refused and named, short commands run beside it', async () => {
    const dir = await oauthProfile('lock');
    const first = start(['serve', '--no-sync', '--port', '0', '--profile', dir]);
    await lineMatching(first, /GHL Bridge is running/);

    const second = await cli(['serve', '--no-sync', '--port', '0', '--profile', dir]);
    expect(second.code).toBe(1);
    expect(second.err).toMatch(/already in use by ghl-bridge serve \(process \d+/);
    expect(second.err).toMatch(/Short commands such as status/);

    const st = await cli(['status', '--profile', dir]);
    expect(st.code, st.err).toBe(0);
    const t = await cli(['test-connection', 'ghl', '--profile', dir]);
    expect(t.code, t.out + t.err).toBe(0);

    // A holder killed without a chance to clean up leaves a lock whose process is gone: the next one takes over.
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const third = start(['serve', '--no-sync', '--port', '0', '--profile', dir]);
    await lineMatching(third, /GHL Bridge is running/);
    third.kill('SIGTERM');
    await new Promise((r) => third.once('exit', r));
  }, 120_000);

  it('a sync run in another process is not overlapped: sync --once says where the run is, and runs once it is gone', async () => {
    const dir = join(root, 'runlock');
    const pit = await cli([
      'login',
      'ghl',
      '--token',
      sb.credentials.privateToken,
      '--location',
      sb.credentials.locationId,
      '--base-url',
      sb.baseUrl,
      '--profile',
      dir,
      '--create',
    ]);
    expect(pit.code, pit.out + pit.err).toBe(0);
    // Another process (alive) holds the run lock, as the app does while it syncs.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    children.push(other);
    const boot = existsSync('/proc/sys/kernel/random/boot_id')
      ? readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
      : undefined;
    writeFileSync(
      join(dir, 'sync.lock'),
      JSON.stringify({
        pid: other.pid,
        host: hostname(),
        boot,
        command: 'the GHL Bridge app',
        since: Date.now(),
        token: 'other-process',
      }),
    );
    const busy = await cli(['sync', '--once', '--profile', dir]);
    expect(busy.code).toBe(1);
    expect(busy.err).toMatch(/A sync is running in the GHL Bridge app \(process \d+/);

    other.kill('SIGKILL');
    await new Promise((r) => other.once('exit', r));
    const after = await cli(['sync', '--once', '--profile', dir]);
    expect(after.err).not.toMatch(/A sync is running/);
    expect(after.err).toMatch(/Nothing to sync yet/);
  }, 120_000);
});

describe('the demo and the command line', () => {
  it('a command pointed at a running demo works the way the demo prints it', async () => {
    const env = { ...baseEnv };
    delete env.GHL_BRIDGE_VAULT_KEY; // the demo makes a throwaway key and prints it with the command
    const demo = start(['demo', '--contacts', '6', '--rate-limits', 'x50', '--port', '0'], env);
    const line = await lineMatching(demo, /npx ghl-bridge status --profile/);
    const m = /GHL_BRIDGE_VAULT_KEY='([^']+)' npx ghl-bridge status --profile '([^']+)'/.exec(line);
    expect(m, line).toBeTruthy();
    const st = await cli(['status', '--profile', m![2]!], { ...env, GHL_BRIDGE_VAULT_KEY: m![1] });
    expect(st.code, st.err).toBe(0);
    expect(st.out).toMatch(/Last sync: .*, finished/);
    expect(st.err).not.toMatch(/secret store/);
    const tc = await cli(['test-connection', '--profile', m![2]!], { ...env, GHL_BRIDGE_VAULT_KEY: m![1] });
    expect(tc.code, tc.out + tc.err).toBe(0);
    expect(tc.out).toMatch(/HighLevel: connected/);
    expect(tc.out).toMatch(/AroFlo: connected/);
    // A second long-running process on the demo's profile is refused; the demo keeps running.
    const again = await cli(['serve', '--no-sync', '--port', '0', '--profile', m![2]!], {
      ...env,
      GHL_BRIDGE_VAULT_KEY: m![1],
    });
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/in use by ghl-bridge demo/);
    demo.kill('SIGTERM');
    await new Promise((r) => demo.once('exit', r));
  }, 180_000);
});

describe('the command and its profile', () => {
  it('refuses a --profile folder that holds no profile unless --create; read-only commands never create one', async () => {
    const missing = join(root, 'typo', 'profile');
    for (const args of [
      ['status'],
      ['conflicts', 'list'],
      ['audit', 'export'],
      ['mappings', 'list'],
      ['mappings', 'options'],
      ['mappings', '--pair', 'ghl-aroflo', '--json'],
      ['mappings', '--pair', 'ghl-aroflo', '--catalogue'],
      ['status', '--create'],
    ]) {
      const r = await cli([...args, '--profile', missing]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err).toMatch(/There is no GHL Bridge profile in .*typo/);
      expect(r.err).toMatch(/never creates one/);
      expect(existsSync(join(root, 'typo'))).toBe(false);
    }
    const sync = await cli(['sync', '--once', '--profile', missing]);
    expect(sync.code).toBe(1);
    expect(sync.err).toMatch(/add --create/);
    const login = await cli([
      'login',
      'ghl',
      '--token',
      sb.credentials.privateToken,
      '--location',
      sb.credentials.locationId,
      '--base-url',
      sb.baseUrl,
      '--profile',
      missing,
    ]);
    expect(login.code).toBe(1);
    expect(login.err).toMatch(/add --create/);
    expect(existsSync(join(root, 'typo'))).toBe(false);
    const demo = await cli(['demo', '--once', '--contacts', '3', '--profile', missing]);
    expect(demo.code).toBe(1);
    expect(demo.err).toMatch(/add --create/);
    expect(existsSync(join(root, 'typo'))).toBe(false);
    // The same through GHL_BRIDGE_HOME (a service manager's setting).
    const home = await cli(['status'], { ...baseEnv, GHL_BRIDGE_HOME: missing });
    expect(home.code).toBe(1);
    expect(existsSync(join(root, 'typo'))).toBe(false);

    const created = await cli([
      'login',
      'ghl',
      '--token',
      sb.credentials.privateToken,
      '--location',
      sb.credentials.locationId,
      '--base-url',
      sb.baseUrl,
      '--profile',
      missing,
      '--create',
    ]);
    expect(created.code, created.err).toBe(0);
    expect(created.out).toMatch(/HighLevel: connected/);
    expect((await cli(['status', '--profile', missing])).code).toBe(0);
  }, 120_000);

  it('login without a terminal names the option it needs', async () => {
    const dir = join(root, 'notty');
    const ghl = await cli(['login', 'ghl', '--profile', dir, '--create']);
    expect(ghl.code).toBe(1);
    expect(ghl.err).toMatch(/no terminal/);
    expect(ghl.err).toMatch(/--token T --location L/);
    expect(ghl.err).toMatch(/--client-id ID --client-secret S/);
    const loc = await cli(['login', 'ghl', '--token', 'pit-0123456789', '--profile', dir, '--create']);
    expect(loc.err).toMatch(/pass it as --location/);
    const aimfox = await cli(['login', 'aimfox', '--profile', dir, '--create']);
    expect(aimfox.err).toMatch(/pass it as --key/);
    const aroflo = await cli(['login', 'aroflo', '--profile', dir, '--create']);
    expect(aroflo.err).toMatch(/pass it as --u/);
  }, 60_000);

  it('a sign-in that could not be read by the next command is refused at sign-in, with what to do', async () => {
    const dir = join(root, 'nokey');
    // No GHL_BRIDGE_VAULT_KEY and no Secret Service (no D-Bus session): nowhere persistent for the vault key.
    const env: NodeJS.ProcessEnv = { ...baseEnv, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' };
    delete env.GHL_BRIDGE_VAULT_KEY;
    const r = await cli(
      [
        'login',
        'ghl',
        '--token',
        sb.credentials.privateToken,
        '--location',
        sb.credentials.locationId,
        '--base-url',
        sb.baseUrl,
        '--profile',
        dir,
        '--create',
      ],
      env,
    );
    expect(r.code).toBe(1);
    expect(r.out).not.toMatch(/HighLevel: connected/);
    expect(r.err).toMatch(/GHL_BRIDGE_VAULT_KEY/);
    expect(r.err).toMatch(/openssl rand -base64 32/);

    const weak = await cli(
      [
        'login',
        'ghl',
        '--token',
        sb.credentials.privateToken,
        '--location',
        sb.credentials.locationId,
        '--base-url',
        sb.baseUrl,
        '--profile',
        dir,
        '--create',
      ],
      { ...baseEnv, GHL_BRIDGE_VAULT_KEY: 'cli-test-key' },
    );
    expect(weak.code).toBe(1);
    expect(weak.err).toMatch(/GHL_BRIDGE_VAULT_KEY is refused: 12 characters is too short/);
  }, 60_000);

  it('mappings options never prints an empty list where a read failed', async () => {
    const dir = join(root, 'options');
    const ok = await cli([
      'login',
      'ghl',
      '--token',
      sb.credentials.privateToken,
      '--location',
      sb.credentials.locationId,
      '--base-url',
      sb.baseUrl,
      '--profile',
      dir,
      '--create',
    ]);
    expect(ok.code, ok.err).toBe(0);
    const good = await cli(['mappings', 'options', '--profile', dir]);
    expect(good.code, good.err).toBe(0);
    expect(good.out).toMatch(/ghlCustomFields: .*\[/);

    // The vault cannot be opened (another key): an error and a non-zero exit, not lists of "(none)".
    const wrongKey = await cli(['mappings', 'options', '--profile', dir], {
      ...baseEnv,
      GHL_BRIDGE_VAULT_KEY: randomBytes(32).toString('hex'),
    });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.err).toMatch(/secret store could not be opened/);
    expect(wrongKey.out).not.toMatch(/\(none\)/);
    for (const args of [['status'], ['test-connection']]) {
      const r = await cli([...args, '--profile', dir], {
        ...baseEnv,
        GHL_BRIDGE_VAULT_KEY: randomBytes(32).toString('hex'),
      });
      expect(r.code, args[0]).toBe(1);
      expect(r.err).toMatch(/secret store could not be opened: .*wrong key/);
    }

    // HighLevel fails the custom-field read.
    sb.faults.set('system=ghl,path=/customFields,rate=1,kinds=5xx');
    try {
      const failed = await cli(['mappings', 'options', '--profile', dir]);
      expect(failed.code).toBe(1);
      expect(failed.err).toMatch(/Could not load HighLevel custom fields/);
      expect(failed.out).not.toMatch(/ghlCustomFields: \(none\)/);
    } finally {
      sb.faults.set(undefined);
    }
  }, 60_000);
});
