/**
 * GHL sandbox — contact endpoints: get/create/update/delete, the write whitelist, the Version header,
 * auth, location scoping, duplicate refusal (+ the "422 but created" quirk), the deprecated list, the
 * business list and the duplicate lookup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './fixtures/ghl/harness.js';
import { expectResponsesMatchSpec } from './fixtures/ghl/spec-check.js';

let h: Harness;
const extra: Harness[] = [];
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
  for (const x of extra) await x.close();
});

async function another(opts: Parameters<typeof startHarness>[0]): Promise<Harness> {
  const x = await startHarness(opts);
  extra.push(x);
  return x;
}

const seeded = () => h.sb.admin.listContacts().find((c) => c.email && c.phone && c.businessId)!;

describe('GET /contacts/:id', () => {
  it('returns the seeded contact in the read shape with ISO ms dates and a traceId', async () => {
    const c = seeded();
    const res = await h.get(`/contacts/${c.id}`);
    expect(res.status).toBe(200);
    expect(res.body.traceId).toEqual(expect.any(String));
    const got = res.body.contact;
    expect(got).toMatchObject({
      id: c.id,
      locationId: h.loc,
      email: c.email,
      emailLowerCase: String(c.email).toLowerCase(),
      phone: c.phone,
      businessId: c.businessId,
    });
    expect(got.dateAdded).toMatch(ISO_MS);
    expect(got.dateUpdated).toMatch(ISO_MS);
    expect(got.address1).toEqual(expect.any(String));
    expect(got).not.toHaveProperty('address');
    expect(got.additionalEmails).toEqual([]);
  });

  it('Version header as probed live (README "Version header"): missing → 401 "not found", unknown → 401 "invalid", the four known values pass', async () => {
    const c = seeded();
    const missing = await h.get(`/contacts/${c.id}`, { version: null });
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ statusCode: 401, message: 'version header was not found.' });
    expect(missing.body.traceId).toEqual(expect.any(String));
    const unknown = await h.get(`/contacts/${c.id}`, { version: '2020-01-01' });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({ statusCode: 401, message: 'version header is invalid' });
    for (const version of ['2021-04-15', '2021-07-28', '2023-02-21', 'v3'])
      expect((await h.get(`/contacts/${c.id}`, { version })).status).toBe(200);
  });

  it('answers 401 in the documented shape without a token or with an unknown one', async () => {
    const c = seeded();
    for (const token of [null, 'pit-not-a-real-token']) {
      const res = await h.get(`/contacts/${c.id}`, { token });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({
        statusCode: 401,
        message: 'Invalid token: access token is invalid',
        error: 'Unauthorized',
      });
    }
  });

  it('answers an unknown id with 400 "Contact not found" by default', async () => {
    const res = await h.get('/contacts/doesNotExist12345678');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, message: 'Contact not found' });
  });

  it('answers an unknown id with 404 when notFoundStatus is 404', async () => {
    const x = await another({ notFoundStatus: 404 });
    const res = await x.get('/contacts/doesNotExist12345678');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, message: 'Contact not found' });
  });

  it("refuses a contact of another location with 403 'The token does not have access to this location.'", async () => {
    const other = h.sb.admin.listContacts(h.creds.otherLocationId)[0]!;
    const res = await h.get(`/contacts/${other.id}`);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ statusCode: 403, message: 'The token does not have access to this location.' });
  });
});

describe('POST /contacts/', () => {
  it('creates: 200 {contact} (live, the spec says 201) in the create shape; dates from the clock; tags normalized; phone to E.164', async () => {
    h.clock.advance(1000);
    const res = await h.post('/contacts/', {
      locationId: h.loc,
      firstName: 'Zoë',
      lastName: 'Ångström',
      email: 'Zoe.A@Example.com',
      phone: '0412 555 019',
      tags: ['VIP', ' vip ', 'Quote-Sent'],
    });
    expect(res.status).toBe(200);
    const c = res.body.contact;
    expect(c).toMatchObject({
      firstName: 'Zoë',
      lastName: 'Ångström',
      email: 'Zoe.A@Example.com',
      emailLowerCase: 'zoe.a@example.com',
      phone: '+61412555019',
      tags: ['vip', 'quote-sent'],
    });
    expect(c).toMatchObject({ deleted: false, bounceEmail: false, unsubscribeEmail: false, offers: [], products: [] });
    expect(c.dateAdded).toBe(new Date(h.clock.t).toISOString());
    expect(c.dateUpdated).toBe(c.dateAdded);
    expect(c.id).toMatch(/^[A-Za-z0-9]{20}$/);
    expect((await h.get(`/contacts/${c.id}`)).body.contact.fullNameLowerCase).toBe('zoë ångström');
  });

  it('refuses properties outside the whitelist with 422, listing each one', async () => {
    const res = await h.post('/contacts/', {
      locationId: h.loc,
      firstName: 'X',
      additionalEmails: ['a@b.co'],
      favouriteColour: 'red',
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity' });
    expect(res.body.message).toEqual(
      expect.arrayContaining([
        'property additionalEmails should not exist',
        'property favouriteColour should not exist',
      ]),
    );
    expect(h.sb.admin.listContacts().some((c) => c.firstName === 'X')).toBe(false);
  });

  it('needs locationId and a valid email (422)', async () => {
    const a = await h.post('/contacts/', { firstName: 'NoLocation' });
    expect(a.status).toBe(422);
    expect(a.body.message).toContain('locationId should not be empty');
    const b = await h.post('/contacts/', { locationId: h.loc, email: 'not-an-email' });
    expect(b.status).toBe(422);
    expect(b.body.message).toContain('email must be an email');
  });

  it('refuses to create in a location the token is not for (403)', async () => {
    const res = await h.post('/contacts/', { locationId: h.creds.otherLocationId, firstName: 'Sneaky' });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('The token does not have access to this location.');
  });

  it('refuses a duplicate email or phone (any format) with 400 + meta.contactId when duplicates are not allowed', async () => {
    const c = seeded();
    const byEmail = await h.post('/contacts/', {
      locationId: h.loc,
      firstName: 'Twin',
      email: String(c.email).toUpperCase(),
    });
    expect(byEmail.status).toBe(400);
    expect(byEmail.body).toMatchObject({
      statusCode: 400,
      message: 'This location does not allow duplicated contacts.',
      meta: { contactId: c.id, matchingField: 'email' },
    });
    const national =
      '0' + String(c.phone).slice(3, 6) + ' ' + String(c.phone).slice(6, 9) + ' ' + String(c.phone).slice(9);
    const byPhone = await h.post('/contacts/', { locationId: h.loc, firstName: 'Twin', phone: national });
    expect(byPhone.status).toBe(400);
    expect(byPhone.body.meta).toMatchObject({ contactId: c.id, matchingField: 'phone' });
  });

  it('creates a second record with the same email when the location allows duplicates', async () => {
    const x = await another({ allowDuplicates: true });
    const c = x.sb.admin.listContacts().find((k) => k.email)!;
    const res = await x.post('/contacts/', { locationId: x.loc, firstName: 'Twin', email: c.email });
    expect(res.status).toBe(200);
    expect(res.body.contact.id).not.toBe(c.id);
  });

  it('checks only the configured unique identifiers (email only → same phone is fine)', async () => {
    const x = await another({ uniqueIdentifiers: ['email'] });
    const c = x.sb.admin.listContacts().find((k) => k.phone)!;
    const res = await x.post('/contacts/', { locationId: x.loc, firstName: 'SamePhone', phone: c.phone });
    expect(res.status).toBe(200);
  });

  it('quirk: with quirk422CreateRate=1 a create answers 422 yet the contact exists, so a retry is refused as duplicate', async () => {
    const x = await another({ quirk422CreateRate: 1 });
    const first = await x.post('/contacts/', { locationId: x.loc, firstName: 'Retry', email: 'retry.me@example.com' });
    expect(first.status).toBe(422);
    expect(first.body).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity' });
    const found = await x.get('/contacts/search/duplicate', {
      query: { locationId: x.loc, email: 'retry.me@example.com' },
    });
    expect(found.body.contact).toMatchObject({ firstName: 'Retry' });
    const retry = await x.post('/contacts/', { locationId: x.loc, firstName: 'Retry', email: 'retry.me@example.com' });
    expect(retry.status).toBe(400);
    expect(retry.body.meta.contactId).toBe(found.body.contact.id);
  });
});

describe('PUT /contacts/:id', () => {
  it('updates, bumps dateUpdated to the clock, answers {succeded, contact}', async () => {
    const c = seeded();
    h.clock.advance(60_000);
    const res = await h.put(`/contacts/${c.id}`, {
      city: 'Ballarat',
      companyName: 'Renamed Pty Ltd',
      keyword: 'kw',
      ssn: '123',
      type: 'customer',
    });
    expect(res.status).toBe(200);
    expect(res.body.succeded).toBe(true);
    expect(res.body.contact).toMatchObject({
      city: 'Ballarat',
      companyName: 'Renamed Pty Ltd',
      keyword: 'kw',
      ssn: '123',
      type: 'customer',
    });
    expect(res.body.contact.dateUpdated).toBe(new Date(h.clock.t).toISOString());
    expect(res.body.contact.dateAdded).toBe(c.dateAdded);
  });

  it('replaces all tags when tags are sent', async () => {
    const c = h.sb.admin.setTags(seeded().id, ['one', 'two']);
    const res = await h.put(`/contacts/${c.id}`, { tags: ['Three'] });
    expect(res.body.contact.tags).toEqual(['three']);
  });

  it('refuses gender, locationId, id, *LowerCase and additionalEmails (422) and changes nothing', async () => {
    const c = seeded();
    const before = h.sb.admin.getContact(c.id)!;
    const res = await h.put(`/contacts/${c.id}`, {
      firstName: 'Changed',
      gender: 'female',
      locationId: h.loc,
      id: c.id,
      firstNameLowerCase: 'x',
      additionalEmails: [],
    });
    expect(res.status).toBe(422);
    expect(res.body.message).toEqual(
      expect.arrayContaining([
        'property gender should not exist',
        'property locationId should not exist',
        'property id should not exist',
        'property firstNameLowerCase should not exist',
        'property additionalEmails should not exist',
      ]),
    );
    expect(h.sb.admin.getContact(c.id)).toEqual(before);
  });

  it('clears a field sent as null, and merges custom fields by id (unknown ids ignored)', async () => {
    const c = seeded();
    const li = h.creds.linkedinFieldId;
    const res = await h.put(`/contacts/${c.id}`, {
      website: 'https://example.com',
      customFields: [
        { id: li, field_value: 'https://www.linkedin.com/in/someone/' },
        { id: 'unknownFieldId000000', field_value: 'x' },
      ],
    });
    expect(res.body.contact.customFields).toEqual([{ id: li, value: 'https://www.linkedin.com/in/someone/' }]);
    const cleared = await h.put(`/contacts/${c.id}`, {
      website: null,
      customFields: [{ key: 'linkedin_url', field_value: '' }],
    });
    expect(cleared.body.contact).not.toHaveProperty('website');
    expect(cleared.body.contact.customFields).toEqual([]);
  });

  it("refuses to take another contact's email when duplicates are not allowed", async () => {
    const [a, b] = h.sb.admin.listContacts().filter((k) => k.email);
    const res = await h.put(`/contacts/${a!.id}`, { email: b!.email });
    expect(res.status).toBe(400);
    expect(res.body.meta.contactId).toBe(b!.id);
  });
});

describe('DELETE /contacts/:id', () => {
  it('deletes: {succeded:true}, then the id is unknown', async () => {
    const c = h.sb.admin.createContact({ firstName: 'Delete', lastName: 'Me' });
    const res = await h.del(`/contacts/${c.id}`);
    expect(res.status).toBe(200);
    expect(res.body.succeded).toBe(true);
    expect((await h.get(`/contacts/${c.id}`)).status).toBe(400);
    expect((await h.del(`/contacts/${c.id}`)).status).toBe(400);
  });
});

describe('GET /contacts/ (deprecated list)', () => {
  it('caps limit at 100 (422 above) and defaults to 20', async () => {
    const over = await h.get('/contacts/', { query: { locationId: h.loc, limit: 101 } });
    expect(over.status).toBe(422);
    expect(over.body.message).toContain('limit must not be greater than 100');
    const dflt = await h.get('/contacts/', { query: { locationId: h.loc } });
    expect(dflt.body.contacts).toHaveLength(20);
    const missing = await h.get('/contacts/', { query: {} });
    expect(missing.status).toBe(422);
  });

  it('pages newest first with meta.startAfter/startAfterId and covers every contact exactly once', async () => {
    const all = h.sb.admin.listContacts();
    const seen: string[] = [];
    let query: Record<string, string | number | undefined> = { locationId: h.loc, limit: 7 };
    let pages = 0;
    let lastAdded = Infinity;
    for (; pages < 100; pages++) {
      const res = await h.get('/contacts/', { query });
      expect(res.status).toBe(200);
      expect(res.body.count).toBe(all.length);
      expect(res.body.meta.total).toBe(all.length);
      expect(res.body.meta.currentPage).toBe(pages + 1);
      for (const c of res.body.contacts) {
        const added = Date.parse(c.dateAdded);
        expect(added).toBeLessThanOrEqual(lastAdded);
        lastAdded = added;
        seen.push(c.id);
      }
      if (!res.body.meta.nextPageUrl) break;
      const next = new URL(res.body.meta.nextPageUrl);
      expect(Number(next.searchParams.get('startAfter'))).toBe(res.body.meta.startAfter);
      query = {
        locationId: h.loc,
        limit: 7,
        startAfter: res.body.meta.startAfter,
        startAfterId: res.body.meta.startAfterId,
      };
    }
    expect(seen.length).toBe(all.length);
    expect(new Set(seen)).toEqual(new Set(all.map((c) => c.id)));
  });

  it('filters by query', async () => {
    const c = seeded();
    const res = await h.get('/contacts/', { query: { locationId: h.loc, query: String(c.email) } });
    expect(res.body.contacts.map((x: { id: string }) => x.id)).toContain(c.id);
    expect(
      res.body.contacts.every((x: { email?: string }) =>
        x.email?.toLowerCase().includes(String(c.email).toLowerCase()),
      ),
    ).toBe(true);
  });
});

describe('GET /contacts/business/:businessId', () => {
  it('lists the business contacts with limit/skip and a total count', async () => {
    const counts = new Map<string, number>();
    for (const c of h.sb.admin.listContacts())
      if (c.businessId) counts.set(c.businessId as string, (counts.get(c.businessId as string) ?? 0) + 1);
    const [bizId, n] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    const all = await h.get(`/contacts/business/${bizId}`, { query: { locationId: h.loc } });
    expect(all.status).toBe(200);
    expect(all.body.count).toBe(n);
    expect(all.body.contacts.every((c: { businessId: string }) => c.businessId === bizId)).toBe(true);
    const page = await h.get(`/contacts/business/${bizId}`, { query: { locationId: h.loc, limit: 1, skip: 1 } });
    expect(page.body.contacts).toHaveLength(n > 1 ? 1 : 0);
    if (n > 1) expect(page.body.contacts[0].id).toBe(all.body.contacts[1].id);
    const one = all.body.contacts[0];
    const q = await h.get(`/contacts/business/${bizId}`, {
      query: { locationId: h.loc, query: one.email ?? one.contactName },
    });
    expect(q.body.contacts.map((c: { id: string }) => c.id)).toContain(one.id);
    expect(q.body.count).toBeLessThanOrEqual(n);
    expect((await h.get(`/contacts/business/${bizId}`, { query: { locationId: h.loc, limit: 101 } })).status).toBe(422);
    expect(
      (await h.get(`/contacts/business/${bizId}`, { query: { locationId: h.creds.otherLocationId } })).status,
    ).toBe(403);
  });
});

describe('GET /contacts/search/duplicate', () => {
  it('finds by email, or by an URL-encoded phone; an unencoded "+" arrives as a space and finds nothing', async () => {
    const c = seeded();
    const byEmail = await h.get('/contacts/search/duplicate', {
      query: { locationId: h.loc, email: c.email as string },
    });
    expect(byEmail.body.contact.id).toBe(c.id);
    const byPhone = await h.get('/contacts/search/duplicate', {
      query: { locationId: h.loc, number: c.phone as string },
    }); // URLSearchParams encodes + as %2B
    expect(byPhone.body.contact.id).toBe(c.id);
    const raw = await h.get(`/contacts/search/duplicate?locationId=${h.loc}&number=${c.phone}`);
    expect(raw.status).toBe(200);
    expect(raw.body.contact).toBeNull();
  });

  it('needs locationId (422) and refuses another location (403)', async () => {
    expect((await h.get('/contacts/search/duplicate', { query: { email: 'a@b.co' } })).status).toBe(422);
    expect(
      (await h.get('/contacts/search/duplicate', { query: { locationId: h.creds.otherLocationId, email: 'a@b.co' } }))
        .status,
    ).toBe(403);
  });

  it('with duplicates allowed, email wins over phone', async () => {
    const x = await another({ allowDuplicates: true });
    const [a, b] = x.sb.admin.listContacts().filter((k) => k.email && k.phone);
    const res = await x.get('/contacts/search/duplicate', {
      query: { locationId: x.loc, email: a!.email as string, number: b!.phone as string },
    });
    expect(res.body.contact.id).toBe(a!.id);
  });
});

it('every response in this file matches the official OpenAPI schemas (FACTS exceptions listed in fixtures/ghl/openapi.ts)', () => {
  expectResponsesMatchSpec(h, ...extra);
});
