/**
 * The AroFlo sandbox through other people's eyes (main/sandbox/aroflo/README.md "Through other people's eyes"):
 * what public AroFlo clients assume — their signature test vectors, their timestamp format, the status messages of
 * AroFlo's status code table — and the sandbox's explicit, configurable reading of "3 requests per second".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSignature, signaturePayload } from '../../main/sandbox/aroflo/signature.js';
import { startSandbox, type Started } from './fixtures/aroflo/setup.js';

describe('signature: the test vectors of a public client (AdrianAFPlumbing/aroflo-mcp tests/fixtures/auth-vectors.json)', () => {
  const authorization = 'uencoded=test-user&pencoded=test-pass&orgEncoded=test-org';
  const vectors = [
    {
      name: 'get_with_hostip',
      parts: {
        method: 'GET',
        hostIp: '203.0.113.10',
        accept: 'text/json',
        authorization,
        afdatetimeutc: '2024-05-13T23:14:15.000Z',
        varString: 'zone=lastupdate&where=and%7Czonename%7C%3D%7Ctasks&order=lastupdateutc%7Casc&page=1',
      },
      signature:
        '92b116903c261939c95edf99be9dcc9d0875cadbcfe4ea39eb1610a23150eb66c978552e0a3b7f35e532120cec474decf08056d906bafea9d0347eee1fdb7ec4',
    },
    {
      name: 'get_without_hostip_multiple_where',
      parts: {
        method: 'GET',
        accept: 'text/json',
        authorization,
        afdatetimeutc: '2024-05-13T23:14:15.000Z',
        varString:
          'zone=lastupdate&where=and%7Czonename%7C%3D%7Cquotes&where=and%7Clastupdateutc%7C%3E%7C2022%2F02%2F01&order=lastupdateutc%7Casc&page=2&pageSize=250',
      },
      signature:
        '44b846cb9789c4bdc867f360b81e9713dde09770e92f0dd14f8ade11048c3894a8a5d92afda10818d2d63dfca4ba79817d91c0837f61fcb7217676bf2619db98',
    },
  ];
  for (const v of vectors) {
    it(v.name, () => {
      expect(signaturePayload(v.parts)).toContain(
        v.parts.hostIp ? `GET+${v.parts.hostIp}++text/json+` : 'GET++text/json+',
      );
      expect(computeSignature('top-secret', v.parts)).toBe(v.signature);
    });
  }
});

describe('over HTTP', () => {
  let s: Started;
  beforeAll(async () => {
    s = await startSandbox();
  });
  afterAll(() => s.sb.close());

  it('accepts afdatetimeutc with seven fractional digits (.NET "o" format, as puppetsw/AroFloSharp sends it)', async () => {
    const ts = new Date(s.clock.t).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
    expect(ts).toMatch(/\.\d{7}Z$/);
    expect((await s.get([['zone', 'tasktypes']], { ts })).body.status).toBe('0');
  });

  it('reads a query encoded the PHP way (urlencode / http_build_query: space as "+", as odeva/arofloapi and glasswalllab/aroflo-connector send it)', async () => {
    const name = s.sb.admin.listClients().find((c) => /^[A-Za-z]+ [A-Za-z ]+$/.test(c.clientname))!.clientname;
    const php = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
    const res = await s.call('GET', `zone=clients&where=${php(`and|clientname|=|${name}`)}&page=1`);
    expect(res.body.statusmessage).toBe('Login OK');
    const clients = res.body.zoneresponse.clients;
    expect((Array.isArray(clients) ? clients : [clients]).map((c: { clientname: string }) => c.clientname)).toEqual([
      name,
    ]);
  });

  it('answers with the messages of AroFlo status code table', async () => {
    expect((await s.get([['zone', 'tasktypes']], { secret: 'wrong' })).body.statusmessage).toBe(
      'Authentication Failed - Signatures do not match',
    );
    expect((await s.get([['zone', 'tasktypes']], { authorization: 'uencoded=&pencoded=&orgEncoded=' })).body).toEqual({
      status: '2',
      statusmessage: 'Login Failed - Invalid Username or Password',
    });
    expect(
      (await s.get([['zone', 'tasktypes']], { authorization: 'uencoded=a&pencoded=b&orgEncoded=c' })).body,
    ).toEqual({ status: '3', statusmessage: 'Login Failed - Permission Denied' });
  });
});

describe('"3 requests per second": the sandbox reading is explicit (option rateWindow)', () => {
  let sliding: Started;
  let fixed: Started;
  beforeAll(async () => {
    [sliding, fixed] = await Promise.all([
      startSandbox({ rateLimits: 'real' }),
      startSandbox({ rateLimits: 'real', rateWindow: 'fixed' }),
    ]);
  });
  afterAll(() => Promise.all([sliding.sb.close(), fixed.sb.close()]));

  /** Three requests late in one clock second and three early in the next — what a "3 per clock second" client does. */
  async function acrossABoundary(s: Started): Promise<string[]> {
    s.clock.t = Math.ceil((s.clock.t + 120_000) / 1000) * 1000 + 800;
    const out: string[] = [];
    for (let i = 0; i < 3; i++) out.push((await s.get([['zone', 'tasktypes']])).body.status);
    s.clock.t += 300; // 100 ms into the next clock second
    for (let i = 0; i < 3; i++) out.push((await s.get([['zone', 'tasktypes']])).body.status);
    return out;
  }

  it('sliding (default, the strictest): at most 3 in any 1 s span — the second three are refused with 429', async () => {
    expect(await acrossABoundary(sliding)).toEqual(['0', '0', '0', '429', '429', '429']);
  });

  it('fixed: at most 3 per clock second — all six pass, twice the limit within 300 ms', async () => {
    expect(await acrossABoundary(fixed)).toEqual(['0', '0', '0', '0', '0', '0']);
  });

  it('fixed still refuses a fourth request within one clock second', async () => {
    fixed.clock.t = Math.ceil((fixed.clock.t + 120_000) / 1000) * 1000 + 100;
    const st: string[] = [];
    for (let i = 0; i < 4; i++) st.push((await fixed.get([['zone', 'tasktypes']])).body.status);
    expect(st).toEqual(['0', '0', '0', '429']);
  });
});
