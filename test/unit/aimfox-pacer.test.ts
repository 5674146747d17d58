/**
 * The Aimfox pacing configuration (createAimfoxPacer) against a simulated sliding-window server (60 per 60 s,
 * counted on arrival), in fake time. Each request arrives somewhere between its grant and its answer; the server
 * must never see 61 in a window.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createAimfoxPacer } from '../../main/connectors/aimfox/transport.js';
import { Pacer } from '../../main/connectors/shared/pacer.js';

const MAX = 60;
const WINDOW = 60_000;

class FakeTime {
  t = 0;
  private timers: Array<{ at: number; resolve: () => void }> = [];
  now = (): number => this.t;
  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => this.timers.push({ at: this.t + Math.max(0, ms), resolve }));
  /** Run until `done()` or no timer is left: fire the earliest timer after letting pending work settle. */
  async run(done: () => boolean): Promise<void> {
    for (let i = 0; i < 1_000_000; i++) {
      await new Promise((r) => setImmediate(r));
      if (done()) return;
      if (!this.timers.length) return;
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers.shift()!;
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
    throw new Error('simulation did not finish');
  }
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The most arrivals the server saw in any window (sliding, counted at arrival). */
function worstWindow(arrivals: number[]): number {
  const a = [...arrivals].sort((x, y) => x - y);
  let worst = 0;
  let lo = 0;
  for (let hi = 0; hi < a.length; hi++) {
    while ((a[lo] as number) <= (a[hi] as number) - WINDOW) lo++;
    worst = Math.max(worst, hi - lo + 1);
  }
  return worst;
}

async function simulate(
  make: (time: FakeTime) => Pacer,
  opts: { seed: number; requests: number; workers: number; maxLatencyMs: number },
): Promise<{ arrivals: number[]; endedAt: number }> {
  const time = new FakeTime();
  const pacer = make(time);
  const random = rng(opts.seed);
  const arrivals: number[] = [];
  let next = 0;
  let finished = 0;
  const worker = async (): Promise<void> => {
    while (next < opts.requests) {
      next++;
      await pacer.acquire();
      const latency = 1 + Math.floor(random() * opts.maxLatencyMs);
      arrivals.push(time.t + Math.floor(random() * latency)); // queued on the way, then counted
      await time.sleep(latency);
      pacer.attemptDone(); // as HttpClient does after every attempt
      finished++;
    }
  };
  const all = Promise.all(Array.from({ length: opts.workers }, worker));
  await time.run(() => finished === opts.requests);
  await all;
  return { arrivals, endedAt: time.t };
}

const aimfoxPacer = (t: FakeTime): Pacer => createAimfoxPacer({}, t.now, t.sleep);

describe('Aimfox pacing (60 / minute, counted until the answer is back)', () => {
  it('never lets the server see more than 60 in a window, whatever the latencies and concurrency', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1e9 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 5_000 }),
        async (seed, workers, maxLatencyMs) => {
          const { arrivals } = await simulate(aimfoxPacer, {
            seed,
            requests: 200,
            workers,
            maxLatencyMs,
          });
          expect(arrivals).toHaveLength(200);
          expect(worstWindow(arrivals)).toBeLessThanOrEqual(MAX);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('control: pacing from the grant alone lets 61 arrive within a window', async () => {
    const { arrivals } = await simulate(
      (t) => new Pacer({ windows: [{ name: 'minute', max: MAX, windowMs: WINDOW }], now: t.now, sleep: t.sleep }),
      {
        seed: 7,
        requests: 200,
        workers: 8,
        maxLatencyMs: 2_000,
      },
    );
    expect(worstWindow(arrivals)).toBeGreaterThan(MAX);
  });

  it('stays within 2 % of the ceiling: 300 requests with ≤200 ms calls, 8 at a time, take at most 4 windows + 2 % (fake time)', async () => {
    const { endedAt } = await simulate(aimfoxPacer, {
      seed: 3,
      requests: 300,
      workers: 8,
      maxLatencyMs: 200,
    });
    // The ceiling allows the 300th start 4 windows after the first; each window loses about one call's latency.
    expect(endedAt).toBeLessThan(4 * WINDOW * 1.02);
    expect(endedAt).toBeGreaterThanOrEqual(4 * WINDOW);
  });

  it('reports what is left of the minute, counting requests still in flight', async () => {
    const time = new FakeTime();
    const p = createAimfoxPacer({ requests: 3, windowMs: 1_000 }, time.now, time.sleep);
    await p.acquire();
    await p.acquire();
    expect(p.status().windows[0]).toMatchObject({ name: 'minute', max: 3, used: 2, remaining: 1 });
    p.attemptDone();
    time.t = 500;
    expect(p.status().windows[0]).toMatchObject({ used: 2, remaining: 1 });
    time.t = 1_001;
    expect(p.status().windows[0]).toMatchObject({ used: 1, remaining: 2 });
  });

  it('honours a server hold-off (Retry-After) through the shared pacer', async () => {
    const time = new FakeTime();
    const p = createAimfoxPacer({}, time.now, time.sleep);
    p.holdOff(5_000);
    let granted = -1;
    const got = p.acquire().then(() => (granted = time.t));
    await time.run(() => granted >= 0);
    await got;
    expect(granted).toBeGreaterThanOrEqual(5_000);
  });
});
