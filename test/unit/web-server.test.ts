/**
 * Serve mode over real HTTP on 127.0.0.1, in front of the real service on a fresh temporary profile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createService } from '../../main/service/index.js';
import type { Service } from '../../main/service/index.js';
import { startWebServer } from '../../main/web/server.js';
import { offerLaunchLinks } from '../../main/cli/serve.js';
import type { WebServer } from '../../main/web/server.js';
import { sessionCookieName } from '../../main/web/guards.js';
import { SESSION_IDLE_MS, SESSION_MAX_MS, TICKET_TTL_MS } from '../../main/web/sessions.js';
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
  service = await createService({
    profileDir: join(dir, 'profile'),
    version: '7.7.7',
    env: { GHL_BRIDGE_VAULT_KEY: '91be01e708d280bb1af33259e181a1a18958d9f73376bdc42504fb616b0787d1' },
  });
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
function rawAt(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const length: Record<string, string> =
      body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) };
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: { host: `127.0.0.1:${port}`, ...length, ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const raw = (method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Raw> =>
  rawAt(server.port, method, path, headers, body);

const auth = () => ({ authorization: `Bearer ${server.token}`, 'content-type': 'application/json' });
const call = (method: string, arg: unknown = {}, headers: Record<string, string> = auth()) =>
  raw('POST', `/api/${method}`, headers, JSON.stringify(arg));

describe('starting serve mode', () => {
  it('listens on 127.0.0.1 with a 32-byte random master token that is not in the launch link', () => {
    expect(server.origin).toBe(base);
    expect(Buffer.from(server.token, 'base64url')).toHaveLength(32);
    const link = new URL(server.launchUrl());
    expect(link.origin).toBe(base);
    expect(link.pathname).toBe('/');
    expect([...link.searchParams.keys()]).toEqual(['ticket']);
    expect(link.href).not.toContain(server.token);
    expect(Buffer.from(link.searchParams.get('ticket')!, 'base64url')).toHaveLength(32);
    expect(server.launchUrl()).not.toBe(link.href);
  });

  it('refuses any other host and a missing renderer build', async () => {
    await expect(startWebServer({ service, staticDir, host: '0.0.0.0' as '127.0.0.1' })).rejects.toThrow(
      /only listens on 127\.0\.0\.1/,
    );
    await expect(startWebServer({ service, staticDir: join(dir, 'nope') })).rejects.toThrow(/npm run build:renderer/);
  });
});

/** Opens a launch link as a browser would; the session cookie (name=value) when one was set. */
async function openLink(link: string, port = server.port): Promise<{ res: Raw; cookie: string | undefined }> {
  const u = new URL(link);
  const res = await rawAt(port, 'GET', u.pathname + u.search);
  const set = res.headers['set-cookie'];
  return { res, cookie: set ? String(set).split(';')[0] : undefined };
}

const withCookie = (cookie: string) => ({ cookie, 'content-type': 'application/json' });

describe('the launch link and the session cookie', () => {
  it('trades a launch ticket for an HttpOnly SameSite=Strict session cookie and drops it from the address', async () => {
    const { res, cookie } = await openLink(server.launchUrl());
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const set = String(res.headers['set-cookie']);
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    expect(set).toMatch(/Path=\//);
    expect(set).toContain(`Max-Age=${SESSION_MAX_MS / 1000}`);
    expect(cookie!.startsWith(`${sessionCookieName(server.port)}=`)).toBe(true);
    expect((await call('getStatus', {}, withCookie(cookie!))).status).toBe(200);
  });

  it('the cookie is a separate random session id, not the master token', async () => {
    const { cookie } = await openLink(server.launchUrl());
    const value = cookie!.split('=')[1]!;
    expect(value).not.toBe(server.token);
    expect(decodeURIComponent(value)).not.toBe(server.token);
    expect(Buffer.from(value, 'base64url')).toHaveLength(32);
    // …and the master token in that cookie is not accepted.
    expect((await call('getStatus', {}, withCookie(`${sessionCookieName(server.port)}=${server.token}`))).status).toBe(
      401,
    );
  });

  it('a launch ticket works once: the second use sets no cookie', async () => {
    const link = server.launchUrl();
    expect((await openLink(link)).cookie).toBeDefined();
    const again = await openLink(link);
    expect(again.res.status).toBe(303);
    expect(again.res.headers.location).toBe('/');
    expect(again.cookie).toBeUndefined();
  });

  it('a HEAD request (a link checker) does not spend the ticket: the browser that opens it later is signed in', async () => {
    const link = new URL(server.launchUrl());
    const head = await rawAt(server.port, 'HEAD', link.pathname + link.search);
    expect(head.status).toBe(303);
    expect(head.headers['set-cookie']).toBeUndefined();
    expect((await openLink(link.href)).cookie).toBeDefined();
  });

  it('SIGUSR2 to serve signs every browser out (a leaked session cookie stops working)', async () => {
    const { cookie } = await openLink(server.launchUrl());
    expect((await call('getStatus', {}, withCookie(cookie!))).status).toBe(200);
    const lines: string[] = [];
    const stop = offerLaunchLinks(server, (l) => lines.push(l));
    try {
      process.emit('SIGUSR2');
      expect(lines.at(-1)).toMatch(/Every browser is signed out/);
      expect((await call('getStatus', {}, withCookie(cookie!))).status).toBe(401);
    } finally {
      stop();
    }
  });

  it('a wrong ticket, or the master token in the address, sets no cookie', async () => {
    for (const q of [
      '?ticket=wrong',
      `?token=${encodeURIComponent(server.token)}`,
      `?ticket=${encodeURIComponent(server.token)}`,
    ]) {
      const { res, cookie } = await openLink(`${base}/${q}`);
      expect(res.status, q).toBe(303);
      expect(res.headers.location, q).toBe('/');
      expect(cookie, q).toBeUndefined();
    }
  });

  it('always redirects to "/", never to a path taken from the request (open redirect)', async () => {
    for (const path of [
      '//evil.example/?token=x',
      '//evil.example/?ticket=x',
      '/\\evil.example/?ticket=x',
      '/somewhere/else?ticket=x',
      '///evil.example?token=x',
    ]) {
      const res = await raw('GET', path);
      if (res.status === 303) expect(res.headers.location, path).toBe('/');
      else expect(res.status, path).toBe(400);
      expect(String(res.headers.location ?? ''), path).not.toContain('evil');
    }
    expect((await raw('GET', '//evil.example/?token=x')).headers.location).toBe('/');
  });
});

describe('session lifetimes (clock injected)', () => {
  let clock = 1_000_000;
  let timed: WebServer;
  beforeAll(async () => {
    timed = await startWebServer({ service, staticDir, sessions: { now: () => clock } });
  });
  afterAll(async () => {
    await timed?.close();
  });
  const statusWith = (cookie: string) => rawAt(timed.port, 'POST', '/api/getStatus', withCookie(cookie), '{}');

  it('a launch ticket opened after it expired is refused', async () => {
    const link = timed.launchUrl();
    clock += TICKET_TTL_MS + 1;
    expect((await openLink(link, timed.port)).cookie).toBeUndefined();
    const fresh = timed.launchUrl();
    clock += TICKET_TTL_MS - 1;
    expect((await openLink(fresh, timed.port)).cookie).toBeDefined();
  });

  it('a session ends after the idle limit without a call', async () => {
    const { cookie } = await openLink(timed.launchUrl(), timed.port);
    clock += SESSION_IDLE_MS - 1;
    expect((await statusWith(cookie!)).status).toBe(200); // a call restarts the idle clock
    clock += SESSION_IDLE_MS - 1;
    expect((await statusWith(cookie!)).status).toBe(200);
    clock += SESSION_IDLE_MS + 1;
    expect((await statusWith(cookie!)).status).toBe(401);
  });

  it('a session ends at its absolute limit however busy it is', async () => {
    const { cookie } = await openLink(timed.launchUrl(), timed.port);
    const start = clock;
    while (clock - start < SESSION_MAX_MS - SESSION_IDLE_MS) {
      clock += SESSION_IDLE_MS - 1;
      expect((await statusWith(cookie!)).status).toBe(200);
    }
    clock = start + SESSION_MAX_MS + 1;
    expect((await statusWith(cookie!)).status).toBe(401);
  });

  it('DELETE /api/session signs this browser out, and only this one', async () => {
    const a = (await openLink(timed.launchUrl(), timed.port)).cookie!;
    const b = (await openLink(timed.launchUrl(), timed.port)).cookie!;
    const out = await rawAt(timed.port, 'DELETE', '/api/session', withCookie(a), '{}');
    expect(out.status, out.body).toBe(200);
    expect(String(out.headers['set-cookie'])).toMatch(/Max-Age=0/);
    expect((await statusWith(a)).status).toBe(401);
    expect((await statusWith(b)).status).toBe(200);
  });

  it("a revoked or expired session's open event stream ends (the master token's stays open)", async () => {
    const ended = async (res: Response) => {
      const reader = res.body!.getReader();
      await reader.read(); // the opening comment
      return async () => {
        for (let i = 0; i < 20; i++) if ((await reader.read()).done) return true;
        return false;
      };
    };
    const a = (await openLink(timed.launchUrl(), timed.port)).cookie!;
    const streamA = await ended(await fetch(`${timed.origin}/api/events`, { headers: { cookie: a } }));
    await rawAt(timed.port, 'DELETE', '/api/session', withCookie(a), '{}');
    expect(await streamA()).toBe(true);

    const b = (await openLink(timed.launchUrl(), timed.port)).cookie!;
    const streamB = await ended(await fetch(`${timed.origin}/api/events`, { headers: { cookie: b } }));
    const master = await fetch(`${timed.origin}/api/events`, { headers: { authorization: `Bearer ${timed.token}` } });
    const masterReader = master.body!.getReader();
    await masterReader.read();
    clock += SESSION_IDLE_MS + 1;
    const next = masterReader.read();
    await service.api.pause(); // an event: the expired session's stream ends instead of receiving it
    expect(await streamB()).toBe(true);
    expect((await next).done).toBe(false);
    await masterReader.cancel();
    await service.api.resume();
  });

  it('revokeSessions() signs every browser out and voids open tickets; the master token keeps working', async () => {
    const a = (await openLink(timed.launchUrl(), timed.port)).cookie!;
    const pending = timed.launchUrl();
    timed.revokeSessions();
    expect((await statusWith(a)).status).toBe(401);
    expect((await openLink(pending, timed.port)).cookie).toBeUndefined();
    expect(
      (
        await rawAt(
          timed.port,
          'POST',
          '/api/getStatus',
          { authorization: `Bearer ${timed.token}`, 'content-type': 'application/json' },
          '{}',
        )
      ).status,
    ).toBe(200);
  });

  it('a session does not outlive serve: a restarted server on the same port refuses it', async () => {
    const first = await startWebServer({ service, staticDir });
    const { cookie } = await openLink(first.launchUrl(), first.port);
    const port = first.port;
    expect((await rawAt(port, 'POST', '/api/getStatus', withCookie(cookie!), '{}')).status).toBe(200);
    await first.close();
    const second = await startWebServer({ service, staticDir, port });
    try {
      expect((await rawAt(port, 'POST', '/api/getStatus', withCookie(cookie!), '{}')).status).toBe(401);
    } finally {
      await second.close();
    }
  });
});

describe('the page', () => {
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
    expect((await call('getStatus', {}, { ...auth(), host: `localhost.evil.example:${server.port}` })).status).toBe(
      403,
    );
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
    const text = await raw(
      'POST',
      '/api/getStatus',
      { authorization: `Bearer ${server.token}`, 'content-type': 'text/plain' },
      'hi',
    );
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
    const { cookie } = await openLink(server.launchUrl());
    const res = await fetch(`${base}/api/events`, { headers: { cookie: cookie! } });
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
    const res = await fetch(`http://127.0.0.1:${extra.port}/api/events`, {
      headers: { authorization: `Bearer ${extra.token}` },
    });
    const reader = res.body!.getReader();
    await reader.read(); // the opening comment
    await extra.close();
    let done = false;
    for (let i = 0; i < 20 && !done; i++) done = (await reader.read()).done;
    expect(done).toBe(true);
    await expect(fetch(`http://127.0.0.1:${extra.port}/`)).rejects.toThrow();
  });
});

describe('timeouts (small values injected)', () => {
  let timed: WebServer;
  const timeouts = { requestMs: 300, connectionMs: 300, keepAliveMs: 100 };
  beforeAll(async () => {
    timed = await startWebServer({ service, staticDir, timeouts, heartbeatMs: 60_000 });
  });
  afterAll(async () => {
    await timed?.close();
  });

  it('a client that never finishes its request is disconnected', async () => {
    const closed = await new Promise<string>((resolve) => {
      const s = connect({ host: '127.0.0.1', port: timed.port }, () =>
        s.write(`POST /api/getStatus HTTP/1.1\r\nHost: 127.0.0.1:${timed.port}\r\nContent-Length: 100\r\n\r\n{`),
      );
      let answer = '';
      s.setEncoding('utf8');
      s.on('data', (c: string) => (answer += c));
      s.on('close', () => resolve(answer));
    });
    // Closed by the server (with or without a 408 first), never answered 200.
    expect(closed).not.toMatch(/^HTTP\/1\.1 200/);
  });

  it('the event stream keeps streaming well past the request and connection timeouts', async () => {
    const res = await fetch(`${timed.origin}/api/events`, { headers: { authorization: `Bearer ${timed.token}` } });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read(); // the opening comment
    // Several request and connection timeouts (and their checks) pass with nothing sent either way.
    await new Promise((r) => setTimeout(r, 6 * timeouts.requestMs));
    const next = reader.read();
    await service.api.pause();
    const chunk = await next;
    expect(chunk.done).toBe(false);
    expect(new TextDecoder().decode(chunk.value)).toMatch(/^data: /);
    await reader.cancel();
    await service.api.resume();
  });
});

describe('a cap on open connections', () => {
  it('refuses a connection beyond the cap at once; the sockets within it are served', async () => {
    const capped = await startWebServer({ service, staticDir, timeouts: { maxConnections: 2 } });
    const held = [connect({ host: '127.0.0.1', port: capped.port }), connect({ host: '127.0.0.1', port: capped.port })];
    try {
      await Promise.all(held.map((s) => new Promise((r) => s.once('connect', r))));
      await new Promise((r) => setTimeout(r, 50)); // the server has accepted both
      const third = await new Promise<string>((resolve) => {
        const s = connect({ host: '127.0.0.1', port: capped.port }, () =>
          s.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${capped.port}\r\n\r\n`),
        );
        let answer = '';
        s.setEncoding('utf8');
        s.on('data', (c: string) => (answer += c));
        s.on('error', () => undefined);
        s.on('close', () => resolve(answer));
      });
      expect(third).toBe('');
      held[0]!.destroy();
      await new Promise((r) => setTimeout(r, 50));
      const ok = await rawAt(capped.port, 'GET', '/');
      expect(ok.status).toBe(200);
    } finally {
      for (const s of held) s.destroy();
      await capped.close();
    }
  });
});
