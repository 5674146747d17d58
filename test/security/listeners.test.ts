/**
 * Nobody gets in over the network. Serve mode and the sign-in listener answer on loopback only (not on any other
 * address of this machine, not on IPv6 ::1); serve mode refuses missing or wrong tokens, foreign Origins and foreign
 * Hosts (DNS rebinding) over real HTTP, for generated hosts and origins too; the HighLevel sign-in through the bridge
 * API allows one login at a time, rejects a wrong or replayed state without ending the login, answers once, and closes.
 * (test/unit/web-server.test.ts, oauth-loopback.test.ts and integration/ghl-oauth.test.ts check the named cases.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import got from 'got';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGhlSandbox } from '../../main/sandbox/ghl/index.js';
import { generateWorld } from '../../main/sandbox/world.js';
import { createService, type Service } from '../../main/service/index.js';
import { startWebServer, type WebServer } from '../../main/web/server.js';
import { freePort } from '../support/ports.js';

let svc: Service;
let web: WebServer;
let sb: Awaited<ReturnType<typeof startGhlSandbox>>;
let redirectUri: string;
const dirs: string[] = [];

/** Every address of this machine but IPv4 loopback, plus ::1. */
function otherAddresses(): string[] {
  const out = new Set(['::1']);
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (a.address !== '127.0.0.1') out.add(a.address.split('%')[0]!);
  return [...out];
}

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: 1_000 });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

/** A raw request with exactly these headers (got would fix Host and add its own). */
function raw(
  port: number,
  path: string,
  headers: Record<string, string>,
  method = 'POST',
  body = '{}',
): Promise<number> {
  return new Promise((resolve, reject) => {
    const r = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        headers: { 'content-type': 'application/json', ...headers },
        setHost: false,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    r.on('error', reject);
    r.end(method === 'POST' ? body : undefined);
  });
}

beforeAll(async () => {
  redirectUri = `http://127.0.0.1:${await freePort()}/oauth/callback`;
  sb = await startGhlSandbox({
    world: generateWorld({ seed: 3, contacts: 5 }),
    port: 0,
    rateLimits: 'off',
    admin: true,
    redirectUris: [redirectUri],
  });
  const dir = mkdtempSync(join(tmpdir(), 'ghlb-listen-'));
  const staticDir = mkdtempSync(join(tmpdir(), 'ghlb-listen-web-'));
  dirs.push(dir, staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>GHL Bridge</title>');
  svc = await createService({
    profileDir: dir,
    env: { GHL_BRIDGE_VAULT_KEY: '8d979fc92415f46c8399d1bc74a4ce16c6c8a85de1e86f75c6a43f35d7ddd2c7' },
  });
  svc.connections.setEndpoints({
    ghl: sb.baseUrl,
    ghlAuthorize: sb.credentials.oauth.authorizeUrl,
    aroflo: 'http://127.0.0.1:9/',
    aimfox: 'http://127.0.0.1:9/',
  });
  await svc.api.saveGhlOAuthApp({
    clientId: sb.credentials.oauth.clientId,
    clientSecret: sb.credentials.oauth.clientSecret,
    redirectUri,
  });
  web = await startWebServer({ service: svc, staticDir });
});

afterAll(async () => {
  await web?.close();
  await svc?.close();
  await sb?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('serve mode', () => {
  it('answers on 127.0.0.1 only — not on ::1 or any other address of this machine', async () => {
    expect(await reachable('127.0.0.1', web.port)).toBe(true);
    for (const a of otherAddresses()) expect(await reachable(a, web.port), a).toBe(false);
  });

  it('refuses a missing or wrong token, a foreign Origin and a foreign Host, for any host and origin', async () => {
    const host = `127.0.0.1:${web.port}`;
    const auth = { authorization: `Bearer ${web.token}` };
    expect(await raw(web.port, '/api/getStatus', { host, ...auth })).toBe(200);
    expect(await raw(web.port, '/api/getStatus', { host })).toBe(401);
    expect(await raw(web.port, '/api/getStatus', { host, authorization: `Bearer ${web.token}x` })).toBe(401);
    expect(await raw(web.port, '/api/getStatus', { host, authorization: `Bearer ${web.token.slice(0, -1)}` })).toBe(
      401,
    );
    const foreignHost = fc.oneof(
      fc.domain().map((d) => `${d}:${web.port}`),
      fc.constantFrom(
        `127.0.0.1.evil.example:${web.port}`,
        `localhost.:${web.port}`,
        `[::1]:${web.port}`,
        `127.0.0.1:${web.port + 1}`,
        '127.0.0.1',
        `0.0.0.0:${web.port}`,
        `127.1:${web.port}`,
        `2130706433:${web.port}`,
      ),
    );
    await fc.assert(
      fc.asyncProperty(foreignHost, async (h) => {
        expect(await raw(web.port, '/api/getStatus', { host: h, ...auth }), h).toBe(403);
        expect(await raw(web.port, '/api/events', { host: h, ...auth }, 'GET'), h).toBe(403);
      }),
      { numRuns: 40 },
    );
    const foreignOrigin = fc.oneof(
      fc.webUrl().map((u) => new URL(u).origin),
      fc.constantFrom(
        'null',
        `http://localhost:${web.port}`,
        `https://127.0.0.1:${web.port}`,
        `http://127.0.0.1:${web.port + 1}`,
        'file://',
        `http://127.0.0.1:${web.port}.evil.example`,
      ),
    );
    await fc.assert(
      fc.asyncProperty(foreignOrigin, async (origin) => {
        expect(await raw(web.port, '/api/getStatus', { host, origin, ...auth }), origin).toBe(403);
      }),
      { numRuns: 40 },
    );
  });
});

describe('HighLevel sign-in through the bridge API', () => {
  it('one login at a time; a wrong or replayed state is rejected; it answers once on 127.0.0.1 only, then closes', async () => {
    const port = Number(new URL(redirectUri).port);
    const { authorizeUrl } = await svc.api.startGhlLogin();
    // A second sign-in while the first waits in the browser is refused clearly.
    await expect(svc.api.startGhlLogin()).rejects.toThrow(/already waiting/);
    expect(await reachable('127.0.0.1', port)).toBe(true);
    for (const a of otherAddresses()) expect(await reachable(a, port), a).toBe(false);
    // A forged callback (wrong state) is refused and does not end the login.
    const forged = await got(`${redirectUri}?code=stolen&state=not-the-state`, { throwHttpErrors: false });
    expect(forged.statusCode).toBe(400);
    // The real consent comes back once…
    const done = new Promise((resolve) => svc.subscribe((e) => e.type === 'login' && resolve(e)));
    const state = new URL(authorizeUrl).searchParams.get('state')!;
    const consentPage = await got(authorizeUrl);
    const action = new URL(
      /<form[^>]*action="([^"]+)"/.exec(consentPage.body)![1]!.replace(/&amp;/g, '&'),
      authorizeUrl,
    ).toString();
    const fields: Record<string, string> = {};
    for (const m of consentPage.body.matchAll(/<input\b[^>]*type="hidden"[^>]*>/g))
      fields[/name="([^"]*)"/.exec(m[0])![1]!] = (/value="([^"]*)"/.exec(m[0])?.[1] ?? '').replace(/&amp;/g, '&');
    const redirect = await got.post(action, {
      form: { ...fields, locationId: sb.credentials.locationId, decision: 'allow' },
      followRedirect: false,
    });
    const callback = redirect.headers.location as string;
    expect(new URL(callback).searchParams.get('state')).toBe(state);
    expect((await got(callback)).statusCode).toBe(200);
    expect(await done).toMatchObject({ ok: true });
    // …and a replay of the same callback finds nobody listening.
    await expect(got(callback, { retry: { limit: 0 } })).rejects.toThrow(/ECONNREFUSED/);
    expect(await reachable('127.0.0.1', port)).toBe(false);
    // The slot is free again.
    const again = await svc.api.startGhlLogin();
    expect(again.authorizeUrl).toContain('state=');
    await got(`${redirectUri}?error=access_denied&state=${new URL(again.authorizeUrl).searchParams.get('state')}`, {
      throwHttpErrors: false,
    });
  });
});
