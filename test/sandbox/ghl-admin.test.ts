/**
 * GHL sandbox — the admin (in-process and over HTTP under /__admin), reset, and the seeded world:
 * what GHL loads from the world and that everything is deterministic from the seed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ghlIdentity } from '../../main/sandbox/ghl/index.js';
import { type Harness, startHarness, world } from './fixtures/ghl/harness.js';
import { oauthTokens } from './fixtures/ghl/oauth.js';
import { expectResponsesMatchSpec } from './fixtures/ghl/spec-check.js';

let h: Harness;
let tokenAtStart = '';
const extra: Harness[] = [];

beforeAll(async () => {
  h = await startHarness({ rateLimits: 'real', limits: { burst: 2 }, searchLagMs: 1_000 });
  tokenAtStart = h.creds.privateToken;
});
afterAll(async () => {
  await h.close();
  for (const x of extra) await x.close();
});

describe('seeded world', () => {
  it('loads the people in GHL, a duplicate record per ghlDuplicateKey, GHL tasks and notes only', async () => {
    const w = world();
    const inGhl = w.people.filter((p) => p.in.ghl);
    const dups = inGhl.filter((p) => p.ghlDuplicateKey);
    const contacts = h.sb.admin.listContacts();
    expect(contacts.length).toBe(inGhl.length + dups.length);
    for (const p of dups) {
      const same = contacts.filter(
        (c) => c.firstName === p.firstName && c.lastName === p.lastName && c.email === p.email && c.phone === p.phone,
      );
      expect(same.length).toBeGreaterThanOrEqual(2);
    }
    const notInGhl = w.people.filter((p) => !p.in.ghl && p.email);
    expect(contacts.some((c) => notInGhl.some((p) => p.email === c.email))).toBe(false);
    const notes = contacts.reduce((n, c) => n + h.sb.admin.listNotes(c.id).length, 0);
    expect(notes).toBe(w.notes.filter((n) => n.system === 'ghl').length);
    const linked = inGhl.filter((p) => p.linkedinId).length;
    expect(
      contacts.filter((c) => (c.customFields as Array<{ id: string }>).some((f) => f.id === h.creds.linkedinFieldId))
        .length,
    ).toBe(linked);
  });

  it('credentials and ids are deterministic from the world seed', async () => {
    const twin = await startHarness();
    extra.push(twin);
    expect(twin.creds.locationId).toBe(h.creds.locationId);
    expect(twin.creds.privateToken).toBe(h.creds.privateToken);
    expect(twin.creds.oauth.clientSecret).toBe(h.creds.oauth.clientSecret);
    expect(
      twin.sb.admin
        .listContacts()
        .map((c) => c.id)
        .slice(0, 10),
    ).toEqual(
      h.sb.admin
        .listContacts()
        .map((c) => c.id)
        .slice(0, 10),
    );
    expect(ghlIdentity(12).locationId).not.toBe(h.creds.locationId);
    expect(h.creds.linkedinFieldId).toBe(ghlIdentity(world().seed).linkedinFieldId);
  });
});

describe('admin over HTTP', () => {
  it('needs the x-sandbox-admin header (401 without or with a wrong one)', async () => {
    expect((await h.admin('GET', '/stats', undefined, '')).status).toBe(401);
    expect((await h.admin('GET', '/stats', undefined, 'wrong')).status).toBe(401);
    expect((await h.admin('GET', '/stats')).status).toBe(200);
  });

  it('does not exist when admin is off', async () => {
    const off = await startHarness({ admin: false });
    extra.push(off);
    expect(off.sb.adminToken).toBeUndefined();
    expect((await off.admin('GET', '/stats', undefined, 'anything')).status).toBe(404);
  });

  it('is exempt from rate limits and stats', async () => {
    h.sb.resetStats();
    for (let i = 0; i < 5; i++) expect((await h.admin('GET', '/contacts')).status).toBe(200);
    expect(h.sb.stats().requests).toBe(0);
  });

  it('edits behave like a person in the web app: dateUpdated bumps, search sees it after the lag', async () => {
    const c = h.sb.admin.listContacts()[0]!;
    h.clock.advance(60_000);
    const upd = await h.admin('PUT', `/contacts/${c.id}`, { city: 'Echuca', additionalEmails: ['second@example.com'] });
    expect(upd.status).toBe(200);
    expect(upd.body.contact).toMatchObject({
      city: 'Echuca',
      additionalEmails: [{ email: 'second@example.com' }],
      dateUpdated: new Date(h.clock.t).toISOString(),
    });
    const find = () =>
      h.post('/contacts/search', {
        locationId: h.loc,
        pageLimit: 5,
        filters: [{ field: 'id', operator: 'eq', value: c.id }],
      });
    h.clock.advance(20_000);
    expect((await find()).body.contacts[0].city).toBe('Echuca');
    expect((await find()).body.contacts[0].additionalEmails).toEqual([{ email: 'second@example.com' }]);
    const bad = await h.admin('PUT', `/contacts/${c.id}`, { favourite: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('favourite');
  });

  it('contacts: create, get, list, tags, delete', async () => {
    const created = await h.admin('POST', '/contacts', {
      firstName: 'Admin',
      lastName: 'Made',
      email: 'admin.made@example.com',
      tags: ['X'],
    });
    expect(created.status).toBe(201);
    const id = created.body.contact.id;
    expect((await h.admin('GET', `/contacts/${id}`)).body.contact).toMatchObject({ firstName: 'Admin', tags: ['x'] });
    expect((await h.admin('PUT', `/contacts/${id}/tags`, { tags: ['a', 'b'] })).body.contact.tags).toEqual(['a', 'b']);
    const inOther = await h.admin('POST', `/contacts?locationId=${h.creds.otherLocationId}`, {
      firstName: 'Elsewhere',
    });
    expect(inOther.body.contact.locationId).toBe(h.creds.otherLocationId);
    expect(
      (await h.admin('GET', `/contacts?locationId=${h.creds.otherLocationId}`)).body.contacts.map(
        (c: { id: string }) => c.id,
      ),
    ).toContain(inOther.body.contact.id);
    expect((await h.admin('DELETE', `/contacts/${id}`)).body).toEqual({ deleted: true });
    expect((await h.admin('GET', `/contacts/${id}`)).status).toBe(404);
  });

  it('tasks (incl. complete), notes, appointments', async () => {
    const c = h.sb.admin.listContacts()[1]!;
    const t = (await h.admin('POST', `/contacts/${c.id}/tasks`, { title: 'Admin task', dueDate: '2026-12-01' })).body
      .task;
    expect(t).toMatchObject({ title: 'Admin task', dueDate: '2026-12-01T00:00:00.000Z', completed: false });
    expect((await h.admin('POST', `/contacts/${c.id}/tasks/${t.id}/complete`, {})).body.task.completed).toBe(true);
    expect((await h.admin('PUT', `/contacts/${c.id}/tasks/${t.id}`, { title: 'Renamed' })).body.task.title).toBe(
      'Renamed',
    );
    expect((await h.admin('GET', `/contacts/${c.id}/tasks`)).body.tasks.map((x: { id: string }) => x.id)).toContain(
      t.id,
    );
    expect((await h.admin('DELETE', `/contacts/${c.id}/tasks/${t.id}`)).body.deleted).toBe(true);
    const n = (await h.admin('POST', `/contacts/${c.id}/notes`, { body: 'Admin note' })).body.note;
    expect((await h.admin('PUT', `/contacts/${c.id}/notes/${n.id}`, { body: 'Edited' })).body.note.body).toBe('Edited');
    expect((await h.admin('GET', `/contacts/${c.id}/notes/${n.id}`)).body.note.body).toBe('Edited');
    expect((await h.admin('DELETE', `/contacts/${c.id}/notes/${n.id}`)).body.deleted).toBe(true);
    const ev = await h.admin('POST', `/contacts/${c.id}/appointments`, {
      title: 'Visit',
      startTime: '2026-12-03T00:00:00Z',
    });
    expect(ev.status).toBe(201);
    expect(ev.body.event).toMatchObject({
      title: 'Visit',
      startTime: '2026-12-03 11:00:00',
      endTime: '2026-12-03 12:00:00',
    });
    h.clock.advance(20_000);
    const api = await h.get(`/contacts/${c.id}/appointments`);
    expect(api.body.events.map((e: { id: string }) => e.id)).toContain(ev.body.event.id);
  });

  it('tokens and faults: rotate/revoke the PIT, revoke OAuth, set faults, read stats', async () => {
    h.clock.advance(20_000);
    const rotated = await h.admin('POST', '/private-token/rotate');
    expect(rotated.body.privateToken).toBe(h.creds.privateToken);
    const t = await oauthTokens(h);
    expect((await h.admin('POST', '/oauth/revoke')).status).toBe(204);
    expect(
      (await h.post('/contacts/search', { locationId: h.loc, pageLimit: 1 }, { token: t.access_token })).status,
    ).toBe(401);
    expect((await h.admin('PUT', '/faults', { spec: 'system=ghl,rate=1,kinds=5xx' })).status).toBe(204);
    h.clock.advance(20_000);
    expect((await h.get(`/contacts/${h.sb.admin.listContacts()[0]!.id}`)).status).toBe(500);
    expect((await h.admin('PUT', '/faults', { spec: 'kinds=explode' })).status).toBe(400);
    expect((await h.admin('PUT', '/faults', { spec: '' })).status).toBe(204);
    expect((await h.admin('GET', '/stats')).body.faults['5xx']).toBeGreaterThanOrEqual(1);
    expect((await h.admin('POST', '/private-token/revoke')).status).toBe(204);
    expect((await h.post('/contacts/search', { locationId: h.loc, pageLimit: 1 })).status).toBe(401);
  });

  it('reset forgets everything done since start: edits, tokens, counters', async () => {
    const c = h.sb.admin.listContacts()[2]!;
    h.sb.admin.updateContact(c.id, { city: 'Swan Hill', tags: ['edited'] });
    const created = h.sb.admin.createContact({ firstName: 'Temp' });
    expect(h.creds.privateToken).not.toBe(tokenAtStart); // rotated and revoked above
    expect((await h.admin('POST', '/reset')).status).toBe(204);
    expect(h.sb.admin.getContact(created.id)).toBeUndefined();
    expect(h.sb.admin.getContact(c.id)).toEqual(c);
    expect(h.creds.privateToken).toBe(tokenAtStart);
    h.clock.advance(20_000);
    expect((await h.post('/contacts/search', { locationId: h.loc, pageLimit: 1 })).status).toBe(200);
    expect(h.sb.stats().requests).toBe(1);
  });
});

it('every JSON response in this file matches the official OpenAPI schemas', () => {
  expectResponsesMatchSpec(h, ...extra);
});
