/**
 * Every GhlClient endpoint against the GHL sandbox over real HTTP (Private Integration token, the documented rate
 * limits time-scaled ×20 on both sides).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GhlClient, PrivateIntegrationAuth, type GhlContact } from '../../main/connectors/ghl/index.js';
import { ConnectorError } from '../../main/connectors/shared/errors.js';
import { startGhlSandbox } from '../../main/sandbox/ghl/index.js';
import { generateWorld } from '../../main/sandbox/world.js';

type Sandbox = Awaited<ReturnType<typeof startGhlSandbox>>;
const SCALE = 20;
let sb: Sandbox;
let ghl: GhlClient;

beforeAll(async () => {
  // Start the sandbox's clock just after its (scaled, UTC-aligned) day begins so the daily counter cannot roll
  // over during the file and the budget figures stay exact.
  const scaledDay = 86_400_000 / SCALE;
  const offset = Math.ceil(Date.now() / scaledDay) * scaledDay + 1000 - Date.now();
  sb = await startGhlSandbox({
    world: generateWorld({ seed: 11, contacts: 300 }),
    port: 0,
    rateLimits: SCALE,
    admin: true,
    now: () => Date.now() + offset,
  });
  ghl = new GhlClient({
    baseUrl: sb.baseUrl,
    auth: new PrivateIntegrationAuth(sb.credentials.privateToken),
    locationId: sb.credentials.locationId,
    rateLimits: { timeScale: SCALE },
  });
});
afterAll(async () => sb?.close());

const endpointCount = (key: string): number => sb.stats().byEndpoint[key] ?? 0;
const failure = async (p: Promise<unknown>): Promise<ConnectorError> => {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof ConnectorError)) throw new Error(`expected a ConnectorError, got ${String(e)}`);
  return e;
};
const unique = (s: string): string => `${s}-${Math.random().toString(36).slice(2, 8)}`;

describe('contacts: get, create, update, delete', () => {
  it('creates a contact, reads it back, updates it (incl. companyName and a custom field), deletes it', async () => {
    const email = `${unique('zoe')}@example.com`;
    const created = await ghl.createContact({
      firstName: 'Zoë',
      lastName: 'Müller',
      email,
      phone: '+61400111222',
      tags: ['vip'],
    });
    expect(created).toMatchObject({
      firstName: 'Zoë',
      lastName: 'Müller',
      email,
      tags: ['vip'],
      locationId: sb.credentials.locationId,
    });

    const read = await ghl.getContact(created.id);
    expect(read.id).toBe(created.id);
    expect(read.dateUpdated).toMatch(/Z$/);

    const linkedin = await ghl.findCustomField('LinkedIn URL');
    expect(linkedin?.id).toBe(sb.credentials.linkedinFieldId);
    const updated = await ghl.updateContact(created.id, {
      city: 'Ballarat',
      companyName: 'Acme Pty Ltd',
      phone: null,
      customFields: [{ id: linkedin!.id, value: 'https://www.linkedin.com/in/zoe/' }],
    });
    expect(updated).toMatchObject({ city: 'Ballarat', companyName: 'Acme Pty Ltd', phone: null, tags: ['vip'] });
    expect(updated.customFields).toContainEqual({ id: linkedin!.id, value: 'https://www.linkedin.com/in/zoe/' });
    expect(sb.admin.getContact(created.id)).toMatchObject({ city: 'Ballarat' });

    await ghl.deleteContact(created.id);
    expect(sb.admin.getContact(created.id)).toBeUndefined();
    const gone = await failure(ghl.getContact(created.id));
    expect(gone.kind).toBe('not_found');
  });

  it('422 → rejected with the API message; nothing retried', async () => {
    const before = endpointCount('POST /contacts/');
    const e = await failure(ghl.createContact({ firstName: 'Bad', email: 'not-an-email' }));
    expect(e.kind).toBe('rejected');
    expect(e.status).toBe(422);
    expect(e.detail).toContain('email must be an email');
    expect(e.message).toContain('email must be an email');
    expect(endpointCount('POST /contacts/')).toBe(before + 1);
  });

  it('a duplicate create is refused as rejected, naming the existing contact', async () => {
    const existing = sb.admin.listContacts().find((c) => typeof c.email === 'string')!;
    const e = await failure(ghl.createContact({ firstName: 'Twin', email: existing.email as string }));
    expect(e.kind).toBe('rejected');
    expect(e.detail).toContain(existing.id);
  });

  it('update never sends a property the API rejects (refused locally, no request)', async () => {
    const c = sb.admin.listContacts()[0]!;
    const before = endpointCount('PUT /contacts/:contactId');
    const e = await failure(ghl.updateContact(c.id, { gender: 'female' } as never));
    expect(e.kind).toBe('rejected');
    expect(endpointCount('PUT /contacts/:contactId')).toBe(before);
    // and a clear of a non-nullable field is accepted by the API
    const cleared = await ghl.updateContact(c.id, { postalCode: null });
    expect(cleared.postalCode === null || cleared.postalCode === '').toBe(true);
  });
});

describe('upsert guarded against silent data loss', () => {
  it('creates when nothing matches, updates when the email matches', async () => {
    const email = `${unique('ups')}@example.com`;
    const first = await ghl.upsertContact({ firstName: 'Up', email });
    expect(first.created).toBe(true);
    const second = await ghl.upsertContact({ email, city: 'Geelong' });
    expect(second).toMatchObject({ created: false, contact: { id: first.contact.id, city: 'Geelong' } });
  });

  it('refuses (no upsert sent) when the email and the phone belong to two different contacts', async () => {
    const a = sb.admin.createContact({ firstName: 'A', email: `${unique('a')}@example.com` });
    const b = sb.admin.createContact({ firstName: 'B', phone: '+61455000111' });
    const before = endpointCount('POST /contacts/upsert');
    const e = await failure(ghl.upsertContact({ email: a.email as string, phone: '+61455000111', city: 'X' }));
    expect(e.kind).toBe('rejected');
    expect(e.message).toMatch(/possible duplicate/);
    expect(e.detail).toContain(a.id);
    expect(e.detail).toContain(b.id);
    expect(endpointCount('POST /contacts/upsert')).toBe(before);
    expect(sb.admin.getContact(b.id)?.phone).toBe('+61455000111');
  });

  it('refuses when the email is only an additional email of a contact', async () => {
    const extra = `${unique('extra')}@example.com`;
    sb.admin.createContact({ firstName: 'Has', email: `${unique('main')}@example.com`, additionalEmails: [extra] });
    const e = await failure(ghl.upsertContact({ email: extra, phone: '+61455000999' }));
    expect(e.kind).toBe('rejected');
    expect(e.detail).toMatch(/additional email/);
  });

  it('refuses tags and gender, which upsert would replace or drop', async () => {
    expect((await failure(ghl.upsertContact({ email: 'x@y.z', tags: ['a'] } as never))).kind).toBe('rejected');
    expect((await failure(ghl.upsertContact({ email: 'x@y.z', gender: 'male' } as never))).kind).toBe('rejected');
  });
});

describe('listing and searching', () => {
  it('pages through the deprecated list with startAfter/startAfterId: every contact once', async () => {
    const seen = new Set<string>();
    let next: { startAfter: number; startAfterId: string } | undefined;
    let total = 0;
    for (let i = 0; i < 100; i++) {
      const page = await ghl.listContactsDeprecated({ limit: 100, ...(next ?? {}) });
      total = page.total ?? 0;
      expect(page.rejected).toEqual([]);
      for (const c of page.items) {
        expect(seen.has(c.id)).toBe(false);
        seen.add(c.id);
      }
      next = page.next;
      if (!next) break;
    }
    expect(seen.size).toBe(total);
    expect(seen.size).toBe(sb.admin.listContacts().length);
  });

  it('refuses a deprecated-list limit over 100 without sending', async () => {
    expect((await failure(ghl.listContactsDeprecated({ limit: 101 }))).kind).toBe('config');
  });

  it('search filters by business, tag and email; page paging agrees with total', async () => {
    const all = sb.admin.listContacts();
    const withBiz = all.find((c) => typeof c.businessId === 'string')!;
    const byBiz = await ghl.searchContacts({ filter: { businessId: withBiz.businessId as string }, pageLimit: 100 });
    expect(byBiz.items.length).toBe(all.filter((c) => c.businessId === withBiz.businessId).length);
    expect(byBiz.items.every((c) => c.businessId === withBiz.businessId)).toBe(true);

    const byTag = await ghl.searchContacts({ filter: { tag: 'vip' }, pageLimit: 500 });
    expect(byTag.total).toBe(all.filter((c) => c.tags.includes('vip')).length);
    expect(byTag.items.every((c) => c.tags.includes('vip'))).toBe(true);

    const someone = all.find((c) => typeof c.email === 'string')!;
    const byEmail = await ghl.searchContacts({ filter: { email: someone.email as string } });
    expect(byEmail.items.map((c) => c.id)).toContain(someone.id);

    const p1 = await ghl.searchContacts({ pageLimit: 50, page: 1 });
    const p2 = await ghl.searchContacts({ pageLimit: 50, page: 2 });
    expect(p1.total).toBe(all.length);
    expect(new Set([...p1.items, ...p2.items].map((c) => c.id)).size).toBe(100);
  });

  it('search filters by a dateUpdated range', async () => {
    const all = sb.admin.listContacts();
    const times = all.map((c) => Date.parse(c.dateUpdated)).sort((a, b) => a - b);
    const from = times[Math.floor(times.length / 2)]!;
    const page = await ghl.searchContacts({
      filter: { dateUpdated: { gte: new Date(from).toISOString() } },
      pageLimit: 500,
    });
    expect(page.total).toBe(times.filter((t) => t >= from).length);
    expect(page.items.every((c) => Date.parse(c.dateUpdated!) >= from)).toBe(true);
  });

  it('an unknown search field → rejected with the API message', async () => {
    const e = await failure(
      ghl.searchContacts({ filter: { raw: [{ field: 'shoeSize', operator: 'eq', value: '9' }] } }),
    );
    expect(e.kind).toBe('rejected');
    expect(e.detail).toContain('Invalid field shoeSize');
  });

  it('findDuplicate finds by email and by an E.164 phone (the + survives encoding); none → undefined', async () => {
    const c = sb.admin.listContacts().find((x) => typeof x.email === 'string' && typeof x.phone === 'string')!;
    expect((await ghl.findDuplicate({ email: c.email as string }))?.id).toBe(c.id);
    expect((await ghl.findDuplicate({ phone: c.phone as string }))?.id).toBe(c.id);
    expect(await ghl.findDuplicate({ email: `${unique('nobody')}@example.com` })).toBeUndefined();
  });

  it('getBusinessContacts pages with limit/skip through every contact of the business', async () => {
    const all = sb.admin.listContacts();
    const counts = new Map<string, number>();
    for (const c of all)
      if (typeof c.businessId === 'string') counts.set(c.businessId, (counts.get(c.businessId) ?? 0) + 1);
    const [bizId, n] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const ids: string[] = [];
    let skip: number | undefined = 0;
    for (let i = 0; i < 50 && skip !== undefined; i++) {
      const page: Awaited<ReturnType<GhlClient['getBusinessContacts']>> = await ghl.getBusinessContacts(bizId, {
        limit: 2,
        skip,
      });
      ids.push(...page.items.map((c) => c.id));
      skip = page.nextSkip;
    }
    expect(ids.length).toBe(n);
    expect(new Set(ids).size).toBe(n);
  });
});

describe('tags', () => {
  it('add and remove touch only the named tags', async () => {
    const c = sb.admin.createContact({ firstName: 'Tagged', tags: ['keep-1', 'keep-2', 'drop-me'] });
    expect((await ghl.addTags(c.id, ['new-1', 'keep-1'])).sort()).toEqual(['drop-me', 'keep-1', 'keep-2', 'new-1']);
    expect((await ghl.removeTags(c.id, ['drop-me'])).sort()).toEqual(['keep-1', 'keep-2', 'new-1']);
    expect([...(sb.admin.getContact(c.id)?.tags ?? [])].sort()).toEqual(['keep-1', 'keep-2', 'new-1']);
  });
});

describe('tasks', () => {
  it('create, list, get, update, complete via /completed, delete', async () => {
    const c = sb.admin.createContact({ firstName: 'Tasky' });
    const t = await ghl.tasks.create(c.id, {
      title: 'Quote follow-up',
      dueDate: '2026-12-01T00:00:00.000Z',
      body: 'Ring them',
    });
    expect(t).toMatchObject({ contactId: c.id, title: 'Quote follow-up', body: 'Ring them', completed: false });
    expect((await ghl.tasks.list(c.id)).items.map((x) => x.id)).toEqual([t.id]);
    expect((await ghl.tasks.get(c.id, t.id)).title).toBe('Quote follow-up');
    expect(await ghl.tasks.update(c.id, t.id, { title: 'Quote follow-up (2)' })).toMatchObject({
      title: 'Quote follow-up (2)',
      body: 'Ring them',
    });
    expect((await ghl.tasks.setCompleted(c.id, t.id, true)).completed).toBe(true);
    expect(sb.admin.getTask(c.id, t.id)?.completed).toBe(true);
    await ghl.tasks.delete(c.id, t.id);
    expect((await ghl.tasks.list(c.id)).items).toEqual([]);
    expect((await failure(ghl.tasks.get(c.id, t.id))).kind).toBe('not_found');
  });
});

describe('notes', () => {
  it('create, list, get, update, delete', async () => {
    const c = sb.admin.createContact({ firstName: 'Notey' });
    const n = await ghl.notes.create(c.id, { body: 'Gate code 4821 — dog in the yard.' });
    expect(n).toMatchObject({ contactId: c.id, body: 'Gate code 4821 — dog in the yard.' });
    expect(n.dateAdded).toMatch(/Z$/);
    expect((await ghl.notes.list(c.id)).items.map((x) => x.id)).toEqual([n.id]);
    expect((await ghl.notes.get(c.id, n.id)).body).toContain('Gate code');
    expect((await ghl.notes.update(c.id, n.id, { body: 'Gate code changed' })).body).toBe('Gate code changed');
    await ghl.notes.delete(c.id, n.id);
    expect((await ghl.notes.list(c.id)).items).toEqual([]);
  });
});

describe('appointments and custom fields', () => {
  it('lists a contact’s appointments', async () => {
    const c = sb.admin.createContact({ firstName: 'Booked' });
    const ev = sb.admin.addAppointment(c.id, { title: 'Site visit', startTime: '2026-11-20T01:00:00.000Z' });
    const list = await ghl.listAppointments(c.id);
    expect(list.rejected).toEqual([]);
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ id: ev.id, title: 'Site visit', contactId: c.id });
  });

  it('lists custom fields and finds one by name or key, loosely', async () => {
    const fields = await ghl.listCustomFields();
    expect(fields.items.map((f) => f.name)).toContain('LinkedIn URL');
    expect((await ghl.findCustomField('linkedin url'))?.id).toBe(sb.credentials.linkedinFieldId);
    expect((await ghl.findCustomField('contact.linkedin_url'))?.id).toBe(sb.credentials.linkedinFieldId);
    expect(await ghl.findCustomField('Shoe size')).toBeUndefined();
  });
});

describe('connection and budget', () => {
  it('testConnection shows the location, contact count and the remaining daily budget', async () => {
    const info = await ghl.testConnection();
    expect(info).toMatchObject({
      ok: true,
      locationId: sb.credentials.locationId,
      authKind: 'private-integration',
      missingScopes: [],
    });
    expect(info.contactCount).toBe(sb.admin.listContacts().length);
    expect(info.budget.serverDailyLimit).toBe(200_000);
    expect(info.budget.serverDailyRemaining).toBe(200_000 - sb.stats().requests);
    expect(info.budget.pacer.windows.map((w) => w.name)).toEqual(['burst', 'daily']);
    expect(info.budget.dailyResetAt).toBeGreaterThan(Date.now() + 60 * 60_000);
  });

  it('a 403 for another location → scope, saying so', async () => {
    const other = new GhlClient({
      baseUrl: sb.baseUrl,
      auth: new PrivateIntegrationAuth(sb.credentials.privateToken),
      locationId: sb.credentials.otherLocationId,
    });
    const e = await failure(other.searchContacts());
    expect(e.kind).toBe('scope');
    expect(e.status).toBe(403);
    expect(e.message).toContain('does not have access to this location');
  });

  it('a rotated Private Integration token → signed_out telling the user to paste a new one', async () => {
    const old = sb.credentials.privateToken;
    sb.admin.rotatePrivateToken();
    try {
      const stale = new GhlClient({
        baseUrl: sb.baseUrl,
        auth: new PrivateIntegrationAuth(old),
        locationId: sb.credentials.locationId,
      });
      const e = await failure(stale.getContact('anything'));
      expect(e.kind).toBe('signed_out');
      expect(e.message).toMatch(/paste a new token/);
    } finally {
      ghl = new GhlClient({
        baseUrl: sb.baseUrl,
        auth: new PrivateIntegrationAuth(sb.credentials.privateToken),
        locationId: sb.credentials.locationId,
        rateLimits: { timeScale: SCALE },
      });
    }
  });

  it('contacts come back in the normalized shape, every field present', async () => {
    const page = await ghl.searchContacts({ pageLimit: 20 });
    const keys = Object.keys(page.items[0] as GhlContact).sort();
    for (const c of page.items) {
      expect(Object.keys(c).sort()).toEqual(keys);
      expect(Object.values(c).includes(undefined)).toBe(false);
    }
  });
});
