import { describe, expect, it } from 'vitest';
import { contactBody } from '../../main/connectors/ghl/contact-input.js';
import { advance, itemCursor, parseCheckpoint, searchBody, startCursor } from '../../main/connectors/ghl/search.js';
import { ConnectorError } from '../../main/connectors/shared/errors.js';

const thrown = (f: () => unknown): ConnectorError => {
  try {
    f();
  } catch (e) {
    if (e instanceof ConnectorError) return e;
    throw e;
  }
  throw new Error('expected a ConnectorError');
};

describe('contact write bodies follow the whitelist', () => {
  it('create sends locationId, tags and custom fields in the write format', () => {
    const body = contactBody(
      'create',
      {
        firstName: 'Zoë',
        email: 'z@x.com',
        tags: ['vip'],
        customFields: [{ id: 'cf1', value: 'https://linkedin.com/in/z' }],
      },
      'loc1',
    );
    expect(body).toEqual({
      firstName: 'Zoë',
      email: 'z@x.com',
      tags: ['vip'],
      customFields: [{ id: 'cf1', field_value: 'https://linkedin.com/in/z' }],
      locationId: 'loc1',
    });
  });

  it('update keeps null (clears a value), drops undefined, never adds locationId', () => {
    expect(
      contactBody('update', { phone: null, city: undefined, companyName: 'Acme', type: 'customer' }, 'loc1'),
    ).toEqual({ phone: null, companyName: 'Acme', type: 'customer' });
  });

  it('a null for a field whose DTO is not nullable is sent as "" on update and left out on create/upsert', () => {
    expect(contactBody('update', { postalCode: null, country: null, city: null })).toEqual({
      postalCode: '',
      country: '',
      city: null,
    });
    expect(contactBody('create', { postalCode: null, source: null, email: null }, 'l')).toEqual({
      email: null,
      locationId: 'l',
    });
    expect(contactBody('upsert', { country: null, assignedTo: null, phone: '+61400000000' }, 'l')).toEqual({
      phone: '+61400000000',
      locationId: 'l',
    });
  });

  it('update refuses tags (they would replace every tag) before anything is sent', () => {
    const e = thrown(() => contactBody('update', { tags: ['a'] } as never));
    expect(e.kind).toBe('rejected');
    expect(e.message).toMatch(/"tags".*addTags\/removeTags/);
  });

  it('update refuses properties GHL rejects (gender, locationId, id, lower-case copies, additionalEmails)', () => {
    for (const key of ['gender', 'locationId', 'id', 'emailLowerCase', 'additionalEmails', 'nonsense']) {
      expect(thrown(() => contactBody('update', { [key]: 'x' })).kind).toBe('rejected');
    }
  });

  it('upsert refuses tags and gender (silently lost on an existing contact)', () => {
    expect(thrown(() => contactBody('upsert', { tags: ['a'] })).detail).toContain('tags');
    expect(thrown(() => contactBody('upsert', { gender: 'male' })).detail).toContain('gender');
    expect(contactBody('upsert', { email: 'a@b.c' }, 'loc1')).toEqual({ email: 'a@b.c', locationId: 'loc1' });
  });

  it('a custom field needs an id or a key; a key alone is sent as key', () => {
    expect(contactBody('update', { customFields: [{ key: 'contact.linkedin', value: 'x' }] })).toEqual({
      customFields: [{ key: 'contact.linkedin', field_value: 'x' }],
    });
    expect(thrown(() => contactBody('update', { customFields: [{ value: 'x' }] })).kind).toBe('rejected');
  });
});

describe('search bodies', () => {
  it('builds locationId, pageLimit, filters, sort and cursor', () => {
    const body = searchBody('loc1', {
      pageLimit: 50,
      filter: { businessId: 'b1', tag: 'vip', email: 'a@b.c', dateUpdated: { gte: '2026-01-01T00:00:00Z' } },
      sort: [{ field: 'dateUpdated', direction: 'asc' }],
      searchAfter: [1700000000000, 'abc'],
    });
    expect(body).toEqual({
      locationId: 'loc1',
      pageLimit: 50,
      filters: [
        { field: 'businessId', operator: 'eq', value: 'b1' },
        { field: 'tags', operator: 'eq', value: 'vip' },
        { field: 'email', operator: 'eq', value: 'a@b.c' },
        { field: 'dateUpdated', operator: 'range', value: { gte: '2026-01-01T00:00:00Z' } },
      ],
      sort: [{ field: 'dateUpdated', direction: 'asc' }],
      searchAfter: [1700000000000, 'abc'],
    });
  });

  it('refuses what GHL refuses: pageLimit > 500, page with searchAfter, past 10,000, text > 75 chars', () => {
    expect(thrown(() => searchBody('l', { pageLimit: 501 })).kind).toBe('config');
    expect(thrown(() => searchBody('l', { page: 2, searchAfter: [1, 'a'] })).kind).toBe('config');
    expect(thrown(() => searchBody('l', { page: 21, pageLimit: 500 })).detail).toMatch(/searchAfter/);
    expect(thrown(() => searchBody('l', { query: 'x'.repeat(76) })).kind).toBe('config');
    expect(thrown(() => searchBody('l', { filter: { email: 'x'.repeat(76) } })).kind).toBe('config');
    expect(searchBody('l', { page: 20, pageLimit: 500 })).toMatchObject({ page: 20 });
  });
});

describe('change-feed cursor', () => {
  it('a resumed scan starts overlapMs before the checkpoint, taking every id at that instant', () => {
    expect(startCursor(undefined, 5000)).toBeUndefined();
    expect(startCursor({ v: 1, dateUpdatedMs: 1_700_000_010_000, id: 'z' }, 5000)).toEqual([1_700_000_005_000, '']);
  });

  it("reads an item's cursor from searchAfter, else from dateUpdated + id", () => {
    expect(itemCursor({ id: 'a', searchAfter: [5, 'a'] })).toEqual([5, 'a']);
    expect(itemCursor({ id: 'a', dateUpdated: '1970-01-01T00:00:00.007Z' })).toEqual([7, 'a']);
    expect(itemCursor({ id: 'a' })).toBeUndefined();
    expect(itemCursor(null)).toBeUndefined();
  });

  it('the checkpoint only moves forward (re-reading the overlap does not rewind it)', () => {
    const cp = advance(undefined, [100, 'b']);
    expect(cp).toEqual({ v: 1, dateUpdatedMs: 100, id: 'b' });
    expect(advance(cp, [90, 'z'])).toEqual(cp);
    expect(advance(cp, [100, 'a'])).toEqual(cp);
    expect(advance(cp, [100, 'c'])).toEqual({ v: 1, dateUpdatedMs: 100, id: 'c' });
    expect(advance(cp, ['150', 'a'])).toEqual({ v: 1, dateUpdatedMs: 150, id: 'a' });
  });

  it('a stored checkpoint round-trips through JSON; junk is ignored', () => {
    const cp = { v: 1 as const, dateUpdatedMs: 123, id: 'x' };
    expect(parseCheckpoint(JSON.parse(JSON.stringify(cp)))).toEqual(cp);
    expect(parseCheckpoint({ v: 2, dateUpdatedMs: 1, id: 'x' })).toBeUndefined();
    expect(parseCheckpoint('nope')).toBeUndefined();
  });
});
