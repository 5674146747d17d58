import { describe, expect, it } from 'vitest';
import {
  envelopes,
  normalizeAppointment,
  normalizeContact,
  normalizeNote,
  normalizeTask,
  rawAppointmentSchema,
  rawContactSchema,
  rawNoteSchema,
  rawTaskSchema,
  splitItems,
  toDateOnly,
  toIso,
} from '../../main/connectors/ghl/schemas.js';

/** Shapes as the FACTS describe them: GET-one (GetContectByIdSchema) and a search item. */
const getOne = {
  id: 'seD4PfOuKoVMLkEZqohJ',
  name: 'rubika deo',
  locationId: 've9EPM428h8vShlRW1KT',
  firstName: 'rubika',
  lastName: 'Deo',
  email: 'rubika@deos.com',
  emailLowerCase: 'rubika@deos.com',
  timezone: 'Asia/Calcutta',
  companyName: 'DGS VolMAX',
  phone: '+18832327657',
  dnd: true,
  type: 'read',
  source: 'public api',
  assignedTo: 've9EPM428h8vShlRW1KT',
  address1: '3535 1st St N',
  city: 'Dolomite',
  state: 'AL',
  country: 'US',
  postalCode: '35061',
  website: 'https://www.tesla.com',
  tags: ['nisi sint commodo amet', 'consequat'],
  dateOfBirth: '1990-09-25',
  dateAdded: '2021-07-02T05:18:26.704Z',
  dateUpdated: '2021-07-02T05:18:26.704Z',
  customFields: [{ id: 'MgobCB14YMVKuE4Ka8p1', value: 'name' }],
  businessId: '641c094001436dbc2081e642',
  additionalEmails: ['other@deos.com'],
};

const searchItem = {
  id: 'ocQHyuzHvysMo5N5VsXc',
  locationId: 'C2QujeCh8ZnC7al2InWR',
  firstName: 'Zoë',
  lastName: 'Müller',
  contactName: 'zoë müller',
  email: 'zoe@example.com',
  phone: '+61412345678',
  additionalEmails: [{ email: 'z2@example.com' }],
  additionalPhones: [{ phone: '+61399990000' }],
  address: '1 Main St',
  dateOfBirth: 655776000000,
  dateAdded: '2020-10-29T09:31:30.255Z',
  dateUpdated: '2024-05-01T00:00:00.000Z',
  tags: [],
  customFields: [],
  searchAfter: [1714521600000, 'ocQHyuzHvysMo5N5VsXc'],
};

describe('contact normalization', () => {
  it('reads the GET-one shape into the normalized record', () => {
    const c = normalizeContact(rawContactSchema.parse(getOne));
    expect(c).toMatchObject({
      id: 'seD4PfOuKoVMLkEZqohJ',
      name: 'rubika deo',
      email: 'rubika@deos.com',
      address1: '3535 1st St N',
      businessId: '641c094001436dbc2081e642',
      dateOfBirth: '1990-09-25',
      tags: ['nisi sint commodo amet', 'consequat'],
      customFields: [{ id: 'MgobCB14YMVKuE4Ka8p1', value: 'name' }],
      additionalEmails: ['other@deos.com'],
      dateUpdated: '2021-07-02T05:18:26.704Z',
    });
  });

  it('reads a search item the same way: address → address1, epoch birthday → date, object lists flattened', () => {
    const c = normalizeContact(rawContactSchema.parse(searchItem));
    expect(c.address1).toBe('1 Main St');
    expect(c.dateOfBirth).toBe('1990-10-13');
    expect(c.additionalEmails).toEqual(['z2@example.com']);
    expect(c.additionalPhones).toEqual(['+61399990000']);
    expect(c.firstName).toBe('Zoë');
    expect(c.name).toBeNull(); // contactName is a lower-case copy, not the name
  });

  it('fills every absent field with null / []', () => {
    const c = normalizeContact(rawContactSchema.parse({ id: 'x', email: null }));
    expect(c.email).toBeNull();
    expect(c.phone).toBeNull();
    expect(c.tags).toEqual([]);
    expect(c.customFields).toEqual([]);
    expect(Object.values(c).every((v) => v !== undefined)).toBe(true);
  });

  it('converts dates from epoch or ISO', () => {
    expect(toIso(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(toIso('1714521600000')).toBe('2024-05-01T00:00:00.000Z');
    expect(toIso('2024-05-01T10:00:00+10:00')).toBe('2024-05-01T00:00:00.000Z');
    expect(toIso(null)).toBeNull();
    expect(toDateOnly('1990-09-25T00:00:00.000Z')).toBe('1990-09-25');
  });
});

describe('lists keep good items and report bad ones', () => {
  it('a contact with a wrong-typed field is rejected alone, with its id and the reason', () => {
    const page = splitItems(
      [getOne, { id: 'bad1', email: 12345 }, 'garbage', searchItem],
      rawContactSchema,
      normalizeContact,
    );
    expect(page.items.map((c) => c.id)).toEqual(['seD4PfOuKoVMLkEZqohJ', 'ocQHyuzHvysMo5N5VsXc']);
    expect(page.rejected).toHaveLength(2);
    expect(page.rejected[0]).toMatchObject({ id: 'bad1', raw: { id: 'bad1', email: 12345 } });
    expect(page.rejected[0]?.reason).toMatch(/^email: /);
    expect(page.rejected[0]?.reason).not.toContain('12345');
    expect(page.rejected[1]?.id).toBeUndefined();
  });

  it('an item without an id is rejected', () => {
    const page = splitItems([{ email: 'a@b.c' }], rawContactSchema, normalizeContact);
    expect(page.items).toHaveLength(0);
    expect(page.rejected[0]?.reason).toMatch(/^id: /);
  });
});

describe('tasks and notes', () => {
  it('normalizes a task, taking contactId from the path when the item lacks it', () => {
    const t = normalizeTask(
      rawTaskSchema.parse({
        id: 't1',
        title: 'test',
        body: 'testing',
        dueDate: '2021-07-08T02:30:00.000Z',
        completed: true,
      }),
      'c1',
    );
    expect(t).toEqual({
      id: 't1',
      contactId: 'c1',
      title: 'test',
      body: 'testing',
      assignedTo: null,
      dueDate: '2021-07-08T02:30:00.000Z',
      completed: true,
    });
  });

  it('an appointment time beyond what a date can hold reads as absent instead of throwing', () => {
    const a = normalizeAppointment(
      rawAppointmentSchema.parse({ id: 'a1', contactId: 'c1', startTime: 1e20, endTime: 1_625_711_400_000 }),
    );
    expect(a.startTime).toBeNull();
    expect(a.endTime).toBe('2021-07-08T02:30:00.000Z');
  });

  it('normalizes a note', () => {
    const n = normalizeNote(
      rawNoteSchema.parse({ id: 'n1', body: 'lorem', contactId: 'c9', dateAdded: '2021-07-08T12:02:11.285Z' }),
      'c1',
    );
    expect(n).toEqual({
      id: 'n1',
      contactId: 'c9',
      body: 'lorem',
      bodyText: null,
      userId: null,
      title: null,
      color: null,
      pinned: false,
      dateAdded: '2021-07-08T12:02:11.285Z',
    });
  });

  it('keeps a formatted note\'s markup in body and its plain text in bodyText (main/sandbox/ghl/README.md "Notes and rich text")', () => {
    const n = normalizeNote(
      rawNoteSchema.parse({
        id: 'n2',
        body: '<p><strong>Gate</strong> code 4821</p>',
        bodyText: 'Gate code 4821',
        userId: null,
        relations: [],
      }),
      'c1',
    );
    expect(n).toMatchObject({
      body: '<p><strong>Gate</strong> code 4821</p>',
      bodyText: 'Gate code 4821',
      userId: null,
    });
  });
});

describe('envelopes', () => {
  it('a wrong envelope (the classic "200 with something else") fails validation', () => {
    const weird = { ok: true, data: 'unexpected', items: 'not-an-array' };
    expect(envelopes.search.safeParse(weird).success).toBe(false);
    expect(envelopes.contact.safeParse(weird).success).toBe(false);
    expect(envelopes.tasks.safeParse(weird).success).toBe(false);
    expect(envelopes.search.safeParse({ contacts: [], total: 0 }).success).toBe(true);
  });
});
