/**
 * The OpenAPI check itself: it rejects bodies that break the official schemas (so the per-file
 * "matches the official schemas" tests can fail), and each FACTS-over-spec exception is really needed —
 * the unpatched spec would reject what FACTS says the live API sends.
 */
import { describe, expect, it } from 'vitest';
import {
  FACTS_OVER_SPEC,
  RECORDED_NULLABLE,
  RECORDED_STATUS_200_FOR_201,
  SpecValidator,
  convertNullable,
} from './fixtures/ghl/openapi.js';
import { specValidator } from './fixtures/ghl/spec-check.js';

const v = specValidator();
const check = (method: string, path: string, status: number, body: unknown) =>
  v.check([{ method, path, status, body }]);

describe('OpenAPI validation of sandbox answers', () => {
  it('maps calls to the right operations (literal paths before templated ones)', () => {
    expect(v.operation('POST', '/contacts/search')?.template).toBe('/contacts/search');
    expect(v.operation('GET', '/contacts/search/duplicate')?.template).toBe('/contacts/search/duplicate');
    expect(v.operation('GET', '/contacts/abc123')?.template).toBe('/contacts/{contactId}');
    expect(v.operation('PUT', '/contacts/abc/tasks/t1/completed')?.template).toBe(
      '/contacts/{contactId}/tasks/{taskId}/completed',
    );
    expect(v.operation('POST', '/oauth/token')?.template).toBe('/oauth/token');
    expect(v.operation('GET', '/contacts/')?.template).toBe('/contacts/');
  });

  it('rejects wrong types in success and error bodies', () => {
    expect(check('GET', '/contacts/x', 200, { contact: { id: 'x', tags: 'vip' } }).failures).toHaveLength(1);
    expect(
      check('PUT', '/contacts/x', 422, {
        statusCode: 422,
        message: 'property x should not exist',
        error: 'Unprocessable Entity',
      }).failures,
    ).toHaveLength(1);
    expect(check('POST', '/contacts/x/tasks', 201, { task: { id: 't', completed: 'yes' } }).failures).toHaveLength(1);
    expect(check('POST', '/oauth/token', 200, { access_token: 'a' }).failures).toHaveLength(1); // userId is required
    expect(check('POST', '/contacts/search', 200, { contacts: [] }).failures).toHaveLength(1); // total is required
    expect(check('GET', '/contacts/x', 403, { statusCode: 403 }).failures).toHaveLength(1); // FACTS §9 shape: message required
  });

  it('accepts well-formed bodies, and nullable fields as null', () => {
    expect(
      check('GET', '/contacts/x', 200, {
        contact: { id: 'x', tags: ['vip'], dndSettings: { SMS: { status: 'active' } } },
      }).failures,
    ).toEqual([]);
    expect(convertNullable({ type: 'string', nullable: true })).toEqual({ type: ['string', 'null'] });
    expect(convertNullable({ $ref: '#/a', nullable: true })).toEqual({ anyOf: [{ $ref: '#/a' }, { type: 'null' }] });
  });

  it('FACTS over spec — each exception is listed, and the live shape passes only because of it', () => {
    expect(FACTS_OVER_SPEC.map((e) => `${e.doc}:${e.schema}.${e.property}`)).toEqual([
      'history:Contact.searchAfter',
      'history:Contact.additionalEmails',
      'history:Contact.additionalPhones',
      'history:Contact.dateOfBirth',
      'contacts:CustomFieldSchema.value',
      'history:CustomFieldSchema.value',
    ]);
    const live = (item: Record<string, unknown>) => ({ contacts: [{ id: 'c1', ...item }], total: 1 });
    const liveShapes: Array<Record<string, unknown>> = [
      { searchAfter: [1767225600000, 'c1'] },
      { additionalEmails: [{ email: 'b@x.co' }] },
      { additionalPhones: [{ phone: '+61400000000' }] },
      { dateOfBirth: 631152000000 },
      { customFields: [{ id: 'f', value: 42 }] },
    ];
    const strict = new SpecValidator({ exceptions: false });
    for (const item of liveShapes) {
      expect(check('POST', '/contacts/search', 200, live(item)).failures, JSON.stringify(item)).toEqual([]);
      expect(
        strict.check([{ method: 'POST', path: '/contacts/search', status: 200, body: live(item) }]).failures,
        JSON.stringify(item),
      ).toHaveLength(1);
    }
    expect(
      check('GET', '/contacts/x', 200, { contact: { id: 'x', customFields: [{ id: 'f', value: ['a', 'b'] }] } })
        .failures,
    ).toEqual([]);
    expect(
      strict.check([
        {
          method: 'GET',
          path: '/contacts/x',
          status: 200,
          body: { contact: { id: 'x', customFields: [{ id: 'f', value: ['a', 'b'] }] } },
        },
      ]).failures,
    ).toHaveLength(1);
  });

  it('recordings over spec — nulls in search items and notes, 200 for creates: needed, and only with the exception', () => {
    const strict = new SpecValidator({ exceptions: false });
    const item = { contacts: [{ id: 'c1', email: null, city: null, businessId: null, dateOfBirth: null }], total: 1 };
    expect(check('POST', '/contacts/search', 200, item).failures).toEqual([]);
    expect(strict.check([{ method: 'POST', path: '/contacts/search', status: 200, body: item }]).failures).toHaveLength(
      1,
    );
    expect(RECORDED_NULLABLE.some((e) => e.schema === 'GetNoteSchema' && e.property === 'userId')).toBe(true);
    const note = {
      note: {
        id: 'n',
        body: '<p>x</p>',
        bodyText: 'x',
        userId: null,
        contactId: 'c',
        dateAdded: '2026-07-17T10:27:18.167Z',
      },
    };
    expect(check('POST', '/contacts/c/notes', 200, note).failures).toEqual([]);
    expect(check('POST', '/contacts/c/notes', 200, { note: { id: 'n', pinned: 'no' } }).failures).toHaveLength(1); // the 201 schema applies to the 200
    expect(RECORDED_STATUS_200_FOR_201).toEqual([
      'POST /contacts/',
      'POST /contacts/{contactId}/tasks',
      'POST /contacts/{contactId}/notes',
      'POST /contacts/{contactId}/tags',
    ]);
  });
});
