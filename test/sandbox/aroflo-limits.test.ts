import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../main/sandbox/aroflo/limits.js';
import { SiteZone } from '../../main/sandbox/aroflo/time.js';
import { startSandbox, type Started } from './fixtures/aroflo/setup.js';

const MEL = new SiteZone('Australia/Melbourne');
// 2026-11-01 is in Melbourne summer time (UTC+11): local midnight of 2 Nov is 2026-11-01T13:00:00Z.
const MEL_MIDNIGHT = Date.parse('2026-11-01T13:00:00Z');

describe('AroFlo sandbox limits over HTTP (real limits, injected clock)', () => {
  let s: Started;
  beforeAll(async () => {
    s = await startSandbox({ rateLimits: 'real' });
  });
  afterAll(() => s.sb.close());

  it('a 4th request in the same second gets HTTP 429 with status "429"; a second later it goes through', async () => {
    s.clock.t += 120_000;
    for (let i = 0; i < 3; i++) expect((await s.get([['zone', 'tasktypes']])).body.status).toBe('0');
    const refused = await s.get([['zone', 'tasktypes']]);
    expect(refused.http).toBe(429);
    expect(refused.body.status).toBe('429');
    s.clock.t += 1001;
    expect((await s.get([['zone', 'tasktypes']])).body.status).toBe('0');
  });

  it('the 121st request within a minute gets status 6 (HTTP 200), and X-RateLimit-Remaining counts down', async () => {
    s.clock.t += 120_000;
    let last: Awaited<ReturnType<Started['get']>> | undefined;
    for (let i = 0; i < 120; i++) {
      last = await s.get([['zone', 'tasktypes']]);
      expect(last.body.status, `request ${i + 1}`).toBe('0');
      s.clock.t += 400; // never more than 3 in any second
    }
    expect(last!.headers.get('x-ratelimit-remaining')).toBe('0');
    const refused = await s.get([['zone', 'tasktypes']]);
    expect(refused.http).toBe(200);
    expect(refused.body.status).toBe('6');
    s.clock.t += 60_000;
    expect((await s.get([['zone', 'tasktypes']])).body.status).toBe('0');
  });

  it('sends every X-RateLimit-* header on every response, including errors', async () => {
    s.clock.t += 120_000;
    for (const res of [
      await s.get([
        ['zone', 'tasks'],
        ['where', 'and|taskid|!=|0'],
      ]),
      await s.get([['zone', 'tasks']], { secret: 'x' }),
      await s.call('PUT', 'zone=tasks'),
    ]) {
      for (const h of [
        'X-RateLimit-Limit',
        'X-RateLimit-Remaining',
        'X-RateLimit-Daily-Limit',
        'X-RateLimit-Daily-Remaining',
        'X-RateLimit-Secondary-Daily-Limit',
        'X-RateLimit-Secondary-Daily-Remaining',
      ])
        expect(res.headers.get(h), h).toMatch(/^\d+$/);
    }
  });

  it('2,000 counted requests a day then status 7; lastupdate and single-id GETs still work; the day ends at Melbourne midnight', async () => {
    const fresh = await startSandbox({ rateLimits: 'real' });
    try {
      fresh.clock.t = MEL_MIDNIGHT - 1_100_000; // 18 minutes before local midnight
      const daily = () => Number(last.headers.get('x-ratelimit-daily-remaining'));
      let last = await fresh.get([['zone', 'tasktypes']]);
      const task = fresh.sb.admin.listTasks()[0]!;
      for (let i = 1; i < 2000; i++) {
        fresh.clock.t += 501; // stays under 3/s and 120/min
        last = await fresh.get([['zone', 'tasktypes']]);
        if (last.body.status !== '0') throw new Error(`request ${i + 1}: ${last.text}`);
      }
      expect(daily()).toBe(0);
      fresh.clock.t += 501;
      const refused = await fresh.get([['zone', 'tasktypes']]);
      expect(refused.body.status).toBe('7');
      expect(refused.http).toBe(200);
      fresh.clock.t += 501;
      expect(
        (
          await fresh.get([
            ['zone', 'lastupdate'],
            ['where', 'and|zonename|=|tasks'],
          ])
        ).body.status,
      ).toBe('0');
      fresh.clock.t += 501;
      const single = await fresh.get([
        ['zone', 'tasks'],
        ['where', `and|taskid|=|${task.taskid}`],
      ]);
      expect(single.body.status).toBe('0');
      expect(single.headers.get('x-ratelimit-secondary-daily-remaining')).toBe('19999');
      fresh.clock.t += 501;
      expect(
        (
          await fresh.get([
            ['zone', 'tasks'],
            ['where', `and|taskid|=|${task.taskid}`],
            ['where', 'and|status|!=|archived'],
          ])
        ).body.status,
      ).toBe('7');
      fresh.clock.t = MEL_MIDNIGHT - 1000;
      expect((await fresh.get([['zone', 'tasktypes']])).body.status).toBe('7');
      fresh.clock.t = MEL_MIDNIGHT + 1000;
      last = await fresh.get([['zone', 'tasktypes']]);
      expect(last.body.status).toBe('0');
      expect(daily()).toBe(1999);
    } finally {
      await fresh.sb.close();
    }
  }, 30_000);

  it("'off' enforces nothing; xN shrinks the windows", async () => {
    const off = await startSandbox({ rateLimits: 'off' });
    const fast = await startSandbox({ rateLimits: 10 });
    try {
      for (let i = 0; i < 10; i++) expect((await off.get([['zone', 'tasktypes']])).body.status).toBe('0');
      for (let i = 0; i < 3; i++) expect((await fast.get([['zone', 'tasktypes']])).body.status).toBe('0');
      expect((await fast.get([['zone', 'tasktypes']])).http).toBe(429);
      fast.clock.t += 101; // the second is 100 ms at x10
      expect((await fast.get([['zone', 'tasktypes']])).body.status).toBe('0');
    } finally {
      await off.sb.close();
      await fast.sb.close();
    }
  });
});

describe('AroFlo sandbox RateLimiter (unit)', () => {
  it('secondary limit: 20,000 single-id GETs a day, separate from the 2,000', () => {
    let t = MEL_MIDNIGHT + 1000;
    const l = new RateLimiter('real', () => t, MEL);
    for (let i = 0; i < 20_000; i++) {
      t += 1000; // spacing keeps the per-second and per-minute windows open
      if (i % 60 === 0) t += 60_000;
      expect(l.check('org', 'secondary')).toBeUndefined();
      l.record('org', 'secondary');
    }
    t += 60_000;
    expect(l.check('org', 'secondary')).toMatchObject({ status: '7' });
    expect(l.check('org', 'counted')).toBeUndefined();
    expect(l.headers('org')['X-RateLimit-Secondary-Daily-Remaining']).toBe('0');
    expect(l.headers('org')['X-RateLimit-Daily-Remaining']).toBe('2000');
  });

  it('counts per organisation', () => {
    const t = 0;
    const l = new RateLimiter('real', () => t, MEL);
    for (let i = 0; i < 3; i++) l.record('a', 'counted');
    expect(l.check('a', 'counted')?.status).toBe('429');
    expect(l.check('b', 'counted')).toBeUndefined();
  });

  it('resets at local midnight across a daylight-saving change (Melbourne, first Sunday of April)', () => {
    // 2026-04-05 03:00 AEDT → 02:00 AEST. Midnight starting 6 April is 2026-04-05T14:00:00Z (UTC+10).
    let t = Date.parse('2026-04-05T13:59:00Z');
    const l = new RateLimiter('real', () => t, MEL);
    l.record('o', 'counted');
    expect(l.used('o').daily).toBe(1);
    t = Date.parse('2026-04-05T14:00:01Z');
    expect(l.used('o').daily).toBe(0);
  });

  it('xN cuts the day into N periods from local midnight', () => {
    let t = MEL_MIDNIGHT + 1000;
    const l = new RateLimiter(24, () => t, MEL); // one "day" = one hour
    l.record('o', 'counted');
    t += 3_600_000;
    expect(l.used('o').daily).toBe(0);
  });
});
