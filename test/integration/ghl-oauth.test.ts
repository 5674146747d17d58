/**
 * GHL sign-in end to end against the sandbox over real HTTP: the loopback login driven through the sandbox's
 * consent page (an HTTP client filling in and submitting its form, as a browser would), then the TokenManager's
 * refresh rotation, reuse detection and revocation.
 */
import got from 'got';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  GHL_LOGIN_SCOPES,
  GhlClient,
  TokenManager,
  type OAuthTokens,
  type TokenStore,
} from '../../main/connectors/ghl/index.js';
import { exchangeCode, startLogin, type LoginResult } from '../../main/connectors/oauth/index.js';
import { ConnectorError } from '../../main/connectors/shared/errors.js';
import { startGhlSandbox } from '../../main/sandbox/ghl/index.js';
import { generateWorld } from '../../main/sandbox/world.js';
import { freePort } from '../support/ports.js';
import { consentForm } from '../support/consent-page.js';

type Sandbox = Awaited<ReturnType<typeof startGhlSandbox>>;
const DAY = 86_400_000;
let sb: Sandbox;
let redirectUri: string;
/** The sandbox's clock: tests move it to expire tokens without waiting. */
let sandboxNow = Date.now();

beforeAll(async () => {
  redirectUri = `http://127.0.0.1:${await freePort()}/oauth/callback`;
  sb = await startGhlSandbox({
    world: generateWorld({ seed: 5, contacts: 40 }),
    port: 0,
    rateLimits: 'off',
    admin: true,
    redirectUris: [redirectUri],
    now: () => sandboxNow,
  });
});
afterAll(async () => sb?.close());
beforeEach(() => {
  sandboxNow = Date.now();
  sb.reset();
});

const tokenUrl = (): string => `${sb.baseUrl}/oauth/token`;
const tokenPosts = (): number => sb.stats().byEndpoint['POST /oauth/token'] ?? 0;

/** Act as the browser on the consent page: read the form, pick the sub-account, press Allow or Cancel. Returns the redirect. */
async function consent(authorizeUrl: string, decision: 'allow' | 'deny', locationId: string): Promise<string> {
  const page = await got(authorizeUrl, { throwHttpErrors: false });
  expect(page.statusCode).toBe(200);
  const { action, fields, options } = consentForm(page.body);
  expect(options).toContain(locationId);
  const res = await got.post(new URL(action, authorizeUrl).toString(), {
    form: { ...fields, locationId, decision },
    followRedirect: false,
    throwHttpErrors: false,
  });
  expect(res.statusCode).toBe(302);
  return res.headers.location as string;
}

function memoryStore(initial?: OAuthTokens): TokenStore & { saved?: OAuthTokens; saves: number } {
  const s = {
    saved: initial,
    saves: 0,
    load: async () => s.saved,
    save: async (t: OAuthTokens) => {
      s.saves++;
      s.saved = t;
    },
  };
  return s;
}

/** Sign in through the consent page; `browser` decides what the "browser" does with the redirect. */
async function signIn(
  scopes: readonly string[] = GHL_LOGIN_SCOPES,
  browser: (redirect: string) => Promise<void> = async (r) => void (await got(r)),
): Promise<{ result: LoginResult; browserDone: Promise<void> }> {
  let browserDone: Promise<void> = Promise.resolve();
  const result = await startLogin({
    clientId: sb.credentials.oauth.clientId,
    clientSecret: sb.credentials.oauth.clientSecret,
    authorizeUrl: sb.credentials.oauth.authorizeUrl,
    tokenUrl: tokenUrl(),
    redirectUri,
    scopes,
    timeoutMs: 20_000,
    openBrowser: (url) => {
      browserDone = consent(url, 'allow', sb.credentials.locationId).then(browser);
      browserDone.catch(() => undefined);
    },
  });
  return { result, browserDone };
}

function clientFor(tm: TokenManager, locationId: string): GhlClient {
  return new GhlClient({ baseUrl: sb.baseUrl, auth: tm, locationId });
}

describe('loopback login through the consent page', () => {
  it('signs in: consent → loopback → code exchange with PKCE → tokens that work', async () => {
    let page = '';
    const { result, browserDone } = await signIn(GHL_LOGIN_SCOPES, async (redirect) => {
      const res = await got(redirect);
      page = res.body;
    });
    await browserDone;
    expect(page).toMatch(/signed in — you can close this tab/);
    expect(result.locationId).toBe(sb.credentials.locationId);
    expect(result.tokens.refreshToken).toBeTruthy();
    expect(result.tokens.scope.split(' ')).toEqual(
      expect.arrayContaining(['contacts.readonly', 'contacts.write', 'locations/customFields.readonly']),
    );

    const tm = new TokenManager({
      tokenUrl: tokenUrl(),
      clientId: sb.credentials.oauth.clientId,
      clientSecret: sb.credentials.oauth.clientSecret,
      store: memoryStore(),
    });
    await tm.setTokens(result.tokens);
    const info = await clientFor(tm, result.locationId!).testConnection();
    expect(info).toMatchObject({
      ok: true,
      authKind: 'oauth',
      locationId: sb.credentials.locationId,
      missingScopes: [],
    });
    expect(info.contactCount).toBe(sb.admin.listContacts().length);
  });

  it('rejects a callback with the wrong state without ending the login, and a replayed callback finds nobody listening', async () => {
    const statuses: number[] = [];
    let realRedirect = '';
    const { result, browserDone } = await signIn(GHL_LOGIN_SCOPES, async (redirect) => {
      realRedirect = redirect;
      const forged = new URL(redirect);
      forged.searchParams.set('state', 'forged-state');
      statuses.push((await got(forged.toString(), { throwHttpErrors: false })).statusCode);
      statuses.push((await got(redirect, { throwHttpErrors: false })).statusCode);
    });
    await browserDone;
    expect(statuses).toEqual([400, 200]);
    expect(result.locationId).toBe(sb.credentials.locationId);

    const replay = await got(realRedirect, { throwHttpErrors: false, retry: { limit: 0 } }).catch((e: unknown) => e);
    expect(replay).toMatchObject({ code: 'ECONNREFUSED' });
    // and the code itself is single use at the token endpoint
    const code = new URL(realRedirect).searchParams.get('code')!;
    const again = await exchangeCode(
      {
        tokenUrl: tokenUrl(),
        clientId: sb.credentials.oauth.clientId,
        clientSecret: sb.credentials.oauth.clientSecret,
      },
      { code, redirectUri },
    ).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ConnectorError);
    expect((again as ConnectorError).kind).toBe('signed_out');
  });

  it('a denied consent ends the login with a clear error', async () => {
    let page = '';
    const err = await startLogin({
      clientId: sb.credentials.oauth.clientId,
      clientSecret: sb.credentials.oauth.clientSecret,
      authorizeUrl: sb.credentials.oauth.authorizeUrl,
      tokenUrl: tokenUrl(),
      redirectUri,
      scopes: GHL_LOGIN_SCOPES,
      timeoutMs: 20_000,
      openBrowser: (url) => {
        void consent(url, 'deny', sb.credentials.locationId)
          .then((r) => got(r, { throwHttpErrors: false }))
          .then((res) => (page = res.body));
      },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'denied' });
    expect((err as Error).message).toMatch(/declined — sign in again/);
    await expect.poll(() => page).toMatch(/Sign-in did not complete/);
    expect(tokenPosts()).toBe(0);
  });
});

describe('token refresh', () => {
  async function signedIn(): Promise<{ tokens: OAuthTokens; contactId: string }> {
    const { result, browserDone } = await signIn();
    await browserDone;
    return { tokens: result.tokens, contactId: sb.admin.listContacts()[0]!.id };
  }
  const manager = (store: TokenStore, now: () => number, onSignedOut?: (r: string) => void) =>
    new TokenManager({
      tokenUrl: tokenUrl(),
      clientId: sb.credentials.oauth.clientId,
      clientSecret: sb.credentials.oauth.clientSecret,
      store,
      now,
      onSignedOut,
    });

  it('ten concurrent calls on an expired token: exactly one refresh, the new pair saved, every call succeeds', async () => {
    const { tokens, contactId } = await signedIn();
    const store = memoryStore(tokens);
    const tm = manager(store, () => sandboxNow);
    const ghl = clientFor(tm, sb.credentials.locationId);
    sandboxNow += 2 * DAY; // both clocks: the access token is a day past expiry
    const before = tokenPosts();
    const results = await Promise.all(Array.from({ length: 10 }, () => ghl.getContact(contactId)));
    expect(results.every((c) => c.id === contactId)).toBe(true);
    expect(tokenPosts() - before).toBe(1);
    expect(store.saves).toBe(1);
    expect(store.saved?.refreshToken).not.toBe(tokens.refreshToken);
    expect(store.saved?.accessToken).not.toBe(tokens.accessToken);
  });

  it('a 401 on a token we thought valid: one refresh, then the call goes through', async () => {
    const { tokens, contactId } = await signedIn();
    const tm = manager(memoryStore(tokens), () => Date.now()); // our clock says the token is fine…
    const ghl = clientFor(tm, sb.credentials.locationId);
    sandboxNow += 2 * DAY; // …GHL's says it expired
    const before = tokenPosts();
    const results = await Promise.all(Array.from({ length: 10 }, () => ghl.getContact(contactId)));
    expect(results).toHaveLength(10);
    expect(tokenPosts() - before).toBe(1);
  });

  it('a reused refresh token → invalid_grant → signed_out, observable, and no refresh loop', async () => {
    const { tokens, contactId } = await signedIn();
    const a = manager(memoryStore(tokens), () => sandboxNow);
    const signedOut: string[] = [];
    const b = manager(
      memoryStore(tokens),
      () => sandboxNow,
      (r) => signedOut.push(r),
    ); // a stale copy of the same pair
    sandboxNow += 2 * DAY;
    await clientFor(a, sb.credentials.locationId).getContact(contactId); // a spends the refresh token
    const ghlB = clientFor(b, sb.credentials.locationId);
    const before = tokenPosts();
    const err = await ghlB.getContact(contactId).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).kind).toBe('signed_out');
    expect((err as ConnectorError).message).toMatch(/sign in again/);
    expect(b.status()).toMatchObject({ state: 'signed_out' });
    expect(signedOut).toHaveLength(1);
    await expect(ghlB.getContact(contactId)).rejects.toMatchObject({ kind: 'signed_out' });
    await expect(ghlB.searchContacts()).rejects.toMatchObject({ kind: 'signed_out' });
    expect(tokenPosts() - before).toBe(1);
  });

  it('revoked access (app uninstalled) → "sign in again"', async () => {
    const { tokens, contactId } = await signedIn();
    const tm = manager(memoryStore(tokens), () => sandboxNow);
    const ghl = clientFor(tm, sb.credentials.locationId);
    expect((await ghl.getContact(contactId)).id).toBe(contactId);
    sb.admin.revokeOAuthTokens();
    const err = await ghl.getContact(contactId).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'signed_out' });
    expect((err as Error).message).toBe(
      'HighLevel sign-in expired or was revoked — sign in again on the Connections screen.',
    );
    expect(tm.status().state).toBe('signed_out');
  });

  it('an access token revoked alone (refresh token still good) is renewed transparently', async () => {
    const { tokens, contactId } = await signedIn();
    const tm = manager(memoryStore(tokens), () => sandboxNow);
    // the sandbox's "revoke" fault kills the token the request carries; it is cleared after that first attempt
    const ghl = new GhlClient({
      baseUrl: sb.baseUrl,
      auth: tm,
      locationId: sb.credentials.locationId,
      onAttempt: () => sb.faults.clear(),
    });
    sb.faults.set([
      {
        system: 'ghl',
        path: `GET /contacts/${contactId}`,
        rate: 1,
        kinds: ['revoke'],
        seed: 1,
        latencyMs: 0,
        burst: 0,
      },
    ]);
    const before = tokenPosts();
    expect((await ghl.getContact(contactId)).id).toBe(contactId);
    expect(sb.stats().faults.revoke).toBe(1);
    expect(tokenPosts() - before).toBe(1);
    expect(tm.status().state).toBe('signed_in');
  });

  it('a login with too few permissions: writes → scope, and testConnection lists what is missing', async () => {
    const { result, browserDone } = await signIn(['contacts.readonly']);
    await browserDone;
    const tm = manager(memoryStore(result.tokens), () => sandboxNow);
    const ghl = clientFor(tm, sb.credentials.locationId);
    const err = await ghl.createContact({ firstName: 'Nope' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'scope', status: 401 });
    expect((err as Error).message).toMatch(/approve all requested permissions/);
    const info = await ghl.testConnection();
    expect(info.ok).toBe(false);
    expect(info.missingScopes.sort()).toEqual(['contacts.write', 'locations/customFields.readonly']);
    expect(tokenPosts()).toBe(1); // the code exchange only: a scope 401 is not "expired", no refresh
  });
});
