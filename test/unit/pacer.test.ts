import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Pacer } from '../../main/connectors/shared/pacer.js';

/** A fake clock: sleeping advances time instantly. */
function clock(start = 1_000_000) {
  const c = {
    t: start,
    sleeps: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.sleeps.push(ms);
      c.t += ms;
    },
  };
  return c;
}

async function grantTimes(p: Pacer, c: ReturnType<typeof clock>, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    await p.acquire();
    times.push(c.t);
  }
  return times;
}

/** Largest number of grants inside any window of `windowMs` (a sliding window: (t - windowMs, t]). */
function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while ((times[hi] as number) - (times[lo] as number) >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

describe('Pacer windows', () => {
  it('lets a burst through at once, then spaces requests so no sliding window exceeds its max', async () => {
    const c = clock();
    const p = new Pacer({ windows: [{ name: 'burst', max: 10, windowMs: 1000 }], now: c.now, sleep: c.sleep });
    const times = await grantTimes(p, c, 35);
    expect(times.slice(0, 10).every((t) => t === times[0])).toBe(true);
    expect(times[10]).toBeGreaterThanOrEqual((times[0] as number) + 1000);
    expect(maxInWindow(times, 1000)).toBe(10);
  });

  it('keeps every window at once (the tighter one decides)', async () => {
    const c = clock();
    const p = new Pacer({
      windows: [
        { name: 'second', max: 3, windowMs: 1000 },
        { name: 'minute', max: 10, windowMs: 60_000 },
      ],
      now: c.now,
      sleep: c.sleep,
    });
    const times = await grantTimes(p, c, 25);
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(3);
    expect(maxInWindow(times, 60_000)).toBeLessThanOrEqual(10);
    // 25 grants at 10/min need at least two full minutes after the first 10.
    expect((times[24] as number) - (times[0] as number)).toBeGreaterThanOrEqual(120_000);
  });

  it('never exceeds any window for random request patterns (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 50, max: 2000 }),
        fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 5, maxLength: 60 }),
        async (max, windowMs, gaps) => {
          const c = clock();
          const p = new Pacer({ windows: [{ name: 'w', max, windowMs }], now: c.now, sleep: c.sleep });
          const times: number[] = [];
          for (const gap of gaps) {
            c.t += gap;
            await p.acquire();
            times.push(c.t);
          }
          return maxInWindow(times, windowMs) <= max;
        },
      ),
      { numRuns: 60 },
    );
  });

  it('counts a daily (long) window and waits once it is spent', async () => {
    const c = clock();
    const p = new Pacer({ windows: [{ name: 'daily', max: 5, windowMs: 86_400_000 }], now: c.now, sleep: c.sleep });
    await grantTimes(p, c, 5);
    expect(p.status().windows[0]).toMatchObject({ name: 'daily', used: 5, remaining: 0 });
    const before = c.t;
    await p.acquire();
    expect(c.t - before).toBeGreaterThanOrEqual(86_400_000 - 60_000);
  });

  it('headroom keeps slots unused', async () => {
    const c = clock();
    const p = new Pacer({ windows: [{ name: 'w', max: 10, windowMs: 1000 }], headroom: 2, now: c.now, sleep: c.sleep });
    const times = await grantTimes(p, c, 20);
    expect(maxInWindow(times, 1000)).toBe(8);
  });
});

describe('Pacer countUntilDone', () => {
  it('counts a request until its answer is back, then one window from then (so slow answers delay the next slot)', async () => {
    const c = clock(0);
    const p = new Pacer({
      windows: [{ name: 'w', max: 2, windowMs: 1000 }],
      now: c.now,
      sleep: c.sleep,
      countUntilDone: true,
    });
    await p.acquire();
    await p.acquire();
    let third = -1;
    const waiting = p.acquire().then(() => (third = c.t));
    await Promise.resolve();
    expect(third).toBe(-1); // both in flight: no slot, whatever the time
    expect(p.status().windows[0]).toMatchObject({ used: 2, remaining: 0 });
    c.t = 300;
    p.attemptDone(); // first answer back at 300 ms → it counts until 1300 ms
    await waiting;
    expect(third).toBe(1301);
  });

  it('counts from when the answer started arriving (answeredAgoMs), keeping out-of-order answers sorted', async () => {
    const c = clock(0);
    const p = new Pacer({
      windows: [{ name: 'w', max: 2, windowMs: 1000 }],
      now: c.now,
      sleep: c.sleep,
      countUntilDone: true,
    });
    await p.acquire();
    await p.acquire();
    c.t = 500;
    p.attemptDone(0); // answered at 500
    p.attemptDone(300); // answered at 200, reported later
    const start = c.t;
    await p.acquire(); // the slot answered at 200 frees first: at 1201
    expect(c.t).toBe(1201);
    expect(c.t - start).toBe(701);
  });

  it('delayMs leaves requests in flight out (they finish soon), so a burst is never refused as "too long"', async () => {
    const c = clock(0);
    const p = new Pacer({
      windows: [{ name: 'w', max: 1, windowMs: 1000 }],
      now: c.now,
      sleep: c.sleep,
      countUntilDone: true,
    });
    await p.acquire();
    expect(p.delayMs()).toBe(0);
    p.attemptDone();
    expect(p.delayMs()).toBe(1001);
  });

  it('attemptDone does nothing for a pacer that counts from the grant', async () => {
    const c = clock(0);
    const p = new Pacer({ windows: [{ name: 'w', max: 1, windowMs: 1000 }], now: c.now, sleep: c.sleep });
    await p.acquire();
    c.t = 500;
    p.attemptDone();
    expect(p.delayMs()).toBe(501);
  });
});

describe('Pacer delayMs', () => {
  it('says how long the next request would wait: 0 when free, the window rest when full, the hold-off when held', async () => {
    const c = clock();
    const p = new Pacer({ windows: [{ name: 'w', max: 2, windowMs: 1000 }], now: c.now, sleep: c.sleep });
    expect(p.delayMs()).toBe(0);
    await p.acquire();
    c.t += 200;
    await p.acquire();
    expect(p.delayMs()).toBe(801); // the first grant leaves the window 1000 ms after it started (+1)
    p.holdOff(5000);
    expect(p.delayMs()).toBe(5000);
  });

  it('for a spent daily window, the time until its oldest minute leaves', async () => {
    const c = clock(0);
    const p = new Pacer({ windows: [{ name: 'daily', max: 3, windowMs: 86_400_000 }], now: c.now, sleep: c.sleep });
    await p.acquire();
    c.t = 3_600_000;
    await p.acquire();
    await p.acquire();
    expect(p.delayMs()).toBe(86_400_000 + 60_000 - 3_600_000);
  });
});

describe('Pacer FIFO', () => {
  it('serves concurrent waiters in arrival order', async () => {
    const c = clock();
    const p = new Pacer({ windows: [{ name: 'w', max: 2, windowMs: 100 }], now: c.now, sleep: c.sleep });
    const order: number[] = [];
    await Promise.all(Array.from({ length: 9 }, (_, i) => p.acquire().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(p.status().granted).toBe(9);
  });
});

describe('Pacer holdOff', () => {
  it('blocks every request until the stated time, then resumes', async () => {
    const c = clock();
    const p = new Pacer({ windows: [{ name: 'w', max: 100, windowMs: 1000 }], now: c.now, sleep: c.sleep });
    await p.acquire();
    p.holdOff(5000);
    expect(p.status().blockedUntil).toBe(c.t + 5000);
    const start = c.t;
    await p.acquire();
    expect(c.t - start).toBeGreaterThanOrEqual(5000);
    expect(p.status().blockedUntil).toBeUndefined();
  });

  it('a shorter holdOff never shortens a longer one', async () => {
    const c = clock();
    const p = new Pacer({ windows: [{ name: 'w', max: 100, windowMs: 1000 }], now: c.now, sleep: c.sleep });
    p.holdOff(10_000);
    p.holdOff(1_000);
    const start = c.t;
    await p.acquire();
    expect(c.t - start).toBeGreaterThanOrEqual(10_000);
  });
});

describe('Pacer observe (server feedback)', () => {
  it('records the server-reported daily budget', () => {
    const c = clock();
    const p = new Pacer({ windows: [{ name: 'w', max: 10, windowMs: 1000 }], now: c.now, sleep: c.sleep });
    p.observe({ dailyRemaining: 1234, dailyLimit: 200_000 });
    expect(p.status()).toMatchObject({ serverDailyRemaining: 1234, serverDailyLimit: 200_000 });
  });

  it('stops until the daily reset when the server says the daily budget is 0', async () => {
    const c = clock();
    const p = new Pacer({ windows: [{ name: 'w', max: 10, windowMs: 1000 }], now: c.now, sleep: c.sleep });
    p.observe({ dailyRemaining: 0, dailyResetMs: 3_600_000 });
    const start = c.t;
    await p.acquire();
    expect(c.t - start).toBeGreaterThanOrEqual(3_600_000);
  });

  it('holds off a server window when the server is full but our own tally is not (others share the bucket)', async () => {
    const c = clock();
    const p = new Pacer({ windows: [{ name: 'burst', max: 100, windowMs: 10_000 }], now: c.now, sleep: c.sleep });
    await p.acquire(); // we used 1 of 100
    p.observe({ windowRemaining: 0, windowMs: 10_000 });
    const start = c.t;
    await p.acquire();
    expect(c.t - start).toBeGreaterThanOrEqual(10_000);
  });

  it('counts every request of ours the server may have been counting when it answered (ageMs), before deciding others share the bucket', async () => {
    const run = async (ageMs: number | undefined): Promise<number | undefined> => {
      const c = clock(0);
      const p = new Pacer({
        windows: [{ name: 'burst', max: 3, windowMs: 1000 }],
        now: c.now,
        sleep: c.sleep,
        countUntilDone: true,
      });
      for (let i = 0; i < 3; i++) await p.acquire(); // three sent at 0
      c.t = 100;
      p.attemptDone(); // two answered at 100
      p.attemptDone();
      c.t = 1150;
      p.attemptDone(); // the third, read by the server early on, answered only at 1150: "window full"
      p.observe({ windowRemaining: 0, windowMs: 1000, windowMax: 3, ageMs });
      return p.status().blockedUntil;
    };
    // The server's reading may be 1150 ms old: then all three of ours were in its window — no sign of another app.
    expect(await run(1150)).toBeUndefined();
    // Without the age, only one of ours is in the last window now: the full server window must hold somebody else's.
    expect(await run(undefined)).toBe(2150);
  });

  it('does not add a hold-off when we ourselves are exactly at the limit (keeps full throughput)', async () => {
    const run = async (feedback: boolean): Promise<number[]> => {
      const c = clock();
      const p = new Pacer({ windows: [{ name: 'burst', max: 5, windowMs: 1000 }], now: c.now, sleep: c.sleep });
      const times: number[] = [];
      for (let i = 0; i < 30; i++) {
        c.t += 120; // callers want ~8/s, the limit is 5/s
        await p.acquire();
        times.push(c.t);
        // the server counts the same requests and reports what is left in its window
        const usedByServer = times.filter((t) => t > c.t - 1000).length;
        if (feedback) p.observe({ windowRemaining: 5 - usedByServer, windowMs: 1000 });
      }
      return times.map((t) => t - (times[0] as number));
    };
    const withFeedback = await run(true);
    expect(withFeedback).toEqual(await run(false));
    expect(maxInWindow(withFeedback, 1000)).toBe(5);
  });
});
