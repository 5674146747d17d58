import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientFor, sandbox, type Sandbox } from './aroflo-helpers.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await sandbox({ contacts: 60, seed: 5, rateLimits: 20 });
});
afterAll(() => sb?.close());
beforeEach(() => sb.resetStats());

describe('AroFlo pacing under real limits (time-scaled x20: 3 per 50 ms, 120 per 3 s)', () => {
  it('125 concurrent calls, counted and free, get through without a single 429 / status 6', async () => {
    const c = clientFor(sb, 20);
    await c.testConnection(); // open the connection first: the very first requests are the slowest to arrive
    sb.resetStats();
    const calls = Array.from({ length: 125 }, (_, i) =>
      i % 4 === 0 ? c.changedSince('tasks', '2026-10-01T00:00:00Z') : c.listTasks({ linkProcessed: i % 2 === 0 }),
    );
    const results = await Promise.all(calls);
    expect(results).toHaveLength(125);
    expect(sb.stats().requests).toBe(125);
    expect(sb.stats().rateLimited).toBe(0);
    const b = c.budget();
    expect(b.requests.rateLimited).toBe(0);
    expect(b.requests.retries).toBe(0);
    expect(b.requests.free).toBe(32);
    expect(b.daily.used).toBe(b.requests.counted);
    expect(b.daily.serverRemaining).toBe(b.daily.remaining);
  });

  it('ten concurrent lookups of the task types cost one call', async () => {
    const c = clientFor(sb, 20);
    const all = await Promise.all(Array.from({ length: 10 }, () => c.listTaskTypes()));
    expect(new Set(all.map((r) => r.items.length))).toEqual(new Set([sb.credentials.taskTypes.length]));
    expect(sb.stats().byEndpoint['GET tasktypes']).toBeLessThanOrEqual(2); // 2 when the site refuses the where and it is read again
  });
});
