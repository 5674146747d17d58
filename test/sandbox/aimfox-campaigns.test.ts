/**
 * Aimfox sandbox: campaigns (list filters, create, get, the PATCH whitelist, delete, metrics) over real HTTP.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAimfoxSandbox, type AimfoxAdmin, type AimfoxCredentials } from '../../main/sandbox/aimfox/index.js';
import type { SandboxHandle } from '../../main/sandbox/types.js';
import { generateWorld } from '../../main/sandbox/world.js';

let sb: SandboxHandle<AimfoxCredentials, AimfoxAdmin>;

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

interface CampaignRow {
  id: string;
  name: string;
  state: string;
  type: string;
  outreach_type: string;
  owners: string[];
  created_at: number;
}

beforeAll(async () => {
  sb = await startAimfoxSandbox({
    world: generateWorld({ contacts: 80, seed: 5 }),
    rateLimits: 'off',
    now: () => Date.parse('2026-11-02T00:00:00Z'),
  });
});
beforeEach(() => sb.reset());
afterAll(() => sb.close());

describe('Aimfox sandbox campaigns', () => {
  it('lists at least two campaigns, including the credentials campaign and one that refuses inserts', async () => {
    const r = await api('GET', '/campaigns');
    expect(r.status).toBe(200);
    const list = r.body.campaigns as CampaignRow[];
    expect(list.length).toBeGreaterThanOrEqual(2);
    const mine = list.find((c) => c.id === sb.credentials.campaignId);
    expect(mine).toMatchObject({ type: 'list', state: 'ACTIVE' });
    expect(mine?.owners).toContain(sb.credentials.accountId);
    expect(typeof mine?.created_at).toBe('number');
    expect(mine).not.toHaveProperty('updated_at');
  });

  it('filters by accepts_profiles', async () => {
    const yes = (await api('GET', '/campaigns?accepts_profiles=true')).body.campaigns as CampaignRow[];
    const no = (await api('GET', '/campaigns?accepts_profiles=false')).body.campaigns as CampaignRow[];
    expect(yes.map((c) => c.id)).toContain(sb.credentials.campaignId);
    expect(no.length).toBeGreaterThan(0);
    expect(no.map((c) => c.id)).not.toContain(sb.credentials.campaignId);
    expect(yes.every((c) => c.type === 'list')).toBe(true);
    expect(no.every((c) => c.type !== 'list')).toBe(true);
    expect((await api('GET', '/campaigns?accepts_profiles=maybe')).status).toBe(400);
  });

  it('filters by outreach_type: inbound is drip only', async () => {
    const created = await api('POST', '/campaigns', { name: 'Inbound', type: 'list', outreach_type: 'drip' });
    const inbound = (await api('GET', '/campaigns?outreach_type=inbound')).body.campaigns as CampaignRow[];
    const outbound = (await api('GET', '/campaigns?outreach_type=outbound')).body.campaigns as CampaignRow[];
    expect(inbound.map((c) => c.id)).toEqual([created.body.campaign.id]);
    expect(outbound.every((c) => c.outreach_type !== 'drip')).toBe(true);
    expect(outbound.length).toBeGreaterThan(0);
  });

  it('creates a campaign shell with 200 in state INIT, owned by the LoggedIn account', async () => {
    const r = await api('POST', '/campaigns', {
      name: 'Q4 Connection Campaign',
      type: 'list',
      outreach_type: 'connect',
      audience_size: 500,
    });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('ok');
    expect(r.body.campaign).toMatchObject({
      name: 'Q4 Connection Campaign',
      state: 'INIT',
      type: 'list',
      outreach_type: 'connect',
      audience_size: 500,
    });
    expect(r.body.campaign.owners).toEqual([sb.credentials.accountId]);
    expect(r.body.campaign.created_at).toBe(Date.parse('2026-11-02T00:00:00Z'));
    expect(r.body.campaign.id).toMatch(/^[0-9a-f-]{36}$/);
    const again = await api('GET', `/campaigns/${r.body.campaign.id}`);
    expect(again.body.campaign.name).toBe('Q4 Connection Campaign');
  });

  it('requires outreach_type on create and names the field', async () => {
    const missing = await api('POST', '/campaigns', { name: 'x', type: 'list' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ data: 'ValidationError' });
    expect(missing.body.error.message).toContain('outreach_type');
    const wrong = await api('POST', '/campaigns', { name: 'x', type: 'list', outreach_type: 'email' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toContain('outreach_type');
  });

  it('returns the detail view with schedule, flows and exclusion flags, and no updated_at', async () => {
    const r = await api('GET', `/campaigns/${sb.credentials.campaignId}`);
    expect(r.status).toBe(200);
    const c = r.body.campaign;
    for (const key of [
      'schedule',
      'audience_size',
      'completion',
      'custom_variable_keys',
      'inmail_optimization',
      'exclude_active_targets',
      'exclude_previous_targets',
      'no_pfp',
      'flows',
    ]) {
      expect(c).toHaveProperty(key);
    }
    expect(c).not.toHaveProperty('updated_at');
    expect(c.flows.map((f: { type: string }) => f.type)).toContain('PRIMARY_CONNECT');
    const second = await api('GET', `/campaigns/${sb.credentials.campaignId}`);
    expect(second.body.campaign.flows).toEqual(c.flows);
  });

  it('PATCH accepts state ACTIVE/PAUSED, name, target_count and the exclusion flags', async () => {
    const r = await api('PATCH', `/campaigns/${sb.credentials.campaignId}`, {
      name: 'Renamed',
      state: 'PAUSED',
      target_count: 50,
      exclude_active_targets: false,
      exclude_previous_targets: true,
    });
    expect(r.status).toBe(200);
    expect(r.body.campaign).toMatchObject({
      name: 'Renamed',
      state: 'PAUSED',
      target_count: 50,
      exclude_active_targets: false,
      exclude_previous_targets: true,
    });
    const back = await api('PATCH', `/campaigns/${sb.credentials.campaignId}`, { state: 'ACTIVE' });
    expect(back.body.campaign.state).toBe('ACTIVE');
  });

  it('PATCH refuses other states and other fields with a ValidationError, changing nothing', async () => {
    const done = await api('PATCH', `/campaigns/${sb.credentials.campaignId}`, { state: 'DONE' });
    expect(done.status).toBe(400);
    expect(done.body.error).toMatchObject({ data: 'ValidationError' });
    const field = await api('PATCH', `/campaigns/${sb.credentials.campaignId}`, {
      name: 'Sneaky',
      outreach_type: 'message',
    });
    expect(field.status).toBe(400);
    expect(field.body.error.message).toContain('outreach_type');
    const now = await api('GET', `/campaigns/${sb.credentials.campaignId}`);
    expect(now.body.campaign).toMatchObject({ state: 'ACTIVE', name: 'GHL Bridge imports', outreach_type: 'connect' });
  });

  it('answers a malformed campaign id with 400 and an unknown one with 404', async () => {
    expect((await api('GET', '/campaigns/not-a-uuid')).body.error).toMatchObject({
      code: 400,
      data: 'ValidationError',
    });
    const unknown = await api('GET', '/campaigns/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.status).toBe('fail');
  });

  it('deletes a campaign', async () => {
    const created = await api('POST', '/campaigns', { name: 'Temp', outreach_type: 'connect' });
    const id = created.body.campaign.id as string;
    expect((await api('DELETE', `/campaigns/${id}`)).body).toEqual({ status: 'ok' });
    expect((await api('GET', `/campaigns/${id}`)).status).toBe(404);
  });

  it('reports metrics totals', async () => {
    const r = await api('GET', `/campaigns/${sb.credentials.campaignId}/metrics`);
    expect(r.status).toBe(200);
    expect(r.body.metrics).toMatchObject({ sent_connections: 0, accepted_connections: 0 });
  });
});
