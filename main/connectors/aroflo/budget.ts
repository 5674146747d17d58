/**
 * AroFlo's daily allowances (README "Facts: limits and status codes"): 2,000 counted requests a day, a secondary 20,000 a day for single-id
 * GETs, both reset at 00:00 Australia/Melbourne. The `lastupdate` zone is free (not counted).
 *
 * A `DailyBudget` counts what we sent since the last reset and merges what the server reports in its
 * `X-RateLimit-*Daily-Remaining` headers (the server wins when it says less, e.g. another app shares the org).
 * When nothing is left it refuses locally with a typed `quota_exhausted` error that says when it resets,
 * rather than spending a request to be told so.
 */
import { ConnectorError } from '../shared/errors.js';
import { dayIn, zonedToUtc, zoneParts } from '../shared/dates.js';

export const RESET_TIME_ZONE = 'Australia/Melbourne';

/** The site-calendar day ("2026-11-01") at `ms` in `timeZone`. */
export function dayKey(ms: number, timeZone = RESET_TIME_ZONE): string {
  return dayIn(ms, timeZone);
}

/** Epoch ms of the next 00:00 in `timeZone` after `ms` (DST-aware). */
export function nextMidnight(ms: number, timeZone = RESET_TIME_ZONE): number {
  const w = zoneParts(ms, timeZone);
  return zonedToUtc(w.year, w.month, w.day + 1, 0, 0, 0, timeZone);
}

export interface BudgetStatus {
  name: string;
  limit: number;
  /** Requests we sent since the last reset. */
  used: number;
  /** What we believe is left: our own count, lowered by what the server last reported. */
  remaining: number;
  /** The server's last word (X-RateLimit-…-Remaining), today. */
  serverRemaining?: number;
  serverLimit?: number;
  /** ISO time of the next reset (00:00 Australia/Melbourne). */
  resetsAt: string;
}

export class DailyBudget {
  private day: string;
  private used = 0;
  private serverRemaining?: number;
  private serverLimit?: number;
  private usedAtObservation = 0;

  constructor(
    readonly name: string,
    private limit: number,
    private readonly now: () => number,
    private readonly timeZone = RESET_TIME_ZONE,
  ) {
    this.day = dayKey(now(), timeZone);
  }

  private roll(): void {
    const d = dayKey(this.now(), this.timeZone);
    if (d !== this.day) {
      this.day = d;
      this.used = 0;
      this.usedAtObservation = 0;
      this.serverRemaining = undefined;
    }
  }

  remaining(): number {
    this.roll();
    const ours = this.limit - this.used;
    if (this.serverRemaining === undefined) return Math.max(0, ours);
    const server = this.serverRemaining - (this.used - this.usedAtObservation);
    return Math.max(0, Math.min(ours, server));
  }

  /** Claim one request, or throw `quota_exhausted` (with the wait until the reset). */
  take(operation: string): void {
    if (this.remaining() <= 0) {
      const waitMs = nextMidnight(this.now(), this.timeZone) - this.now();
      throw new ConnectorError({
        system: 'aroflo',
        kind: 'quota_exhausted',
        operation,
        retryAfterMs: waitMs,
        detail: `${this.name} allowance of ${this.serverLimit ?? this.limit} requests`,
        message: `AroFlo's ${this.name} allowance (${this.serverLimit ?? this.limit} requests a day) is used up — sync resumes after it resets at midnight Melbourne time (${new Date(this.now() + waitMs).toISOString()}).`,
      });
    }
    this.used++;
  }

  /** Feed the server's view (from headers, or status 7 = "daily limit reached" → remaining 0). */
  observe(server: { limit?: number; remaining?: number }): void {
    this.roll();
    if (server.limit !== undefined && Number.isFinite(server.limit) && server.limit > 0)
      this.serverLimit = server.limit;
    if (server.remaining !== undefined && Number.isFinite(server.remaining)) {
      this.serverRemaining = Math.max(0, server.remaining);
      this.usedAtObservation = this.used;
    }
  }

  status(): BudgetStatus {
    const remaining = this.remaining();
    return {
      name: this.name,
      limit: this.serverLimit ?? this.limit,
      used: this.used,
      remaining,
      serverRemaining: this.serverRemaining,
      serverLimit: this.serverLimit,
      resetsAt: new Date(nextMidnight(this.now(), this.timeZone)).toISOString(),
    };
  }
}
