/**
 * The GHL connector's location task search (main/connectors/ghl/README.md "Location task search") against the GHL
 * sandbox over real HTTP: paging through more than 1,000 tasks, the tasks of many contacts in batched calls, items of
 * an unexpected shape reported as rejected, and a token without `locations/tasks.readonly` recognised as such.
 */
import got from 'got';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GHL_TASK_SEARCH,
  GhlClient,
  PrivateIntegrationAuth,
  type GhlAuth,
  type GhlTask,
} from '../../main/connectors/ghl/index.js';
import { ConnectorError } from '../../main/connectors/shared/errors.js';
import { startGhlSandbox } from '../../main/sandbox/ghl/index.js';
import { generateWorld } from '../../main/sandbox/world.js';
import { consentForm } from '../support/consent-page.js';

type Sandbox = Awaited<ReturnType<typeof startGhlSandbox>>;
const SEARCH = 'POST /locations/:locationId/tasks/search';
const world = generateWorld({ seed: 23, contacts: 400 });
let sb: Sandbox;
let ghl: GhlClient;

beforeAll(async () => {
  sb = await startGhlSandbox({ world, port: 0, rateLimits: 'real', admin: true });
  // More than 1,000 tasks in the location: the seeded ones plus four more on each of the first 300 contacts.
  const contacts = sb.admin.listContacts().slice(0, 300);
  contacts.forEach((c, i) => {
    for (let k = 0; k < 4; k++)
      sb.admin.createTask(c.id, {
        title: `Follow-up ${i}.${k}`,
        dueDate: `2026-12-${String((i % 28) + 1).padStart(2, '0')}`,
        completed: k === 3,
      });
  });
  ghl = new GhlClient({
    baseUrl: sb.baseUrl,
    auth: new PrivateIntegrationAuth(sb.credentials.privateToken),
    locationId: sb.credentials.locationId,
  });
});
afterAll(async () => sb?.close());

const searches = (): number => sb.stats().byEndpoint[SEARCH] ?? 0;
const allTasks = (): GhlTask[] =>
  sb.admin.listContacts().flatMap((c) => sb.admin.listTasks(c.id).map((t) => ({ body: null, assignedTo: null, ...t })));

async function readAll(
  o: Parameters<GhlClient['scanTasks']>[0],
): Promise<{ items: GhlTask[]; rejected: number; calls: number }> {
  const before = searches();
  const items: GhlTask[] = [];
  let rejected = 0;
  for await (const page of ghl.scanTasks(o)) {
    items.push(...page.items);
    rejected += page.rejected.length;
  }
  return { items, rejected, calls: searches() - before };
}

describe('location task search', () => {
  it('pages through every task of the location (1,000+) in pages of 100: each task once, as the per-contact read shows it', async () => {
    const expected = allTasks();
    expect(expected.length).toBeGreaterThan(1000);
    const { items, rejected, calls } = await readAll({});
    expect(rejected).toBe(0);
    expect(calls).toBe(Math.floor(expected.length / GHL_TASK_SEARCH.maxLimit) + 1);
    expect(new Set(items.map((t) => t.id)).size).toBe(items.length);
    const byId = new Map(items.map((t) => [t.id, t]));
    for (const t of expected) {
      expect(byId.get(t.id), t.id).toMatchObject({
        id: t.id,
        contactId: t.contactId,
        title: t.title,
        completed: t.completed,
        dueDate: t.dueDate,
      });
    }
    // The same tasks read the old way: one GET /contacts/{id}/tasks per contact.
    const perContact = await ghl.tasks.list(expected[0]!.contactId);
    for (const t of perContact.items) expect(byId.get(t.id)).toEqual(t);
  });

  it('reads the tasks of 250 contacts in batches of at most 100 ids a call, and only theirs', async () => {
    const ids = sb.admin
      .listContacts()
      .slice(50, 300)
      .map((c) => c.id);
    const wanted = new Set(ids);
    const expected = allTasks().filter((t) => wanted.has(t.contactId));
    const { items, calls } = await readAll({ contactIds: [...ids, ...ids.slice(0, 10)] });
    expect(items.map((t) => t.id).sort()).toEqual(expected.map((t) => t.id).sort());
    // 3 batches (100 + 100 + 50 ids); each batch pages on its own, so the count is the pages each batch needs.
    const pagesFor = (n: number): number => Math.floor(n / GHL_TASK_SEARCH.maxLimit) + 1;
    const batchSizes = [ids.slice(0, 100), ids.slice(100, 200), ids.slice(200)].map(
      (b) => expected.filter((t) => b.includes(t.contactId)).length,
    );
    expect(calls).toBe(batchSizes.reduce((n, k) => n + pagesFor(k), 0));
    expect(calls).toBeLessThan(ids.length / 10);
  });

  it('open tasks only (completed: false), and an empty contact list sends nothing', async () => {
    const open = await readAll({ completed: false });
    expect(open.items.map((t) => t.id).sort()).toEqual(
      allTasks()
        .filter((t) => !t.completed)
        .map((t) => t.id)
        .sort(),
    );
    expect(open.items.every((t) => !t.completed)).toBe(true);
    const none = await readAll({ contactIds: [] });
    expect(none).toEqual({ items: [], rejected: 0, calls: 0 });
  });

  it('sees a task edited or completed in HighLevel on the next read, without any change to its contact', async () => {
    const c = sb.admin.listContacts()[7]!;
    const t = sb.admin.listTasks(c.id).find((x) => !x.completed)!;
    const updatedBefore = sb.admin.getContact(c.id)!.dateUpdated;
    sb.admin.updateTask(c.id, t.id, { title: 'Edited in HighLevel' });
    sb.admin.completeTask(c.id, t.id);
    expect(sb.admin.getContact(c.id)!.dateUpdated).toBe(updatedBefore);
    const page = await ghl.searchTasks({ contactIds: [c.id], limit: 100, skip: 0 });
    expect(page.items.find((x) => x.id === t.id)).toMatchObject({ title: 'Edited in HighLevel', completed: true });
  });

  it('refuses a limit or contact list it would not send (config), before any call', async () => {
    const before = searches();
    await expect(ghl.searchTasks({ limit: GHL_TASK_SEARCH.maxLimit + 1, skip: 0 })).rejects.toMatchObject({
      kind: 'config',
    });
    await expect(ghl.searchTasks({ limit: 10, skip: 0, contactIds: [] })).rejects.toMatchObject({ kind: 'config' });
    expect(searches()).toBe(before);
  });
});

describe('items of another shape', () => {
  it('reports items without a contactId as rejected (with their id), the rest of the page still read', async () => {
    const drift = await startGhlSandbox({
      world: generateWorld({ seed: 23, contacts: 60 }),
      port: 0,
      rateLimits: 'off',
      renameKeys: { contactId: 'contact_id' },
    });
    try {
      const client = new GhlClient({
        baseUrl: drift.baseUrl,
        auth: new PrivateIntegrationAuth(drift.credentials.privateToken),
        locationId: drift.credentials.locationId,
      });
      const page = await client.searchTasks({ limit: 100, skip: 0 });
      expect(page.received).toBeGreaterThan(0);
      expect(page.items).toEqual([]);
      expect(page.rejected).toHaveLength(page.received);
      expect(page.rejected[0]).toMatchObject({ id: expect.any(String), reason: expect.stringContaining('contactId') });
    } finally {
      await drift.close();
    }
  });
});

/** An OAuth access token with these scopes, got the way a browser would (consent page, then the code exchange). */
async function oauthToken(scope: string): Promise<string> {
  const o = sb.credentials.oauth;
  const url = `${o.authorizeUrl}?response_type=code&client_id=${o.clientId}&redirect_uri=${encodeURIComponent(o.redirectUri)}&scope=${encodeURIComponent(scope)}`;
  const page = await got(url);
  const { action, fields } = consentForm(page.body);
  const res = await got.post(new URL(action, url).toString(), {
    form: { ...fields, locationId: sb.credentials.locationId, decision: 'allow' },
    followRedirect: false,
  });
  const code = new URL(res.headers.location!).searchParams.get('code')!;
  const tokens = await got
    .post(`${sb.baseUrl}/oauth/token`, {
      form: {
        client_id: o.clientId,
        client_secret: o.clientSecret,
        grant_type: 'authorization_code',
        code,
        redirect_uri: o.redirectUri,
      },
    })
    .json<{ access_token: string }>();
  return tokens.access_token;
}

const staticOAuth = (token: string, scopes: string[]): GhlAuth => ({
  kind: 'oauth',
  accessToken: async () => token,
  handleUnauthorized: async () => false,
  grantedScopes: () => scopes,
});

describe('a token without locations/tasks.readonly', () => {
  it('gets a scope error from the task search, and the connection check reports the missing optional scope (still ok)', async () => {
    const scopes = ['contacts.readonly', 'contacts.write', 'locations/customFields.readonly'];
    const client = new GhlClient({
      baseUrl: sb.baseUrl,
      auth: staticOAuth(await oauthToken(scopes.join(' ')), scopes),
      locationId: sb.credentials.locationId,
    });
    const err = await client.searchTasks({ limit: 1, skip: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ kind: 'scope', status: 401, operation: 'POST /locations/{id}/tasks/search' });
    const info = await client.testConnection();
    expect(info).toMatchObject({
      ok: true,
      missingScopes: [],
      missingOptionalScopes: ['locations/tasks.readonly'],
      taskSearch: false,
    });
    // Tasks can still be read per contact with contacts.readonly.
    const c = sb.admin.listContacts().find((x) => sb.admin.listTasks(x.id).length > 0)!;
    expect((await client.tasks.list(c.id)).items.length).toBeGreaterThan(0);
  });

  it('a token with it: the connection check says the task search may be used', async () => {
    const info = await ghl.testConnection();
    expect(info).toMatchObject({ ok: true, missingScopes: [], missingOptionalScopes: [], taskSearch: true });
  });
});
