/**
 * AroFlo's request limits (README "Facts: limits"), per organisation (orgEncoded):
 * - 3 requests per second and 120 per minute — every authenticated request, lastupdate included; counted in sliding
 *   windows (default, the strictest reading) or fixed clock windows (option `rateWindow`, README "Rate windows");
 * - 2,000 per day for every request except the `lastupdate` zone (free) and single-id GETs;
 * - 20,000 per day (secondary) for single-id GETs (a GET whose only where is `<zone id>|=|X`);
 * - days end at 00:00 site time (Australia/Melbourne) by the injected clock.
 * A refused request is not counted. Over the limit: per second → status 429 (HTTP 429), per minute → status 6,
 * daily → status 7 (HTTP 200, like other logical errors), with the messages of AroFlo's status code table. Modes: 'real', 'off' (nothing enforced; counts and
 * headers still kept), xN (every window divided by N: second and minute windows shrink, and the day is cut into
 * N equal periods starting at local midnight).
 */
import { scaledWindow, type RateLimitMode } from '../types.js';
import type { RateWindowReading } from './types.js';
import { DAY_MS, type SiteZone } from './time.js';

export const LIMITS = { perSecond: 3, perMinute: 120, daily: 2000, secondaryDaily: 20000 } as const;

export type RequestClass = 'counted' | 'free' | 'secondary';

export interface LimitRefusal {
  status: '429' | '6' | '7';
  httpStatus: number;
  message: string;
}

class OrgUsage {
  /** Times of recent requests (newest last), for the sliding windows. */
  readonly recent: number[] = [];
  period = '';
  daily = 0;
  secondary = 0;
}

export class RateLimiter {
  private readonly orgs = new Map<string, OrgUsage>();

  constructor(
    private readonly mode: RateLimitMode,
    private readonly now: () => number,
    private readonly site: SiteZone,
    readonly reading: RateWindowReading = 'sliding',
  ) {}

  reset(): void {
    this.orgs.clear();
  }

  private periodKey(t: number): string {
    const day = this.site.dayKey(t);
    const w = scaledWindow(this.mode, DAY_MS);
    if (w === undefined || w >= DAY_MS) return day;
    return `${day}#${Math.floor(this.site.sinceMidnight(t) / w)}`;
  }

  private usage(org: string): OrgUsage {
    let u = this.orgs.get(org);
    if (!u) {
      u = new OrgUsage();
      this.orgs.set(org, u);
    }
    const key = this.periodKey(this.now());
    if (u.period !== key) {
      u.period = key;
      u.daily = 0;
      u.secondary = 0;
    }
    return u;
  }

  private countSince(u: OrgUsage, from: number): number {
    let n = 0;
    for (let i = u.recent.length - 1; i >= 0 && u.recent[i]! > from; i--) n++;
    return n;
  }

  /** Requests counted in the window of length `w` that `t` falls in: the last `w` ms (sliding) or its clock window (fixed). */
  private inWindow(u: OrgUsage, t: number, w: number): number {
    if (this.reading === 'sliding') return this.countSince(u, t - w);
    const start = Math.floor(t / w) * w;
    let n = 0;
    for (let i = u.recent.length - 1; i >= 0 && u.recent[i]! >= start; i--) n++;
    return n;
  }

  /** Refusal for this request, or undefined when it may go ahead (then call `record`). */
  check(org: string, cls: RequestClass): LimitRefusal | undefined {
    if (this.mode === 'off') return undefined;
    const u = this.usage(org);
    const t = this.now();
    const sec = scaledWindow(this.mode, 1000)!;
    const min = scaledWindow(this.mode, 60_000)!;
    if (this.inWindow(u, t, sec) >= LIMITS.perSecond)
      return { status: '429', httpStatus: 429, message: 'Too Many Requests Per Second (max x3)' };
    if (this.inWindow(u, t, min) >= LIMITS.perMinute)
      return { status: '6', httpStatus: 200, message: 'Exceeded Rate Limit - Requests per Minute' };
    if (cls === 'counted' && u.daily >= LIMITS.daily)
      return { status: '7', httpStatus: 200, message: 'Exceeded Rate Limit - Daily' };
    if (cls === 'secondary' && u.secondary >= LIMITS.secondaryDaily)
      return { status: '7', httpStatus: 200, message: 'Exceeded Rate Limit - Secondary Daily' };
    return undefined;
  }

  record(org: string, cls: RequestClass): void {
    const u = this.usage(org);
    const t = this.now();
    u.recent.push(t);
    const keep = scaledWindow(this.mode === 'off' ? 'real' : this.mode, 60_000)!;
    let drop = 0;
    while (drop < u.recent.length && u.recent[drop]! <= t - keep) drop++;
    if (drop) u.recent.splice(0, drop);
    if (cls === 'counted') u.daily++;
    else if (cls === 'secondary') u.secondary++;
  }

  /** The X-RateLimit-* headers (README "Facts: limits"). X-RateLimit-Limit/Remaining are the per-minute figures. */
  headers(org: string | undefined): Record<string, string> {
    const u = org ? this.usage(org) : new OrgUsage();
    const min = scaledWindow(this.mode === 'off' ? 'real' : this.mode, 60_000)!;
    const usedMinute = this.inWindow(u, this.now(), min);
    return {
      'X-RateLimit-Limit': String(LIMITS.perMinute),
      'X-RateLimit-Remaining': String(Math.max(0, LIMITS.perMinute - usedMinute)),
      'X-RateLimit-Daily-Limit': String(LIMITS.daily),
      'X-RateLimit-Daily-Remaining': String(Math.max(0, LIMITS.daily - u.daily)),
      'X-RateLimit-Secondary-Daily-Limit': String(LIMITS.secondaryDaily),
      'X-RateLimit-Secondary-Daily-Remaining': String(Math.max(0, LIMITS.secondaryDaily - u.secondary)),
    };
  }

  used(org: string): { daily: number; secondary: number } {
    const u = this.usage(org);
    return { daily: u.daily, secondary: u.secondary };
  }
}
