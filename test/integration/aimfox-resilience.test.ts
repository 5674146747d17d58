/**
 * Pacing and failure handling against the Aimfox sandbox over real HTTP: no 429 at the documented limit
 * (time-scaled), 429 bursts and server errors retried on reads, writes never blindly resent.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AimfoxClient, type AimfoxClientOptions, type AudienceBatchError } from '../../main/connectors/aimfox/index.js';
import { isConnectorError } from '../../main/connectors/shared/errors.js';
import { startAimfoxSandbox, type AimfoxAdmin, type AimfoxCredentials } from '../../main/sandbox/aimfox/index.js';
import type { SandboxHandle } from '../../main/sandbox/types.js';
import { generateWorld } from '../../main/sandbox/world.js';

/** 60 requests per 2 s instead of per minute: the real limit, 30x faster. */
const SCALE = 30;
const WINDOW_MS = 60_000 / SCALE;
let sb: SandboxHandle<AimfoxCredentials, AimfoxAdmin>;

function client(extra: Partial<AimfoxClientOptions> = {}): AimfoxClient {
  return new AimfoxClient({
    baseUrl: sb.baseUrl,
    apiKey: sb.credentials.apiKey,
    limits: { windowMs: WINDOW_MS },
    baseDelayMs: 20,
    ...extra,
  });
}

/**
 * Make the sandbox fail matching requests with `kind` until `times` attempts have failed, then recover.
 * Returns the onAttempt hook that counts and clears.
 */
function failTimes(
  kind: string,
  path: string,
  times: number,
  extra = '',
): { onAttempt: AimfoxClientOptions['onAttempt']; failed: () => number } {
  let failed = 0;
  sb.faults.set(`system=aimfox,path=${path},rate=1,kinds=${kind}${extra}`);
  return {
    onAttempt: (info) => {
      if (info.error && ++failed >= times) sb.faults.clear();
    },
    failed: () => failed,
  };
}

beforeAll(async () => {
  sb = await startAimfoxSandbox({
    world: generateWorld({ seed: 5, contacts: 120 }),
    port: 0,
    rateLimits: SCALE,
    admin: true,
  });
});
afterAll(async () => {
  await sb?.close();
});
beforeEach(async () => {
  sb.faults.clear();
  sb.reset();
});

describe('pacing at the documented limit (60 requests / window, time-scaled x30)', () => {
  it('150 concurrent reads all succeed with no 429', async () => {
    const c = client();
    const campaignId = sb.credentials.campaignId;
    const leadId = sb.admin.listLeads()[0]!.id;
    const calls: Array<() => Promise<unknown>> = [
      () => c.listLabels(),
      () => c.getCampaign(campaignId),
      () => c.getAudience(campaignId),
      () => c.listNotes(leadId),
    ];
    let next = 0;
    let done = 0;
    const worker = async (): Promise<void> => {
      while (next < 150) {
        const i = next++;
        await (calls[i % calls.length] as () => Promise<unknown>)();
        done++;
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(done).toBe(150);
    expect(sb.stats().rateLimited).toBe(0);
    expect(sb.stats().requests).toBe(150);
    const budget = c.budget();
    expect(budget.rateLimited).toBe(0);
    expect(budget.requests).toBe(150);
    expect(budget.minuteRemaining).toBeLessThan(60);
  });

  it('control: a client told a limit far above the real one does get 429s from the same sandbox', async () => {
    const c = client({ limits: { requests: 10_000, windowMs: WINDOW_MS }, maxAttempts: 1 });
    const results = await Promise.allSettled(Array.from({ length: 90 }, () => c.listLabels()));
    const limited = results.filter(
      (r) => r.status === 'rejected' && isConnectorError(r.reason) && r.reason.kind === 'rate_limited',
    );
    expect(limited.length).toBeGreaterThan(0);
    expect(sb.stats().rateLimited).toBe(limited.length);
  });
});

describe('failures on reads are retried', () => {
  it('a burst of three 429s: the read still succeeds, the 429s are counted in the budget', async () => {
    const f = failTimes('429', 'GET /api/v2/labels', 3);
    const c = client({ onAttempt: f.onAttempt });
    const labels = await c.listLabels();
    expect(labels.items.length).toBeGreaterThan(0);
    expect(f.failed()).toBe(3);
    expect(sb.stats().byEndpoint['GET /labels']).toBe(4);
    expect(c.budget().rateLimited).toBe(3);
  });

  it('two server errors (HTTP 500) on a read: retried and succeeds', async () => {
    const c0 = client();
    await c0.testConnection(); // the key has worked: a 500 now is a server problem, not a master key
    const lead = sb.admin.listLeads()[3]!;
    const f = failTimes('5xx', `GET /api/v2/leads/${lead.id}`, 2);
    const c = client({ onAttempt: f.onAttempt });
    expect((await c.getLead(lead.id)).id).toBe(lead.id);
    expect(sb.stats().byEndpoint['GET /leads/:lead_id']).toBe(3);
  });

  it('an HTML gateway page and a cut-off body on a read: retried and succeeds', async () => {
    const html = failTimes('html', 'GET /api/v2/campaigns', 1);
    const c = client({ onAttempt: html.onAttempt });
    expect((await c.listCampaigns()).items.length).toBeGreaterThan(0);
    const cut = failTimes('truncated', 'GET /api/v2/campaigns', 1);
    const c2 = client({ onAttempt: cut.onAttempt });
    expect((await c2.listCampaigns()).items.length).toBeGreaterThan(0);
    expect(html.failed() + cut.failed()).toBe(2);
  });

  it('a read that hangs past the timeout is retried', async () => {
    const f = failTimes('latency', 'GET /api/v2/accounts', 1, ',latency=1500');
    const c = client({ onAttempt: f.onAttempt, timeoutMs: 300 });
    const r = await c.listAccounts();
    expect(r.items.length).toBeGreaterThan(0);
    expect(f.failed()).toBe(1);
  });

  it('a key that worked and then meets persistent 500s reports a server problem, not a master key', async () => {
    const c = client({ maxAttempts: 2 });
    await c.listLabels();
    sb.faults.set('system=aimfox,path=GET /api/v2/labels,rate=1,kinds=5xx');
    await expect(c.listLabels()).rejects.toMatchObject({ kind: 'server' });
  });
});

describe('writes are not blindly resent', () => {
  it('a server error on creating a note is raised after one attempt (a resend could post it twice)', async () => {
    const c = client();
    await c.testConnection();
    const lead = sb.admin.listLeads()[4]!;
    const before = sb.admin.getLead(lead.id)!.notes.length;
    sb.faults.set(`system=aimfox,path=POST /api/v2/leads/${lead.id}/notes,rate=1,kinds=5xx`);
    await expect(c.createNote(lead.id, 'Should not be doubled')).rejects.toMatchObject({ kind: 'server' });
    expect(sb.stats().byEndpoint['POST /leads/:lead_id/notes']).toBe(1);
    sb.faults.clear();
    expect(sb.admin.getLead(lead.id)!.notes.length).toBe(before);
  });

  it('a 429 on creating a note is retried (Aimfox did not process it): exactly one note', async () => {
    const lead = sb.admin.listLeads()[5]!;
    const before = sb.admin.getLead(lead.id)!.notes.length;
    const f = failTimes('429', `POST /api/v2/leads/${lead.id}/notes`, 1);
    const c = client({ onAttempt: f.onAttempt });
    await c.createNote(lead.id, 'Exactly once');
    expect(sb.admin.getLead(lead.id)!.notes.filter((n) => n.text === 'Exactly once')).toHaveLength(1);
    expect(sb.admin.getLead(lead.id)!.notes.length).toBe(before + 1);
  });

  it("a bulk add whose second request fails raises, keeping the first request's outcomes", async () => {
    sb.admin.setProfile('first-chunk-1', { exists: true });
    sb.admin.setProfile('second-chunk-2', { exists: true });
    await client().testConnection();
    const c = client({
      bulkChunkSize: 1,
      onAttempt: (info) => {
        if (info.operation.endsWith('/multiple') && !info.error)
          sb.faults.set('system=aimfox,path=/audience/multiple,rate=1,kinds=5xx');
      },
    });
    const error = await c
      .addManyToAudience(sb.credentials.campaignId, [
        'https://www.linkedin.com/in/first-chunk-1/',
        'https://www.linkedin.com/in/second-chunk-2/',
      ])
      .then(
        () => undefined,
        (e: unknown) => e as AudienceBatchError,
      );
    expect(error?.kind).toBe('server');
    expect(error?.partial).toEqual([
      {
        outcome: 'added',
        profileUrl: 'https://www.linkedin.com/in/first-chunk-1/',
        publicIdentifier: 'first-chunk-1',
        entry: expect.objectContaining({ state: 'init' }),
      },
    ]);
    expect(sb.stats().byEndpoint['POST /campaigns/:campaign_id/audience/multiple']).toBe(2);
  });

  it('a revoked key mid-sync: signed_out, not retried', async () => {
    const c = client();
    await c.listLabels();
    sb.faults.set('system=aimfox,path=GET /api/v2/labels,rate=1,kinds=revoke');
    await expect(c.listLabels()).rejects.toMatchObject({ kind: 'signed_out' });
    expect(sb.stats().byEndpoint['GET /labels']).toBe(2);
  });
});
