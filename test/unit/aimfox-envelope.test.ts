import { describe, expect, it } from 'vitest';
import {
  AimfoxError,
  classifyAimfoxResponse,
  masterKeyError,
  readFailure,
} from '../../main/connectors/aimfox/envelope.js';
import type { RawResponse } from '../../main/connectors/shared/http.js';

const ctx = {
  operation: 'POST /campaigns/{id}/audience',
  record: 'https://www.linkedin.com/in/jane-doe/ in campaign "Q4"',
};

function res(status: number, body: unknown, headers: Record<string, string> = {}): RawResponse {
  return { status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

function errorOf(r: RawResponse, opts: Parameters<typeof classifyAimfoxResponse>[2] = {}): AimfoxError {
  const v = classifyAimfoxResponse(r, ctx, opts);
  if (v.ok) throw new Error('expected an error');
  expect(v.error).toBeInstanceOf(AimfoxError);
  return v.error as AimfoxError;
}

describe('Aimfox success envelope', () => {
  it.each([
    [200, { status: 'ok', accounts: [] }],
    [201, { status: 'ok', note: { id: 'n1', text: 'x', created_at: '2024-11-18T14:38:58.936Z' } }],
    [200, { status: 'OK', token: 'abc' }], // capitals seen on /token
    [200, { status: 'Ok' }],
  ])('HTTP %i %j is ok', (status, body) => {
    expect(classifyAimfoxResponse(res(status, body), ctx).ok).toBe(true);
  });

  it('a 200 without "status":"ok" is malformed (and so retried for reads), not silently accepted', () => {
    const e = errorOf(res(200, { ok: true, data: 'unexpected', items: 'not-an-array' }));
    expect(e.kind).toBe('malformed');
    expect(e.detail).toMatch(/status/);
  });

  it('a cut-off 200 body is malformed', () => {
    const e = errorOf(res(200, '{"status":"ok","audience":[{"id":"67'));
    expect(e.kind).toBe('malformed');
    expect(e.message).toMatch(/could not read/);
  });

  it('an HTML page with 200 is malformed and says so', () => {
    expect(errorOf(res(200, '<!DOCTYPE html><html></html>')).detail).toMatch(/HTML/);
  });

  it('a fail envelope inside HTTP 200 is an error with the code it carries', () => {
    const e = errorOf(
      res(200, {
        status: 'fail',
        error: { code: 404, message: 'Lead not found', type: 'Not Found', data: 'notFound' },
      }),
    );
    expect(e.kind).toBe('not_found');
    expect(e.code).toBe('notFound');
  });
});

describe('Aimfox error mapping', () => {
  it('a documented refusal (HTTP 400, error.data = locked) is `rejected` carrying the code and message', () => {
    const e = errorOf(
      res(400, {
        status: 'fail',
        error: { code: 400, message: 'The Target is Locked', type: 'Bad Request', data: 'locked' },
      }),
    );
    expect(e.kind).toBe('rejected');
    expect(e.code).toBe('locked');
    expect(e.detail).toBe('The Target is Locked');
    expect(e.status).toBe(400);
    expect(e.transient).toBe(false);
    expect(e.message).toContain('campaign "Q4"');
    expect(e.message).toContain('The Target is Locked');
  });

  it('a ValidationError (400) is rejected with the validation text', () => {
    const e = errorOf(
      res(400, {
        status: 'fail',
        error: {
          code: 400,
          message: '"params.lead_id" must be a number',
          type: 'Bad Request',
          data: 'ValidationError',
        },
      }),
    );
    expect(e.kind).toBe('rejected');
    expect(e.code).toBe('ValidationError');
    expect(e.message).toContain('"params.lead_id" must be a number');
  });

  it.each([401, 403])('HTTP %i → signed_out telling the person where to get a workspace key', (status) => {
    const e = errorOf(
      res(status, { status: 'fail', error: { code: status, message: 'Unauthorized', type: 'Unauthorized' } }),
    );
    expect(e.kind).toBe('signed_out');
    expect(e.message).toMatch(/API key/);
    expect(e.message).toMatch(/Workspace Settings → Integrations/);
  });

  it('HTTP 404 → not_found naming the record', () => {
    const e = errorOf(res(404, { status: 'fail', error: { code: 404, message: 'Not Found', type: 'Not Found' } }));
    expect(e.kind).toBe('not_found');
    expect(e.message).toContain('campaign "Q4"');
  });

  it('HTTP 429 → rate_limited honouring Retry-After seconds', () => {
    const e = errorOf(
      res(429, { status: 'fail', error: { code: 429, message: 'Too Many Requests' } }, { 'retry-after': '7' }),
    );
    expect(e.kind).toBe('rate_limited');
    expect(e.retryAfterMs).toBe(7000);
    expect(e.transient).toBe(true);
  });

  it('HTTP 429 with a Retry-After date waits until then', () => {
    const now = Date.parse('2026-11-01T00:00:00Z');
    const e = errorOf(res(429, '', { 'retry-after': 'Sun, 01 Nov 2026 00:00:12 GMT' }), { now });
    expect(e.retryAfterMs).toBe(12_000);
  });

  it('HTTP 429 without Retry-After uses the configured default wait', () => {
    const e = errorOf(res(429, { status: 'fail', error: { code: 429, message: 'Too Many Requests' } }), {
      defaultRetryAfterMs: 10_000,
    });
    expect(e.retryAfterMs).toBe(10_000);
  });

  it.each([500, 502, 503, 504])('HTTP %i → server (transient)', (status) => {
    const e = errorOf(
      res(status, {
        status: 'fail',
        error: { code: status, message: 'Internal Server Error', type: 'Internal Server Error' },
      }),
    );
    expect(e.kind).toBe('server');
    expect(e.transient).toBe(true);
  });

  it('an HTML 502 gateway page → server, described as an HTML page', () => {
    const e = errorOf(res(502, '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>'));
    expect(e.kind).toBe('server');
    expect(e.detail).toMatch(/HTML/);
  });

  it('a redirect means a wrong server address (config)', () => {
    expect(errorOf(res(301, '')).kind).toBe('config');
  });

  it('the master-key error says what to do', () => {
    const e = masterKeyError({ operation: 'GET /accounts' }, undefined);
    expect(e.kind).toBe('config');
    expect(e.message).toContain('this looks like a master key; use a workspace API key');
  });
});

describe('readFailure', () => {
  it('reads code/message/data, and tolerates a string code', () => {
    expect(
      readFailure(JSON.stringify({ status: 'fail', error: { code: '400', message: 'm', data: 'noPFP' } })),
    ).toEqual({ code: 'noPFP', message: 'm', httpCode: 400 });
  });
  it('is undefined for non-JSON', () => {
    expect(readFailure('<html>')).toBeUndefined();
  });
});
