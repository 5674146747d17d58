/**
 * The Aimfox sandbox answers like the real API, call by call: every call the bridge makes is sent as a raw
 * Bearer-authorised request (fetch, not the connector) and the JSON answer is checked against its pin in
 * main/smoke/pins/aimfox.ts, each naming its evidence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAimfoxSandbox, type AimfoxAdmin, type AimfoxCredentials } from '../../../main/sandbox/aimfox/index.js';
import type { SandboxHandle } from '../../../main/sandbox/types.js';
import { generateWorld, type World } from '../../../main/sandbox/world.js';
import { AIMFOX_PINS, type AimfoxPinName } from '../../../main/smoke/pins/aimfox.js';
import { checkPin, diffShape } from '../../../main/smoke/shape.js';

let sb: SandboxHandle<AimfoxCredentials, AimfoxAdmin>;
let world: World;

interface Answer {
  status: number;
  body: any; // raw API JSON, checked by the pins
}

async function api(method: string, path: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${sb.credentials.apiKey}`,
    accept: 'application/json',
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(sb.baseUrl + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const results = new Map<AimfoxPinName, string[]>();
const pin = (name: AimfoxPinName, res: Answer): string[] => {
  const d = checkPin(AIMFOX_PINS[name], res.status, res.body);
  results.set(name, d);
  return d;
};
const linkedinUrl = (id: string) => `https://www.linkedin.com/in/${id}/`;
const outsiders = () => world.people.filter((p) => p.linkedinId && !p.in.aimfox);

beforeAll(async () => {
  world = generateWorld({ contacts: 120, seed: 8 });
  sb = await startAimfoxSandbox({ world, rateLimits: 'off', admin: true });
});
afterAll(() => sb.close());

describe('the Aimfox sandbox answers fit the pins', () => {
  it(`listAccounts — ${AIMFOX_PINS.listAccounts.evidence}`, async () => {
    expect(pin('listAccounts', await api('GET', '/accounts'))).toEqual([]);
  });

  it(`listCampaigns, getCampaign — ${AIMFOX_PINS.listCampaigns.evidence}`, async () => {
    const list = await api('GET', '/campaigns');
    expect(pin('listCampaigns', list)).toEqual([]);
    expect(list.body.campaigns.length).toBeGreaterThan(1);
    expect(pin('getCampaign', await api('GET', `/campaigns/${sb.credentials.campaignId}`))).toEqual([]);
  });

  it(`addToAudience, addManyToAudience, getAudience, removeFromAudience — ${AIMFOX_PINS.getAudience.evidence}`, async () => {
    const [a, b, c] = outsiders();
    const path = `/campaigns/${sb.credentials.campaignId}/audience`;
    expect(pin('addToAudience', await api('POST', path, { profile_url: linkedinUrl(a!.linkedinId!) }))).toEqual([]);
    const connected = sb.admin.listLeads()[0]!.public_identifier;
    const many = await api('POST', `${path}/multiple`, {
      type: 'profile_url',
      profiles: [
        { profile_url: linkedinUrl(b!.linkedinId!) },
        { profile_url: linkedinUrl(c!.linkedinId!) },
        { profile_url: linkedinUrl(connected) },
      ],
    });
    expect(pin('addManyToAudience', many)).toEqual([]);
    expect(many.body.profiles.length).toBeGreaterThan(0);
    const audience = await api('GET', path);
    expect(audience.body.audience.length).toBeGreaterThan(0);
    expect(pin('getAudience', audience)).toEqual([]);
    expect(
      pin('removeFromAudience', await api('DELETE', `${path}/${audience.body.audience[0].public_identifier}`)),
    ).toEqual([]);
  });

  it(`getLead, searchLeads, leadsTotal — ${AIMFOX_PINS.getLead.evidence}`, async () => {
    const lead = sb.admin.listLeads().find((l) => l.labels.length > 0)!;
    const got = await api('GET', `/leads/${lead.id}`);
    expect(pin('getLead', got)).toEqual([]);
    expect(got.body.lead.labels.length).toBeGreaterThan(0);
    expect(
      pin(
        'searchLeads',
        await api('POST', '/leads:search?start=0&count=10', { keywords: '', labels: [], lead_of: [], optimize: false }),
      ),
    ).toEqual([]);
    expect(pin('leadsTotal', await api('POST', '/leads:search/total', { keywords: '' }))).toEqual([]);
  });

  it(`labels: list, create, update, attach, detach, delete — ${AIMFOX_PINS.createLabel.evidence}`, async () => {
    const lead = sb.admin.listLeads()[0]!;
    expect(pin('listLabels', await api('GET', '/labels'))).toEqual([]);
    const created = await api('POST', '/labels', { name: 'shape-pin', color: 'info' });
    expect(pin('createLabel', created)).toEqual([]);
    const id = created.body.label.id as string;
    expect(pin('updateLabel', await api('PATCH', `/labels/${id}`, { name: 'shape-pin-2' }))).toEqual([]);
    expect(pin('attachLabel', await api('POST', `/leads/${lead.id}/labels/${id}`))).toEqual([]);
    expect(pin('detachLabel', await api('DELETE', `/leads/${lead.id}/labels/${id}`))).toEqual([]);
    expect(pin('deleteLabel', await api('DELETE', `/labels/${id}`))).toEqual([]);
  });

  it(`notes: list, create, update, delete — ${AIMFOX_PINS.createNote.evidence}`, async () => {
    const lead = sb.admin.listLeads()[0]!;
    const created = await api('POST', `/leads/${lead.id}/notes`, { text: 'Shape pin note' });
    expect(pin('createNote', created)).toEqual([]);
    const list = await api('GET', `/leads/${lead.id}/notes`);
    expect(list.body.notes.length).toBeGreaterThan(0);
    expect(pin('listNotes', list)).toEqual([]);
    const id = created.body.note.id as string;
    expect(
      pin('updateNote', await api('PATCH', `/leads/${lead.id}/notes/${id}`, { text: 'Shape pin note 2' })),
    ).toEqual([]);
    expect(pin('deleteNote', await api('DELETE', `/leads/${lead.id}/notes/${id}`))).toEqual([]);
  });

  it('every pin was exercised', () => {
    expect([...results.keys()].sort()).toEqual(Object.keys(AIMFOX_PINS).sort());
  });
});

describe('the checker can fail', () => {
  it('reports a wrong pin: a renamed key, a wrong type and a wrong status (paths only, no values)', async () => {
    const res = await api('POST', '/labels', { name: 'wrong-pin', color: 'info' });
    const wrong = {
      ...AIMFOX_PINS.createLabel,
      status: 200,
      shape: { status: 'boolean', label: { id: 'number', title: 'string' } },
    };
    expect(checkPin(wrong, res.status, res.body)).toEqual([
      'status: expected 200, got 201',
      '$.status: expected boolean, got string',
      '$.label.id: expected number, got string',
      '$.label.title: missing',
    ]);
    const { text: _gone, ...note } = { id: 'n1', text: 'x', created_at: '2026-11-05T10:00:00.000Z' };
    expect(diffShape(AIMFOX_PINS.createNote.shape, { status: 'ok', note })).toEqual(['$.note.text: missing']);
  });
});
