/**
 * GHL's limits per resource (README "Facts: limits"): 100 requests per 10 s and 200,000 per day, with the X-RateLimit-*
 * headers on every answer and 429 beyond.
 *
 * Burst window: SLIDING (the last `intervalMs` before each request), the stricter test of a client — a
 * client that sends 100 at the end of one fixed window and 100 at the start of the next is refused here.
 * Daily window: fixed, aligned to UTC midnight (scaled windows align to multiples of the scaled day);
 * X-RateLimit-Daily-Reset = ms until it rolls over. Refused requests do not count.
 */
import { type RateLimitMode, scaledWindow } from '../types.js';

export const DOCUMENTED = { max: 100, intervalMs: 10_000, daily: 200_000, dayMs: 86_400_000 } as const;

interface Bucket {
  hits: number[];
  head: number;
  dayStart: number;
  dayCount: number;
}

export interface LimitDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly max: number;
  private readonly daily: number;
  private readonly intervalMs: number | undefined;
  private readonly dayMs: number | undefined;

  constructor(
    mode: RateLimitMode,
    private readonly now: () => number,
    overrides: { burst?: number; intervalMs?: number; daily?: number } = {},
  ) {
    this.max = overrides.burst ?? DOCUMENTED.max;
    this.daily = overrides.daily ?? DOCUMENTED.daily;
    this.intervalMs = scaledWindow(mode, overrides.intervalMs ?? DOCUMENTED.intervalMs);
    this.dayMs = scaledWindow(mode, DOCUMENTED.dayMs);
  }

  get enabled(): boolean {
    return this.intervalMs !== undefined;
  }

  reset(): void {
    this.buckets.clear();
  }

  private bucket(key: string, now: number): Bucket {
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = { hits: [], head: 0, dayStart: 0, dayCount: 0 }));
    const dayStart = Math.floor(now / this.dayMs!) * this.dayMs!;
    if (dayStart !== b.dayStart) {
      b.dayStart = dayStart;
      b.dayCount = 0;
    }
    const cutoff = now - this.intervalMs!;
    while (b.head < b.hits.length && (b.hits[b.head] as number) <= cutoff) b.head++;
    if (b.head > 256 && b.head * 2 > b.hits.length) {
      b.hits = b.hits.slice(b.head);
      b.head = 0;
    }
    return b;
  }

  private headers(b: Bucket, now: number, exhausted = false): Record<string, string> {
    const inWindow = b.hits.length - b.head;
    return {
      'x-ratelimit-max': String(this.max),
      'x-ratelimit-remaining': String(exhausted ? 0 : Math.max(0, this.max - inWindow)),
      'x-ratelimit-interval-milliseconds': String(this.intervalMs),
      'x-ratelimit-limit-daily': String(this.daily),
      'x-ratelimit-daily-remaining': String(Math.max(0, this.daily - b.dayCount)),
      'x-ratelimit-daily-reset': String(b.dayStart + this.dayMs! - now),
    };
  }

  /** Count one request for `key` (a location); refuse it when either window is full. */
  take(key: string): LimitDecision {
    if (!this.enabled) return { allowed: true, headers: {} };
    const now = this.now();
    const b = this.bucket(key, now);
    if (b.hits.length - b.head >= this.max || b.dayCount >= this.daily)
      return { allowed: false, headers: this.headers(b, now) };
    b.hits.push(now);
    b.dayCount++;
    return { allowed: true, headers: this.headers(b, now) };
  }

  /** Headers for an injected 429 (fault): the current counters with the burst shown as spent. */
  exhaustedHeaders(key: string): Record<string, string> {
    if (!this.enabled) return {};
    const now = this.now();
    return this.headers(this.bucket(key, now), now, true);
  }
}
