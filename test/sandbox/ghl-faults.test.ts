/**
 * GHL sandbox — fault injection (GHL-shaped 429 and 5xx, revoke, html, truncated, reset) and the stats
 * the benchmark relies on (requests per endpoint template, 429s, faults by kind).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FaultController } from '../../main/sandbox/faults.js';
import { type Harness, startHarness } from './fixtures/ghl/harness.js';
import { exchange, oauthTokens } from './fixtures/ghl/oauth.js';
import { expectResponsesMatchSpec } from './fixtures/ghl/spec-check.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ contacts: 30, rateLimits: 'real', faults: new FaultController('ghl') });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.sb.faults.clear();
  h.sb.resetStats();
  h.clock.advance(20_000); // fresh burst window
});

const search = (token?: string) => h.post('/contacts/search', { locationId: h.loc, pageLimit: 1 }, { token });

describe('faults', () => {
  it('429: GHL-shaped body and rate-limit headers, a burst of N, counted in stats', async () => {
    h.sb.faults.set('system=ghl,path=/contacts/search,rate=1,kinds=429,burst=2');
    const a = await search();
    const b = await search();
    expect([a.status, b.status]).toEqual([429, 429]);
    expect(a.body).toMatchObject({ statusCode: 429, message: expect.any(String), traceId: expect.any(String) });
    expect(a.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(a.headers.get('x-ratelimit-interval-milliseconds')).toBe('10000');
    expect(Number(a.headers.get('x-ratelimit-daily-remaining'))).toBeGreaterThan(0);
    const other = await h.get(`/contacts/${h.sb.admin.listContacts()[0]!.id}`); // path does not match the rule
    expect(other.status).toBe(200);
    const s = h.sb.stats();
    expect(s.faults['429']).toBe(2);
    expect(s.rateLimited).toBe(2);
  });

  it('5xx: a JSON 500 {statusCode, message, traceId}', async () => {
    h.sb.faults.set('system=ghl,rate=1,kinds=5xx');
    const res = await search();
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ statusCode: 500, message: 'Internal server error', traceId: expect.any(String) });
    expect(h.sb.stats().faults['5xx']).toBe(1);
  });

  it('html: a 502 HTML page instead of JSON', async () => {
    h.sb.faults.set('system=ghl,rate=1,kinds=html');
    const res = await search();
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toContain('text/html');
  });

  it('truncated: half the JSON, so parsing fails', async () => {
    const send = () =>
      fetch(`${h.sb.baseUrl}/contacts/search`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${h.creds.privateToken}`,
          version: '2021-07-28',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ locationId: h.loc, pageLimit: 5 }),
      }).then((r) => r.text());
    const whole = await send();
    h.sb.faults.set('system=ghl,rate=1,kinds=truncated');
    const cut = await send();
    expect(cut.length).toBeLessThan(whole.length);
    expect(() => JSON.parse(cut)).toThrow();
  });

  it('revoke (Private Integration token): that request and every later one answer 401', async () => {
    const token = h.creds.privateToken;
    h.sb.faults.set('system=ghl,rate=1,kinds=revoke');
    const res = await search(token);
    expect(res.status).toBe(401);
    h.sb.faults.clear();
    expect((await search(token)).status).toBe(401);
    expect(h.sb.stats().faults.revoke).toBe(1);
    h.sb.admin.rotatePrivateToken();
    expect((await search()).status).toBe(200);
  });

  it('revoke (OAuth): the access token dies, its refresh token still gets a new one', async () => {
    const t = await oauthTokens(h);
    h.sb.faults.set('system=ghl,path=/contacts/search,rate=1,kinds=revoke');
    expect((await search(t.access_token)).status).toBe(401);
    h.sb.faults.clear();
    const fresh = await exchange(h, { grant_type: 'refresh_token', refresh_token: t.refresh_token });
    expect(fresh.status).toBe(200);
    expect((await search(fresh.body.access_token)).status).toBe(200);
  });

  it('seeded: the same spec and seed give the same fault sequence', async () => {
    const run = async () => {
      h.sb.faults.set('system=ghl,rate=0.5,kinds=5xx,seed=42');
      const out: number[] = [];
      for (let i = 0; i < 12; i++) out.push((await search()).status);
      return out;
    };
    const first = await run();
    h.clock.advance(20_000);
    expect(await run()).toEqual(first);
    expect(first).toContain(500);
    expect(first).toContain(200);
  });

  it('admin requests are exempt from faults and not counted', async () => {
    h.sb.faults.set('rate=1,kinds=5xx');
    const res = await h.admin('GET', '/stats');
    expect(res.status).toBe(200);
    expect(res.body.requests).toBe(0);
  });
});

describe('stats', () => {
  it('counts requests per endpoint template, 429s, and resets', async () => {
    const c = h.sb.admin.listContacts()[0]!;
    await h.get(`/contacts/${c.id}`);
    await h.get(`/contacts/${h.sb.admin.listContacts()[1]!.id}`);
    await search();
    await h.get(`/contacts/${c.id}/notes`);
    await h.get('/no/such/route');
    const s = h.sb.stats();
    expect(s.requests).toBe(5);
    expect(s.byEndpoint).toEqual({
      'GET /contacts/:contactId': 2,
      'POST /contacts/search': 1,
      'GET /contacts/:contactId/notes': 1,
      'GET (no route)': 1,
    });
    expect(s.rateLimited).toBe(0);
    h.sb.resetStats();
    expect(h.sb.stats()).toMatchObject({ requests: 0, byEndpoint: {}, rateLimited: 0 });
  });

  it('unknown routes answer a JSON 404', async () => {
    const res = await h.get('/contacts/x/y/z/w');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, message: 'Cannot GET /contacts/x/y/z/w' });
  });
});

it('every JSON response in this file matches the official OpenAPI schemas', () => {
  expectResponsesMatchSpec(h);
});
