/**
 * GHL sandbox — search filters seen in live use beyond the documented list (main/sandbox/ghl/README.md "Search"):
 * `customFields.<id>` (eq / exists) and the DND filters `dndSettings.<channel>.status`, `inboundDndSettings.all.status`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './fixtures/ghl/harness.js';
import { expectResponsesMatchSpec } from './fixtures/ghl/spec-check.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const ids = (res: { body: { contacts: Array<{ id: string }> } }) => res.body.contacts.map((c) => c.id).sort();

describe('live search filters', () => {
  it('customFields.<id>: exists finds the contacts with a value, eq the one with that value', async () => {
    const field = h.creds.linkedinFieldId;
    const withUrl = h.sb.admin
      .listContacts()
      .filter((c) => (c.customFields as Array<{ id: string }>).some((f) => f.id === field));
    expect(withUrl.length).toBeGreaterThan(1);
    const exists = await h.search({
      pageLimit: 500,
      filters: [{ field: `customFields.${field}`, operator: 'exists' }],
    });
    expect(exists.status).toBe(200);
    expect(ids(exists)).toEqual(withUrl.map((c) => c.id).sort());
    const one = withUrl[0]!;
    const value = (one.customFields as Array<{ id: string; value: string }>).find((f) => f.id === field)!.value;
    const eq = await h.search({ filters: [{ field: `customFields.${field}`, operator: 'eq', value }] });
    expect(ids(eq)).toEqual([one.id]);
    expect(
      (await h.search({ filters: [{ field: `customFields.${field}`, operator: 'range', value: { gt: 1 } }] })).status,
    ).toBe(400);
  });

  it('dndSettings.<channel>.status and inboundDndSettings.all.status', async () => {
    const [a, b] = h.sb.admin.listContacts();
    h.sb.admin.updateContact(a!.id, { dndSettings: { SMS: { status: 'active' } } });
    h.sb.admin.updateContact(b!.id, { inboundDndSettings: { all: { status: 'active' } } });
    expect(
      ids(await h.search({ filters: [{ field: 'dndSettings.SMS.status', operator: 'eq', value: 'active' }] })),
    ).toEqual([a!.id]);
    expect(
      ids(await h.search({ filters: [{ field: 'inboundDndSettings.all.status', operator: 'eq', value: 'active' }] })),
    ).toEqual([b!.id]);
    expect(
      (await h.search({ filters: [{ field: 'dndSettings.Pigeon.status', operator: 'eq', value: 'active' }] })).status,
    ).toBe(400);
  });

  it('every response in this file matches the official OpenAPI schemas', () => {
    expectResponsesMatchSpec(h);
  });
});
