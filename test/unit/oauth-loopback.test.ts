import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LoginError, loginInProgress, startLogin, type LoginOptions } from '../../main/connectors/oauth/loopback.js';
import { s256 } from '../../main/connectors/oauth/pkce.js';
import { freePort } from '../support/ports.js';

/**
 * The loopback listener's own rules, with a stand-in token endpoint that checks the PKCE verifier against the
 * challenge from the consent URL. The consent page itself is driven against the GHL sandbox in
 * test/integration/ghl-oauth.test.ts.
 */
let tokenServer: Server;
let tokenUrl: string;
let exchanges: Array<Record<string, string>> = [];
let lastChallenge = '';
let tokenReply: { status: number; body: unknown } = { status: 200, body: {} };

beforeAll(async () => {
  tokenServer = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(raw));
      exchanges.push(form);
      res.setHeader('content-type', 'application/json');
      if (tokenReply.status === 200 && s256(form.code_verifier ?? '') !== lastChallenge) {
        res.statusCode = 400;
        res.end(JSON.stringify({ error: 'invalid_grant', error_description: 'PKCE verification failed' }));
        return;
      }
      res.statusCode = tokenReply.status;
      res.end(JSON.stringify(tokenReply.body));
    });
  });
  await new Promise<void>((ok) => tokenServer.listen(0, '127.0.0.1', ok));
  tokenUrl = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/oauth/token`;
});
afterAll(() => new Promise<void>((ok) => tokenServer.close(() => ok())));
beforeEach(() => {
  exchanges = [];
  lastChallenge = '';
  tokenReply = {
    status: 200,
    body: {
      access_token: 'acc',
      refresh_token: 'ref',
      expires_in: 86399,
      scope: 'contacts.readonly contacts.write',
      userType: 'Location',
      locationId: 'loc42',
      companyId: 'co1',
      userId: 'u1',
    },
  };
});

/** A raw HTTP request to the loopback listener (lets us set any Host header / method). */
function hit(
  port: number,
  path: string,
  opts: { method?: string; host?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const r = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: opts.method ?? 'GET',
        headers: { host: opts.host ?? `127.0.0.1:${port}` },
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    r.on('error', reject);
    r.end();
  });
}

async function begin(extra: Partial<LoginOptions> = {}) {
  const port = await freePort();
  let opened = '';
  let resolveOpened!: () => void;
  const openedP = new Promise<void>((ok) => (resolveOpened = ok));
  const login = startLogin({
    clientId: 'cid',
    clientSecret: 'sec',
    authorizeUrl: 'http://127.0.0.1:9/v2/oauth/chooselocation',
    tokenUrl,
    redirectUri: `http://127.0.0.1:${port}/oauth/callback`,
    scopes: ['contacts.readonly', 'contacts.write', 'locations/customFields.readonly'],
    openBrowser: (url) => {
      opened = url;
      lastChallenge = new URL(url).searchParams.get('code_challenge') ?? '';
      resolveOpened();
    },
    timeoutMs: 10_000,
    ...extra,
  });
  login.catch(() => undefined);
  await openedP;
  const url = new URL(opened);
  return { port, login, url, state: url.searchParams.get('state') ?? '' };
}

describe('loopback login: the happy path', () => {
  it('sends state + PKCE S256, exchanges the code with the verifier, shows the success page, returns tokens', async () => {
    const { port, login, url, state } = await begin();
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('client_id')).toBe('cid');
    expect(url.searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${port}/oauth/callback`);
    expect(url.searchParams.get('scope')).toBe('contacts.readonly contacts.write locations/customFields.readonly');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(state.length).toBeGreaterThanOrEqual(32);

    const page = await hit(port, `/oauth/callback?code=C0DE&state=${state}`);
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/You.re signed in — you can close this tab/);
    const result = await login;
    expect(result.locationId).toBe('loc42');
    expect(result.tokens).toMatchObject({
      accessToken: 'acc',
      refreshToken: 'ref',
      locationId: 'loc42',
      companyId: 'co1',
      userId: 'u1',
    });
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]).toMatchObject({
      grant_type: 'authorization_code',
      code: 'C0DE',
      client_id: 'cid',
      client_secret: 'sec',
      redirect_uri: `http://127.0.0.1:${port}/oauth/callback`,
      user_type: 'Location',
    });
    expect(loginInProgress()).toBe(false);
  });

  it('a random state and verifier per login', async () => {
    const a = await begin();
    await hit(a.port, `/oauth/callback?code=x&state=${a.state}`);
    await a.login;
    const b = await begin();
    expect(b.state).not.toBe(a.state);
    expect(b.url.searchParams.get('code_challenge')).not.toBe(a.url.searchParams.get('code_challenge'));
    await hit(b.port, `/oauth/callback?code=x&state=${b.state}`);
    await b.login;
  });
});

describe('loopback login: what does not end the login', () => {
  it('wrong Host → 400, wrong path → 404, wrong method → 405, wrong or missing state → 400; the real answer still works', async () => {
    const { port, login, state } = await begin();
    expect((await hit(port, `/oauth/callback?code=x&state=${state}`, { host: `evil.example:${port}` })).status).toBe(
      400,
    );
    expect((await hit(port, `/favicon.ico`)).status).toBe(404);
    expect((await hit(port, `/oauth/callback?code=x&state=${state}`, { method: 'POST' })).status).toBe(405);
    const mismatch = await hit(port, `/oauth/callback?code=attacker&state=not-the-state`);
    expect(mismatch.status).toBe(400);
    expect(mismatch.body).toContain('does not belong');
    expect((await hit(port, `/oauth/callback?code=attacker`)).status).toBe(400);
    expect(exchanges).toHaveLength(0);
    expect(loginInProgress()).toBe(true);

    const ok = await hit(port, `/oauth/callback?code=good&state=${state}`, { host: `127.0.0.1:${port}` });
    expect(ok.status).toBe(200);
    await expect(login).resolves.toMatchObject({ locationId: 'loc42' });
    expect(exchanges.map((e) => e.code)).toEqual(['good']);
  });

  it('a replayed callback after success finds the listener closed', async () => {
    const { port, login, state } = await begin();
    await hit(port, `/oauth/callback?code=c1&state=${state}`);
    await login;
    await expect(hit(port, `/oauth/callback?code=c1&state=${state}`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(exchanges).toHaveLength(1);
  });
});

describe('loopback login: failures', () => {
  it('one login at a time: a second start is refused clearly', async () => {
    const first = await begin();
    const err = await startLogin({
      clientId: 'cid',
      clientSecret: 'sec',
      authorizeUrl: 'http://127.0.0.1:9/x',
      tokenUrl,
      redirectUri: `http://127.0.0.1:${await freePort()}/cb`,
      scopes: [],
      openBrowser: () => undefined,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoginError);
    expect(err).toMatchObject({ code: 'busy' });
    expect((err as Error).message).toMatch(/already in progress/);
    await hit(first.port, `/oauth/callback?code=c&state=${first.state}`);
    await first.login;
  });

  it('times out, closes the listener and frees the slot', async () => {
    const { port, login } = await begin({ timeoutMs: 150 });
    await expect(login).rejects.toMatchObject({ code: 'timeout', kind: 'signed_out' });
    expect(loginInProgress()).toBe(false);
    await expect(hit(port, '/oauth/callback')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('denied consent → failure page and a "denied" error', async () => {
    const { port, login, state } = await begin();
    const page = await hit(port, `/oauth/callback?error=access_denied&error_description=User+declined&state=${state}`);
    expect(page.body).toContain('Sign-in did not complete');
    await expect(login).rejects.toMatchObject({ code: 'denied', detail: 'access_denied: User declined' });
    expect(exchanges).toHaveLength(0);
  });

  it('a failed code exchange → failure page and an error saying so', async () => {
    tokenReply = { status: 400, body: { error: 'invalid_grant', error_description: 'code expired' } };
    const { port, login, state } = await begin();
    const page = await hit(port, `/oauth/callback?code=old&state=${state}`);
    expect(page.status).toBe(502);
    expect(page.body).toContain('Sign-in did not complete');
    const err = await login.catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'exchange_failed' });
    expect((err as Error).message).toMatch(/try signing in again/);
  });

  it('cancellable with an AbortSignal', async () => {
    const ac = new AbortController();
    const { login } = await begin({ signal: ac.signal });
    ac.abort();
    await expect(login).rejects.toMatchObject({ code: 'cancelled' });
    expect(loginInProgress()).toBe(false);
  });

  it('refuses a redirect URI that is not http on loopback with a port', async () => {
    for (const redirectUri of [
      'https://127.0.0.1:5000/cb',
      'http://example.com:5000/cb',
      'http://127.0.0.1/cb',
      'http://[::1]:5000/cb',
      'not a url',
    ]) {
      await expect(
        startLogin({
          clientId: 'c',
          clientSecret: 's',
          authorizeUrl: 'http://x/',
          tokenUrl,
          redirectUri,
          scopes: [],
          openBrowser: () => undefined,
        }),
      ).rejects.toMatchObject({ code: 'bad_redirect', kind: 'config' });
    }
    expect(loginInProgress()).toBe(false);
  });

  it('accepts 127.0.0.1 only: "localhost" is refused with the address to use instead (RFC 8252 §8.3)', async () => {
    for (const redirectUri of ['http://localhost:5000/cb', 'http://LOCALHOST:5000/cb', 'http://localhost/cb']) {
      const err = await startLogin({
        clientId: 'c',
        clientSecret: 's',
        authorizeUrl: 'http://x/',
        tokenUrl,
        redirectUri,
        scopes: [],
        openBrowser: () => undefined,
      }).catch((e: unknown) => e);
      expect(err, redirectUri).toMatchObject({ code: 'bad_redirect', kind: 'config' });
      expect((err as Error).message, redirectUri).toMatch(/"localhost".*use http:\/\/127\.0\.0\.1(:5000)?\/cb instead/);
    }
    expect(loginInProgress()).toBe(false);
  });

  it('the listener answers only on the 127.0.0.1 name: a "localhost" Host header is refused', async () => {
    const { port, login, state } = await begin();
    expect((await hit(port, `/oauth/callback?code=x&state=${state}`, { host: `localhost:${port}` })).status).toBe(400);
    expect((await hit(port, `/oauth/callback?code=good&state=${state}`, { host: `127.0.0.1:${port}` })).status).toBe(
      200,
    );
    await login;
  });

  it('says so when the registered port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((ok) => blocker.listen(0, '127.0.0.1', ok));
    const port = (blocker.address() as AddressInfo).port;
    const err = await startLogin({
      clientId: 'c',
      clientSecret: 's',
      authorizeUrl: 'http://x/',
      tokenUrl,
      redirectUri: `http://127.0.0.1:${port}/cb`,
      scopes: [],
      openBrowser: () => undefined,
    }).catch((e: unknown) => e);
    await new Promise<void>((ok) => blocker.close(() => ok()));
    expect(err).toMatchObject({ code: 'port_in_use' });
    expect((err as Error).message).toContain(String(port));
    expect(loginInProgress()).toBe(false);
  });

  it('a browser that cannot open ends the login with a clear error', async () => {
    const err = await startLogin({
      clientId: 'c',
      clientSecret: 's',
      authorizeUrl: 'http://x/',
      tokenUrl,
      redirectUri: `http://127.0.0.1:${await freePort()}/cb`,
      scopes: [],
      openBrowser: () => {
        throw new Error('no browser');
      },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'browser' });
    expect(loginInProgress()).toBe(false);
  });
});
