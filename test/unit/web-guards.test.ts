import { describe, expect, it } from 'vitest';
import {
  guardApi,
  guardHost,
  isAllowedHost,
  isAllowedOrigin,
  isJsonContentType,
  rawPathProblem,
  readCookie,
  sessionCookieName,
} from '../../main/web/guards.js';
import { cspHeader, cspMeta } from '../../main/web/csp.js';
import { readFileSync } from 'node:fs';

const port = 41234;
const token = 'k'.repeat(43);
const good = { host: `127.0.0.1:${port}`, authorization: `Bearer ${token}` };
const sessionId = 's'.repeat(43);
const opts = { port, token, session: (id: string | undefined) => id === sessionId };

describe('serve-mode request guards', () => {
  it('allows the right host, no origin and the bearer token', () => {
    expect(guardApi(good, opts)).toEqual({ ok: true });
  });

  it('allows a live session id from our cookie (EventSource cannot send headers)', () => {
    const cookie = `other=1; ${sessionCookieName(port)}=${sessionId}; x=y`;
    expect(guardApi({ host: `localhost:${port}`, cookie }, opts)).toEqual({ ok: true });
  });

  it('never takes the master token from a cookie', () => {
    expect(guardApi({ host: good.host, cookie: `${sessionCookieName(port)}=${token}` }, opts)).toMatchObject({
      ok: false,
      status: 401,
    });
  });

  it('refuses a browser request that is not same-origin by Fetch Metadata (another port of 127.0.0.1 is same-site)', () => {
    for (const site of ['same-site', 'cross-site', 'none'])
      expect(guardApi({ ...good, fetchSite: site }, opts), site).toMatchObject({ ok: false, status: 403 });
    expect(guardApi({ ...good, fetchSite: 'same-origin' }, opts).ok).toBe(true);
  });

  it('allows a same-origin Origin header for either loopback name', () => {
    expect(guardApi({ ...good, origin: `http://127.0.0.1:${port}` }, opts).ok).toBe(true);
    expect(guardApi({ ...good, host: `localhost:${port}`, origin: `http://localhost:${port}` }, opts).ok).toBe(true);
  });

  it('refuses a call without a token', () => {
    const r = guardApi({ host: `127.0.0.1:${port}` }, opts);
    expect(r).toMatchObject({ ok: false, status: 401, kind: 'unauthorized' });
    if (!r.ok) expect(r.message).toMatch(/open a fresh link from "ghl-bridge serve"/);
  });

  it('refuses a wrong token, in the header or in the cookie', () => {
    expect(guardApi({ ...good, authorization: `Bearer ${token}x` }, opts)).toMatchObject({ ok: false, status: 401 });
    expect(guardApi({ ...good, authorization: 'Bearer ' }, opts)).toMatchObject({ ok: false, status: 401 });
    expect(guardApi({ host: good.host, cookie: `${sessionCookieName(port)}=nope` }, opts)).toMatchObject({
      ok: false,
      status: 401,
    });
  });

  it("refuses another server's cookie (cookies are shared across ports)", () => {
    expect(guardApi({ host: good.host, cookie: `${sessionCookieName(port + 1)}=${sessionId}` }, opts)).toMatchObject({
      ok: false,
      status: 401,
    });
  });

  it('refuses a foreign Origin even with the right token', () => {
    for (const origin of [
      'http://evil.example',
      `http://127.0.0.1:${port + 1}`,
      `https://127.0.0.1:${port}`,
      'null',
      `http://localhost:${port}`,
    ]) {
      expect(guardApi({ ...good, origin }, opts), origin).toMatchObject({ ok: false, status: 403, kind: 'forbidden' });
    }
  });

  it('refuses a foreign Host (DNS rebinding) even with the right token', () => {
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1:${port + 1}`,
      '127.0.0.1',
      `0.0.0.0:${port}`,
      `[::1]:${port}`,
      undefined,
    ]) {
      expect(guardApi({ ...good, host }, opts), String(host)).toMatchObject({ ok: false, status: 403 });
      expect(guardHost({ host }, port).ok, String(host)).toBe(false);
    }
  });

  it('helpers: host, origin and cookie parsing', () => {
    expect(isAllowedHost(`LOCALHOST:${port}`, port)).toBe(true);
    expect(isAllowedOrigin(undefined, `127.0.0.1:${port}`, port)).toBe(true);
    expect(isAllowedOrigin(`http://127.0.0.1:${port}`, `evil:${port}`, port)).toBe(false);
    expect(readCookie('a=1; b=two%20words', 'b')).toBe('two words');
    expect(readCookie('a=1', 'b')).toBeUndefined();
    expect(readCookie('b=%E0%A4%A', 'b')).toBeUndefined();
    expect(isJsonContentType('application/json; charset=utf-8')).toBe(true);
    expect(isJsonContentType('text/plain')).toBe(false);
    expect(isJsonContentType(undefined)).toBe(false);
  });

  it('refuses request-targets that are not a plain canonical path', () => {
    for (const url of [
      '/%61pi/getStatus',
      '/a%70i/x',
      '/%2fapi/x',
      '/%2561pi/x',
      '/api/%67etStatus',
      '/x/../api/y',
      '/./api/y',
      '/api\\x',
      'http://127.0.0.1:1/api/x',
      '*',
    ]) {
      expect(rawPathProblem(url), url).toBeDefined();
    }
    for (const url of [
      '/',
      '/index.html',
      '/assets/index-AbC_12.js',
      '/api/getStatus',
      '/?ticket=a%2Bb',
      '/api/events',
    ])
      expect(rawPathProblem(url), url).toBeUndefined();
  });
});

describe('content security policy', () => {
  it('forbids inline script, eval and remote sources', () => {
    const csp = cspHeader();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('renderer/index.html carries the same policy in its meta tag', () => {
    const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html)?.[1];
    expect(meta).toBe(cspMeta());
  });
});
