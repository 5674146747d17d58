import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { startSandbox, type Started } from './fixtures/aroflo/setup.js';
import { authorizationFor, query } from './fixtures/aroflo/client.js';

let s: Started;
beforeAll(async () => {
  s = await startSandbox();
});
afterAll(() => s.sb.close());

const tasksQuery = query([
  ['zone', 'tasks'],
  ['where', 'and|linkprocessed|=|false'],
  ['page', '1'],
]);

describe('AroFlo sandbox transport and authentication', () => {
  it('answers a bare GET with no auth "Login Failed - Invalid Request string" (XML by default)', async () => {
    const res = await fetch(s.sb.baseUrl);
    expect(res.status).toBe(200);
    const text = await res.text();
    const doc = new XMLParser({ parseTagValue: false }).parse(text);
    expect(doc.imsapi.status).toBe('1');
    expect(doc.imsapi.statusmessage).toBe('Login Failed - Invalid Request string');
  });

  it('refuses methods other than GET/POST with status 5 "Invalid Request Method"', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const res = await s.call(method, tasksQuery);
      expect(res.http).toBe(200);
      expect(res.body).toMatchObject({ status: '5', statusmessage: 'Invalid Request Method' });
    }
  });

  it('accepts a correctly signed GET and answers JSON for Accept: text/json', async () => {
    const res = await s.get([
      ['zone', 'tasks'],
      ['where', 'and|taskid|!=|0'],
    ]);
    expect(res.http).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/json/);
    expect(res.body.status).toBe('0');
    expect(res.body.statusmessage).toBe('Login OK');
  });

  it('answers XML with an <imsapi> root for Accept: text/xml', async () => {
    const res = await s.get([['zone', 'businessunits']], { accept: 'text/xml' });
    const doc = new XMLParser({ parseTagValue: false }).parse(res.text);
    expect(doc.imsapi.status).toBe('0');
    expect(doc.imsapi.zoneresponse.businessunits.businessunit).toHaveLength(2);
  });

  it('says "Signatures do not match" for a wrong secret', async () => {
    const res = await s.get([['zone', 'tasks']], { secret: 'not-the-secret' });
    expect(res.body).toEqual({ status: '-99999', statusmessage: 'Authentication Failed - Signatures do not match' });
  });

  it('checks the raw query bytes as sent: signing "%7C" but sending "|" fails', async () => {
    const raw = 'zone=tasks&where=and|linkprocessed|=|false&page=1';
    const ok = await s.call('GET', raw); // signs the raw bytes it sends
    expect(ok.body.status).toBe('0');
    const bad = await s.call('GET', raw, { signVarString: tasksQuery });
    expect(bad.body.statusmessage).toBe('Authentication Failed - Signatures do not match');
  });

  it('signs POST over the raw form body', async () => {
    const body = `zone=clientnotes&postxml=${encodeURIComponent('<clientnotes></clientnotes>')}`;
    const ok = await s.call('POST', body);
    expect(ok.body.status).toBe('0');
    const bad = await s.call('POST', body, { signVarString: body.replace('clientnotes', 'Clientnotes') });
    expect(bad.body.statusmessage).toBe('Authentication Failed - Signatures do not match');
  });

  it('verifies HostIP when it is sent and signed, and refuses it sent but not signed', async () => {
    const ok = await s.get([['zone', 'tasktypes']], { hostIp: '203.0.113.10' });
    expect(ok.body.status).toBe('0');
    // Signed without HostIP but the header is present: the server puts HostIP in the payload → mismatch.
    const sig = await s.get([['zone', 'tasktypes']]);
    expect(sig.body.status).toBe('0');
    const creds = s.sb.credentials;
    const ts = new Date(s.clock.t).toISOString();
    const { createHmac } = await import('node:crypto');
    const auth = authorizationFor(creds);
    const vs = query([['zone', 'tasktypes']]);
    const noIpSig = createHmac('sha512', creds.secretKey)
      .update(['GET', '', 'text/json', auth, ts, vs].join('+'))
      .digest('hex');
    const res = await fetch(`${s.sb.baseUrl}?${vs}`, {
      headers: {
        Authentication: `HMAC ${noIpSig}`,
        Authorization: auth,
        Accept: 'text/json',
        afdatetimeutc: ts,
        HostIP: '203.0.113.10',
      },
    });
    expect(((await res.json()) as { statusmessage: string }).statusmessage).toBe(
      'Authentication Failed - Signatures do not match',
    );
  });

  it('says "Required headers are missing" without Authentication or afdatetimeutc', async () => {
    for (const h of ['Authentication', 'afdatetimeutc']) {
      const res = await s.get([['zone', 'tasks']], { omit: [h] });
      expect(res.text, h).toContain('Required headers are missing');
      expect(res.text).toContain('-99999');
    }
  });

  it('says "Payload has expired" outside the allowed clock skew (default 5 min) and accepts inside it', async () => {
    const old = await s.get([['zone', 'tasktypes']], { ts: new Date(s.clock.t - 6 * 60_000).toISOString() });
    expect(old.body).toEqual({ status: '-99999', statusmessage: 'Authentication Failed - Payload has expired' });
    const ahead = await s.get([['zone', 'tasktypes']], { ts: new Date(s.clock.t + 6 * 60_000).toISOString() });
    expect(ahead.body.statusmessage).toBe('Authentication Failed - Payload has expired');
    const near = await s.get([['zone', 'tasktypes']], { ts: new Date(s.clock.t - 4 * 60_000).toISOString() });
    expect(near.body.status).toBe('0');
  });

  it('status 1 for an Authorization without the exact key names, 2 for empty values, 3 for unknown values', async () => {
    const c = s.sb.credentials;
    const lower = await s.get([['zone', 'tasktypes']], {
      authorization: `uencoded=${c.uEncoded}&pencoded=${c.pEncoded}&orgencoded=${c.orgEncoded}`,
    });
    expect(lower.body.status).toBe('1');
    const empty = await s.get([['zone', 'tasktypes']], { authorization: 'uencoded=&pencoded=x&orgEncoded=y' });
    expect(empty.body.status).toBe('2');
    const wrong = await s.get([['zone', 'tasktypes']], {
      authorization: authorizationFor({ ...c, pEncoded: 'old-key' }),
    });
    expect(wrong.body.status).toBe('3');
  });

  it('status 4 when the API user has no AroFloAPI access; -99999 "AroFlo API setup is invalid" when the secret was not saved', async () => {
    s.sb.admin.setApiAccess(false);
    expect((await s.get([['zone', 'tasktypes']])).body.status).toBe('4');
    s.sb.admin.setApiAccess(true);
    s.sb.admin.setSecretSaved(false);
    expect((await s.get([['zone', 'tasktypes']])).body).toEqual({
      status: '-99999',
      statusmessage: 'Authentication Failed - AroFlo API setup is invalid',
    });
    s.sb.admin.setSecretSaved(true);
    expect((await s.get([['zone', 'tasktypes']])).body.status).toBe('0');
  });

  it('regenerating the secret revokes the old one; the new one works', async () => {
    const oldCreds = s.sb.credentials;
    const fresh = s.sb.admin.regenerateSecret();
    expect(fresh).not.toBe(oldCreds.secretKey);
    const old = await s.get([['zone', 'tasktypes']], { secret: oldCreds.secretKey });
    expect(old.body.statusmessage).toBe('Authentication Failed - Signatures do not match');
    expect((await s.get([['zone', 'tasktypes']])).body.status).toBe('0');
    expect(s.sb.credentials.secretKey).toBe(fresh);
  });

  it('counts authentication failures in stats without spending the daily budget', async () => {
    s.sb.resetStats();
    const before = s.sb.admin.usage().dailyUsed;
    await s.get([['zone', 'tasks']], { secret: 'nope' });
    await s.get([['zone', 'tasks']], { omit: ['afdatetimeutc'] });
    const st = s.sb.admin.stats();
    expect(st.authFailures).toBe(2);
    expect(st.requests).toBe(2);
    expect(s.sb.admin.usage().dailyUsed).toBe(before);
  });
});

describe('AroFlo sandbox options: clockSkewMs and siteTimeZone', () => {
  it('honours a custom allowed clock skew', async () => {
    const strict = await startSandbox({ clockSkewMs: 1000 });
    try {
      const old = await strict.get([['zone', 'tasktypes']], { ts: new Date(strict.clock.t - 2000).toISOString() });
      expect(old.body.statusmessage).toBe('Authentication Failed - Payload has expired');
      expect(
        (await strict.get([['zone', 'tasktypes']], { ts: new Date(strict.clock.t - 500).toISOString() })).body.status,
      ).toBe('0');
    } finally {
      await strict.sb.close();
    }
  });

  it('writes local-time fields in the configured site time zone', async () => {
    const utc = await startSandbox({ siteTimeZone: 'UTC' });
    try {
      const task = utc.sb.admin.listTasks()[0]!;
      const res = await utc.get([
        ['zone', 'tasks'],
        ['where', `and|taskid|=|${task.taskid}`],
      ]);
      expect(res.body.zoneresponse.tasks.requestdatetime).toBe(
        new Date(task.requestedMs).toISOString().slice(0, 19).replace('T', ' ').replaceAll('-', '/'),
      );
    } finally {
      await utc.sb.close();
    }
  });
});
