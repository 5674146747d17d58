/**
 * GHL sandbox — several locations (README "Several locations"): one sandbox serves the main sub-account plus extra
 * ones, each with its own records and Private Integration token; an agency signs in once (Company token), lists the
 * installed locations and mints a token per location (oauth.json: GET /oauth/installedLocations, POST
 * /oauth/locationToken). One location's token never reaches another's records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorld } from '../../main/sandbox/world.js';
import { type Harness, startHarness } from './fixtures/ghl/harness.js';
import { ALL_CONTACT_SCOPES, authorize, exchange } from './fixtures/ghl/oauth.js';
import { expectResponsesMatchSpec } from './fixtures/ghl/spec-check.js';

const AGENCY = `${ALL_CONTACT_SCOPES} locations.readonly oauth.readonly oauth.write`;
let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    rateLimits: 'real',
    extraLocations: [
      { name: 'Bay Electrical', world: generateWorld({ seed: 501, contacts: 12 }) },
      { name: 'Coast Plumbing', world: generateWorld({ seed: 502, contacts: 9 }) },
    ],
  });
});
afterAll(async () => {
  await h.close();
});

const idsIn = async (locationId: string, token: string) => {
  const r = await h.post('/contacts/search', { locationId, pageLimit: 100 }, { token });
  expect(r.status).toBe(200);
  return (r.body.contacts as Array<{ id: string; locationId: string }>).map((c) => c.id);
};

async function agencyToken(): Promise<Record<string, unknown> & { access_token: string }> {
  const { code } = await authorize(h, { locationId: '__company', scope: AGENCY });
  const r = await exchange(h, {
    grant_type: 'authorization_code',
    code,
    user_type: 'Company',
    redirect_uri: h.creds.oauth.redirectUri,
  });
  expect(r.status).toBe(200);
  return r.body;
}

describe('several locations in one sandbox', () => {
  it('lists every location with its own PIT; each PIT reads only its own location, with its own records', async () => {
    const [main, bay, coast] = h.creds.locations;
    expect(h.creds.locations.map((l) => l.name)).toEqual([
      'Harbour Plumbing & Electrical',
      'Bay Electrical',
      'Coast Plumbing',
    ]);
    expect(main!.privateToken).toBe(h.creds.privateToken);
    const mainIds = await idsIn(main!.locationId, main!.privateToken);
    const bayIds = await idsIn(bay!.locationId, bay!.privateToken);
    const coastIds = await idsIn(coast!.locationId, coast!.privateToken);
    expect(bayIds.length).toBeGreaterThan(0);
    expect(coastIds.length).toBeGreaterThan(0);
    expect(bayIds.filter((id) => mainIds.includes(id) || coastIds.includes(id))).toEqual([]);
    // A PIT of one location is refused on another's (403), and on another's contact.
    const cross = await h.post(
      '/contacts/search',
      { locationId: main!.locationId, pageLimit: 1 },
      { token: bay!.privateToken },
    );
    expect(cross.status).toBe(403);
    expect((await h.get(`/contacts/${mainIds[0]}`, { token: bay!.privateToken })).status).toBe(403);
    const loc = await h.get(`/locations/${bay!.locationId}`, { token: bay!.privateToken });
    expect(loc.body.location.name).toBe('Bay Electrical');
  });

  it('keeps a rate-limit bucket per location', async () => {
    const [main, bay] = h.creds.locations;
    const a = await h.get(`/locations/${main!.locationId}`, { token: main!.privateToken });
    const b = await h.get(`/locations/${bay!.locationId}`, { token: bay!.privateToken });
    const left = (r: typeof a) => Number(r.headers.get('x-ratelimit-daily-remaining'));
    const a2 = await h.get(`/locations/${main!.locationId}`, { token: main!.privateToken });
    expect(left(a2)).toBe(left(a) - 1);
    const b2 = await h.get(`/locations/${bay!.locationId}`, { token: bay!.privateToken });
    expect(left(b2)).toBe(left(b) - 1);
  });
});

describe('agency install (Company token → installed locations → location tokens)', () => {
  it('the chooser offers the agency choice only when the app asks for agency scopes', async () => {
    const q = { response_type: 'code', client_id: h.creds.oauth.clientId, redirect_uri: h.creds.oauth.redirectUri };
    const plain = await h.get('/v2/oauth/chooselocation', {
      token: null,
      version: null,
      query: { ...q, scope: ALL_CONTACT_SCOPES },
    });
    expect(plain.text).not.toContain('__company');
    const agency = await h.get('/v2/oauth/chooselocation', {
      token: null,
      version: null,
      query: { ...q, scope: AGENCY },
    });
    expect(agency.text).toContain('value="__company"');
  });

  it('a Company token lists the installed locations and mints a token per location that reads only that one', async () => {
    const t = await agencyToken();
    expect(t.userType).toBe('Company');
    expect(t.companyId).toBe(h.creds.companyId);
    expect(t.locationId).toBeUndefined();
    // The Company token itself reaches no location's contacts.
    expect(
      (await h.post('/contacts/search', { locationId: h.loc, pageLimit: 1 }, { token: t.access_token })).status,
    ).toBe(403);

    const list = await h.get('/oauth/installedLocations', {
      token: t.access_token,
      query: { companyId: h.creds.companyId, appId: h.creds.oauth.appId },
    });
    expect(list.status).toBe(200);
    const ids = (list.body.locations as Array<{ _id: string; name: string }>).map((l) => l._id);
    for (const l of h.creds.locations) expect(ids).toContain(l.locationId);
    expect(list.body.count).toBe(ids.length);
    const paged = await h.get('/oauth/installedLocations', {
      token: t.access_token,
      query: { companyId: h.creds.companyId, appId: h.creds.oauth.appId, skip: 1, limit: 1 },
    });
    expect(paged.body.locations.map((l: { _id: string }) => l._id)).toEqual([ids[1]]);

    const bay = h.creds.locations[1]!;
    const minted = await h.call('POST', '/oauth/locationToken', {
      token: t.access_token,
      form: { companyId: h.creds.companyId, locationId: bay.locationId },
    });
    expect(minted.status).toBe(200);
    expect(minted.body.locationId).toBe(bay.locationId);
    expect(minted.body.refresh_token).toBeTruthy();
    expect(await idsIn(bay.locationId, minted.body.access_token)).toEqual(
      await idsIn(bay.locationId, bay.privateToken),
    );
    expect(
      (await h.post('/contacts/search', { locationId: h.loc, pageLimit: 1 }, { token: minted.body.access_token }))
        .status,
    ).toBe(403);
    // The minted location token refreshes like any location token (rotating).
    const refreshed = await exchange(h, { grant_type: 'refresh_token', refresh_token: minted.body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.locationId).toBe(bay.locationId);
  });

  it('refuses: a location token on the agency routes, a missing companyId, another company, a code redeemed as the wrong user_type', async () => {
    const t = await agencyToken();
    const bay = h.creds.locations[1]!;
    expect(
      (
        await h.get('/oauth/installedLocations', {
          token: bay.privateToken,
          query: { companyId: h.creds.companyId, appId: h.creds.oauth.appId },
        })
      ).status,
    ).toBe(401);
    expect(
      (await h.get('/oauth/installedLocations', { token: t.access_token, query: { appId: h.creds.oauth.appId } }))
        .status,
    ).toBe(422);
    const other = await h.call('POST', '/oauth/locationToken', {
      token: t.access_token,
      form: { companyId: 'someone-else', locationId: bay.locationId },
    });
    expect(other.status).toBe(400);
    expect(
      (await h.call('POST', '/oauth/locationToken', { token: t.access_token, form: { companyId: h.creds.companyId } }))
        .status,
    ).toBe(422);
    const { code } = await authorize(h, { locationId: '__company', scope: AGENCY });
    expect(
      (await exchange(h, { grant_type: 'authorization_code', code, redirect_uri: h.creds.oauth.redirectUri })).status,
    ).toBe(400);
  });

  it('every JSON answer matches the official schemas', () => {
    expectResponsesMatchSpec(h);
  });
});
