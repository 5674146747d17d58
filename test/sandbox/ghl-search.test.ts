/**
 * GHL sandbox — POST /contacts/search: body validation (422/400), item shape, sorting, searchAfter and
 * page paging (10,000 cap), filters and groups, full-text query, total, and the search-index lag.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GhlContactView } from '../../main/sandbox/ghl/index.js';
import { type Harness, startHarness } from './fixtures/ghl/harness.js';
import { expectResponsesMatchSpec } from './fixtures/ghl/spec-check.js';

let h: Harness;
let lag: Harness;
const LAG = 5_000;

beforeAll(async () => {
  [h, lag] = await Promise.all([startHarness({ contacts: 400 }), startHarness({ searchLagMs: LAG })]);
});
afterAll(async () => {
  await Promise.all([h.close(), lag.close()]);
});

type Item = Record<string, any> & { id: string; searchAfter: [number, string] };

/** Every contact via searchAfter, following FACTS' pattern; bounded loop. */
async function scanAll(
  x: Harness,
  body: Record<string, unknown>,
  pageLimit = 50,
): Promise<{ items: Item[]; pages: number; totals: number[] }> {
  const items: Item[] = [];
  const totals: number[] = [];
  let searchAfter: unknown;
  let pages = 0;
  for (; pages < 1000; pages++) {
    const res = await x.search({ ...body, pageLimit, ...(searchAfter ? { searchAfter } : {}) });
    expect(res.status).toBe(200);
    totals.push(res.body.total);
    if (res.body.contacts.length === 0) break;
    items.push(...res.body.contacts);
    searchAfter = res.body.contacts.at(-1).searchAfter;
  }
  return { items, pages, totals };
}

const ids = (xs: Array<{ id: string }>) => xs.map((x) => x.id).sort();
const all = (): GhlContactView[] => h.sb.admin.listContacts();
/** Expected result of a filter, computed independently from the admin view. */
const expectIds = async (filters: unknown[], pred: (c: GhlContactView) => boolean) => {
  const got = await scanAll(h, { filters });
  expect(ids(got.items)).toEqual(ids(all().filter(pred)));
  expect(got.totals[0]).toBe(all().filter(pred).length);
  return got.items;
};

describe('validation', () => {
  it('needs locationId and pageLimit (422), pageLimit at most 500', async () => {
    const a = await h.post('/contacts/search', { locationId: h.loc });
    expect(a.status).toBe(422);
    expect(a.body).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity' });
    expect(a.body.message.join(' ')).toContain('pageLimit');
    const b = await h.post('/contacts/search', { pageLimit: 10 });
    expect(b.status).toBe(422);
    expect(b.body.message).toContain('locationId should not be empty');
    const c = await h.post('/contacts/search', { locationId: h.loc, pageLimit: 501 });
    expect(c.status).toBe(422);
    expect(c.body.message).toContain('pageLimit must not be greater than 500');
    expect((await h.post('/contacts/search', { locationId: h.loc, pageLimit: 500 })).status).toBe(200);
  });

  it('answers an unknown filter field with 400 "Invalid field <x>" (also nested additional_phones)', async () => {
    const a = await h.search({ filters: [{ field: 'favouriteColour', operator: 'eq', value: 'red' }] });
    expect(a.status).toBe(400);
    expect(a.body).toMatchObject({ statusCode: 400, message: 'Invalid field favouriteColour', error: 'Bad Request' });
    const b = await h.search({
      filters: [
        {
          group: 'OR',
          filters: [
            { field: 'phone', operator: 'eq', value: '+61400000000' },
            { field: 'additional_phones', operator: 'nested', value: [] },
          ],
        },
      ],
    });
    expect(b.status).toBe(400);
    expect(b.body.message).toBe('Invalid field additional_phones');
  });

  it('refuses page with searchAfter, pages past the first 10,000, unknown sort fields, long values, other locations', async () => {
    expect((await h.search({ page: 2, searchAfter: [1, 'x'] })).status).toBe(400);
    expect((await h.search({ page: 20, pageLimit: 500 })).status).toBe(200);
    const past = await h.search({ page: 21, pageLimit: 500 });
    expect(past.status).toBe(400);
    expect(past.body.message).toContain('10000');
    expect((await h.search({ page: 101, pageLimit: 100 })).status).toBe(400);
    expect((await h.search({ sort: [{ field: 'firstName', direction: 'asc' }] })).status).toBe(400);
    expect((await h.search({ sort: [{ field: 'dateUpdated', direction: 'up' }] })).status).toBe(400);
    expect((await h.search({ filters: [{ field: 'email', operator: 'eq', value: 'x'.repeat(76) }] })).status).toBe(422);
    expect((await h.search({ query: 'q'.repeat(76) })).status).toBe(422);
    expect((await h.search({ filters: [{ field: 'email', operator: 'between', value: 'x' }] })).status).toBe(400);
    expect((await h.search({ locationId: h.creds.otherLocationId })).status).toBe(403);
  });
});

describe('results', () => {
  it('items have the search shape: address (not address1), contactName, searchAfter [epoch ms, id]; total and traceId', async () => {
    const res = await h.search({ pageLimit: 20, sort: [{ field: 'dateUpdated', direction: 'asc' }] });
    expect(res.body.total).toBe(all().length);
    expect(res.body.traceId).toEqual(expect.any(String));
    const withAddress = res.body.contacts.find((c: Item) => c.businessId);
    const ref = h.sb.admin.getContact(withAddress.id)!;
    expect(withAddress.address).toBe(ref.address1);
    expect(withAddress).not.toHaveProperty('address1');
    for (const c of res.body.contacts as Item[]) {
      expect(c.searchAfter).toEqual([Date.parse(c.dateUpdated), c.id]);
      if (c.firstName) expect(c.contactName).toBe(`${c.firstName} ${c.lastName ?? ''}`.trim().toLowerCase());
      expect(c.additionalEmails).toEqual([]);
    }
  });

  it('dateUpdated asc + searchAfter reads every contact exactly once, in order, and ends on an empty page', async () => {
    const { items, totals } = await scanAll(h, { sort: [{ field: 'dateUpdated', direction: 'asc' }] }, 37);
    expect(ids(items)).toEqual(ids(all()));
    for (let i = 1; i < items.length; i++) {
      const [pv, pid] = items[i - 1]!.searchAfter;
      const [v, id] = items[i]!.searchAfter;
      expect(pv < v || (pv === v && pid < id)).toBe(true);
    }
    expect(new Set(totals)).toEqual(new Set([all().length]));
  });

  it('desc order and dateAdded sort page the same way', async () => {
    const desc = await scanAll(h, { sort: [{ field: 'dateUpdated', direction: 'desc' }] }, 61);
    expect(desc.items.map((c) => c.id)).toEqual(
      [...all()]
        .sort((a, b) => Date.parse(b.dateUpdated) - Date.parse(a.dateUpdated) || (a.id < b.id ? 1 : -1))
        .map((c) => c.id),
    );
    const added = await scanAll(h, { sort: [{ field: 'dateAdded', direction: 'asc' }] }, 61);
    expect(added.items[0]!.searchAfter[0]).toBe(Math.min(...all().map((c) => Date.parse(c.dateAdded))));
    expect(ids(added.items)).toEqual(ids(all()));
  });

  it('page mode returns the same slices as the sorted order', async () => {
    const sort = [{ field: 'dateUpdated', direction: 'asc' }];
    const { items } = await scanAll(h, { sort }, 100);
    const p2 = await h.search({ sort, page: 2, pageLimit: 25 });
    expect(p2.body.contacts.map((c: Item) => c.id)).toEqual(items.slice(25, 50).map((c) => c.id));
  });
});

describe('filters', () => {
  it('eq on email is case-insensitive; eq on phone accepts the national format', async () => {
    const c = all().find((x) => x.email && x.phone)!;
    await expectIds(
      [{ field: 'email', operator: 'eq', value: String(c.email).toUpperCase() }],
      (x) => String(x.email).toLowerCase() === String(c.email).toLowerCase(),
    );
    await expectIds(
      [{ field: 'phone', operator: 'eq', value: '0' + String(c.phone).slice(3) }],
      (x) => x.phone === c.phone,
    );
  });

  it('tags: eq, not_eq, contains; exists / not_exists on email', async () => {
    await expectIds([{ field: 'tags', operator: 'eq', value: 'vip' }], (x) => x.tags.includes('vip'));
    await expectIds([{ field: 'tags', operator: 'not_eq', value: 'vip' }], (x) => !x.tags.includes('vip'));
    await expectIds([{ field: 'tags', operator: 'contains', value: 'plan' }], (x) =>
      x.tags.some((t) => t.includes('plan')),
    );
    await expectIds([{ field: 'email', operator: 'exists' }], (x) => !!x.email);
    await expectIds([{ field: 'email', operator: 'not_exists' }], (x) => !x.email);
  });

  it('businessId, companyName contains, firstName eq, lastName not_contains, id eq', async () => {
    const b = all().find((x) => x.businessId)!;
    await expectIds(
      [{ field: 'businessId', operator: 'eq', value: b.businessId }],
      (x) => x.businessId === b.businessId,
    );
    const word = String(b.companyName).split(/\W+/)[0]!.toLowerCase();
    await expectIds([{ field: 'companyName', operator: 'contains', value: word }], (x) =>
      String(x.companyName ?? '')
        .toLowerCase()
        .includes(word),
    );
    await expectIds(
      [{ field: 'firstName', operator: 'eq', value: String(b.firstName).toLowerCase() }],
      (x) => String(x.firstName).toLowerCase() === String(b.firstName).toLowerCase(),
    );
    await expectIds(
      [{ field: 'lastName', operator: 'not_contains', value: 'a' }],
      (x) =>
        !String(x.lastName ?? '')
          .toLowerCase()
          .includes('a'),
    );
    await expectIds([{ field: 'id', operator: 'eq', value: b.id }], (x) => x.id === b.id);
  });

  it('range on dateUpdated (ISO or epoch) and dateAdded', async () => {
    const sorted = all()
      .map((c) => Date.parse(c.dateUpdated))
      .sort((a, b) => a - b);
    const mid = sorted[Math.floor(sorted.length / 2)]!;
    await expectIds(
      [{ field: 'dateUpdated', operator: 'range', value: { gt: new Date(mid).toISOString() } }],
      (x) => Date.parse(x.dateUpdated) > mid,
    );
    await expectIds(
      [{ field: 'dateUpdated', operator: 'range', value: { gte: mid - 86_400_000, lte: mid } }],
      (x) => Date.parse(x.dateUpdated) >= mid - 86_400_000 && Date.parse(x.dateUpdated) <= mid,
    );
    const addedMid = Date.parse(all()[10]!.dateAdded);
    await expectIds(
      [{ field: 'dateAdded', operator: 'range', value: { lt: addedMid } }],
      (x) => Date.parse(x.dateAdded) < addedMid,
    );
  });

  it('AND by default, OR and nested groups', async () => {
    await expectIds(
      [
        { field: 'email', operator: 'exists' },
        { field: 'tags', operator: 'eq', value: 'residential' },
      ],
      (x) => !!x.email && x.tags.includes('residential'),
    );
    await expectIds(
      [
        {
          group: 'OR',
          filters: [
            { field: 'tags', operator: 'eq', value: 'vip' },
            {
              group: 'AND',
              filters: [
                { field: 'phone', operator: 'not_exists' },
                { field: 'email', operator: 'exists' },
              ],
            },
          ],
        },
      ],
      (x) => x.tags.includes('vip') || (!x.phone && !!x.email),
    );
  });

  it('query matches name, email, company or phone digits', async () => {
    const c = all().find((x) => String(x.lastName ?? '').length > 4)!;
    const needle = String(c.lastName).toLowerCase();
    const res = await h.search({ query: needle, pageLimit: 500 });
    expect(res.body.contacts.map((x: Item) => x.id)).toContain(c.id);
    expect(res.body.total).toBe(
      all().filter((x) =>
        [
          String(x.name ?? '').toLowerCase(),
          String(x.email ?? '').toLowerCase(),
          String(x.companyName ?? '').toLowerCase(),
        ].some((s) => s.includes(needle)),
      ).length,
    );
  });

  it('incremental pattern: dateUpdated > checkpoint returns exactly the contacts changed since', async () => {
    const checkpoint = h.clock.t;
    h.clock.advance(1_000);
    const a = h.sb.admin.updateContact(all()[3]!.id, { city: 'Warrnambool' });
    h.clock.advance(1_000);
    const b = (await h.put(`/contacts/${all()[7]!.id}`, { city: 'Horsham' })).body.contact;
    const res = await h.search({
      sort: [{ field: 'dateUpdated', direction: 'asc' }],
      filters: [{ field: 'dateUpdated', operator: 'range', value: { gt: checkpoint } }],
    });
    expect(res.body.contacts.map((x: Item) => x.id)).toEqual([a.id, b.id]);
    expect(res.body.total).toBe(2);
  });
});

describe('search index lag', () => {
  it('a created contact appears only after searchLagMs; lookups by id see it at once', async () => {
    const created = (
      await lag.post('/contacts/', { locationId: lag.loc, firstName: 'Laggy', email: 'laggy@example.com' })
    ).body.contact;
    const find = () => lag.search({ filters: [{ field: 'email', operator: 'eq', value: 'laggy@example.com' }] });
    expect((await find()).body.contacts).toEqual([]);
    expect((await lag.get(`/contacts/${created.id}`)).status).toBe(200);
    lag.clock.advance(LAG - 1);
    expect((await find()).body.total).toBe(0);
    lag.clock.advance(1);
    expect((await find()).body.contacts.map((c: Item) => c.id)).toEqual([created.id]);
  });

  it('an update shows the old values (and old dateUpdated) until the lag has passed; a delete lingers too', async () => {
    const c = lag.sb.admin.listContacts().find((x) => x.email)!;
    lag.clock.advance(10);
    await lag.put(`/contacts/${c.id}`, { city: 'Mildura' });
    const byId = () => lag.search({ filters: [{ field: 'id', operator: 'eq', value: c.id }] });
    const stale = (await byId()).body.contacts[0];
    expect(stale.city).toBe(c.city);
    expect(stale.dateUpdated).toBe(c.dateUpdated);
    lag.clock.advance(LAG);
    expect((await byId()).body.contacts[0].city).toBe('Mildura');
    await lag.del(`/contacts/${c.id}`);
    expect((await byId()).body.total).toBe(1);
    lag.clock.advance(LAG);
    expect((await byId()).body.total).toBe(0);
  });
});

it('every response in this file matches the official OpenAPI schemas (search: history-de87e88 SearchContactSuccessResponseDto)', () => {
  expectResponsesMatchSpec(h, lag);
});
