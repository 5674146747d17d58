/**
 * Aimfox sandbox: lead details and search (start/count paging, filters, total, facets) over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startAimfoxSandbox,
  type AimfoxAdmin,
  type AimfoxCredentials,
  type AimfoxLeadJson,
} from '../../main/sandbox/aimfox/index.js';
import type { SandboxHandle } from '../../main/sandbox/types.js';
import { generateWorld, type World } from '../../main/sandbox/world.js';

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

const search = async (query: string, body: unknown = {}): Promise<AimfoxLeadJson[]> => {
  const r = await api('POST', `/leads:search${query}`, body);
  expect(r.status).toBe(200);
  return r.body.leads as AimfoxLeadJson[];
};

beforeAll(async () => {
  world = generateWorld({ contacts: 300, seed: 21 });
  sb = await startAimfoxSandbox({ world, rateLimits: 'off', searchMaxCount: 25 });
});
afterAll(() => sb.close());

describe('Aimfox sandbox: the seeded workspace', () => {
  it('holds exactly the world people marked in.aimfox as leads, keyed by their LinkedIn id', () => {
    const expected = world.people
      .filter((p) => p.in.aimfox)
      .map((p) => p.linkedinId)
      .sort();
    const leads = sb.admin
      .listLeads()
      .map((l) => l.public_identifier)
      .sort();
    expect(leads).toEqual(expected);
    expect(leads.length).toBeGreaterThan(20);
  });

  it("carries the world's Aimfox notes on the right leads", () => {
    const note = world.notes.find((n) => n.system === 'aimfox');
    expect(note).toBeDefined();
    const person = world.people.find((p) => p.key === note!.personKey)!;
    const lead = sb.admin.findLeadByPublicIdentifier(person.linkedinId!)!;
    expect(lead.notes.map((n) => n.text)).toContain(note!.body);
  });
});

describe('Aimfox sandbox: GET /leads/:lead_id', () => {
  it('returns the full lead with labels and notes embedded and no LinkedIn URL field', async () => {
    const withNotes =
      sb.admin.listLeads().find((l) => l.notes.length > 0 && l.labels.length > 0) ?? sb.admin.listLeads()[0]!;
    const r = await api('GET', `/leads/${withNotes.id}`);
    expect(r.status).toBe(200);
    const lead = r.body.lead;
    for (const key of [
      'id',
      'urn',
      'public_identifier',
      'first_name',
      'last_name',
      'full_name',
      'occupation',
      'picture_url',
      'location',
      'is_lead',
      'lead_of',
      'origins',
      'labels',
      'notes',
      'email',
      'phones',
      'last_scraped_at',
    ]) {
      expect(lead).toHaveProperty(key);
    }
    expect(lead.id).toBe(withNotes.id);
    expect(lead.notes).toEqual(withNotes.notes);
    for (const [key, value] of Object.entries(lead)) {
      if (typeof value === 'string') expect(value, key).not.toContain('linkedin.com/in/');
    }
    expect(Object.keys(lead).some((k) => /url/i.test(k) && k !== 'picture_url')).toBe(false);
  });

  it('shows email and phones only for connected leads', () => {
    const leads = sb.admin.listLeads();
    const connectedWithEmail = leads.find((l) => l.is_lead && l.email);
    expect(connectedWithEmail).toBeDefined();
    for (const l of leads.filter((x) => !x.is_lead)) {
      expect(l.email).toBeNull();
      expect(l.phones).toEqual([]);
    }
  });

  it('answers a non-numeric id with 400 ValidationError and an unknown numeric id with 404', async () => {
    const bad = await api('GET', '/leads/john-doe');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      status: 'fail',
      error: { code: 400, message: '"params.lead_id" must be a number', type: 'Bad Request', data: 'ValidationError' },
    });
    const missing = await api('GET', '/leads/123');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 404, type: 'Not Found', message: 'Lead 123 not found' });
  });
});

describe('Aimfox sandbox: POST /leads:search', () => {
  it('returns 10 leads when no count is given', async () => {
    expect(await search('')).toHaveLength(10);
  });

  it('pages with start and count: pages do not overlap and together cover the total', async () => {
    const total = (await api('POST', '/leads:search/total', {})).body.total_leads as number;
    expect(total).toBe(sb.admin.listLeads().length);
    const seen: string[] = [];
    for (let start = 0; start < total + 20 && seen.length < total + 1; start += 20) {
      const page = await search(`?start=${start}&count=20`);
      if (page.length === 0) break;
      seen.push(...page.map((l) => l.id));
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('cuts count to the configured cap and ignores limit/page/offset', async () => {
    expect(await search('?count=1000')).toHaveLength(25);
    const plain = await search('?start=0&count=5');
    const withJunk = await search('?start=0&count=5&limit=2&page=4&offset=9');
    expect(withJunk.map((l) => l.id)).toEqual(plain.map((l) => l.id));
  });

  it('refuses a negative start with a ValidationError naming the query parameter', async () => {
    const r = await api('POST', '/leads:search?start=-1', {});
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('query.start');
  });

  it('filters by keywords across name and company, ignoring case and accents', async () => {
    const target = sb.admin.listLeads().find((l) => /[^ -~]/.test(l.full_name)) ?? sb.admin.listLeads()[0]!;
    const plain = target.last_name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toUpperCase();
    const hits = await search('?count=25', { keywords: plain });
    expect(hits.map((l) => l.id)).toContain(target.id);
    for (const h of hits)
      expect(
        `${h.full_name} ${h.occupation} ${h.public_identifier} ${h.location.name}`
          .normalize('NFKD')
          .replace(/[\u0300-\u036f]/g, '')
          .toLowerCase(),
      ).toContain(plain.toLowerCase());
    expect(await search('', { keywords: 'zzqqxx-no-such-person' })).toEqual([]);
  });

  it('filters by labels and by origins, and counts the same way in /total', async () => {
    const labeled = sb.admin.listLeads().find((l) => l.labels.length > 0)!;
    const labelId = labeled.labels[0]!.id;
    const expected = sb.admin
      .listLeads()
      .filter((l) => l.labels.some((x) => x.id === labelId))
      .map((l) => l.id);
    const hits = await search('?count=25', { labels: [labelId] });
    expect(hits.map((l) => l.id).sort()).toEqual(expected.slice(0, 25).sort());
    expect((await api('POST', '/leads:search/total', { labels: [labelId] })).body.total_leads).toBe(expected.length);

    const origin = sb.admin.listLeads().find((l) => l.origins.length > 0)!.origins[0]!;
    const fromOrigin = await search('?count=25', { origins: [origin.id] });
    expect(fromOrigin.length).toBeGreaterThan(0);
    expect(fromOrigin.every((l) => l.origins.some((o) => o.id === origin.id))).toBe(true);
  });

  it('ignores body fields it does not know (campaign_ids), and filters by lead_of', async () => {
    const all = await search('?count=25', { campaign_ids: ['00000000-0000-4000-8000-000000000000'] });
    expect(all).toHaveLength(25);
    const connected = await search('?count=25', { lead_of: [sb.credentials.accountId] });
    expect(connected.length).toBeGreaterThan(0);
    expect(connected.every((l) => l.is_lead && l.lead_of.includes(sb.credentials.accountId))).toBe(true);
  });

  it('answers /total with sync flags per account', async () => {
    const r = await api('POST', '/leads:search/total', {});
    expect(r.body).toMatchObject({ status: 'ok', sync: true });
    expect(r.body.accounts_sync).toHaveProperty(sb.credentials.accountId);
  });

  it('lists facets by name, and refuses an unknown facet', async () => {
    const r = await api('POST', '/leads:search/facets/labels', {});
    expect(r.status).toBe(200);
    const total = r.body.labels.reduce((n: number, f: { target_count: number }) => n + f.target_count, 0);
    const expected = sb.admin.listLeads().reduce((n, l) => n + l.labels.length, 0);
    expect(total).toBe(expected);
    expect((await api('POST', '/leads:search/facets/nonsense', {})).status).toBe(400);
  });
});
