/**
 * GHL sandbox — OAuth 2.0 (consent page, code exchange, PKCE, rotating single-use refresh
 * tokens, expiry by the injected clock, scopes, location binding) and the Private Integration token.
 * The consent page in a real browser: ghl-consent-browser.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { type Harness, startHarness } from './fixtures/ghl/harness.js';
import { ALL_CONTACT_SCOPES, authorize, exchange, oauthTokens } from './fixtures/ghl/oauth.js';
import { expectResponsesMatchSpec } from './fixtures/ghl/spec-check.js';

const TTL = 3_600;
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ accessTokenTtlSec: TTL });
});
afterAll(async () => {
  await h.close();
});

const chooserQuery = (over: Record<string, string | undefined> = {}) => ({
  response_type: 'code',
  client_id: h.creds.oauth.clientId,
  redirect_uri: h.creds.oauth.redirectUri,
  scope: ALL_CONTACT_SCOPES,
  ...over,
});
const searchWith = (token: string, locationId = h.loc) =>
  h.post('/contacts/search', { locationId, pageLimit: 1 }, { token });

describe('consent page (/v2/oauth/chooselocation)', () => {
  it('serves an HTML form: a <select> of the company sub-accounts and an Allow button; state carried', async () => {
    const res = await h.get('/v2/oauth/chooselocation', {
      token: null,
      version: null,
      query: chooserQuery({ state: 's-123' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.text).toMatch(/<select id="locationId" name="locationId"/);
    expect(res.text).toContain(`value="${h.loc}"`);
    expect(res.text).toContain(`value="${h.creds.otherLocationId}"`);
    expect(res.text).toMatch(/<button[^>]*value="allow"[^>]*>Allow<\/button>/);
    expect(res.text).toContain('name="state" value="s-123"');
    expect(h.creds.oauth.authorizeUrl).toBe(`${h.sb.baseUrl}/v2/oauth/chooselocation`);
    expect((await h.get('/oauth/chooselocation', { token: null, version: null, query: chooserQuery() })).status).toBe(
      200,
    );
  });

  it('shows an error page (400, no redirect) for a wrong client, redirect URI, response type, scope or PKCE method', async () => {
    const cases: Array<[Record<string, string | undefined>, string]> = [
      [{ client_id: 'someone-else' }, 'No integration found'],
      [{ redirect_uri: 'http://127.0.0.1:9999/evil' }, 'not registered'],
      [{ redirect_uri: h.creds.oauth.redirectUri + '/' }, 'not registered'],
      [{ response_type: 'token' }, 'response_type'],
      [{ scope: 'contacts.readonly conversations.write' }, 'Invalid scope: conversations.write'],
      [{ scope: undefined }, 'Missing scope'],
      [{ code_challenge: 'abc', code_challenge_method: 'plain' }, 'S256'],
    ];
    for (const [over, text] of cases) {
      const res = await h.get('/v2/oauth/chooselocation', { token: null, version: null, query: chooserQuery(over) });
      expect(res.status, JSON.stringify(over)).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(res.text).toContain(text);
    }
  });

  it('scopes joined by an encoded "+" (%2B) are not split — the marketplace mishandles %2B [I#21]', async () => {
    const url = `/v2/oauth/chooselocation?response_type=code&client_id=${h.creds.oauth.clientId}&redirect_uri=${encodeURIComponent(h.creds.oauth.redirectUri)}&scope=contacts.readonly%2Bcontacts.write`;
    const res = await h.get(url, { token: null, version: null });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Invalid scope: contacts.readonly+contacts.write');
    const plus = await h.get(url.replace('%2B', '+'), { token: null, version: null });
    expect(plus.status).toBe(200);
  });

  it('Cancel redirects with error=access_denied and the state', async () => {
    const res = await h.call('POST', '/v2/oauth/chooselocation', {
      token: null,
      version: null,
      form: { ...chooserQuery({ state: 'st' }), locationId: h.loc, decision: 'deny' },
    });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get('location')!);
    expect(loc.origin + loc.pathname).toBe(h.creds.oauth.redirectUri);
    expect(loc.searchParams.get('error')).toBe('access_denied');
    expect(loc.searchParams.get('state')).toBe('st');
    expect(loc.searchParams.get('code')).toBeNull();
  });
});

describe('POST /oauth/token', () => {
  it('exchanges a code for the documented token response (expires_in from the option)', async () => {
    const { code, location } = await authorize(h, { state: 'abc' });
    expect(location.searchParams.get('state')).toBe('abc');
    const res = await exchange(h, {
      grant_type: 'authorization_code',
      code,
      user_type: 'Location',
      redirect_uri: h.creds.oauth.redirectUri,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: TTL,
      userType: 'Location',
      locationId: h.loc,
      companyId: h.creds.companyId,
      scope: ALL_CONTACT_SCOPES,
      userId: expect.any(String),
      access_token: expect.any(String),
      refresh_token: expect.any(String),
    });
    expect((await searchWith(res.body.access_token)).status).toBe(200);
  });

  it('codes are single use and expire after 10 minutes', async () => {
    const { code } = await authorize(h);
    expect((await exchange(h, { grant_type: 'authorization_code', code })).status).toBe(200);
    const again = await exchange(h, { grant_type: 'authorization_code', code });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({
      error: 'invalid_grant',
      message: 'Invalid grant: authorization code is invalid',
    });
    const late = await authorize(h);
    h.clock.advance(10 * 60_000);
    expect((await exchange(h, { grant_type: 'authorization_code', code: late.code })).body.error).toBe('invalid_grant');
    const inTime = await authorize(h);
    h.clock.advance(10 * 60_000 - 1);
    expect((await exchange(h, { grant_type: 'authorization_code', code: inTime.code })).status).toBe(200);
  });

  it('checks the client secret, required fields, grant type, redirect_uri and the form encoding', async () => {
    const { code } = await authorize(h);
    const wrongSecret = await exchange(h, { grant_type: 'authorization_code', code, client_secret: 'nope' });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body).toMatchObject({ statusCode: 401, error: 'invalid_client' });
    const missing = await exchange(h, { grant_type: undefined, code });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toBe('Missing parameter: grant_type');
    expect((await exchange(h, { grant_type: 'client_credentials' })).status).toBe(400);
    expect((await exchange(h, { grant_type: 'password' })).body.error).toBe('unsupported_grant_type');
    const mismatch = await exchange(h, {
      grant_type: 'authorization_code',
      code: (await authorize(h)).code,
      redirect_uri: 'http://localhost:47321/oauth/callback',
    });
    expect(mismatch.body.error_description).toContain('redirect_uri');
    const json = await h.post(
      '/oauth/token',
      {
        client_id: h.creds.oauth.clientId,
        client_secret: h.creds.oauth.clientSecret,
        grant_type: 'authorization_code',
        code: (await authorize(h)).code,
      },
      { token: null, version: null },
    );
    expect(json.status).toBe(400);
    expect(json.body.message).toContain('x-www-form-urlencoded');
  });

  it('PKCE: once a code_challenge was sent, only the matching S256 code_verifier redeems the code', async () => {
    const verifier = 'v'.repeat(43) + 'erifier-0123456789';
    const challenge = createHash('sha256').update(verifier).digest('base64url'); // RFC 7636 S256, computed here
    const a = await authorize(h, { codeChallenge: challenge });
    expect((await exchange(h, { grant_type: 'authorization_code', code: a.code })).body.error_description).toContain(
      'code_verifier',
    );
    const b = await authorize(h, { codeChallenge: challenge });
    expect(
      (await exchange(h, { grant_type: 'authorization_code', code: b.code, code_verifier: verifier + 'x' })).status,
    ).toBe(400);
    const c = await authorize(h, { codeChallenge: challenge });
    expect(
      (await exchange(h, { grant_type: 'authorization_code', code: c.code, code_verifier: verifier })).status,
    ).toBe(200);
  });
});

describe('tokens at work', () => {
  it('an access token is bound to the chosen location', async () => {
    const other = await oauthTokens(h, { locationId: h.creds.otherLocationId });
    const denied = await searchWith(other.access_token);
    expect(denied.status).toBe(403);
    expect(denied.body.message).toBe('The token does not have access to this location.');
    const own = await searchWith(other.access_token, h.creds.otherLocationId);
    expect(own.status).toBe(200);
    expect(own.body.total).toBe(h.sb.admin.listContacts(h.creds.otherLocationId).length);
  });

  it('expires by the injected clock: 401 "Invalid token: access token is invalid"', async () => {
    const t = await oauthTokens(h);
    h.clock.advance(TTL * 1000 - 1);
    expect((await searchWith(t.access_token)).status).toBe(200);
    h.clock.advance(1);
    const res = await searchWith(t.access_token);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({
      statusCode: 401,
      message: 'Invalid token: access token is invalid',
      error: 'Unauthorized',
    });
  });

  it('refresh tokens rotate and are single use: reuse → 400 invalid_grant "Invalid grant: refresh token is invalid"', async () => {
    const first = await oauthTokens(h);
    h.clock.advance(TTL * 1000); // the access token has expired; the refresh token still works
    const r1 = await exchange(h, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(r1.status).toBe(200);
    expect(r1.body.refresh_token).not.toBe(first.refresh_token);
    expect(r1.body).toMatchObject({ locationId: h.loc, scope: ALL_CONTACT_SCOPES, expires_in: TTL });
    expect((await searchWith(r1.body.access_token)).status).toBe(200);
    const reuse = await exchange(h, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(reuse.status).toBe(400);
    expect(reuse.body).toMatchObject({
      statusCode: 400,
      message: 'Invalid grant: refresh token is invalid',
      error: 'invalid_grant',
      error_description: 'Invalid grant: refresh token is invalid',
    });
    const r2 = await exchange(h, { grant_type: 'refresh_token', refresh_token: r1.body.refresh_token });
    expect(r2.status).toBe(200);
    const wrongClient = await exchange(h, {
      grant_type: 'refresh_token',
      refresh_token: r2.body.refresh_token,
      client_secret: 'bad',
    });
    expect(wrongClient.status).toBe(401);
    expect((await exchange(h, { grant_type: 'refresh_token', refresh_token: r2.body.refresh_token })).status).toBe(200);
  });

  it('scopes: a contacts.readonly token reads but cannot write (401 "The token is not authorized for this scope.")', async () => {
    const ro = await oauthTokens(h, { scope: 'contacts.readonly' });
    const c = h.sb.admin.listContacts()[0]!;
    expect((await h.get(`/contacts/${c.id}`, { token: ro.access_token })).status).toBe(200);
    expect((await searchWith(ro.access_token)).status).toBe(200);
    for (const res of [
      await h.put(`/contacts/${c.id}`, { city: 'Nope' }, { token: ro.access_token }),
      await h.post(`/contacts/${c.id}/tags`, { tags: ['x'] }, { token: ro.access_token }),
      await h.get(`/locations/${h.loc}/customFields`, { token: ro.access_token }),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({
        statusCode: 401,
        message: 'The token is not authorized for this scope.',
        error: 'Unauthorized',
      });
    }
    const wo = await oauthTokens(h, { scope: 'contacts.write' });
    expect((await h.get(`/contacts/${c.id}`, { token: wo.access_token })).status).toBe(200);
  });

  it('revoking all OAuth tokens (uninstall) kills access and refresh tokens', async () => {
    const t = await oauthTokens(h);
    h.sb.admin.revokeOAuthTokens();
    expect((await searchWith(t.access_token)).status).toBe(401);
    expect((await exchange(h, { grant_type: 'refresh_token', refresh_token: t.refresh_token })).body.error).toBe(
      'invalid_grant',
    );
    expect((await searchWith((await oauthTokens(h)).access_token)).status).toBe(200);
  });
});

describe('Private Integration token', () => {
  it('reads and writes contacts and custom fields of its own location only', async () => {
    expect((await h.get(`/locations/${h.loc}/customFields`)).status).toBe(200);
    expect((await h.post('/contacts/', { locationId: h.loc, firstName: 'PIT' })).status).toBe(200);
    expect((await searchWith(h.creds.privateToken, h.creds.otherLocationId)).status).toBe(403);
  });

  it('rotate: the old token stops at once, the new one (credentials updated) works; revoke: none works', async () => {
    const old = h.creds.privateToken;
    const fresh = h.sb.admin.rotatePrivateToken();
    expect(fresh).not.toBe(old);
    expect(h.creds.privateToken).toBe(fresh);
    expect((await searchWith(old)).status).toBe(401);
    expect((await searchWith(fresh)).status).toBe(200);
    h.sb.admin.revokePrivateToken();
    expect((await searchWith(fresh)).status).toBe(401);
  });
});

it('every JSON response in this file matches the official OpenAPI schemas (incl. oauth.json token answers)', () => {
  expectResponsesMatchSpec(h);
});
