/**
 * AroFlo's "3 requests per second" may be counted in sliding or in fixed clock windows (the docs leave it open;
 * main/sandbox/aroflo/README.md "Rate windows"). The connector paces for the strictest reading, so it is refused
 * under neither: 90 concurrent calls against a time-scaled sandbox (x20: 3 per 50 ms, 120 per 3 s) of each reading.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArofloSandbox } from '../../main/sandbox/aroflo/index.js';
import type { RateWindowReading } from '../../main/sandbox/aroflo/types.js';
import { generateWorld } from '../../main/sandbox/world.js';
import { clientFor, type Sandbox } from './aroflo-helpers.js';

const start = (rateWindow: RateWindowReading): Promise<Sandbox> =>
  startArofloSandbox({
    world: generateWorld({ seed: 5, contacts: 40 }),
    port: 0,
    rateLimits: 20,
    admin: true,
    rateWindow,
  });

describe('AroFlo pacing under both readings of the rate windows', () => {
  const boxes: Partial<Record<RateWindowReading, Sandbox>> = {};
  beforeAll(async () => {
    [boxes.sliding, boxes.fixed] = await Promise.all([start('sliding'), start('fixed')]);
  });
  afterAll(() => Promise.all(Object.values(boxes).map((b) => b!.close())));

  for (const reading of ['sliding', 'fixed'] as const) {
    it(`${reading}: 90 concurrent calls, not one 429 / status 6`, async () => {
      const sb = boxes[reading]!;
      const c = clientFor(sb, 20);
      await c.testConnection();
      sb.resetStats();
      const results = await Promise.all(
        Array.from({ length: 90 }, (_, i) =>
          i % 3 === 0 ? c.changedSince('tasks', '2026-10-01T00:00:00Z') : c.listTasks({ linkProcessed: i % 2 === 0 }),
        ),
      );
      expect(results).toHaveLength(90);
      expect(sb.stats().requests).toBe(90);
      expect(sb.stats().rateLimited).toBe(0);
      expect(c.budget().requests.retries).toBe(0);
    }, 60_000);
  }
});
