/**
 * Aimfox sandbox: the 60 requests/minute limit (injected clock, rate-limit modes), faults, and stats.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FaultController } from '../../main/sandbox/faults.js';
import { startAimfoxSandbox, type AimfoxAdmin, type AimfoxCredentials } from '../../main/sandbox/aimfox/index.js';
import type { RateLimitMode, SandboxHandle } from '../../main/sandbox/types.js';
import { generateWorld } from '../../main/sandbox/world.js';

const world = generateWorld({ contacts: 40, seed: 2 });
let sb: SandboxHandle<AimfoxCredentials, AimfoxAdmin> | undefined;
let clock = 1_000_000;

async function start(rateLimits: RateLimitMode, faults?: FaultController) {
  clock = 1_000_000;
  sb = await startAimfoxSandbox({ world, rateLimits, admin: true, now: () => clock, faults });
  return sb;
}

async function get(path: string, key?: string) {
  const s = sb!;
  const res = await fetch(s.baseUrl + path, { headers: { authorization: `Bearer ${key ?? s.credentials.apiKey}` } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

async function burst(n: number, path = '/accounts'): Promise<number[]> {
  const codes: number[] = [];
  for (let i = 0; i < n; i++) codes.push((await get(path)).status);
  return codes;
}

async function adminHttp(method: string, path: string, body?: unknown) {
  const s = sb!;
  const headers: Record<string, string> = { 'x-sandbox-admin': s.adminToken! };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${s.baseUrl.replace(/\/api\/v2$/, '')}/__admin${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { error: { message: string } } & Record<string, unknown> };
}

afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

describe('Aimfox sandbox rate limit', () => {
  it('allows 60 requests a minute across all endpoints, then answers 429 in the fail envelope with no quota headers', async () => {
    await start('real');
    const first = [...(await burst(30, '/accounts')), ...(await burst(30, '/labels'))];
    expect(first.every((c) => c === 200)).toBe(true);
    const over = await get('/campaigns');
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ status: 'fail', error: { code: 429, type: 'Too Many Requests' } });
    const names = [...over.headers.keys()];
    expect(names.filter((h) => /ratelimit|retry-after/i.test(h))).toEqual([]);
  });

  it('uses a sliding minute: requests leave the window 60 s after they were made', async () => {
    await start('real');
    expect(await burst(30)).toEqual(Array(30).fill(200));
    clock += 30_000;
    expect(await burst(30)).toEqual(Array(30).fill(200));
    expect((await get('/accounts')).status).toBe(429);
    clock += 30_001; // the first 30 are now older than a minute
    expect(await burst(30)).toEqual(Array(30).fill(200));
    expect((await get('/accounts')).status).toBe(429);
  });

  it('does not count refused requests against the minute', async () => {
    await start('real');
    await burst(60);
    expect(await burst(5)).toEqual(Array(5).fill(429));
    clock += 60_001;
    expect(await burst(60)).toEqual(Array(60).fill(200));
  });

  it('keeps the count with x10 but shrinks the window to 6 s', async () => {
    await start(10);
    await burst(60);
    expect((await get('/accounts')).status).toBe(429);
    clock += 6_001;
    expect((await get('/accounts')).status).toBe(200);
  });

  it('has no limit when off', async () => {
    await start('off');
    const codes = await burst(90);
    expect(codes.every((c) => c === 200)).toBe(true);
  });

  it('does not limit the admin routes, nor count them', async () => {
    await start('real');
    await burst(60);
    for (let i = 0; i < 5; i++) expect((await adminHttp('GET', '/stats')).status).toBe(200);
    const stats = sb!.stats();
    expect(stats.requests).toBe(60);
    expect(Object.keys(stats.byEndpoint)).toEqual(['GET /accounts']);
  });

  it('counts unauthenticated requests neither as allowed nor against the limit', async () => {
    await start('real');
    for (let i = 0; i < 10; i++) expect((await get('/accounts', 'bogus')).status).toBe(401);
    expect(await burst(60)).toEqual(Array(60).fill(200));
  });
});

describe('Aimfox sandbox stats', () => {
  it('counts requests by endpoint template and the 429s sent', async () => {
    await start('real');
    const lead = sb!.admin.listLeads()[0]!;
    await get(`/leads/${lead.id}`);
    await get(`/leads/${sb!.admin.listLeads()[1]!.id}`);
    await fetch(`${sb!.baseUrl}/leads:search?start=0&count=5`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sb!.credentials.apiKey}`, 'content-type': 'application/json' },
      body: '{}',
    });
    await burst(57);
    await get('/accounts');
    await get('/accounts');
    const stats = sb!.stats();
    expect(stats.byEndpoint).toEqual({ 'GET /leads/:lead_id': 2, 'POST /leads:search': 1, 'GET /accounts': 59 });
    expect(stats.requests).toBe(62);
    expect(stats.rateLimited).toBe(2);
    sb!.resetStats();
    expect(sb!.stats()).toEqual({ requests: 0, byEndpoint: {}, rateLimited: 0, faults: {} });
  });

  it('serves stats and a stats reset over /__admin', async () => {
    await start('off');
    await burst(3);
    const r = await adminHttp('GET', '/stats');
    expect(r.body).toMatchObject({ requests: 3, byEndpoint: { 'GET /accounts': 3 } });
    await adminHttp('DELETE', '/stats');
    expect(sb!.stats().requests).toBe(0);
  });
});

describe('Aimfox sandbox faults', () => {
  it('injects 5xx in the Aimfox envelope and counts it by kind', async () => {
    await start('off');
    sb!.admin.setFaults('system=aimfox,path=/labels,rate=1,kinds=5xx');
    const r = await get('/labels');
    expect(r.status).toBe(500);
    expect(r.body).toMatchObject({ status: 'fail', error: { code: 500 } });
    expect((await get('/accounts')).status).toBe(200);
    expect(sb!.stats().faults).toEqual({ '5xx': 1 });
  });

  it('injects 429 bursts, counted as 429s sent', async () => {
    await start('off');
    sb!.admin.setFaults('system=aimfox,rate=1,kinds=429,burst=3');
    const codes = await burst(3);
    expect(codes).toEqual([429, 429, 429]);
    const stats = sb!.stats();
    expect(stats.rateLimited).toBe(3);
    expect(stats.faults['429']).toBe(3);
  });

  it('applies the shared latency fault (the hanging-call quirk) and still answers', async () => {
    await start('off');
    sb!.admin.setFaults('system=aimfox,path=/accounts,rate=1,kinds=latency,latency=20');
    const r = await get('/accounts');
    expect(r.status).toBe(200);
    expect(sb!.stats().faults).toEqual({ latency: 1 });
  });

  it('takes a fault controller at start, ignores rules for other systems, and never faults /__admin', async () => {
    await start(
      'off',
      new FaultController('aimfox', 'system=ghl,rate=1,kinds=5xx;system=aimfox,path=/campaigns,rate=1,kinds=html'),
    );
    expect((await get('/accounts')).status).toBe(200);
    const html = await fetch(`${sb!.baseUrl}/campaigns`, {
      headers: { authorization: `Bearer ${sb!.credentials.apiKey}` },
    });
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toContain('text/html');
    sb!.admin.setFaults('system=aimfox,rate=1,kinds=5xx');
    expect((await adminHttp('GET', '/stats')).status).toBe(200);
  });

  it('sets and clears faults over /__admin, and rejects a bad spec with 400', async () => {
    await start('off');
    expect((await adminHttp('PUT', '/faults', { spec: 'system=aimfox,rate=1,kinds=5xx' })).status).toBe(200);
    expect((await get('/accounts')).status).toBe(500);
    expect((await adminHttp('DELETE', '/faults')).status).toBe(200);
    expect((await get('/accounts')).status).toBe(200);
    const bad = await adminHttp('PUT', '/faults', { spec: 'kinds=teapot' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('teapot');
  });
});
