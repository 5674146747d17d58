import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../main/connectors/shared/errors.js';
import {
  HttpClient,
  headerNumber,
  parseJsonBody,
  retryAfterMs,
  type Classification,
  type RawResponse,
} from '../../main/connectors/shared/http.js';
import { Pacer } from '../../main/connectors/shared/pacer.js';

/** A scripted local server: each request gets the next scripted reply (the last one repeats). */
type Reply = { status: number; body?: string; headers?: Record<string, string> } | 'reset';
let server: Server;
let baseUrl: string;
let script: Reply[] = [];
let seen: Array<{ method: string; url: string; body: string }> = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body });
      const r = script.length > 1 ? script.shift()! : script[0]!;
      if (r === 'reset') {
        req.socket.destroy();
        return;
      }
      res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
      res.end(r.body ?? '{}');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));
beforeEach(() => {
  script = [];
  seen = [];
});

const classify = (res: RawResponse): Classification => {
  if (res.status < 300) return { ok: true };
  if (res.status === 429) {
    return {
      ok: false,
      error: new ConnectorError({ system: 'ghl', kind: 'rate_limited', status: 429, retryAfterMs: retryAfterMs(res) }),
    };
  }
  if (res.status >= 500)
    return { ok: false, error: new ConnectorError({ system: 'ghl', kind: 'server', status: res.status }) };
  return { ok: false, error: new ConnectorError({ system: 'ghl', kind: 'rejected', status: res.status }) };
};

function client(opts: { random?: () => number; maxAttempts?: number; url?: string } = {}) {
  let t = 0;
  const sleeps: number[] = [];
  const blockedAtSleep: Array<number | undefined> = [];
  const pacer = new Pacer({
    windows: [{ name: 'w', max: 1000, windowMs: 1000 }],
    now: () => t,
    sleep: async (ms) => void (t += ms),
  });
  const http = new HttpClient({
    system: 'ghl',
    baseUrl: opts.url ?? baseUrl,
    pacer,
    classify,
    maxAttempts: opts.maxAttempts ?? 4,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    random: opts.random ?? (() => 0.5),
    sleep: async (ms) => {
      sleeps.push(ms);
      const until = pacer.status().blockedUntil;
      blockedAtSleep.push(until === undefined ? undefined : until - t);
      t += ms;
    },
  });
  return { http, sleeps, blockedAtSleep, pacer, now: () => t };
}

describe('HttpClient retries', () => {
  it('retries an idempotent GET after server errors and returns the eventual answer', async () => {
    script = [{ status: 503 }, { status: 500 }, { status: 200, body: '{"ok":1}' }];
    const { http, sleeps } = client();
    const res = await http.send({ method: 'GET', path: '/x', operation: 'GET /x' });
    expect(res.body).toBe('{"ok":1}');
    expect(seen).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(http.stats).toMatchObject({ requests: 3, retries: 2 });
  });

  it('retries an idempotent GET after a connection reset', async () => {
    script = ['reset', { status: 200, body: '{}' }];
    const { http } = client();
    await http.send({ method: 'GET', path: '/x', operation: 'GET /x' });
    expect(seen).toHaveLength(2);
  });

  it('gives up after maxAttempts with the typed error', async () => {
    script = [{ status: 502 }];
    const { http } = client({ maxAttempts: 3 });
    await expect(http.send({ method: 'GET', path: '/x', operation: 'GET /x' })).rejects.toMatchObject({
      kind: 'server',
      status: 502,
    });
    expect(seen).toHaveLength(3);
  });

  it('does not retry a rejected (4xx) request', async () => {
    script = [{ status: 422, body: '{"message":["bad"]}' }];
    const { http } = client();
    await expect(http.send({ method: 'PUT', path: '/x', operation: 'PUT /x', json: {} })).rejects.toMatchObject({
      kind: 'rejected',
    });
    expect(seen).toHaveLength(1);
  });
});

describe('HttpClient non-idempotent rule', () => {
  it('never resends a POST after a server error (it may have been processed)', async () => {
    script = [{ status: 500 }, { status: 201, body: '{}' }];
    const { http } = client();
    await expect(
      http.send({ method: 'POST', path: '/create', operation: 'POST /create', json: { a: 1 } }),
    ).rejects.toMatchObject({ kind: 'server' });
    expect(seen).toHaveLength(1);
  });

  it('never resends a POST after the connection dropped mid-request', async () => {
    script = ['reset', { status: 201, body: '{}' }];
    const { http } = client();
    await expect(
      http.send({ method: 'POST', path: '/create', operation: 'POST /create', json: {} }),
    ).rejects.toMatchObject({ kind: 'network' });
    expect(seen).toHaveLength(1);
  });

  it('resends a POST after a 429 (the server refused it unprocessed)', async () => {
    script = [{ status: 429 }, { status: 201, body: '{}' }];
    const { http } = client();
    await http.send({ method: 'POST', path: '/create', operation: 'POST /create', json: {} });
    expect(seen).toHaveLength(2);
    expect(http.stats.rateLimited).toBe(1);
  });

  it('resends a POST when the connection was refused (nothing was sent)', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((ok) => closed.close(() => ok()));
    const { http } = client({ url: `http://127.0.0.1:${port}`, maxAttempts: 3 });
    const attempts: number[] = [];
    const h = http as unknown as { opts: { onAttempt?: (i: { attempt: number }) => void } };
    h.opts.onAttempt = (i) => attempts.push(i.attempt);
    await expect(
      http.send({ method: 'POST', path: '/create', operation: 'POST /create', json: {} }),
    ).rejects.toMatchObject({
      kind: 'network',
      detail: 'ECONNREFUSED',
    });
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('a network error keeps no request options: the bearer token cannot reach a log through it', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((ok) => closed.close(() => ok()));
    const secret = 'Bearer sk-very-secret-token';
    let t = 0;
    const http = new HttpClient({
      system: 'ghl',
      baseUrl: `http://127.0.0.1:${port}`,
      pacer: new Pacer({
        windows: [{ name: 'w', max: 100, windowMs: 1000 }],
        now: () => t,
        sleep: async (ms) => void (t += ms),
      }),
      classify,
      prepare: () => ({ authorization: secret }),
      maxAttempts: 1,
    });
    const err = await http.send({ method: 'GET', path: '/x', operation: 'GET /x' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'network', detail: 'ECONNREFUSED' });
    const { inspect } = await import('node:util');
    expect(inspect(err, { depth: 20 })).not.toContain('sk-very-secret-token');
  });

  it('retries a POST the caller marks idempotent (a search)', async () => {
    script = [{ status: 503 }, { status: 200, body: '{}' }];
    const { http } = client();
    await http.send({ method: 'POST', path: '/search', operation: 'POST /search', json: {}, idempotent: true });
    expect(seen).toHaveLength(2);
  });
});

describe('HttpClient backoff and jitter', () => {
  it('waits a random share of an exponentially growing, capped backoff (full jitter)', async () => {
    for (const r of [0, 0.25, 0.999]) {
      script = [{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 200 }];
      const { http, sleeps } = client({ random: () => r, maxAttempts: 6 });
      await http.send({ method: 'GET', path: '/x', operation: 'GET /x' });
      const caps = [100, 200, 400, 800, 1000];
      expect(sleeps).toHaveLength(5);
      sleeps.forEach((ms, i) => {
        expect(ms).toBeGreaterThanOrEqual(0);
        expect(ms).toBeLessThan(caps[i] as number);
        expect(ms).toBe(Math.floor(r * (caps[i] as number)));
      });
    }
  });
});

describe('HttpClient Retry-After', () => {
  it('waits at least the stated Retry-After and holds the pacer off for it', async () => {
    script = [{ status: 429, headers: { 'retry-after': '7' } }, { status: 200 }];
    const { http, sleeps, blockedAtSleep, now } = client({ random: () => 0 });
    const start = now();
    await http.send({ method: 'GET', path: '/x', operation: 'GET /x' });
    expect(sleeps[0]).toBeGreaterThanOrEqual(7000);
    expect(now() - start).toBeGreaterThanOrEqual(7000);
    expect(blockedAtSleep[0]).toBe(7000); // every other request through this pacer waits too
    expect(seen).toHaveLength(2);
  });

  it('does not sit out a stated wait longer than two minutes: raises instead', async () => {
    script = [{ status: 429, headers: { 'retry-after': '600' } }];
    const { http } = client();
    await expect(http.send({ method: 'GET', path: '/x', operation: 'GET /x' })).rejects.toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 600_000,
    });
    expect(seen).toHaveLength(1);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const res = (v: string): RawResponse => ({ status: 429, headers: { 'retry-after': v }, body: '' });
    expect(retryAfterMs(res('3'))).toBe(3000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(res('Thu, 01 Jan 2026 00:00:10 GMT'), now)).toBe(10_000);
    expect(retryAfterMs(res('soon'))).toBeUndefined();
    expect(retryAfterMs({ status: 429, headers: {}, body: '' })).toBeUndefined();
  });
});

describe('HttpClient long pacer waits', () => {
  it('fails fast with quota_exhausted when the server said the daily budget is spent (no request sent)', async () => {
    script = [{ status: 200 }];
    const { http, pacer } = client();
    pacer.observe({ dailyRemaining: 0, dailyResetMs: 3_600_000 });
    await expect(http.send({ method: 'GET', path: '/x', operation: 'GET /x' })).rejects.toMatchObject({
      kind: 'quota_exhausted',
      retryAfterMs: 3_600_000,
    });
    expect(seen).toHaveLength(0);
  });

  it('fails fast with rate_limited on a long hold-off, and waits a short one out', async () => {
    script = [{ status: 200 }];
    const { http, pacer } = client();
    pacer.holdOff(600_000);
    await expect(http.send({ method: 'GET', path: '/x', operation: 'GET /x' })).rejects.toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 600_000,
    });
    const short = client();
    short.pacer.holdOff(5_000);
    await short.http.send({ method: 'GET', path: '/x', operation: 'GET /x' });
    expect(seen).toHaveLength(1);
  });
});

describe('HttpClient accept hook and body parsing', () => {
  it('re-asks an idempotent call whose body the accept hook rejects as malformed', async () => {
    script = [
      { status: 200, body: '{"trunc' },
      { status: 200, body: '{"ok":true}' },
    ];
    const { http } = client();
    const res = await http.send({
      method: 'GET',
      path: '/x',
      operation: 'GET /x',
      accept: (r) => {
        try {
          parseJsonBody('ghl', r, 'GET /x');
          return undefined;
        } catch (e) {
          return e as ConnectorError;
        }
      },
    });
    expect(res.body).toBe('{"ok":true}');
    expect(seen).toHaveLength(2);
  });

  it('turns an HTML page into a typed error naming it', () => {
    const e = (() => {
      try {
        parseJsonBody('ghl', { status: 200, headers: {}, body: '<!DOCTYPE html><html></html>' }, 'GET /x');
      } catch (err) {
        return err as ConnectorError;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(ConnectorError);
    expect(e?.kind).toBe('malformed');
    expect(e?.detail).toContain('HTML');
    const e5 = (() => {
      try {
        parseJsonBody('ghl', { status: 502, headers: {}, body: '<html>Bad Gateway</html>' }, 'GET /x');
      } catch (err) {
        return err as ConnectorError;
      }
      return undefined;
    })();
    expect(e5?.kind).toBe('server');
  });

  it('reads numeric headers', () => {
    const r: RawResponse = { status: 200, headers: { 'x-a': '42', 'x-b': 'n/a', 'x-c': ['7', '8'] }, body: '' };
    expect(headerNumber(r, 'X-A')).toBe(42);
    expect(headerNumber(r, 'x-b')).toBeUndefined();
    expect(headerNumber(r, 'x-c')).toBe(7);
    expect(headerNumber(r, 'x-missing')).toBeUndefined();
  });
});
