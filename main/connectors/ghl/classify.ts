/**
 * How a GHL answer maps to ok / a typed ConnectorError, and how its rate-limit headers feed the pacer.
 *
 * Status mapping (README "Facts: errors"):
 *  401 + "not authorized for this scope"  → scope
 *  401 otherwise                         → signed_out (the client first tries one token refresh, see transport.ts)
 *  403                                   → scope (token has no access to this location)
 *  404, or 400 whose message says "not found" → not_found (v2 spec says 400, v3 404; both handled)
 *  400 otherwise, 422, other 4xx         → rejected, with GHL's own messages in `detail`
 *  429                                   → rate_limited after X-RateLimit-Interval-Milliseconds,
 *                                          or quota_exhausted until X-RateLimit-Daily-Reset when the daily budget is 0
 *  5xx                                   → server
 */
import { ConnectorError, type ConnectorErrorKind } from '../shared/errors.js';
import { headerNumber, retryAfterMs, type Classification, type HttpRequest, type RawResponse } from '../shared/http.js';
import type { Pacer } from '../shared/pacer.js';

export const GHL_HEADERS = {
  dailyLimit: 'x-ratelimit-limit-daily',
  dailyRemaining: 'x-ratelimit-daily-remaining',
  dailyReset: 'x-ratelimit-daily-reset',
  intervalMs: 'x-ratelimit-interval-milliseconds',
  max: 'x-ratelimit-max',
  remaining: 'x-ratelimit-remaining',
} as const;

/** GHL's error body text: `message` is a string (400/401/403/404) or a list of strings (422). */
export function errorMessages(body: string): string[] {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object') {
      const m = (parsed as { message?: unknown }).message;
      if (typeof m === 'string') return [m];
      if (Array.isArray(m)) return m.filter((x): x is string => typeof x === 'string');
      const e = (parsed as { error?: unknown }).error;
      if (typeof e === 'string') return [e];
    }
  } catch {
    /* not JSON (an HTML error page): no message to quote */
  }
  return [];
}

/** A duplicate refusal names the contact it collides with in `meta.contactId` (seen on create/update). */
function duplicateOf(body: string): string | undefined {
  try {
    const id = (JSON.parse(body) as { meta?: { contactId?: unknown } })?.meta?.contactId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

const SCOPE_TEXT = /not authorized for this scope/i;
const NOT_FOUND_TEXT = /not\s*found|does not exist|no .* with (this|the given) id/i;

export function classifyGhl(res: RawResponse, req: HttpRequest, now: () => number = Date.now): Classification {
  const s = res.status;
  if (s >= 200 && s < 300) return { ok: true };
  const messages = errorMessages(res.body);
  const existing = duplicateOf(res.body);
  const detail = messages.length
    ? messages.join('; ') + (existing ? ` (existing contact ${existing})` : '')
    : /^\s*</.test(res.body)
      ? `an HTML page instead of data (HTTP ${s})`
      : undefined;
  const err = (kind: ConnectorErrorKind, extra: { retryAfterMs?: number; message?: string } = {}): Classification => ({
    ok: false,
    error: new ConnectorError({ system: 'ghl', kind, status: s, detail, operation: req.operation, ...extra }),
  });

  if (s === 401) {
    if (detail && SCOPE_TEXT.test(detail)) {
      return err('scope', {
        message: `HighLevel refused ${req.operation}: the sign-in lacks a permission this needs (${detail}) — sign in again and approve all requested permissions, or add the scope to the Private Integration.`,
      });
    }
    return err('signed_out');
  }
  if (s === 403) {
    return err('scope', {
      message: `HighLevel refused ${req.operation}${detail ? ` (${detail})` : ''} — the sign-in has no access to this location; sign in again and pick the right sub-account.`,
    });
  }
  if (s === 404 || (s === 400 && detail && NOT_FOUND_TEXT.test(detail))) return err('not_found');
  if (s === 429) {
    const dailyRemaining = headerNumber(res, GHL_HEADERS.dailyRemaining);
    if (dailyRemaining !== undefined && dailyRemaining <= 0) {
      return err('quota_exhausted', { retryAfterMs: headerNumber(res, GHL_HEADERS.dailyReset) });
    }
    const wait = retryAfterMs(res, now()) ?? headerNumber(res, GHL_HEADERS.intervalMs);
    return err('rate_limited', { retryAfterMs: wait });
  }
  if (s >= 500) return err('server');
  return err('rejected');
}

/** What GHL's rate-limit headers said last. */
export interface GhlRateSnapshot {
  dailyLimit?: number;
  dailyRemaining?: number;
  /** Epoch ms when the daily counter resets (from X-RateLimit-Daily-Reset, which is ms-until-reset). */
  dailyResetAt?: number;
  windowMax?: number;
  windowRemaining?: number;
  windowMs?: number;
}

/** Read the X-RateLimit-* headers into the pacer and a snapshot. Absent headers leave the snapshot as it was. */
export function observeGhl(
  res: RawResponse,
  pacer: Pacer,
  snapshot: GhlRateSnapshot,
  now: () => number = Date.now,
): void {
  const dailyLimit = headerNumber(res, GHL_HEADERS.dailyLimit);
  const dailyRemaining = headerNumber(res, GHL_HEADERS.dailyRemaining);
  const dailyResetMs = headerNumber(res, GHL_HEADERS.dailyReset);
  const windowMax = headerNumber(res, GHL_HEADERS.max);
  const windowRemaining = headerNumber(res, GHL_HEADERS.remaining);
  const windowMs = headerNumber(res, GHL_HEADERS.intervalMs);
  if (dailyLimit !== undefined) snapshot.dailyLimit = dailyLimit;
  if (dailyRemaining !== undefined) snapshot.dailyRemaining = dailyRemaining;
  if (dailyResetMs !== undefined) snapshot.dailyResetAt = now() + dailyResetMs;
  if (windowMax !== undefined) snapshot.windowMax = windowMax;
  if (windowRemaining !== undefined) snapshot.windowRemaining = windowRemaining;
  if (windowMs !== undefined) snapshot.windowMs = windowMs;
  pacer.observe({
    windowRemaining,
    windowMs,
    windowMax,
    ageMs: res.elapsedMs,
    dailyRemaining,
    dailyLimit,
    dailyResetMs,
  });
}
