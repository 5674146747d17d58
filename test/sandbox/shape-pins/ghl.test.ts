/**
 * The GHL sandbox answers like the real API, call by call: every call type the bridge makes (and every one the
 * seeds fill) is checked against its pin in main/smoke/pins/ghl.ts — the same pins `ghl-bridge smoke` uses on a
 * real account. Each pin names its evidence; the first block checks the pins themselves against the recorded live
 * answers (test/sandbox/fixtures/ghl/recordings/nango-highlevel.json), so a pin cannot drift from its recording.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GHL_PINS, GHL_RATE_HEADERS, type GhlPinName } from '../../../main/smoke/pins/ghl.js';
import { checkPin, diffShape } from '../../../main/smoke/shape.js';
import { type Harness, startHarness } from '../fixtures/ghl/harness.js';

interface Recording {
  file: string;
  method: string;
  path: string;
  status: number;
  requestHeaders?: Record<string, string>;
  data?: unknown;
  response: unknown;
  rateLimitHeaders: Record<string, string>;
}
const recordings: Recording[] = JSON.parse(
  readFileSync(new URL('../fixtures/ghl/recordings/nango-highlevel.json', import.meta.url), 'utf8'),
).calls;

const RECORDED: Partial<Record<GhlPinName, string>> = {
  getContact: 'get-contact.test.json',
  createContact: 'create-contact.test.json',
  updateContact: 'update-contact.test.json',
  deleteContact: 'delete-contact.test.json',
  upsertContact: 'upsert-contact.test.json',
  searchContacts: 'contacts.test.json',
  findDuplicate: 'check-duplicate-contact.test.json',
  addTags: 'add-tags-to-contact.test.json',
  removeTags: 'remove-tags-from-contact.test.json',
  listTasks: 'list-contact-tasks.test.json',
  createTask: 'create-contact-task.test.json',
  updateTask: 'update-contact-task.test.json',
  deleteTask: 'delete-contact-task.test.json',
  listNotes: 'list-contact-notes.test.json',
  createNote: 'create-contact-note.test.json',
  listCustomFields: 'custom-fields.test.json',
};

describe('the pins fit the recorded live answers', () => {
  for (const [name, file] of Object.entries(RECORDED) as Array<[GhlPinName, string]>) {
    it(`${name} ← NG ${file}`, () => {
      const pin = GHL_PINS[name];
      expect(pin.evidence).toContain(file);
      const recs = recordings.filter((r) => r.file === file);
      expect(recs.length).toBeGreaterThan(0);
      for (const r of recs) expect(checkPin(pin, r.status, r.response)).toEqual([]);
    });
  }

  it(`the rate-limit headers the pacer reads are on every recorded answer but the creates — ${GHL_RATE_HEADERS.evidence}`, () => {
    for (const r of recordings) {
      const has = GHL_RATE_HEADERS.names.every((h) => /^\d+$/.test(r.rateLimitHeaders[h] ?? ''));
      const create = r.method === 'POST' && !r.path.endsWith('/search');
      expect(has, `${r.method} ${r.path}`).toBe(!create);
    }
  });

  it('every recorded live call sent Version 2021-07-28', () => {
    for (const r of recordings) expect(r.requestHeaders?.Version).toBe('2021-07-28');
  });

  it('the checker reports a renamed key, a wrong type and a wrong status (paths only, no values)', () => {
    const live = recordings.find((r) => r.file === 'update-contact.test.json')!.response as Record<string, unknown>;
    const { succeeded: _gone, ...renamed } = live;
    expect(checkPin(GHL_PINS.updateContact, 201, { ...renamed, success: true })).toEqual([
      'status: expected 200, got 201',
      '$.succeeded: missing',
    ]);
    const contact = { ...(live.contact as Record<string, unknown>), tags: 'vip' };
    expect(diffShape(GHL_PINS.updateContact.shape, { ...live, contact })).toEqual([
      '$.contact.tags: expected array, got string',
    ]);
  });
});

describe('the sandbox answers fit the pins', () => {
  let h: Harness;
  let contactId: string;
  let businessId: string;
  const results = new Map<GhlPinName, string[]>();
  const pin = (name: GhlPinName, res: { status: number; body: unknown }) => {
    const d = checkPin(GHL_PINS[name], res.status, res.body);
    results.set(name, d);
    return d;
  };

  beforeAll(async () => {
    h = await startHarness();
    const withChildren = h.sb.admin
      .listContacts()
      .find((c) => h.sb.admin.listTasks(c.id).length && h.sb.admin.listNotes(c.id).length);
    contactId = withChildren!.id;
    businessId = h.sb.admin.listContacts().find((c) => typeof c.businessId === 'string')!.businessId as string;
  });
  afterAll(() => h.close());

  it(`getContact — ${GHL_PINS.getContact.evidence}`, async () => {
    expect(pin('getContact', await h.get(`/contacts/${contactId}`))).toEqual([]);
  });

  it(`createContact, updateContact, upsertContact, deleteContact — ${GHL_PINS.createContact.evidence}; ${GHL_PINS.updateContact.evidence}`, async () => {
    const created = await h.post('/contacts/', {
      locationId: h.loc,
      firstName: 'Shape',
      lastName: 'Pin',
      email: 'shape.pin@example.com',
    });
    expect(pin('createContact', created)).toEqual([]);
    const id = created.body.contact.id as string;
    expect(pin('updateContact', await h.put(`/contacts/${id}`, { lastName: 'Pinned' }))).toEqual([]);
    const up = await h.post('/contacts/upsert', {
      locationId: h.loc,
      email: 'shape.pin@example.com',
      firstName: 'Shape',
    });
    expect(pin('upsertContact', up)).toEqual([]);
    expect(up.body).toMatchObject({ new: false, succeded: true, succeeded: true });
    expect(pin('deleteContact', await h.del(`/contacts/${id}`))).toEqual([]);
  });

  it(`searchContacts — ${GHL_PINS.searchContacts.evidence}`, async () => {
    const res = await h.search({ sort: [{ field: 'dateUpdated', direction: 'asc' }] });
    expect(res.body.contacts.length).toBeGreaterThan(0);
    expect(pin('searchContacts', res)).toEqual([]);
    // Absent values are sent as null, as live (the keys are always there).
    const bare = res.body.contacts.find((c: Record<string, unknown>) => c.city === null);
    expect(bare).toBeDefined();
  });

  it(`findDuplicate — ${GHL_PINS.findDuplicate.evidence}`, async () => {
    const c = h.sb.admin.listContacts().find((x) => typeof x.email === 'string')!;
    const found = await h.get('/contacts/search/duplicate', { query: { locationId: h.loc, email: c.email as string } });
    expect(pin('findDuplicate', found)).toEqual([]);
    expect(found.body).toMatchObject({ contact: { id: c.id }, matchingField: 'contactId' });
    const none = await h.get('/contacts/search/duplicate', {
      query: { locationId: h.loc, email: 'nobody.here@example.com' },
    });
    expect(pin('findDuplicate', none)).toEqual([]);
    expect(none.body.contact).toBeNull();
  });

  it(`businessContacts — ${GHL_PINS.businessContacts.evidence}`, async () => {
    expect(
      pin('businessContacts', await h.get(`/contacts/business/${businessId}`, { query: { locationId: h.loc } })),
    ).toEqual([]);
  });

  it(`listContactsDeprecated — ${GHL_PINS.listContactsDeprecated.evidence}`, async () => {
    expect(
      pin('listContactsDeprecated', await h.get('/contacts/', { query: { locationId: h.loc, limit: 5 } })),
    ).toEqual([]);
  });

  it(`addTags, removeTags — ${GHL_PINS.addTags.evidence}; ${GHL_PINS.removeTags.evidence}`, async () => {
    const before = h.sb.admin.getContact(contactId)!.tags;
    const add = await h.post(`/contacts/${contactId}/tags`, { tags: ['shape-pin', before[0] ?? 'shape-pin'] });
    expect(pin('addTags', add)).toEqual([]);
    // tagsAdded: only what was not there before (an existing tag is not "added" again).
    expect(add.body.tagsAdded).toEqual(['shape-pin']);
    const again = await h.post(`/contacts/${contactId}/tags`, { tags: ['shape-pin'] });
    expect(again.body.tagsAdded).toEqual([]);
    const rm = await h.del(`/contacts/${contactId}/tags`, { tags: ['shape-pin', 'never-there'] });
    expect(pin('removeTags', rm)).toEqual([]);
    expect(rm.body.tagsRemoved).toEqual(['shape-pin']);
  });

  it(`tasks: list, get, create, update, complete, delete — ${GHL_PINS.createTask.evidence}`, async () => {
    expect(pin('listTasks', await h.get(`/contacts/${contactId}/tasks`))).toEqual([]);
    const created = await h.post(`/contacts/${contactId}/tasks`, {
      title: 'Shape pin',
      dueDate: '2026-12-01T10:00:00Z',
      completed: false,
    });
    expect(pin('createTask', created)).toEqual([]);
    const t = created.body.task.id as string;
    expect(pin('getTask', await h.get(`/contacts/${contactId}/tasks/${t}`))).toEqual([]);
    expect(pin('updateTask', await h.put(`/contacts/${contactId}/tasks/${t}`, { title: 'Shape pin 2' }))).toEqual([]);
    expect(
      pin('completeTask', await h.put(`/contacts/${contactId}/tasks/${t}/completed`, { completed: true })),
    ).toEqual([]);
    expect(pin('deleteTask', await h.del(`/contacts/${contactId}/tasks/${t}`))).toEqual([]);
  });

  it(`searchTasks — ${GHL_PINS.searchTasks.evidence}`, async () => {
    const res = await h.post(`/locations/${h.loc}/tasks/search`, { limit: 5, skip: 0 });
    expect(res.body.tasks.length).toBeGreaterThan(0);
    expect(pin('searchTasks', res)).toEqual([]);
  });

  it(`notes: list, get, create, update, delete — ${GHL_PINS.createNote.evidence}`, async () => {
    expect(pin('listNotes', await h.get(`/contacts/${contactId}/notes`))).toEqual([]);
    const created = await h.post(`/contacts/${contactId}/notes`, { body: 'Shape pin note' });
    expect(pin('createNote', created)).toEqual([]);
    expect(created.body.note).toMatchObject({
      body: 'Shape pin note',
      bodyText: 'Shape pin note',
      userId: null,
      pinned: false,
      relations: [],
    });
    const n = created.body.note.id as string;
    expect(pin('getNote', await h.get(`/contacts/${contactId}/notes/${n}`))).toEqual([]);
    expect(pin('updateNote', await h.put(`/contacts/${contactId}/notes/${n}`, { body: 'Shape pin note 2' }))).toEqual(
      [],
    );
    expect(pin('deleteNote', await h.del(`/contacts/${contactId}/notes/${n}`))).toEqual([]);
  });

  it(`listAppointments — ${GHL_PINS.listAppointments.evidence}`, async () => {
    // The seed gives every 11th person an appointment.
    let res = await h.get(`/contacts/${contactId}/appointments`);
    for (const c of h.sb.admin.listContacts()) {
      if (res.body.events.length > 0) break;
      res = await h.get(`/contacts/${c.id}/appointments`);
    }
    expect(res.body.events.length).toBeGreaterThan(0);
    expect(pin('listAppointments', res)).toEqual([]);
  });

  it(`listCustomFields — ${GHL_PINS.listCustomFields.evidence}`, async () => {
    expect(pin('listCustomFields', await h.get(`/locations/${h.loc}/customFields`))).toEqual([]);
  });

  it('every pin was exercised', () => {
    expect([...results.keys()].sort()).toEqual(Object.keys(GHL_PINS).sort());
  });
});
