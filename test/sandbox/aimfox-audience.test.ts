/**
 * Aimfox sandbox: campaign audiences. Adds by LinkedIn URL (single and multiple), the documented refusal
 * codes, the whole-audience GET that ignores paging, and removal by URN or public identifier.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startAimfoxSandbox,
  type AimfoxAdmin,
  type AimfoxCredentials,
  type AimfoxLeadJson,
} from '../../main/sandbox/aimfox/index.js';
import type { SandboxHandle } from '../../main/sandbox/types.js';
import { generateWorld, linkedinUrl, type World } from '../../main/sandbox/world.js';

let sb: SandboxHandle<AimfoxCredentials, AimfoxAdmin>;
let world: World;

async function api(method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${sb.credentials.apiKey}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(sb.baseUrl + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const audiencePath = () => `/campaigns/${sb.credentials.campaignId}/audience`;
/** World people with a LinkedIn profile who are not Aimfox leads yet. */
const outsiders = () => world.people.filter((p) => p.linkedinId && !p.in.aimfox);
const campaignNamed = (name: string) => {
  const c = sb.admin.listCampaigns().find((x) => x.name === name);
  if (!c) throw new Error(`no campaign ${name}`);
  return c;
};
const connectedLead = (): AimfoxLeadJson => {
  const l = sb.admin.listLeads().find((x) => x.is_lead);
  if (!l) throw new Error('no connected lead');
  return l;
};
/** A lead sitting at a warm-up step of the ACTIVE search campaign. */
const lockedLead = (): AimfoxLeadJson => {
  const search = campaignNamed('Melbourne trades search');
  const entry = sb.admin.audience(search.id).find((e) => !['withdraw', 'cancelled', 'done'].includes(e.state));
  if (!entry) throw new Error('no locked lead');
  return sb.admin.getLead(entry.id) as AimfoxLeadJson;
};

beforeAll(async () => {
  world = generateWorld({ contacts: 200, seed: 11 });
  sb = await startAimfoxSandbox({ world, rateLimits: 'off', admin: true });
});
beforeEach(() => sb.reset());
afterAll(() => sb.close());

describe('Aimfox sandbox: adding one profile', () => {
  it('adds a known LinkedIn profile, creating the lead with a numeric id, an ACoAA urn and its public identifier', async () => {
    const person = outsiders()[0]!;
    expect(sb.admin.findLeadByPublicIdentifier(person.linkedinId!)).toBeUndefined();
    const r = await api('POST', audiencePath(), { profile_url: linkedinUrl(person.linkedinId!) });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ok' });

    const audience = (await api('GET', audiencePath())).body.audience as Array<Record<string, unknown>>;
    const entry = audience.find((e) => e.public_identifier === person.linkedinId);
    expect(entry).toMatchObject({ state: 'init', full_name: `${person.firstName} ${person.lastName}` });
    expect(entry?.id).toMatch(/^\d+$/);
    expect(entry?.urn).toMatch(/^ACoAA[A-Za-z0-9_-]+$/);

    const lead = await api('GET', `/leads/${String(entry?.id)}`);
    expect(lead.status).toBe(200);
    expect(lead.body.lead).toMatchObject({ public_identifier: person.linkedinId, urn: entry?.urn, is_lead: false });
    expect(lead.body.lead.origins).toEqual([{ id: sb.credentials.campaignId, name: 'GHL Bridge imports' }]);
  });

  it('accepts URL variants: no www, no trailing slash, query string, upper case', async () => {
    const [a, b, c] = outsiders();
    for (const url of [
      `https://linkedin.com/in/${a!.linkedinId}`,
      `https://www.linkedin.com/in/${b!.linkedinId}/?utm_source=x`,
      `HTTPS://WWW.LINKEDIN.COM/in/${c!.linkedinId!.toUpperCase()}/`,
    ]) {
      expect((await api('POST', audiencePath(), { profile_url: url })).status, url).toBe(200);
    }
    expect((await api('GET', audiencePath())).body.audience).toHaveLength(3);
  });

  it('refuses an unknown profile with 400 miningFailed', async () => {
    const r = await api('POST', audiencePath(), { profile_url: linkedinUrl('nobody-by-this-name-123') });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      status: 'fail',
      error: { code: 400, message: 'The Target was not found', type: 'Bad Request', data: 'miningFailed' },
    });
  });

  it('refuses a malformed URL (or none) with 400 ValidationError naming profile_url', async () => {
    for (const body of [
      { profile_url: 'john-doe' },
      { profile_url: 'https://www.linkedin.com/company/acme/' },
      { profile_url: 'https://example.com/in/john/' },
      {},
    ]) {
      const r = await api('POST', audiencePath(), body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.data).toBe('ValidationError');
      expect(r.body.error.message).toContain('profile_url');
    }
    expect((await api('GET', audiencePath())).body.audience).toHaveLength(0);
  });

  it('refuses a profile already in this audience with alreadyConnected', async () => {
    const url = linkedinUrl(outsiders()[0]!.linkedinId!);
    expect((await api('POST', audiencePath(), { profile_url: url })).status).toBe(200);
    const again = await api('POST', audiencePath(), { profile_url: url });
    expect(again.status).toBe(400);
    expect(again.body.error.data).toBe('alreadyConnected');
    expect((await api('GET', audiencePath())).body.audience).toHaveLength(1);
  });

  it('refuses an already-connected lead for a connect campaign with alreadyConnected', async () => {
    const r = await api('POST', audiencePath(), { profile_url: linkedinUrl(connectedLead().public_identifier) });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ data: 'alreadyConnected', message: 'The Target is already a lead' });
  });

  it('refuses a lead that is mid-sequence in another running campaign with locked', async () => {
    const lead = lockedLead();
    const r = await api('POST', audiencePath(), { profile_url: linkedinUrl(lead.public_identifier) });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ data: 'locked', message: 'The Target is Locked in another Campaign' });
  });

  it('releases the lock once the other campaign is finished with that lead', async () => {
    const lead = lockedLead();
    sb.admin.setAudienceState(campaignNamed('Melbourne trades search').id, lead.id, 'withdraw');
    expect((await api('POST', audiencePath(), { profile_url: linkedinUrl(lead.public_identifier) })).status).toBe(200);
  });

  it('refuses a blacklisted profile with blocked, and one without a picture with noPFP when the campaign excludes them', async () => {
    const [a, b] = outsiders();
    sb.admin.setProfile(a!.linkedinId!, { exists: true, blocked: true });
    expect((await api('POST', audiencePath(), { profile_url: linkedinUrl(a!.linkedinId!) })).body.error.data).toBe(
      'blocked',
    );
    const created = await api('POST', '/campaigns', {
      name: 'Pictures only',
      type: 'list',
      outreach_type: 'connect',
      no_pfp: true,
    });
    const id = created.body.campaign.id as string;
    sb.admin.setCampaignState(id, 'ACTIVE');
    sb.admin.setProfile(b!.linkedinId!, { exists: true, hasPicture: false });
    const r = await api('POST', `/campaigns/${id}/audience`, { profile_url: linkedinUrl(b!.linkedinId!) });
    expect(r.body.error).toMatchObject({ code: 400, data: 'noPFP' });
  });

  it('refuses a stranger in a message campaign with notLead', async () => {
    const follow = campaignNamed('Existing connections follow-up');
    const r = await api('POST', `/campaigns/${follow.id}/audience`, {
      profile_url: linkedinUrl(outsiders()[0]!.linkedinId!),
    });
    expect(r.body.error).toMatchObject({ code: 400, data: 'notLead' });
    expect(
      (
        await api('POST', `/campaigns/${follow.id}/audience`, {
          profile_url: linkedinUrl(connectedLead().public_identifier),
        })
      ).status,
    ).toBe(200);
  });

  it('follows the admin: a profile made to exist can be added, one made not to exist fails with miningFailed', async () => {
    sb.admin.setProfile('brand-new-person-42', { exists: true, firstName: 'Brand', lastName: 'New' });
    const ok = await api('POST', audiencePath(), { profile_url: linkedinUrl('brand-new-person-42') });
    expect(ok.status).toBe(200);
    expect(sb.admin.findLeadByPublicIdentifier('brand-new-person-42')).toMatchObject({ full_name: 'Brand New' });
    const gone = outsiders()[0]!.linkedinId!;
    sb.admin.setProfile(gone, { exists: false });
    expect((await api('POST', audiencePath(), { profile_url: linkedinUrl(gone) })).body.error.data).toBe(
      'miningFailed',
    );
  });

  it('refuses inserts into a search campaign and into a campaign still in INIT', async () => {
    const search = campaignNamed('Melbourne trades search');
    const url = linkedinUrl(outsiders()[0]!.linkedinId!);
    const r1 = await api('POST', `/campaigns/${search.id}/audience`, { profile_url: url });
    expect(r1.status).toBe(400);
    expect(r1.body.status).toBe('fail');
    const shell = await api('POST', '/campaigns', { name: 'Fresh', type: 'list', outreach_type: 'connect' });
    const r2 = await api('POST', `/campaigns/${shell.body.campaign.id}/audience`, { profile_url: url });
    expect(r2.status).toBe(400);
    expect(r2.body.error.message).toContain('INIT');
    sb.admin.setCampaignState(shell.body.campaign.id, 'CREATED');
    expect((await api('POST', `/campaigns/${shell.body.campaign.id}/audience`, { profile_url: url })).status).toBe(200);
  });

  it('answers an unknown campaign with 404', async () => {
    const r = await api('POST', '/campaigns/00000000-0000-4000-8000-000000000000/audience', {
      profile_url: linkedinUrl(outsiders()[0]!.linkedinId!),
    });
    expect(r.status).toBe(404);
  });
});

describe('Aimfox sandbox: adding many profiles', () => {
  it('adds what it can and reports the rest in failed and failedReason by public identifier', async () => {
    const [a, b] = outsiders();
    const connected = connectedLead();
    const locked = lockedLead();
    const items = [
      { profile_url: linkedinUrl(a!.linkedinId!), custom_variables: { 'first name': a!.firstName } },
      { profile_url: linkedinUrl(b!.linkedinId!) },
      { profile_url: linkedinUrl('nobody-at-all-999'), custom_variables: { 'first name': 'Nobody' } },
      { profile_url: linkedinUrl(connected.public_identifier) },
      { profile_url: linkedinUrl(locked.public_identifier) },
      { profile_url: linkedinUrl(a!.linkedinId!) },
    ];
    const r = await api('POST', `${audiencePath()}/multiple`, { type: 'profile_url', profiles: items });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('ok');
    expect(r.body.profiles.map((p: { public_identifier: string }) => p.public_identifier)).toEqual([
      a!.linkedinId,
      b!.linkedinId,
    ]);
    expect(r.body.profiles[0]).toMatchObject({ state: 'init' });
    expect(r.body.profiles[0].id).toMatch(/^\d+$/);
    expect(r.body.failed).toEqual([items[2], items[3], items[4], items[5]]);
    expect(r.body.failedReason).toEqual({
      'nobody-at-all-999': 'miningFailed',
      [connected.public_identifier]: 'alreadyConnected',
      [locked.public_identifier]: 'locked',
      [a!.linkedinId!]: 'alreadyConnected',
    });
    const vars = await api(
      'GET',
      `/campaigns/${sb.credentials.campaignId}/custom-variables/${String(r.body.profiles[0].urn)}`,
    );
    expect(vars.body.custom_variables).toEqual({
      target_urn: r.body.profiles[0].urn,
      variables: { 'first name': a!.firstName },
    });
  });

  it('keys a malformed URL in failedReason by the URL itself', async () => {
    const r = await api('POST', `${audiencePath()}/multiple`, {
      type: 'profile_url',
      profiles: [{ profile_url: 'not a url' }],
    });
    expect(r.status).toBe(200);
    expect(r.body.failedReason).toEqual({ 'not a url': 'miningFailed' });
  });

  it('refuses a type other than profile_url and an empty list', async () => {
    const t = await api('POST', `${audiencePath()}/multiple`, {
      type: 'email',
      profiles: [{ profile_url: linkedinUrl('x-y-z') }],
    });
    expect(t.body.error).toMatchObject({ code: 400, data: 'ValidationError' });
    expect(t.body.error.message).toContain('type');
    expect((await api('POST', `${audiencePath()}/multiple`, { type: 'profile_url', profiles: [] })).status).toBe(400);
  });
});

describe('Aimfox sandbox: reading and removing the audience', () => {
  it('returns the whole audience in one response and ignores paging parameters', async () => {
    const people = outsiders().slice(0, 12);
    await api('POST', `${audiencePath()}/multiple`, {
      type: 'profile_url',
      profiles: people.map((p) => ({ profile_url: linkedinUrl(p.linkedinId!) })),
    });
    const all = await api('GET', `${audiencePath()}?limit=2&offset=5&page=3&count=1&start=4`);
    expect(all.body.audience).toHaveLength(12);
    expect(all.body.audience.map((e: { public_identifier: string }) => e.public_identifier).sort()).toEqual(
      people.map((p) => p.linkedinId).sort(),
    );
  });

  it('removes by public identifier and by urn', async () => {
    const [a, b, c] = outsiders();
    const added = await api('POST', `${audiencePath()}/multiple`, {
      type: 'profile_url',
      profiles: [a, b, c].map((p) => ({ profile_url: linkedinUrl(p!.linkedinId!) })),
    });
    const [, second] = added.body.profiles as Array<{ urn: string }>;
    expect((await api('DELETE', `${audiencePath()}/${a!.linkedinId}`)).body).toEqual({ status: 'ok' });
    expect((await api('DELETE', `${audiencePath()}/${second!.urn}`)).body).toEqual({ status: 'ok' });
    const left = (await api('GET', audiencePath())).body.audience.map(
      (e: { public_identifier: string }) => e.public_identifier,
    );
    expect(left).toEqual([c!.linkedinId]);
    expect((await api('DELETE', `${audiencePath()}/${a!.linkedinId}`)).status).toBe(404);
  });

  it('shows an accepted invite: the step moves to message and the lead becomes connected', async () => {
    const person = outsiders()[0]!;
    await api('POST', audiencePath(), { profile_url: linkedinUrl(person.linkedinId!) });
    const lead = sb.admin.findLeadByPublicIdentifier(person.linkedinId!)!;
    sb.admin.setAudienceState(sb.credentials.campaignId, lead.id, 'message');
    const entry = (await api('GET', audiencePath())).body.audience[0];
    expect(entry).toMatchObject({ state: 'message', owner: sb.credentials.accountId });
    const after = await api('GET', `/leads/${lead.id}`);
    expect(after.body.lead).toMatchObject({ is_lead: true, lead_of: [sb.credentials.accountId] });
  });
});
