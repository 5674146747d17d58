/**
 * GHL sandbox — POST /locations/{locationId}/tasks/search (main/sandbox/ghl/README.md "Location task search"):
 * skip/limit paging over the whole location, the body filters of the official spec, the scope
 * `locations/tasks.readonly`, the location binding, the guard's order of checks, and that an edit made in HighLevel
 * shows in the next search.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_SEARCH } from '../../main/sandbox/ghl/routes-tasks.js';
import { type Harness, startHarness } from './fixtures/ghl/harness.js';
import { oauthTokens } from './fixtures/ghl/oauth.js';

let h: Harness;
let limited: Harness;

beforeAll(async () => {
  [h, limited] = await Promise.all([
    startHarness({ contacts: 1000 }),
    startHarness({ contacts: 30, rateLimits: 'real' }),
  ]);
});
afterAll(async () => {
  await Promise.all([h.close(), limited.close()]);
});

type Item = {
  id: string;
  contactId: string;
  title: string;
  body?: string;
  completed: boolean;
  dueDate: string;
  assignedTo?: string;
  dateAdded: string;
};
const search = (
  x: Harness,
  body: Record<string, unknown> | undefined,
  o: { token?: string | null; loc?: string } = {},
) =>
  x.post<{ tasks: Item[]; traceId: string; message?: unknown }>(
    `/locations/${o.loc ?? x.loc}/tasks/search`,
    body,
    o.token === undefined ? {} : { token: o.token },
  );

/** Every task of the location as the per-contact admin view sees it. */
const allTasks = (x: Harness) => x.sb.admin.listContacts().flatMap((c) => x.sb.admin.listTasks(c.id));

async function readAll(
  x: Harness,
  body: Record<string, unknown>,
  limit: number,
): Promise<{ items: Item[]; calls: number }> {
  const items: Item[] = [];
  let calls = 0;
  for (let skip = 0; ; skip += limit) {
    const res = await search(x, { ...body, limit, skip });
    calls++;
    expect(res.status).toBe(200);
    items.push(...res.body.tasks);
    if (res.body.tasks.length < limit) break;
  }
  return { items, calls };
}

describe('paging with skip / limit', () => {
  it('pages through every task of the location exactly once, in one stable order', async () => {
    const expected = allTasks(h);
    expect(expected.length).toBeGreaterThan(2 * TASK_SEARCH.maxLimit);
    const { items, calls } = await readAll(h, {}, 40);
    expect(calls).toBe(Math.floor(expected.length / 40) + 1);
    expect(new Set(items.map((t) => t.id)).size).toBe(items.length);
    expect(items.map((t) => t.id).sort()).toEqual(expected.map((t) => t.id).sort());
    // Each item is the per-contact task (with its contactId) plus dateAdded.
    const byId = new Map(expected.map((t) => [t.id, t]));
    for (const t of items) expect(t).toEqual({ ...byId.get(t.id), dateAdded: expect.stringMatching(/Z$/) });
    // Sorted by due date, then id; a bigger page gives the same sequence.
    const keys = items.map((t) => `${t.dueDate} ${t.id}`);
    expect(keys).toEqual([...keys].sort());
    expect((await readAll(h, {}, TASK_SEARCH.maxLimit)).items.map((t) => t.id)).toEqual(items.map((t) => t.id));
  });

  it('answers 25 tasks without a limit (the spec default), and an empty list past the end', async () => {
    expect((await search(h, {})).body.tasks).toHaveLength(25);
    expect((await search(h, undefined)).body.tasks).toHaveLength(25);
    const past = await search(h, { skip: allTasks(h).length, limit: 10 });
    expect(past.status).toBe(200);
    expect(past.body.tasks).toEqual([]);
  });

  it(`refuses a limit above ${TASK_SEARCH.maxLimit} or below 1, a negative skip, and wrong types with 422 (all messages at once)`, async () => {
    const over = await search(h, { limit: TASK_SEARCH.maxLimit + 1 });
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: [`limit must not be greater than ${TASK_SEARCH.maxLimit}`],
    });
    expect((await search(h, { limit: 0 })).body.message).toEqual(['limit must not be less than 1']);
    const bad = await search(h, { skip: -1, contactId: 'abc', completed: 'yes', sort: 'dueDate' });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toEqual(
      expect.arrayContaining([
        'property sort should not exist',
        'contactId must be an array',
        'completed must be a boolean value',
        'skip must not be less than 0',
      ]),
    );
  });
});

describe('filters', () => {
  it('contactId: the tasks of exactly those contacts (many ids in one call); unknown ids find nothing', async () => {
    const withTasks = h.sb.admin
      .listContacts()
      .filter((c) => h.sb.admin.listTasks(c.id).length > 0)
      .slice(0, 30);
    const ids = withTasks.map((c) => c.id);
    const expected = ids.flatMap((id) => h.sb.admin.listTasks(id).map((t) => t.id));
    const { items } = await readAll(h, { contactId: [...ids, 'nobodyXXXXXXXXXXXXXX'] }, TASK_SEARCH.maxLimit);
    expect(items.map((t) => t.id).sort()).toEqual(expected.sort());
    expect(new Set(items.map((t) => t.contactId))).toEqual(new Set(ids));
    const tooMany = await search(h, {
      contactId: Array.from({ length: TASK_SEARCH.maxContactIds + 1 }, (_, i) => `c${i}`),
    });
    expect(tooMany.status).toBe(422);
  });

  it('completed, assignedTo, query and businessId narrow the list', async () => {
    const all = allTasks(h);
    const open = await readAll(h, { completed: false }, TASK_SEARCH.maxLimit);
    expect(open.items.map((t) => t.id).sort()).toEqual(
      all
        .filter((t) => !t.completed)
        .map((t) => t.id)
        .sort(),
    );
    expect(open.items.length).toBeGreaterThan(0);
    expect(open.items.length).toBeLessThan(all.length);

    const c = h.sb.admin.listContacts()[3]!;
    const mine = h.sb.admin.createTask(c.id, {
      title: 'Quote the Kowalski bathroom',
      dueDate: '2026-12-01',
      assignedTo: 'user0000000000000001',
    });
    expect((await search(h, { assignedTo: ['user0000000000000001'] })).body.tasks.map((t) => t.id)).toEqual([mine.id]);
    expect((await search(h, { query: 'kowalski BATH' })).body.tasks.map((t) => t.id)).toEqual([mine.id]);

    const biz = h.sb.admin
      .listContacts()
      .find((x) => typeof x.businessId === 'string' && h.sb.admin.listTasks(x.id).length > 0)!;
    const bizContacts = new Set(
      h.sb.admin
        .listContacts()
        .filter((x) => x.businessId === biz.businessId)
        .map((x) => x.id),
    );
    const { items } = await readAll(h, { businessId: biz.businessId }, TASK_SEARCH.maxLimit);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((t) => bizContacts.has(t.contactId))).toBe(true);
    expect(items.length).toBe([...bizContacts].reduce((n, id) => n + h.sb.admin.listTasks(id).length, 0));
  });

  it('never shows the tasks of another location', async () => {
    const other = h.sb.admin.createContact({ firstName: 'Other', lastName: 'Place' }, h.creds.otherLocationId);
    const t = h.sb.admin.createTask(other.id, { title: 'Not yours', dueDate: '2026-12-02' });
    const { items } = await readAll(h, { query: 'Not yours' }, TASK_SEARCH.maxLimit);
    expect(items).toEqual([]);
    expect((await search(h, { contactId: [other.id] })).body.tasks).toEqual([]);
    h.sb.admin.deleteTask(other.id, t.id);
  });
});

describe('a task edited in HighLevel', () => {
  it('appears edited (title, completion) and deleted tasks disappear, in the very next search', async () => {
    const c = h.sb.admin.listContacts().find((x) => h.sb.admin.listTasks(x.id).some((t) => !t.completed))!;
    const task = h.sb.admin.listTasks(c.id).find((t) => !t.completed)!;
    h.sb.admin.updateTask(c.id, task.id, { title: 'Renamed in HighLevel' });
    h.sb.admin.completeTask(c.id, task.id);
    const after = (await search(h, { contactId: [c.id], limit: TASK_SEARCH.maxLimit })).body.tasks.find(
      (t) => t.id === task.id,
    );
    expect(after).toMatchObject({ title: 'Renamed in HighLevel', completed: true, contactId: c.id });
    expect(
      (await search(h, { contactId: [c.id], completed: false, limit: TASK_SEARCH.maxLimit })).body.tasks.map(
        (t) => t.id,
      ),
    ).not.toContain(task.id);
    h.sb.admin.deleteTask(c.id, task.id);
    expect(
      (await search(h, { contactId: [c.id], limit: TASK_SEARCH.maxLimit })).body.tasks.map((t) => t.id),
    ).not.toContain(task.id);
  });
});

describe('who may search', () => {
  it('needs locations/tasks.readonly: a token with only the contact scopes gets 401 "not authorized for this scope"', async () => {
    const without = await oauthTokens(h, { scope: 'contacts.readonly contacts.write locations/customFields.readonly' });
    const refused = await search(h, { limit: 1 }, { token: without.access_token });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ statusCode: 401, message: 'The token is not authorized for this scope.' });
    const withScope = await oauthTokens(h, { scope: 'contacts.readonly locations/tasks.readonly' });
    expect((await search(h, { limit: 1 }, { token: withScope.access_token })).status).toBe(200);
    // The Private Integration token carries the scope.
    expect((await search(h, { limit: 1 })).status).toBe(200);
  });

  it('401 without a token, 403 for another location, and the scope is checked before the body (401 beats 422)', async () => {
    expect((await search(h, {}, { token: null })).status).toBe(401);
    const other = await search(h, {}, { loc: h.creds.otherLocationId });
    expect(other.status).toBe(403);
    const without = await oauthTokens(h, { scope: 'contacts.readonly' });
    expect((await search(h, { limit: 'lots' }, { token: without.access_token })).status).toBe(401);
    expect((await search(h, { limit: 'lots' }, { loc: h.creds.otherLocationId })).status).toBe(422);
  });

  it('counts against the location rate limit and sends the X-RateLimit-* headers, like every API route', async () => {
    const res = await search(limited, { limit: 5 });
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('x-ratelimit-max'))).toBe(100);
    const remaining = Number(res.headers.get('x-ratelimit-remaining'));
    const next = await search(limited, { limit: 5 });
    expect(Number(next.headers.get('x-ratelimit-remaining'))).toBe(remaining - 1);
    expect(limited.sb.stats().byEndpoint['POST /locations/:locationId/tasks/search']).toBe(2);
  });
});
