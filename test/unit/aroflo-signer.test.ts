import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { authorizationValue, hmacHex, signaturePayload, signedHeaders } from '../../main/connectors/aroflo/signer.js';
import { ArofloTransport } from '../../main/connectors/aroflo/transport.js';
import { buildQuery, Where } from '../../main/connectors/aroflo/where.js';

const AUTH = 'uencoded=test-user&pencoded=test-pass&orgEncoded=test-org';
const TS = '2024-05-13T23:14:15.000Z';
const VAR = 'zone=lastupdate&where=and%7Czonename%7C%3D%7Ctasks&order=lastupdateutc%7Casc&page=1';

describe('AroFlo signature (FACTS §3 test vectors)', () => {
  it('builds the Authorization value with the documented key case', () => {
    expect(authorizationValue({ uEncoded: 'test-user', pEncoded: 'test-pass', orgEncoded: 'test-org' })).toBe(AUTH);
    expect(authorizationValue({ uEncoded: 'a+b/c=', pEncoded: 'p', orgEncoded: 'o' })).toBe(
      'uencoded=a%2Bb%2Fc%3D&pencoded=p&orgEncoded=o',
    );
  });

  it('GET without HostIP: no empty slot, and the documented digest', () => {
    const payload = signaturePayload({
      method: 'GET',
      accept: 'text/json',
      authorization: AUTH,
      timestamp: TS,
      varString: VAR,
    });
    expect(payload).toBe(`GET++text/json+${AUTH}+${TS}+${VAR}`);
    expect(hmacHex('top-secret', payload)).toBe(
      '9a25a8dd6845a986632324596cd83a271d6139acc77903124dd0ad3789191d611c485305ba1560c85e2bc0122fa335c7f4808e46bdf9ebff1b1fc8e1a0bd800a',
    );
  });

  it('GET with HostIP: HostIP goes after the method; digest matches the prefix/suffix in FACTS and the full published vector', () => {
    const payload = signaturePayload({
      method: 'GET',
      hostIp: '203.0.113.10',
      accept: 'text/json',
      authorization: AUTH,
      timestamp: TS,
      varString: VAR,
    });
    expect(payload.startsWith('GET+203.0.113.10++text/json+')).toBe(true);
    const sig = hmacHex('top-secret', payload);
    expect(sig.startsWith('92b116903c26')).toBe(true);
    expect(sig.endsWith('1fdb7ec4')).toBe(true);
    // The full digest of the same case as published in aroflo-mcp tests/fixtures/auth-vectors.json.
    expect(sig).toBe(
      '92b116903c261939c95edf99be9dcc9d0875cadbcfe4ea39eb1610a23150eb66c978552e0a3b7f35e532120cec474decf08056d906bafea9d0347eee1fdb7ec4',
    );
  });

  it('POST signs the form body (published vector)', () => {
    const body =
      'zone=tasks&postxml=%3Cimsapi%3E%3Ctasks%3E%3Ctask%3E%3Ctaskname%3EInstall%20AC%3C%2Ftaskname%3E%3C%2Ftask%3E%3C%2Ftasks%3E%3C%2Fimsapi%3E';
    const sig = hmacHex(
      'top-secret',
      signaturePayload({ method: 'POST', accept: 'text/json', authorization: AUTH, timestamp: TS, varString: body }),
    );
    expect(sig).toBe(
      'cc1268307616344cb0986335ec1f5f73a7c562359532020a1f0a07cff8827cdaac40d246ca794aa933211c10453323557ad93c04572cf5659cb195ec597ec0b7',
    );
  });

  it('our query builder produces the vector varString byte for byte', () => {
    const q = buildQuery({
      zone: 'lastupdate',
      where: Where.and('zonename', '=', 'tasks'),
      order: ['lastupdateutc|asc'],
      page: 1,
    });
    expect(q).toBe(VAR);
  });

  it('headers carry the signature, the exact timestamp, and HostIP only when set', () => {
    const creds = { uEncoded: 'test-user', pEncoded: 'test-pass', orgEncoded: 'test-org', secretKey: 'top-secret' };
    const h = signedHeaders(creds, 'GET', VAR, Date.parse(TS));
    expect(h).toMatchObject({ Authorization: AUTH, Accept: 'text/json', afdatetimeutc: TS });
    expect(h.Authentication).toBe(
      'HMAC 9a25a8dd6845a986632324596cd83a271d6139acc77903124dd0ad3789191d611c485305ba1560c85e2bc0122fa335c7f4808e46bdf9ebff1b1fc8e1a0bd800a',
    );
    expect(h).not.toHaveProperty('HostIP');
    expect(signedHeaders({ ...creds, hostIp: '203.0.113.10' }, 'GET', VAR, Date.parse(TS)).HostIP).toBe('203.0.113.10');
  });
});

/** A bare HTTP server that records exactly what arrived, so we can check that the bytes signed are the bytes sent. */
async function recorder(reply: (n: number) => { status?: number; body: string }) {
  const seen: Array<{ method: string; url: string; body: string; headers: IncomingMessage['headers'] }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body, headers: req.headers });
      const r = reply(seen.length);
      res.writeHead(r.status ?? 200, { 'content-type': 'application/json' });
      res.end(r.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { seen, baseUrl: `http://127.0.0.1:${port}/`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const creds = { uEncoded: 'u', pEncoded: 'p', orgEncoded: 'o', secretKey: 's3cret' };
const ok = JSON.stringify({
  status: '0',
  statusmessage: 'Login OK',
  zoneresponse: { clients: [], currentpageresults: 0, maxpageresults: 500 },
});

describe('the wire: bytes signed are bytes sent', () => {
  it('GET: the raw URL query (quotes, pipes, non-ASCII, base64 ids) verifies against the signature', async () => {
    const srv = await recorder(() => ({ body: ok }));
    try {
      let clock = Date.parse('2026-11-01T00:00:00.000Z');
      const t = new ArofloTransport({
        baseUrl: srv.baseUrl,
        credentials: creds,
        now: () => clock++,
        limits: { secondMarginMs: 0 },
      });
      const q = buildQuery({
        zone: 'clients',
        where: Where.and('clientname', '=', "O'Brien & Zoë (Søren)*").and('clientid', '=', 'JSZa+SyR/QLEwgCg=='),
        page: 1,
        pageSize: 500,
      });
      await t.get(q, 'GET clients');
      const got = srv.seen[0]!;
      const varString = got.url.slice(got.url.indexOf('?') + 1);
      expect(varString).toBe(q);
      expect(varString).toContain('JSZa%2BSyR%2FQLEwgCg%3D%3D');
      expect(varString).toContain('O%27Brien');
      const expected = hmacHex(
        's3cret',
        signaturePayload({
          method: 'GET',
          accept: 'text/json',
          authorization: String(got.headers.authorization),
          timestamp: String(got.headers.afdatetimeutc),
          varString,
        }),
      );
      expect(got.headers.authentication).toBe(`HMAC ${expected}`);
    } finally {
      await srv.close();
    }
  });

  it('POST: the raw form body verifies, and each retry carries a new timestamp and signature', async () => {
    // First answer a per-second rate-limit status (AroFlo did not process it, so even a write is re-sent), then OK.
    const srv = await recorder((n) =>
      n === 1
        ? { status: 429, body: JSON.stringify({ status: '429', statusmessage: 'Too many requests' }) }
        : {
            body: JSON.stringify({
              status: '0',
              statusmessage: 'Login OK',
              zoneresponse: { postresults: { inserttotal: 0, inserts: {}, updatetotal: 0, updates: {}, errors: [] } },
            }),
          },
    );
    try {
      let clock = Date.parse('2026-11-01T00:00:00.000Z');
      const t = new ArofloTransport({
        baseUrl: srv.baseUrl,
        credentials: creds,
        now: () => (clock += 7),
        sleep: async () => {},
        random: () => 0,
      });
      await t.post(
        'clients',
        '<clients><client><clientname><![CDATA[Zoë & Co]]></clientname></client></clients>',
        'POST clients',
      );
      expect(srv.seen).toHaveLength(2);
      const [a, b] = srv.seen as [(typeof srv.seen)[0], (typeof srv.seen)[0]];
      expect(a.body).toBe(b.body);
      expect(a.body).toContain('Zo%C3%AB%20%26%20Co');
      expect(a.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(a.headers.afdatetimeutc).not.toBe(b.headers.afdatetimeutc);
      expect(a.headers.authentication).not.toBe(b.headers.authentication);
      for (const r of srv.seen) {
        const sig = hmacHex(
          's3cret',
          signaturePayload({
            method: 'POST',
            accept: 'text/json',
            authorization: String(r.headers.authorization),
            timestamp: String(r.headers.afdatetimeutc),
            varString: r.body,
          }),
        );
        expect(r.headers.authentication).toBe(`HMAC ${sig}`);
      }
    } finally {
      await srv.close();
    }
  });
});
