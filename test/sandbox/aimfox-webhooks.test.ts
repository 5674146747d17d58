/** Aimfox sandbox: webhook registrations (201 on create) and per-target custom variables, over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAimfoxSandbox, type AimfoxAdmin, type AimfoxCredentials } from '../../main/sandbox/aimfox/index.js';
import type { SandboxHandle } from '../../main/sandbox/types.js';
import { generateWorld, linkedinUrl } from '../../main/sandbox/world.js';

let sb: SandboxHandle<AimfoxCredentials, AimfoxAdmin>;
const world = generateWorld({ contacts: 80, seed: 4 });

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

beforeAll(async () => {
  sb = await startAimfoxSandbox({ world, rateLimits: 'off' });
});
afterAll(() => sb.close());

describe('Aimfox sandbox webhooks', () => {
  it('creates (201), lists, filters by integration, edits and deletes a webhook', async () => {
    const created = await api('POST', '/webhooks', {
      name: 'Replies',
      events: ['reply', 'accepted'],
      url: 'https://example.com/hook',
      integration: false,
      headers: { Authorization: 'Bearer 123' },
    });
    expect(created.status).toBe(201);
    const hook = created.body.webhook;
    expect(hook).toMatchObject({
      name: 'Replies',
      events: ['reply', 'accepted'],
      url: 'https://example.com/hook',
      integration: false,
      deleted: false,
      workspace_id: sb.credentials.workspaceId,
    });
    expect((await api('GET', '/webhooks')).body.webhooks).toHaveLength(1);
    expect((await api('GET', '/webhooks?integration=true')).body.webhooks).toHaveLength(0);
    expect((await api('PATCH', `/webhooks/${hook.id}`, { events: ['new_reply'] })).body).toEqual({ status: 'ok' });
    expect((await api('GET', '/webhooks')).body.webhooks[0].events).toEqual(['new_reply']);
    expect((await api('DELETE', `/webhooks/${hook.id}`)).body).toEqual({ status: 'ok' });
    expect((await api('GET', '/webhooks')).body.webhooks).toEqual([]);
  });

  it('refuses an unknown event name and a URL that is not http(s)', async () => {
    const ev = await api('POST', '/webhooks', { name: 'x', events: ['lead_deleted'], url: 'https://example.com/h' });
    expect(ev.body.error).toMatchObject({ code: 400, data: 'ValidationError' });
    const url = await api('POST', '/webhooks', { name: 'x', events: ['reply'], url: 'ftp://example.com' });
    expect(url.status).toBe(400);
    expect(url.body.error.message).toContain('url');
  });
});

describe('Aimfox sandbox custom variables', () => {
  it('stores variables for a target in the audience and merges later ones', async () => {
    const person = world.people.find((p) => p.linkedinId && !p.in.aimfox)!;
    const added = await api('POST', `/campaigns/${sb.credentials.campaignId}/audience/multiple`, {
      type: 'profile_url',
      profiles: [{ profile_url: linkedinUrl(person.linkedinId!), custom_variables: { welcome_message: 'Hi!' } }],
    });
    const urn = added.body.profiles[0].urn as string;
    const post = await api('POST', `/campaigns/${sb.credentials.campaignId}/custom-variables`, {
      custom_variables: [{ target_urn: urn, variables: { CUSTOM_MESSAGE: 'Hello there' } }],
    });
    expect(post.status).toBe(200);
    expect(post.body.response[0].custom_variables).toEqual({
      target_urn: urn,
      variables: { welcome_message: 'Hi!', CUSTOM_MESSAGE: 'Hello there' },
    });
    const all = await api('GET', `/campaigns/${sb.credentials.campaignId}/custom-variables`);
    expect(all.body.custom_variables).toEqual([
      { target_urn: urn, variables: { welcome_message: 'Hi!', CUSTOM_MESSAGE: 'Hello there' } },
    ]);
    expect((await api('GET', `/campaigns/${sb.credentials.campaignId}`)).body.campaign.custom_variable_keys).toEqual([
      { name: 'welcome_message', value: '{{CUSTOM.welcome_message}}' },
      { name: 'CUSTOM_MESSAGE', value: '{{CUSTOM.CUSTOM_MESSAGE}}' },
    ]);
  });

  it('answers a target outside the audience with 404', async () => {
    const lead = sb.admin.listLeads()[0]!;
    expect((await api('GET', `/campaigns/${sb.credentials.campaignId}/custom-variables/${lead.urn}`)).status).toBe(404);
  });
});
