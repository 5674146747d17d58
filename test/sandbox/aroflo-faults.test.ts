import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { FaultController } from '../../main/sandbox/faults.js';
import { startSandbox, type Started } from './fixtures/aroflo/setup.js';

describe('AroFlo sandbox faults', () => {
  let s: Started;
  const faults = new FaultController('aroflo');
  beforeAll(async () => {
    s = await startSandbox({ faults });
  });
  afterAll(() => s.sb.close());

  it('uses the controller it was given', () => {
    expect(s.sb.faults).toBe(faults);
  });

  it('429 faults are AroFlo-shaped (HTTP 429, status "429") in JSON and XML, with the rate headers, for a burst', async () => {
    faults.set('system=aroflo,rate=1,kinds=429,burst=2');
    const a = await s.get([['zone', 'tasktypes']]);
    const b = await s.get([['zone', 'tasktypes']], { accept: 'text/xml' });
    faults.clear();
    expect(a.http).toBe(429);
    expect(a.body.status).toBe('429');
    expect(a.headers.get('x-ratelimit-daily-remaining')).toMatch(/^\d+$/);
    expect(b.http).toBe(429);
    expect(new XMLParser({ parseTagValue: false }).parse(b.text).imsapi.status).toBe('429');
    expect((await s.get([['zone', 'tasktypes']])).body.status).toBe('0');
  });

  it('5xx faults answer HTTP 500 "Internal IMSAPI Error", only on the matching path', async () => {
    faults.set('system=aroflo,path=zone=tasks,rate=1,kinds=5xx');
    const hit = await s.get([
      ['zone', 'tasks'],
      ['where', 'and|taskid|!=|0'],
    ]);
    const miss = await s.get([['zone', 'tasktypes']]);
    faults.clear();
    expect(hit.http).toBe(500);
    expect(hit.body).toEqual({ status: '500', statusmessage: 'Internal IMSAPI Error' });
    expect(miss.body.status).toBe('0');
  });

  it('a fault for another system does nothing here', async () => {
    faults.set('system=ghl,rate=1,kinds=5xx');
    expect((await s.get([['zone', 'tasktypes']])).body.status).toBe('0');
    faults.clear();
  });

  it('revoke regenerates the secret: that request and later ones with the old secret fail "Signatures do not match"', async () => {
    const old = s.sb.credentials.secretKey;
    faults.set('system=aroflo,rate=1,kinds=revoke');
    const res = await s.get([['zone', 'tasktypes']], { secret: old });
    faults.clear();
    expect(res.body).toEqual({ status: '-99999', statusmessage: 'Authentication Failed - Signatures do not match' });
    expect(s.sb.credentials.secretKey).not.toBe(old);
    expect((await s.get([['zone', 'tasktypes']], { secret: old })).body.statusmessage).toBe(
      'Authentication Failed - Signatures do not match',
    );
    expect((await s.get([['zone', 'tasktypes']])).body.status).toBe('0');
  });

  it('admin routes are exempt from faults; fault counts show in stats', async () => {
    s.sb.resetStats();
    faults.set('system=aroflo,rate=1,kinds=5xx');
    const adminRes = await fetch(`${s.sb.baseUrl}__admin/stats`, { headers: { 'x-sandbox-admin': s.sb.adminToken! } });
    await s.get([['zone', 'tasktypes']]);
    faults.clear();
    expect(adminRes.status).toBe(200);
    const st = s.sb.stats();
    expect(st.faults['5xx']).toBe(1);
    expect(st.requests).toBe(1); // the faulted API request; the admin request is not an API request
  });

  it('a reset (socket closed) fault breaks the connection', async () => {
    faults.set('system=aroflo,rate=1,kinds=reset');
    await expect(s.get([['zone', 'tasktypes']])).rejects.toThrow();
    faults.clear();
  });
});
