import { describe, expect, it } from 'vitest';
import { classifyGhl, errorMessages, observeGhl, type GhlRateSnapshot } from '../../main/connectors/ghl/classify.js';
import type { HttpRequest, RawResponse } from '../../main/connectors/shared/http.js';
import { Pacer } from '../../main/connectors/shared/pacer.js';

const req: HttpRequest = { method: 'GET', path: '/contacts/abc', operation: 'GET /contacts/{id}' };
const res = (status: number, body: unknown, headers: Record<string, string> = {}): RawResponse => ({
  status,
  headers,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const kindOf = (r: RawResponse) => {
  const c = classifyGhl(r, req, () => 0);
  return c.ok ? 'ok' : c.error.kind;
};
const errOf = (r: RawResponse) => {
  const c = classifyGhl(r, req, () => 0);
  if (c.ok) throw new Error('expected an error');
  return c.error;
};

describe('GHL status → typed error', () => {
  it('passes 2xx', () => {
    expect(kindOf(res(200, { contact: {} }))).toBe('ok');
    expect(kindOf(res(201, { task: {} }))).toBe('ok');
  });

  it('401 invalid token → signed_out; 401 with the scope message → scope', () => {
    expect(
      kindOf(res(401, { statusCode: 401, message: 'Invalid token: access token is invalid', error: 'Unauthorized' })),
    ).toBe('signed_out');
    const scope = errOf(res(401, { statusCode: 401, message: 'The token is not authorized for this scope.' }));
    expect(scope.kind).toBe('scope');
    expect(scope.message).toMatch(/permission/);
  });

  it('403 (no access to the location) → scope, quoting GHL', () => {
    const e = errOf(
      res(403, { statusCode: 403, message: 'The token does not have access to this location.', error: 'Forbidden' }),
    );
    expect(e.kind).toBe('scope');
    expect(e.message).toContain('does not have access to this location');
  });

  it('404 and 400 "not found" → not_found; other 400 → rejected', () => {
    expect(kindOf(res(404, { statusCode: 404, message: 'Contact not found' }))).toBe('not_found');
    expect(kindOf(res(400, { statusCode: 400, message: 'Contact not found' }))).toBe('not_found');
    expect(kindOf(res(400, { statusCode: 400, message: 'Invalid field foo' }))).toBe('rejected');
  });

  it('422 → rejected with every message of the API', () => {
    const e = errOf(
      res(422, {
        statusCode: 422,
        message: ['property gender should not exist', 'email must be an email'],
        error: 'Unprocessable Entity',
      }),
    );
    expect(e.kind).toBe('rejected');
    expect(e.detail).toBe('property gender should not exist; email must be an email');
    expect(e.message).toContain('property gender should not exist');
  });

  it('429 → rate_limited after the interval; daily remaining 0 → quota_exhausted until the reset', () => {
    const rl = errOf(
      res(429, '', { 'x-ratelimit-interval-milliseconds': '10000', 'x-ratelimit-daily-remaining': '5000' }),
    );
    expect(rl.kind).toBe('rate_limited');
    expect(rl.retryAfterMs).toBe(10_000);
    const q = errOf(res(429, '', { 'x-ratelimit-daily-remaining': '0', 'x-ratelimit-daily-reset': '72750000' }));
    expect(q.kind).toBe('quota_exhausted');
    expect(q.retryAfterMs).toBe(72_750_000);
    expect(errOf(res(429, '')).retryAfterMs).toBeUndefined();
    expect(errOf(res(429, '', { 'retry-after': '3' })).retryAfterMs).toBe(3000);
  });

  it('5xx → server, also for HTML gateway pages (named in the detail)', () => {
    expect(kindOf(res(500, { message: 'Internal' }))).toBe('server');
    const e = errOf(res(502, '<html><body>Bad Gateway</body></html>'));
    expect(e.kind).toBe('server');
    expect(e.detail).toBe('an HTML page instead of data (HTTP 502)');
  });

  it('a duplicate refusal names the contact it collides with', () => {
    const e = errOf(
      res(400, {
        statusCode: 400,
        message: 'This location does not allow duplicated contacts.',
        meta: { contactId: 'abc123', matchingField: 'email' },
      }),
    );
    expect(e.kind).toBe('rejected');
    expect(e.detail).toBe('This location does not allow duplicated contacts. (existing contact abc123)');
  });

  it('reads messages from string, list or error fields, and nothing from HTML', () => {
    expect(errorMessages('{"message":"x"}')).toEqual(['x']);
    expect(errorMessages('{"message":["a","b"]}')).toEqual(['a', 'b']);
    expect(errorMessages('{"error":"invalid_grant"}')).toEqual(['invalid_grant']);
    expect(errorMessages('<html/>')).toEqual([]);
  });
});

describe('GHL rate-limit headers → pacer and snapshot', () => {
  it('records daily remaining/limit/reset and window figures', () => {
    let t = 1000;
    const pacer = new Pacer({
      windows: [{ name: 'burst', max: 100, windowMs: 10_000 }],
      now: () => t,
      sleep: async (ms) => void (t += ms),
    });
    const snap: GhlRateSnapshot = {};
    observeGhl(
      res(
        200,
        {},
        {
          'x-ratelimit-limit-daily': '200000',
          'x-ratelimit-daily-remaining': '199990',
          'x-ratelimit-daily-reset': '5000',
          'x-ratelimit-interval-milliseconds': '10000',
          'x-ratelimit-max': '100',
          'x-ratelimit-remaining': '90',
        },
      ),
      pacer,
      snap,
      () => t,
    );
    expect(snap).toEqual({
      dailyLimit: 200000,
      dailyRemaining: 199990,
      dailyResetAt: 6000,
      windowMax: 100,
      windowRemaining: 90,
      windowMs: 10000,
    });
    expect(pacer.status()).toMatchObject({ serverDailyRemaining: 199990, serverDailyLimit: 200000 });
  });

  it('a daily remaining of 0 blocks the pacer until the reset', () => {
    const t = 1000;
    const pacer = new Pacer({ windows: [{ name: 'burst', max: 100, windowMs: 10_000 }], now: () => t });
    observeGhl(
      res(200, {}, { 'x-ratelimit-daily-remaining': '0', 'x-ratelimit-daily-reset': '60000' }),
      pacer,
      {},
      () => t,
    );
    expect(pacer.status().blockedUntil).toBe(61_000);
  });
});
