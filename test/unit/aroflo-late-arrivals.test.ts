import { describe, expect, it } from 'vitest';
import { Pacer } from '../../main/connectors/shared/pacer.js';
import { ArofloTransport } from '../../main/connectors/aroflo/transport.js';

/** Simulated time: sleeps resolve in time order as the loop advances the clock. No real waiting. */
class FakeClock {
  t = 0;
  private timers: Array<{ at: number; resolve: () => void }> = [];
  now = (): number => this.t;
  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => this.timers.push({ at: this.t + Math.max(0, ms), resolve }));
  async runUntil(done: () => boolean): Promise<void> {
    for (let i = 0; i < 200_000 && !done(); i++) {
      await new Promise((r) => setImmediate(r));
      if (!this.timers.length) continue;
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers.shift()!;
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
    if (!done()) throw new Error('simulation did not finish');
  }
}

function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a * 1664525 + 1013904223) >>> 0;
    return a / 2 ** 32;
  };
}

/**
 * Requests that reach the server a random delay after they leave us; AroFlo counts them on arrival.
 * `aroflo`: the pacer exactly as ArofloTransport configures it (real limits, answers reported back as HttpClient
 * does); otherwise a plain Pacer over the same windows that counts from the grant only.
 */
async function simulate(aroflo: boolean, count: number, seed: number) {
  const clock = new FakeClock();
  const pacer = aroflo
    ? new ArofloTransport({
        baseUrl: 'http://127.0.0.1:9/',
        credentials: { uEncoded: 'u', pEncoded: 'p', orgEncoded: 'o', secretKey: 's' },
        now: clock.now,
        sleep: clock.sleep,
      }).pacer
    : new Pacer({
        now: clock.now,
        sleep: clock.sleep,
        windows: [
          { name: 'second', max: 3, windowMs: 1000 },
          { name: 'minute', max: 120, windowMs: 60_000 },
        ],
      });
  const random = rng(seed);
  const arrivals: number[] = [];
  let finished = 0;
  const one = async () => {
    await pacer.acquire();
    // A few requests are very late (a new connection, a pause), most are quick.
    const delay = random() < 0.1 ? 150 + random() * 250 : random() * 20;
    await clock.sleep(delay);
    arrivals.push(clock.now());
    await clock.sleep(5 + random() * 30); // the server works, the answer travels back
    pacer.attemptDone(0);
    finished++;
  };
  for (let i = 0; i < count; i++) void one();
  await clock.runUntil(() => finished === count);
  arrivals.sort((a, b) => a - b);
  const over = (w: number, max: number) =>
    arrivals.filter((a) => arrivals.filter((x) => x > a - w && x <= a).length > max).length;
  return { overSecond: over(1000, 3), overMinute: over(60_000, 120), elapsed: clock.t };
}

describe("AroFlo pacing: no request can arrive over AroFlo's sliding windows, however late the earlier ones arrive", () => {
  it('counting from the grant only, late arrivals trip the per-second window (the problem)', async () => {
    const r = await simulate(false, 200, 7);
    expect(r.overSecond).toBeGreaterThan(0);
  });

  it("the AroFlo transport's pacer: zero arrivals over 3/s or 120/min, within 10% of the grant-only pace", async () => {
    for (const seed of [1, 2, 3]) {
      const r = await simulate(true, 300, seed);
      expect(r.overSecond).toBe(0);
      expect(r.overMinute).toBe(0);
      // Counting from the grant only (which does trip the window) finishes 300 requests in ~140 s of simulated
      // time; counting until the answer may cost a little more, within 10%.
      const unguarded = await simulate(false, 300, seed);
      expect(r.elapsed).toBeLessThan(unguarded.elapsed * 1.1);
    }
  });
});
