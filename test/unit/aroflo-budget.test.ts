import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../main/connectors/shared/errors.js';
import { DailyBudget, dayKey, nextMidnight } from '../../main/connectors/aroflo/budget.js';
import { ArofloClient } from '../../main/connectors/aroflo/client.js';
import { ArofloTransport } from '../../main/connectors/aroflo/transport.js';

const creds = { uEncoded: 'u', pEncoded: 'p', orgEncoded: 'o', secretKey: 's' };

describe('daily budget (2,000/day, resets 00:00 Australia/Melbourne)', () => {
  it('next reset is Melbourne midnight, in both DST seasons', () => {
    // 2026-11-23 10:00Z = 21:00 AEDT (UTC+11) → next midnight 2026-11-23T13:00Z
    expect(new Date(nextMidnight(Date.parse('2026-11-23T10:00:00Z'))).toISOString()).toBe('2026-11-23T13:00:00.000Z');
    // 2026-06-10 10:00Z = 20:00 AEST (UTC+10) → 2026-06-10T14:00Z
    expect(new Date(nextMidnight(Date.parse('2026-06-10T10:00:00Z'))).toISOString()).toBe('2026-06-10T14:00:00.000Z');
    expect(dayKey(Date.parse('2026-11-23T13:30:00Z'))).toBe('2026-11-24');
  });

  it('counts, refuses locally with a typed error when spent, and starts again after the reset', () => {
    let now = Date.parse('2026-11-23T12:00:00Z');
    const b = new DailyBudget('daily', 3, () => now);
    b.take('GET x');
    b.take('GET x');
    b.take('GET x');
    expect(b.status()).toMatchObject({ used: 3, remaining: 0, resetsAt: '2026-11-23T13:00:00.000Z' });
    let err: unknown;
    try {
      b.take('GET clients');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).kind).toBe('quota_exhausted');
    expect((err as ConnectorError).retryAfterMs).toBe(3_600_000);
    expect((err as ConnectorError).message).toMatch(/resets at midnight Melbourne time/);
    now = Date.parse('2026-11-23T13:00:01Z');
    expect(b.remaining()).toBe(3);
  });

  it("the server's remaining count wins when it is lower (another app shares the org)", () => {
    const now = Date.parse('2026-11-23T00:00:00Z');
    const b = new DailyBudget('daily', 2000, () => now);
    b.take('x');
    b.observe({ limit: 2000, remaining: 150 });
    expect(b.remaining()).toBe(150);
    b.take('x');
    expect(b.remaining()).toBe(149);
    expect(b.status()).toMatchObject({ used: 2, serverRemaining: 150, serverLimit: 2000 });
  });
});

describe('pacing with an injected clock (no real sleeps)', () => {
  it('never lets more than 3 through per second or 120 per minute', async () => {
    let now = 0;
    const t = new ArofloTransport({
      baseUrl: 'http://127.0.0.1:9/',
      credentials: creds,
      now: () => now,
      sleep: async (ms) => void (now += ms),
    });
    const stamps: number[] = [];
    for (let i = 0; i < 300; i++) {
      await t.pacer.acquire();
      stamps.push(now);
      t.pacer.attemptDone(0); // the answer is back at once (HttpClient reports every attempt)
    }
    const maxIn = (win: number) => Math.max(...stamps.map((s) => stamps.filter((x) => x > s - win && x <= s).length));
    expect(maxIn(1000)).toBeLessThanOrEqual(3);
    expect(maxIn(60_000)).toBeLessThanOrEqual(120);
    // And it is not needlessly slow: 300 requests need at least two full minute windows, and not much more.
    expect(stamps[299]).toBeLessThan(2 * 60_400 + 45_000);
  });
});

async function server(handler: (url: string) => { headers?: Record<string, string>; body: string }) {
  const urls: string[] = [];
  const s = createServer((req, res) => {
    urls.push(req.url ?? '');
    const r = handler(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json', ...r.headers });
    res.end(r.body);
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return {
    urls,
    baseUrl: `http://127.0.0.1:${(s.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((r) => s.close(() => r())),
  };
}

describe('budget accounting over HTTP', () => {
  it('lastupdate is free, single-id reads use the secondary allowance, headers feed the budget', async () => {
    const srv = await server((url) => {
      const zone = /zone=([a-z]+)/.exec(url)?.[1] ?? '';
      return {
        headers: {
          'X-RateLimit-Daily-Limit': '2000',
          'X-RateLimit-Daily-Remaining': '1500',
          'X-RateLimit-Secondary-Daily-Limit': '20000',
          'X-RateLimit-Secondary-Daily-Remaining': '19990',
        },
        body: JSON.stringify({
          status: '0',
          statusmessage: 'Login OK',
          zoneresponse: { [zone]: [], currentpageresults: 0, maxpageresults: 500 },
        }),
      };
    });
    try {
      const c = new ArofloClient({ baseUrl: srv.baseUrl, credentials: creds, limits: { secondMarginMs: 0 } });
      await c.changedSince('tasks', '2026-01-01T00:00:00Z');
      await c.changedSince('clients');
      expect(c.budget().daily.used).toBe(0);
      expect(c.budget().requests.free).toBe(2);
      await c.getTask('JSZaWyFSXEQgCg==');
      expect(c.budget().secondary.used).toBe(1);
      expect(c.budget().daily.used).toBe(0);
      await c.listTasks();
      const b = c.budget();
      expect(b.daily).toMatchObject({ used: 1, serverRemaining: 1500, remaining: 1500 });
      expect(b.secondary).toMatchObject({ used: 1, serverRemaining: 19990 });
      // The feed filter: zone, cursor (since minus the 1 s overlap), ascending order — and never without a where.
      expect(decodeURIComponent(srv.urls[0]!)).toContain(
        'where=and|zonename|=|tasks&where=and|lastupdateutc|>|2025-12-31 23:59:59&order=lastupdateutc|asc',
      );
      expect(decodeURIComponent(srv.urls[1]!)).toContain('where=and|zonename|=|clients&order');
      expect(decodeURIComponent(srv.urls[3]!)).toContain('where=and|taskid|!=|0');
    } finally {
      await srv.close();
    }
  });

  it('when AroFlo says its minute window is spent but we sent almost nothing (another app shares it), we hold off', async () => {
    const srv = await server(() => ({
      headers: { 'X-RateLimit-Limit': '120', 'X-RateLimit-Remaining': '0' },
      body: JSON.stringify({
        status: '0',
        statusmessage: 'Login OK',
        zoneresponse: { tasks: [], currentpageresults: 0, maxpageresults: 500 },
      }),
    }));
    try {
      const t0 = Date.parse('2026-11-23T01:00:00Z');
      const c = new ArofloClient({ baseUrl: srv.baseUrl, credentials: creds, now: () => t0 });
      await c.listTasks();
      expect(c.budget().pacer.blockedUntil).toBe(t0 + 60_000);
    } finally {
      await srv.close();
    }
  });

  it('when the server says the day is spent (status 7), later counted calls are refused without being sent', async () => {
    const srv = await server(() => ({ body: JSON.stringify({ status: '7', statusmessage: 'Daily limit exceeded' }) }));
    try {
      const c = new ArofloClient({ baseUrl: srv.baseUrl, credentials: creds });
      await expect(c.listClients()).rejects.toMatchObject({ kind: 'quota_exhausted' });
      await expect(c.listTasks()).rejects.toMatchObject({ kind: 'quota_exhausted' });
      expect(srv.urls).toHaveLength(1);
      expect(c.budget().daily.remaining).toBe(0);
    } finally {
      await srv.close();
    }
  });
});
