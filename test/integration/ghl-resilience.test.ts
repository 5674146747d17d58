/**
 * What the GHL client does when the service misbehaves, against the sandbox over real HTTP: injected server
 * errors, dropped connections, garbled and HTML bodies, 429 bursts, a spent daily budget, the 422-yet-created
 * quirk, and pacing under the real limits (time-scaled ×20 on both sides) with no 429 at all.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GhlClient, PrivateIntegrationAuth, type GhlClientOptions } from '../../main/connectors/ghl/index.js';
import { ConnectorError } from '../../main/connectors/shared/errors.js';
import type { FaultKind } from '../../main/sandbox/faults.js';
import { startGhlSandbox } from '../../main/sandbox/ghl/index.js';
import { generateWorld } from '../../main/sandbox/world.js';

type Sandbox = Awaited<ReturnType<typeof startGhlSandbox>>;
const SCALE = 20;
let sb: Sandbox;
let contactId: string;

beforeAll(async () => {
  sb = await startGhlSandbox({
    world: generateWorld({ seed: 21, contacts: 120 }),
    port: 0,
    rateLimits: SCALE,
    admin: true,
  });
  contactId = sb.admin.listContacts()[0]!.id;
});
afterAll(async () => sb?.close());
beforeEach(() => {
  sb.faults.clear();
  sb.resetStats();
});

function client(sandbox: Sandbox, extra: Partial<GhlClientOptions> = {}): GhlClient {
  return new GhlClient({
    baseUrl: sandbox.baseUrl,
    auth: new PrivateIntegrationAuth(sandbox.credentials.privateToken),
    locationId: sandbox.credentials.locationId,
    rateLimits: { timeScale: SCALE },
    baseDelayMs: 5,
    maxDelayMs: 50,
    ...extra,
  });
}

/** A fault on every request whose line contains `path`, for the next `times` matching requests only. */
function faultFor(
  path: string,
  kind: FaultKind,
  times: number,
): { onAttempt: NonNullable<GhlClientOptions['onAttempt']> } {
  sb.faults.set([{ system: 'ghl', path, rate: 1, kinds: [kind], seed: 1, latencyMs: 0, burst: 0 }]);
  let faulted = 0;
  return {
    onAttempt: (info) => {
      if (info.error && ++faulted >= times) sb.faults.clear();
    },
  };
}

const failure = async (p: Promise<unknown>): Promise<ConnectorError> => {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof ConnectorError)) throw new Error(`expected a ConnectorError, got ${String(e)}`);
  return e;
};

describe('reads are retried through transient faults', () => {
  for (const kind of ['5xx', 'reset', 'html', 'truncated', 'malformed'] as const) {
    it(`GET survives two ${kind} faults in a row`, async () => {
      const ghl = client(sb, faultFor(`GET /contacts/${contactId}`, kind, 2));
      expect((await ghl.getContact(contactId)).id).toBe(contactId);
      expect(sb.stats().faults[kind]).toBe(2);
      expect(ghl.budget().retries).toBe(2);
    });
  }

  it('the search (a POST marked idempotent) is retried after a dropped connection and a 500', async () => {
    const ghl = client(sb, faultFor('POST /contacts/search', '5xx', 1));
    expect((await ghl.searchContacts({ pageLimit: 5 })).items).toHaveLength(5);
    const ghl2 = client(sb, faultFor('POST /contacts/search', 'reset', 1));
    expect((await ghl2.searchContacts({ pageLimit: 5 })).items).toHaveLength(5);
    expect(sb.stats().byEndpoint['POST /contacts/search']).toBe(4);
  });

  it('a 429 burst is waited out (the stated interval), then the call succeeds', async () => {
    sb.faults.set([
      { system: 'ghl', path: `GET /contacts/${contactId}`, rate: 1, kinds: ['429'], seed: 1, latencyMs: 0, burst: 3 },
    ]);
    let n = 0;
    const ghl = client(sb, { onAttempt: () => ++n >= 3 && sb.faults.clear() });
    expect((await ghl.getContact(contactId)).id).toBe(contactId);
    expect(sb.stats().rateLimited).toBe(3);
    expect(ghl.budget().rateLimited).toBe(3);
  });
});

describe('typed errors when the fault persists', () => {
  const persistent = (kind: FaultKind): GhlClient => {
    sb.faults.set([
      { system: 'ghl', path: `GET /contacts/${contactId}`, rate: 1, kinds: [kind], seed: 1, latencyMs: 0, burst: 0 },
    ]);
    return client(sb, { maxAttempts: 2 });
  };

  it('a wrong-shaped body → malformed, saying the shape was unexpected', async () => {
    const e = await failure(persistent('malformed').getContact(contactId));
    expect(e.kind).toBe('malformed');
    expect(e.detail).toMatch(/unexpected answer shape/);
    expect(e.message).toMatch(/could not read/);
  });

  it('a cut-off body → malformed (unreadable)', async () => {
    const e = await failure(persistent('truncated').getContact(contactId));
    expect(e.kind).toBe('malformed');
    expect(e.detail).toMatch(/unreadable body/);
  });

  it('an HTML gateway page → server, naming the HTML page', async () => {
    const e = await failure(persistent('html').getContact(contactId));
    expect(e.kind).toBe('server');
    expect(e.status).toBe(502);
    expect(e.detail).toBe('an HTML page instead of data (HTTP 502)');
  });

  it('a dropped connection → network', async () => {
    const e = await failure(persistent('reset').getContact(contactId));
    expect(e.kind).toBe('network');
    expect(e.transient).toBe(true);
  });
});

describe('creates are never blindly resent', () => {
  it('a 500 on create is raised after one request', async () => {
    sb.faults.set([
      { system: 'ghl', path: 'POST /contacts/', rate: 1, kinds: ['5xx'], seed: 1, latencyMs: 0, burst: 0 },
    ]);
    const ghl = client(sb);
    const e = await failure(ghl.createContact({ firstName: 'Once' }));
    expect(e.kind).toBe('server');
    expect(sb.stats().byEndpoint['POST /contacts/']).toBe(1);
  });

  it('a dropped connection on create, on a task and on a note is raised after one request each', async () => {
    sb.faults.set([
      { system: 'ghl', path: 'POST /contacts/', rate: 1, kinds: ['reset'], seed: 1, latencyMs: 0, burst: 0 },
    ]);
    const ghl = client(sb);
    expect((await failure(ghl.createContact({ firstName: 'Once' }))).kind).toBe('network');
    expect((await failure(ghl.tasks.create(contactId, { title: 'T', dueDate: '2026-12-01T00:00:00Z' }))).kind).toBe(
      'network',
    );
    expect((await failure(ghl.notes.create(contactId, { body: 'N' }))).kind).toBe('network');
    expect(sb.stats().requests).toBe(3);
  });

  it('a 429 on create is resent (GHL refused it unprocessed)', async () => {
    sb.faults.set([
      { system: 'ghl', path: 'POST /contacts/', rate: 1, kinds: ['429'], seed: 1, latencyMs: 0, burst: 1 },
    ]);
    const ghl = client(sb, { onAttempt: () => sb.faults.clear() });
    const c = await ghl.createContact({ firstName: 'After429', email: `after429-${Date.now()}@example.com` });
    expect(sb.admin.getContact(c.id)?.firstName).toBe('After429');
    expect(sb.stats().byEndpoint['POST /contacts/']).toBe(2);
  });
});

describe('quirks and budgets (separate sandboxes)', () => {
  it('422 yet created: raised as rejected after one request; the contact can then be found', async () => {
    const q = await startGhlSandbox({
      world: generateWorld({ seed: 22, contacts: 20 }),
      port: 0,
      rateLimits: 'off',
      admin: true,
      quirk422CreateRate: 1,
      notFoundStatus: 404,
    });
    try {
      const ghl = client(q);
      const email = `quirk-${Date.now()}@example.com`;
      const e = await failure(ghl.createContact({ firstName: 'Quirk', email }));
      expect(e.kind).toBe('rejected');
      expect(e.status).toBe(422);
      expect(q.stats().byEndpoint['POST /contacts/']).toBe(1);
      // what the engine's outbox does next: look the record up instead of creating a twin
      expect((await ghl.findDuplicate({ email }))?.firstName).toBe('Quirk');
      // and this sandbox answers unknown ids with 404 (the v3 way): still not_found
      expect((await failure(ghl.getContact('NoSuchContactId00000'))).kind).toBe('not_found');
    } finally {
      await q.close();
    }
  });

  it('a spent daily budget → quota_exhausted with the reset time, and no more requests until then', async () => {
    // The sandbox's day is fixed (UTC-aligned, scaled): start its clock just after a day begins, so the reset is
    // an hour away whatever the wall clock says (a reset under 2 minutes away would rightly be waited out).
    const scaledDay = 86_400_000 / SCALE;
    const offset = Math.ceil(Date.now() / scaledDay) * scaledDay + 1000 - Date.now();
    const q = await startGhlSandbox({
      world: generateWorld({ seed: 23, contacts: 20 }),
      port: 0,
      rateLimits: SCALE,
      admin: true,
      limits: { daily: 5 },
      now: () => Date.now() + offset,
    });
    try {
      const ghl = client(q);
      const id = q.admin.listContacts()[0]!.id;
      for (let i = 0; i < 5; i++) await ghl.getContact(id);
      const budget = ghl.budget();
      expect(budget.serverDailyRemaining).toBe(0);
      expect(budget.serverDailyLimit).toBe(5);
      expect(budget.pacer.blockedUntil).toBeDefined();
      const e = await failure(ghl.getContact(id));
      expect(e.kind).toBe('quota_exhausted');
      expect(e.retryAfterMs).toBeGreaterThan(0);
      expect(e.message).toMatch(/daily request allowance is used up/);
      expect(q.stats().requests).toBe(5); // refused before sending: the pacer knew
      // a second client without that knowledge gets GHL's 429 and maps it the same way
      const fresh = client(q);
      expect((await failure(fresh.getContact(id))).kind).toBe('quota_exhausted');
      expect(q.stats().rateLimited).toBe(1);
    } finally {
      await q.close();
    }
  });
});

describe('pacing under the real limits', () => {
  it('300 concurrent reads at 100 per (10 s ÷ 20): all succeed, not one 429', async () => {
    // a sandbox of its own, so no earlier test's requests sit in the server's window unknown to this pacer
    const scaledDay = 86_400_000 / SCALE;
    const offset = Math.ceil(Date.now() / scaledDay) * scaledDay + 1000 - Date.now(); // no daily rollover mid-test
    const fresh = await startGhlSandbox({
      world: generateWorld({ seed: 24, contacts: 60 }),
      port: 0,
      rateLimits: SCALE,
      admin: true,
      now: () => Date.now() + offset,
    });
    try {
      const ghl = client(fresh);
      const ids = fresh.admin.listContacts().map((c) => c.id);
      const results = await Promise.all(Array.from({ length: 300 }, (_, i) => ghl.getContact(ids[i % ids.length]!)));
      expect(results).toHaveLength(300);
      expect(fresh.stats().rateLimited).toBe(0);
      expect(fresh.stats().requests).toBe(300);
      expect(ghl.budget().rateLimited).toBe(0);
      expect(ghl.budget().serverDailyRemaining).toBe(200_000 - 300);
    } finally {
      await fresh.close();
    }
  });
});
