/**
 * GHL sandbox — rate limits per location (FACTS §8): 100 / 10 s (sliding window) and 200,000 / day, the
 * X-RateLimit-* headers on every answer, 429 beyond; modes real / off / xFACTOR. Time is the injected clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './fixtures/ghl/harness.js';
import { oauthTokens } from './fixtures/ghl/oauth.js';
import { expectResponsesMatchSpec } from './fixtures/ghl/spec-check.js';

const open: Harness[] = [];
const seen: Harness[] = [];
afterEach(async () => {
  for (const x of open.splice(0)) await x.close();
});

async function start(opts: Parameters<typeof startHarness>[0]): Promise<Harness> {
  const x = await startHarness({ contacts: 20, ...opts });
  open.push(x);
  seen.push(x);
  return x;
}

const read = (x: Harness, token?: string) => x.get(`/contacts/${x.sb.admin.listContacts()[0]!.id}`, { token });
const header = (res: { headers: Headers }, name: string) => res.headers.get(name);

async function burst(x: Harness, n: number, token?: string) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await read(x, token));
  return out;
}

describe('rate limits (real mode)', () => {
  it('every answer carries the X-RateLimit-* headers with the documented values', async () => {
    const x = await start({ rateLimits: 'real' });
    x.clock.t = Date.UTC(2026, 10, 2, 23, 0, 0); // one hour before UTC midnight
    const first = await read(x);
    expect(first.status).toBe(200);
    expect(header(first, 'x-ratelimit-max')).toBe('100');
    expect(header(first, 'x-ratelimit-remaining')).toBe('99');
    expect(header(first, 'x-ratelimit-interval-milliseconds')).toBe('10000');
    expect(header(first, 'x-ratelimit-limit-daily')).toBe('200000');
    expect(header(first, 'x-ratelimit-daily-remaining')).toBe('199999');
    expect(header(first, 'x-ratelimit-daily-reset')).toBe(String(3_600_000));
    const bad = await x.get('/contacts/unknownContactId0000'); // errors count and carry the headers too
    expect(bad.status).toBe(400);
    expect(header(bad, 'x-ratelimit-remaining')).toBe('98');
    expect(header(bad, 'x-ratelimit-daily-remaining')).toBe('199998');
  });

  it('the 101st request within 10 s gets a GHL-shaped 429 with remaining 0; refused requests do not count', async () => {
    const x = await start({ rateLimits: 'real' });
    const ok = await burst(x, 100);
    expect(ok.every((r) => r.status === 200)).toBe(true);
    const over = await read(x);
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ statusCode: 429, message: expect.any(String), traceId: expect.any(String) });
    expect(header(over, 'x-ratelimit-remaining')).toBe('0');
    expect(header(over, 'x-ratelimit-daily-remaining')).toBe('199900');
    expect(x.sb.stats().rateLimited).toBe(1);
    x.clock.advance(10_000);
    const again = await burst(x, 100);
    expect(again.every((r) => r.status === 200)).toBe(true);
    expect(header(again.at(-1)!, 'x-ratelimit-daily-remaining')).toBe('199800');
  });

  it('the burst window slides: 100 requests just before a 10 s boundary still block just after it', async () => {
    const x = await start({ rateLimits: 'real' });
    x.clock.t = Date.UTC(2026, 10, 2, 9, 0, 9) + 900; // 9.9 s into a "fixed" window
    await burst(x, 100);
    x.clock.advance(200); // 10.1 s: a fixed window would have reset
    expect((await read(x)).status).toBe(429);
    x.clock.advance(9_700); // 9.9 s after the burst: still inside the sliding window
    expect((await read(x)).status).toBe(429);
    x.clock.advance(100); // 10 s after the burst
    const after = await read(x);
    expect(after.status).toBe(200);
    expect(header(after, 'x-ratelimit-remaining')).toBe('99');
  });

  it('the remaining count recovers as old requests leave the window', async () => {
    const x = await start({ rateLimits: 'real' });
    await burst(x, 60);
    x.clock.advance(5_000);
    await burst(x, 40);
    x.clock.advance(5_000); // the first 60 leave the window
    const r = await read(x);
    expect(header(r, 'x-ratelimit-remaining')).toBe('59');
  });

  it('daily limit: 429 with Daily-Remaining 0 until the day rolls over (limit lowered for the test)', async () => {
    const x = await start({ rateLimits: 'real', limits: { daily: 5 } });
    x.clock.t = Date.UTC(2026, 10, 2, 23, 59, 0);
    await burst(x, 5);
    const over = await read(x);
    expect(over.status).toBe(429);
    expect(header(over, 'x-ratelimit-daily-remaining')).toBe('0');
    expect(header(over, 'x-ratelimit-daily-reset')).toBe('60000');
    x.clock.advance(60_000);
    const next = await read(x);
    expect(next.status).toBe(200);
    expect(header(next, 'x-ratelimit-daily-remaining')).toBe('4');
  });

  it('buckets are per location: the second sub-account has its own 100', async () => {
    const x = await start({ rateLimits: 'real', limits: { burst: 3 } });
    const other = await oauthTokens(x, { locationId: x.creds.otherLocationId });
    await burst(x, 3);
    expect((await read(x)).status).toBe(429);
    const res = await x.post(
      '/contacts/search',
      { locationId: x.creds.otherLocationId, pageLimit: 1 },
      { token: other.access_token },
    );
    expect(res.status).toBe(200);
    expect(header(res, 'x-ratelimit-remaining')).toBe('2');
  });

  it('OAuth token calls and the consent page are not rate limited; unauthenticated 401s carry no headers', async () => {
    const x = await start({ rateLimits: 'real', limits: { burst: 1 } });
    await read(x);
    for (let i = 0; i < 3; i++) await oauthTokens(x);
    const anon = await read(x, 'not-a-token');
    expect(anon.status).toBe(401);
    expect(header(anon, 'x-ratelimit-max')).toBeNull();
  });
});

describe('modes', () => {
  it('xFACTOR divides the windows (counts unchanged): x10 → 1 s burst window', async () => {
    const x = await start({ rateLimits: 10 });
    const first = await read(x);
    expect(header(first, 'x-ratelimit-interval-milliseconds')).toBe('1000');
    expect(header(first, 'x-ratelimit-max')).toBe('100');
    await burst(x, 99);
    expect((await read(x)).status).toBe(429);
    x.clock.advance(1_000);
    expect((await read(x)).status).toBe(200);
  });

  it('off: no limit and no headers', async () => {
    const x = await start({ rateLimits: 'off' });
    const all = await burst(x, 150);
    expect(all.every((r) => r.status === 200)).toBe(true);
    expect(header(all[0]!, 'x-ratelimit-max')).toBeNull();
  });
});

it('every response in this file matches the official OpenAPI schemas (429 against FACTS §8/§9)', () => {
  expectResponsesMatchSpec(...seen);
});
