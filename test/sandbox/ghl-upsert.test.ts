/**
 * GHL sandbox — POST /contacts/upsert: matching rules and the documented pitfalls of FACTS §5
 * (email-A/phone-B drops the phone, createNewIfDuplicateAllowed, additional-email collision, gender).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './fixtures/ghl/harness.js';
import { expectResponsesMatchSpec } from './fixtures/ghl/spec-check.js';

let h: Harness;
let dup: Harness;
let phoneFirst: Harness;

beforeAll(async () => {
  [h, dup, phoneFirst] = await Promise.all([
    startHarness(),
    startHarness({ allowDuplicates: true }),
    startHarness({ uniqueIdentifiers: ['phone', 'email'] }),
  ]);
});
afterAll(async () => {
  await Promise.all([h.close(), dup.close(), phoneFirst.close()]);
});

const withEmailAndPhone = (x: Harness) => x.sb.admin.listContacts().filter((c) => c.email && c.phone);

describe('POST /contacts/upsert', () => {
  it('creates when nothing matches: 200 {new:true, contact, traceId}', async () => {
    const res = await h.post('/contacts/upsert', {
      locationId: h.loc,
      firstName: 'Fresh',
      email: 'fresh.person@example.com',
      tags: ['new'],
    });
    expect(res.status).toBe(200);
    expect(res.body.new).toBe(true);
    expect(res.body.traceId).toEqual(expect.any(String));
    expect(res.body.contact).toMatchObject({ firstName: 'Fresh', email: 'fresh.person@example.com', tags: ['new'] });
    expect(h.sb.admin.getContact(res.body.contact.id)).toBeDefined();
  });

  it('updates the contact with the same email (any case): new:false, same id, dateUpdated bumped, tags replaced', async () => {
    const c = h.sb.admin.setTags(withEmailAndPhone(h)[0]!.id, ['old-a', 'old-b']);
    h.clock.advance(5_000);
    const res = await h.post('/contacts/upsert', {
      locationId: h.loc,
      email: String(c.email).toUpperCase(),
      city: 'Bendigo',
      tags: ['fresh'],
    });
    expect(res.status).toBe(200);
    expect(res.body.new).toBe(false);
    expect(res.body.contact).toMatchObject({ id: c.id, city: 'Bendigo', tags: ['fresh'] });
    expect(res.body.contact.dateUpdated).toBe(new Date(h.clock.t).toISOString());
  });

  it('email matches A and phone matches B: A is updated, the phone is dropped silently, B untouched', async () => {
    const [a, b] = withEmailAndPhone(h).slice(1, 3);
    const bBefore = h.sb.admin.getContact(b!.id);
    const res = await h.post('/contacts/upsert', {
      locationId: h.loc,
      email: a!.email,
      phone: b!.phone,
      lastName: 'Updated',
    });
    expect(res.status).toBe(200);
    expect(res.body.new).toBe(false);
    expect(res.body.contact).toMatchObject({ id: a!.id, lastName: 'Updated', phone: a!.phone });
    expect(h.sb.admin.getContact(b!.id)).toEqual(bBefore);
  });

  it('matches on phone when only a phone is sent (national format finds the E.164 record)', async () => {
    const c = withEmailAndPhone(h)[3]!;
    const national = '0' + String(c.phone).slice(3);
    const res = await h.post('/contacts/upsert', { locationId: h.loc, phone: national, source: 'phone upsert' });
    expect(res.body).toMatchObject({ new: false, contact: { id: c.id, source: 'phone upsert' } });
  });

  it('with a phone-first unique identifier, the phone match wins and the email of another contact is dropped', async () => {
    const [a, b] = withEmailAndPhone(phoneFirst).slice(0, 2);
    const res = await phoneFirst.post('/contacts/upsert', {
      locationId: phoneFirst.loc,
      email: a!.email,
      phone: b!.phone,
    });
    expect(res.body).toMatchObject({ new: false, contact: { id: b!.id, email: b!.email } });
  });

  it('an email equal to an additional email becomes the primary and the old primary email is lost [I#337]', async () => {
    const c = h.sb.admin.createContact({
      firstName: 'John',
      email: 'john@doe.example',
      additionalEmails: ['jane@doe.example'],
    });
    expect(c.additionalEmails).toEqual([{ email: 'jane@doe.example' }]);
    const res = await h.post('/contacts/upsert', { locationId: h.loc, email: 'jane@doe.example' });
    expect(res.body.new).toBe(false);
    expect(res.body.contact.id).toBe(c.id);
    expect(res.body.contact.email).toBe('jane@doe.example');
    expect(res.body.contact.additionalEmails).toEqual([]);
    const lookup = await h.get('/contacts/search/duplicate', {
      query: { locationId: h.loc, email: 'john@doe.example' },
    });
    expect(lookup.body.contact).toBeNull();
  });

  it('accepts gender but discards it silently on an existing contact (while PUT refuses gender)', async () => {
    const c = withEmailAndPhone(h)[4]!;
    const up = await h.post('/contacts/upsert', { locationId: h.loc, email: c.email, gender: 'female' });
    expect(up.status).toBe(200);
    expect(up.body.contact).not.toHaveProperty('gender');
    expect((await h.put(`/contacts/${c.id}`, { gender: 'female' })).status).toBe(422);
  });

  it('createNewIfDuplicateAllowed + location allows duplicates → always creates', async () => {
    const c = withEmailAndPhone(dup)[0]!;
    const res = await dup.post('/contacts/upsert', {
      locationId: dup.loc,
      email: c.email,
      createNewIfDuplicateAllowed: true,
    });
    expect(res.body.new).toBe(true);
    expect(res.body.contact.id).not.toBe(c.id);
    const again = await dup.post('/contacts/upsert', { locationId: dup.loc, email: c.email });
    expect(again.body).toMatchObject({ new: false, contact: { id: c.id } }); // normal upsert: the oldest match
  });

  it('createNewIfDuplicateAllowed is ignored when the location does not allow duplicates', async () => {
    const c = withEmailAndPhone(h)[5]!;
    const res = await h.post('/contacts/upsert', {
      locationId: h.loc,
      email: c.email,
      createNewIfDuplicateAllowed: true,
    });
    expect(res.body).toMatchObject({ new: false, contact: { id: c.id } });
  });

  it('uses the same whitelist (422) and location scope (403) as create', async () => {
    const bad = await h.post('/contacts/upsert', { locationId: h.loc, email: 'x@y.co', additionalEmails: ['z@y.co'] });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toEqual(['property additionalEmails should not exist']);
    const other = await h.post('/contacts/upsert', { locationId: h.creds.otherLocationId, email: 'x@y.co' });
    expect(other.status).toBe(403);
  });

  it('a missing Version header is refused (401, as live) before anything is written', async () => {
    const res = await h.post(
      '/contacts/upsert',
      { locationId: h.loc, email: 'versionless@example.com' },
      { version: null },
    );
    expect(res.status).toBe(401);
    expect(h.sb.admin.listContacts().some((c) => c.email === 'versionless@example.com')).toBe(false);
  });
});

it('every response in this file matches the official OpenAPI schemas', () => {
  expectResponsesMatchSpec(h, dup, phoneFirst);
});
