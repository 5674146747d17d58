/**
 * GHL sandbox — what hangs off a contact: tasks, notes, appointments, tag add/remove; and the location's
 * custom-field list. Also whether task/note edits bump the contact's dateUpdated (option, default no).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, world } from './fixtures/ghl/harness.js';
import { expectResponsesMatchSpec } from './fixtures/ghl/spec-check.js';

let h: Harness;
let bump: Harness;

beforeAll(async () => {
  [h, bump] = await Promise.all([startHarness(), startHarness({ taskNoteEditsBumpContact: true })]);
});
afterAll(async () => {
  await Promise.all([h.close(), bump.close()]);
});

const contactWithTasks = (x: Harness) => x.sb.admin.listContacts().find((c) => x.sb.admin.listTasks(c.id).length > 0)!;
const contactWithNotes = (x: Harness) => x.sb.admin.listContacts().find((c) => x.sb.admin.listNotes(c.id).length > 0)!;

describe('tasks', () => {
  it('lists the seeded GHL tasks of a contact ({tasks}) without dateUpdated', async () => {
    const c = contactWithTasks(h);
    const res = await h.get(`/contacts/${c.id}/tasks`);
    expect(res.status).toBe(200);
    expect(res.body.tasks).toEqual(h.sb.admin.listTasks(c.id));
    for (const t of res.body.tasks) {
      expect(t).toMatchObject({
        contactId: c.id,
        completed: expect.any(Boolean),
        dueDate: expect.stringMatching(/Z$/),
      });
      expect(t).not.toHaveProperty('dateUpdated');
    }
    const seededGhlTasks = world().tasks.filter((t) => t.system === 'ghl').length;
    const total = h.sb.admin.listContacts().reduce((n, k) => n + h.sb.admin.listTasks(k.id).length, 0);
    expect(total).toBe(seededGhlTasks);
  });

  it('create (200 as live), get, update, complete, delete — each answering in the spec shape', async () => {
    const c = h.sb.admin.listContacts()[0]!;
    const created = await h.post(`/contacts/${c.id}/tasks`, {
      title: 'Call back',
      body: 'About the leak',
      dueDate: '2026-11-20T10:00:00+11:00',
      completed: false,
    });
    expect(created.status).toBe(200);
    const t = created.body.task;
    expect(t).toMatchObject({
      title: 'Call back',
      body: 'About the leak',
      dueDate: '2026-11-19T23:00:00.000Z',
      completed: false,
      contactId: c.id,
    });
    expect((await h.get(`/contacts/${c.id}/tasks/${t.id}`)).body.task).toEqual(t);
    const upd = await h.put(`/contacts/${c.id}/tasks/${t.id}`, { title: 'Call back today' });
    expect(upd.body.task).toMatchObject({ id: t.id, title: 'Call back today', body: 'About the leak' });
    const done = await h.put(`/contacts/${c.id}/tasks/${t.id}/completed`, { completed: true });
    expect(done.body.task.completed).toBe(true);
    const del = await h.del(`/contacts/${c.id}/tasks/${t.id}`);
    expect(del.body).toMatchObject({ succeded: true });
    const gone = await h.get(`/contacts/${c.id}/tasks/${t.id}`);
    expect(gone.status).toBe(400);
    expect(gone.body.message).toBe('Task not found');
  });

  it('validates task bodies: required title/dueDate/completed, ISO dueDate, whitelist (422)', async () => {
    const c = h.sb.admin.listContacts()[0]!;
    const missing = await h.post(`/contacts/${c.id}/tasks`, { body: 'no title' });
    expect(missing.status).toBe(422);
    expect(missing.body.message).toEqual(
      expect.arrayContaining([
        'title should not be empty',
        'dueDate should not be empty',
        'completed should not be empty',
      ]),
    );
    const bad = await h.post(`/contacts/${c.id}/tasks`, {
      title: 'x',
      dueDate: 'next tuesday',
      completed: false,
      priority: 'high',
    });
    expect(bad.body.message).toEqual(
      expect.arrayContaining(['dueDate must be a valid ISO 8601 date string', 'property priority should not exist']),
    );
    const notBool = await h.put(
      `/contacts/${c.id}/tasks/${h.sb.admin.createTask(c.id, { title: 'x', dueDate: '2026-12-01' }).id}/completed`,
      { completed: 'yes' },
    );
    expect(notBool.status).toBe(422);
  });

  it('task edits leave the contact dateUpdated alone by default', async () => {
    const c = contactWithTasks(h);
    const before = h.sb.admin.getContact(c.id)!.dateUpdated;
    h.clock.advance(10_000);
    const t = h.sb.admin.listTasks(c.id)[0]!;
    await h.put(`/contacts/${c.id}/tasks/${t.id}/completed`, { completed: !t.completed });
    await h.post(`/contacts/${c.id}/notes`, { body: 'hello' });
    expect(h.sb.admin.getContact(c.id)!.dateUpdated).toBe(before);
  });

  it('with taskNoteEditsBumpContact, task and note edits bump the contact dateUpdated', async () => {
    const c = contactWithTasks(bump);
    bump.clock.advance(10_000);
    const t = bump.sb.admin.listTasks(c.id)[0]!;
    await bump.put(`/contacts/${c.id}/tasks/${t.id}`, { body: 'changed' });
    expect(bump.sb.admin.getContact(c.id)!.dateUpdated).toBe(new Date(bump.clock.t).toISOString());
    bump.clock.advance(10_000);
    await bump.post(`/contacts/${c.id}/notes`, { body: 'note bumps too' });
    expect(bump.sb.admin.getContact(c.id)!.dateUpdated).toBe(new Date(bump.clock.t).toISOString());
  });
});

describe('notes', () => {
  it('lists notes newest first with dateAdded, no dateUpdated', async () => {
    const c = contactWithNotes(h);
    h.sb.admin.createNote(c.id, { body: 'later note' });
    const res = await h.get(`/contacts/${c.id}/notes`);
    expect(res.status).toBe(200);
    expect(res.body.notes[0].body).toBe('later note');
    const dates = res.body.notes.map((n: { dateAdded: string }) => Date.parse(n.dateAdded));
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
    for (const n of res.body.notes) expect(n).not.toHaveProperty('dateUpdated');
  });

  it('create (200 as live), get, update, delete; body required; whitelist', async () => {
    const c = h.sb.admin.listContacts()[1]!;
    const created = await h.post(`/contacts/${c.id}/notes`, {
      body: 'Gate code 1234',
      title: 'Access',
      pinned: true,
      color: '#FFAA00',
    });
    expect(created.status).toBe(200);
    const n = created.body.note;
    expect(n).toMatchObject({
      body: 'Gate code 1234',
      title: 'Access',
      pinned: true,
      contactId: c.id,
      dateAdded: new Date(h.clock.t).toISOString(),
    });
    expect((await h.get(`/contacts/${c.id}/notes/${n.id}`)).body.note).toEqual(n);
    expect((await h.put(`/contacts/${c.id}/notes/${n.id}`, { body: 'Gate code 9999' })).body.note).toMatchObject({
      id: n.id,
      body: 'Gate code 9999',
      title: 'Access',
    });
    expect((await h.del(`/contacts/${c.id}/notes/${n.id}`)).body.succeded).toBe(true);
    expect((await h.get(`/contacts/${c.id}/notes/${n.id}`)).body.message).toBe('Note not found');
    expect((await h.post(`/contacts/${c.id}/notes`, { title: 'no body' })).body.message).toContain(
      'body should not be empty',
    );
    expect((await h.post(`/contacts/${c.id}/notes`, { body: 'x', contactId: c.id })).body.message).toContain(
      'property contactId should not exist',
    );
  });

  it('notes of an unknown contact → 400 Contact not found', async () => {
    const res = await h.get('/contacts/unknownContact0000000/notes');
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Contact not found');
  });
});

describe('appointments', () => {
  it('answers {events} with "YYYY-MM-DD HH:mm:ss" wall-clock times in the location time zone', async () => {
    const c = h.sb.admin.listContacts()[2]!;
    const ev = h.sb.admin.addAppointment(c.id, {
      title: 'Quote visit',
      startTime: '2026-11-20T23:30:00Z',
      endTime: '2026-11-21T00:30:00Z',
    });
    const res = await h.get(`/contacts/${c.id}/appointments`);
    expect(res.status).toBe(200);
    const got = res.body.events.find((e: { id: string }) => e.id === ev.id);
    // Melbourne is UTC+11 in November.
    expect(got).toMatchObject({
      title: 'Quote visit',
      startTime: '2026-11-21 10:30:00',
      endTime: '2026-11-21 11:30:00',
      contactId: c.id,
      locationId: h.loc,
      status: 'booked',
    });
  });
});

describe('tags', () => {
  it('POST adds (200 {tags, tagsAdded} as live), DELETE with a body removes (200 {tags, tagsRemoved}); both bump dateUpdated', async () => {
    const c = h.sb.admin.setTags(h.sb.admin.listContacts()[3]!.id, ['keep']);
    h.clock.advance(1_000);
    const add = await h.post(`/contacts/${c.id}/tags`, { tags: ['New-One', 'keep'] });
    expect(add.status).toBe(200);
    expect(add.body.tags).toEqual(['keep', 'new-one']);
    expect(add.body.tagsAdded).toEqual(['new-one']);
    expect(h.sb.admin.getContact(c.id)!.dateUpdated).toBe(new Date(h.clock.t).toISOString());
    h.clock.advance(1_000);
    const rm = await h.del(`/contacts/${c.id}/tags`, { tags: ['keep'] });
    expect(rm.status).toBe(200);
    expect(rm.body.tags).toEqual(['new-one']);
    expect(rm.body.tagsRemoved).toEqual(['keep']);
    expect(h.sb.admin.getContact(c.id)!.tags).toEqual(['new-one']);
    expect(h.sb.admin.getContact(c.id)!.dateUpdated).toBe(new Date(h.clock.t).toISOString());
    expect((await h.post(`/contacts/${c.id}/tags`, {})).status).toBe(422);
  });
});

describe('GET /locations/:locationId/customFields', () => {
  it('lists the fields so the LinkedIn URL field can be found by name', async () => {
    const res = await h.get(`/locations/${h.loc}/customFields`);
    expect(res.status).toBe(200);
    const li = res.body.customFields.find((f: { name: string }) => f.name === 'LinkedIn URL');
    expect(li).toMatchObject({ id: h.creds.linkedinFieldId, fieldKey: 'contact.linkedin_url', dataType: 'TEXT' });
    const withLinkedin = h.sb.admin
      .listContacts()
      .find((c) => (c.customFields as Array<{ id: string }>).some((f) => f.id === li.id));
    expect(withLinkedin).toBeDefined();
  });

  it('refuses another location (403)', async () => {
    expect((await h.get(`/locations/${h.creds.otherLocationId}/customFields`)).status).toBe(403);
  });
});

/** The properties of `GetLocationByIdSchema` in the official locations.json (shared/specs/ghl/apps; objects marked). */
const LOCATION_PROPS: Record<string, 'string' | 'object'> = {
  ...Object.fromEntries(
    [
      'id',
      'companyId',
      'name',
      'domain',
      'address',
      'city',
      'state',
      'logoUrl',
      'country',
      'postalCode',
      'website',
      'timezone',
      'firstName',
      'lastName',
      'email',
      'phone',
    ].map((k) => [k, 'string' as const]),
  ),
  business: 'object',
  social: 'object',
  settings: 'object',
  reseller: 'object',
};

describe('GET /locations/:locationId', () => {
  it("answers the location's country and time zone in the official shape, and the admin changes them", async () => {
    const res = await h.get(`/locations/${h.loc}`);
    expect(res.status).toBe(200);
    for (const [k, v] of Object.entries(res.body.location)) expect([k, typeof v]).toEqual([k, LOCATION_PROPS[k]]);
    expect(res.body.location.settings).toEqual({ allowDuplicateContact: false });
    expect(res.body.location).toMatchObject({
      id: h.loc,
      country: 'AU',
      timezone: 'Australia/Melbourne',
      name: expect.any(String),
      companyId: expect.any(String),
    });
    h.sb.admin.setLocation({ country: 'NZ', timezone: 'Pacific/Auckland' });
    expect((await h.get(`/locations/${h.loc}`)).body.location).toMatchObject({
      country: 'NZ',
      timezone: 'Pacific/Auckland',
    });
    h.sb.admin.setLocation({ country: 'AU', timezone: 'Australia/Melbourne' });
    expect(() => h.sb.admin.setLocation({ timezone: 'Mars/Olympus' })).toThrow(/IANA/);
  });

  it('refuses another location (403)', async () => {
    expect((await h.get(`/locations/${h.creds.otherLocationId}`)).status).toBe(403);
  });
});

describe('custom fields added and deleted through the admin', () => {
  it('an added field is listed, holds values and is searchable; deleted, it goes from the list and from the contacts', async () => {
    const f = h.sb.admin.addCustomField({ name: 'Site notes', dataType: 'LARGE_TEXT' });
    expect(f).toMatchObject({ fieldKey: 'contact.site_notes', dataType: 'LARGE_TEXT' });
    const listed = (await h.get(`/locations/${h.loc}/customFields`)).body.customFields.find(
      (x: { id: string }) => x.id === f.id,
    );
    expect(listed).toMatchObject({ name: 'Site notes', dataType: 'LARGE_TEXT', model: 'contact' });
    const c = h.sb.admin.listContacts()[0]!;
    const before = h.sb.admin.getContact(c.id)!.dateUpdated;
    h.sb.admin.updateContact(c.id, { customFields: [{ id: f.id, value: 'Gate code 4411' }] });
    const got = await h.get(`/contacts/${c.id}`);
    expect(got.body.contact.customFields).toContainEqual({ id: f.id, value: 'Gate code 4411' });
    const updated = h.sb.admin.getContact(c.id)!.dateUpdated;
    expect(h.sb.admin.deleteCustomField(f.id)).toBe(true);
    expect(
      (await h.get(`/locations/${h.loc}/customFields`)).body.customFields.some((x: { id: string }) => x.id === f.id),
    ).toBe(false);
    const after = await h.get(`/contacts/${c.id}`);
    expect(after.body.contact.customFields.some((x: { id: string }) => x.id === f.id)).toBe(false);
    // Nobody edited the contact: its dateUpdated stays where the last edit put it.
    expect(h.sb.admin.getContact(c.id)!.dateUpdated).toBe(updated);
    expect(updated >= before).toBe(true);
    expect(h.sb.admin.deleteCustomField(f.id)).toBe(false);
  });
});

it('every response in this file matches the official OpenAPI schemas', () => {
  expectResponsesMatchSpec(h, bump);
});
