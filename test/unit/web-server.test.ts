/**
 * Serve mode over real HTTP on 127.0.0.1, in front of the real service on a fresh temporary profile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createService } from '../../main/service/index.js';
import type { Service } from '../../main/service/index.js';
import { startWebServer } from '../../main/web/server.js';
import type { WebServer } from '../../main/web/server.js';
import { tokenCookieName } from '../../main/web/guards.js';
import type { AppStatus, BridgeEvent } from '../../preload/contract.js';

let dir: string;
let staticDir: string;
let service: Service;
let server: WebServer;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ghlb-web-'));
  staticDir = join(dir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>GHL Bridge</title><p>window</p>');
  writeFileSync(join(dir, 'outside.txt'), 'must not be served');
  service = await createService({ profileDir: join(dir, 'profile'), version: '7.7.7', env: { GHL_BRIDGE_VAULT_KEY: '91be01e708d280bb1af33259e181a1a18958d9f73376bdc42504fb616b0787d1' } });
  server = await startWebServer({ service, staticDir });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server?.close();
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with full control over Host/Origin (fetch does not allow setting Host). */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const auth = () => ({ authorization: `Bearer ${server.token}`, 'content-type': 'application/json' });
const call = (method: string, arg: unknown = {}, headers: Record<string, string> = auth()) => raw('POST', `/api/${method}`, headers, JSON.stringify(arg));

describe('starting serve mode', () => {
  it('listens on 127.0.0.1 with a 32-byte random token carried in the URL', () => {
    expect(server.url).toBe(`${base}/?token=${encodeURIComponent(server.token)}`);
    expect(Buffer.from(server.token, 'base64url')).toHaveLength(32);
  });

  it('refuses any other host and a missing renderer build', async () => {
    await expect(startWebServer({ service, staticDir, host: '0.0.0.0' as '127.0.0.1' })).rejects.toThrow(/only listens on 127\.0\.0\.1/);
    await expect(startWebServer({ service, staticDir: join(dir, 'nope') })).rejects.toThrow(/npm run build:renderer/);
  });
});

describe('the page and its access cookie', () => {
  it('trades ?token= for an HttpOnly SameSite=Strict cookie and drops it from the address', async () => {
    const res = await raw('GET', `/?token=${encodeURIComponent(server.token)}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toContain(`${tokenCookieName(server.port)}=`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const cookiePair = cookie.split(';')[0]!;
    const status = await call('getStatus', {}, { cookie: cookiePair, 'content-type': 'application/json' });
    expect(status.status).toBe(200);
  });

  it('a wrong ?token= sets no cookie', async () => {
    const res = await raw('GET', '/?token=wrong');
    expect(res.status).toBe(303);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('serves the window with the CSP and security headers, nothing outside its folder', async () => {
    const res = await raw('GET', '/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>GHL Bridge</title>');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'self'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    for (const path of ['/../outside.txt', '/%2e%2e/outside.txt', '/..%2foutside.txt']) {
      const r = await raw('GET', path);
      expect(r.body, path).not.toContain('must not be served');
    }
  });

  it('refuses a foreign Host even for the page (DNS rebinding)', async () => {
    const res = await raw('GET', '/', { host: `attacker.example:${server.port}` });
    expect(res.status).toBe(403);
  });
});

describe('POST /api/<method>', () => {
  it('answers with the real handler result', async () => {
    const res = await call('getStatus');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const status = JSON.parse(res.body) as AppStatus;
    expect(status.version).toBe('7.7.7');
    expect(status.profileDir).toBe(join(dir, 'profile'));
    expect(status.dbLevel).toBeGreaterThan(0);
    expect(status.connections.map((c) => c.system).sort()).toEqual(['aimfox', 'aroflo', 'ghl']);
  });

  it('passes the JSON body as the argument', async () => {
    const res = await call('listConflicts', { limit: 5, kind: 'conflict' });
    expect(JSON.parse(res.body)).toEqual({ items: [], total: 0 });
  });

  it('refuses calls without the token, with a wrong one, from a foreign Origin or Host', async () => {
    const noToken = await call('getStatus', {}, { 'content-type': 'application/json' });
    expect(noToken.status).toBe(401);
    expect(JSON.parse(noToken.body).error.kind).toBe('unauthorized');
    expect((await call('getStatus', {}, { ...auth(), authorization: 'Bearer nope' })).status).toBe(401);
    expect((await call('getStatus', {}, { ...auth(), origin: 'http://evil.example' })).status).toBe(403);
    expect((await call('getStatus', {}, { ...auth(), host: `localhost.evil.example:${server.port}` })).status).toBe(403);
    expect((await call('getStatus', {}, { ...auth(), origin: base })).status).toBe(200);
  });

  it('a refused call does not run the handler', async () => {
    const before = JSON.parse((await call('getStatus')).body) as AppStatus;
    expect(before.paused).toBe(false);
    const res = await call('pause', {}, { 'content-type': 'application/json', origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect((JSON.parse((await call('getStatus')).body) as AppStatus).paused).toBe(false);
  });

  it('answers only the bridge methods', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const res = await call(name);
      expect(res.status, name).toBe(404);
      expect(JSON.parse(res.body).error.kind).toBe('not_found');
    }
    expect((await raw('GET', '/api/getStatus', auth())).status).toBe(404);
  });

  it("returns a handler's refusal as { error: { message, kind } } with a 4xx status", async () => {
    const res = await call('getConflict', { id: 'does-not-exist' });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toEqual({ error: { kind: 'not_found', message: 'That conflict no longer exists.' } });
  });

  it('malformed JSON and non-JSON bodies are refused without a stack trace', async () => {
    const bad = await raw('POST', '/api/getStatus', auth(), '{"limit":');
    expect(bad.status).toBe(400);
    const body = JSON.parse(bad.body);
    expect(body.error.message).toBeTruthy();
    expect(bad.body).not.toMatch(/\n\s+at |node_modules/);
    const text = await raw('POST', '/api/getStatus', { authorization: `Bearer ${server.token}`, 'content-type': 'text/plain' }, 'hi');
    expect(text.status).toBe(415);
  });
});

describe('GET /api/events', () => {
  it('needs the token', async () => {
    const res = await raw('GET', '/api/events');
    expect(res.status).toBe(401);
  });

  it('streams bridge events as Server-Sent Events', async () => {
    const events: BridgeEvent[] = [];
    const res = await fetch(`${base}/api/events`, { headers: { cookie: `${tokenCookieName(server.port)}=${server.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    // Something that makes the service publish: pausing logs a line and publishes the new status.
    const trigger = call('pause');
    for (let i = 0; i < 50 && events.length === 0; i++) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      for (const frame of buffer.split('\n\n').slice(0, -1)) {
        const data = frame.split('\n').find((l) => l.startsWith('data: '));
        if (data) events.push(JSON.parse(data.slice(6)) as BridgeEvent);
      }
      buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2);
    }
    await trigger;
    await reader.cancel();
    expect(events.length).toBeGreaterThan(0);
    expect(['status', 'log']).toContain(events[0]!.type);
    await call('resume');
  });

  it('close() ends open event streams and stops listening', async () => {
    const extra = await startWebServer({ service, staticDir });
    const res = await fetch(`http://127.0.0.1:${extra.port}/api/events`, { headers: { authorization: `Bearer ${extra.token}` } });
    const reader = res.body!.getReader();
    await reader.read(); // the opening comment
    await extra.close();
    let done = false;
    for (let i = 0; i < 20 && !done; i++) done = (await reader.read()).done;
    expect(done).toBe(true);
    await expect(fetch(`http://127.0.0.1:${extra.port}/`)).rejects.toThrow();
  });
});
