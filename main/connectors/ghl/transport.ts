/**
 * The GHL request path shared by every method: bearer + Version headers, pacing (100 / 10 s and 200,000 / day,
 * corrected by the X-RateLimit-* headers), status → typed error, JSON + zod validation of the envelope (inside the
 * retry loop, so a truncated or garbled answer to a read is simply asked again), and one token refresh on 401.
 */
import type { z } from 'zod';
import { ConnectorError, isConnectorError, pathSegment } from '../shared/errors.js';
import { HttpClient, parseJsonBody, type HttpRequest, type RawResponse } from '../shared/http.js';
import { Pacer, type PacerStatus } from '../shared/pacer.js';
import type { PaceShare } from '../shared/pace-share.js';
import type { GhlAuth } from './auth.js';
import { classifyGhl, observeGhl, type GhlRateSnapshot } from './classify.js';
import { describeIssues } from './schemas.js';

export const GHL_API_VERSION = '2021-07-28';
export const GHL_BASE_URL = 'https://services.leadconnectorhq.com';

/** Documented limits (README "Facts: limits"). */
export const GHL_LIMITS = {
  burstMax: 100,
  burstWindowMs: 10_000,
  dailyMax: 200_000,
  dailyWindowMs: 86_400_000,
} as const;

export interface GhlRateOptions {
  burstMax?: number;
  burstWindowMs?: number;
  dailyMax?: number;
  dailyWindowMs?: number;
  /** Divide every window by this (matches a time-scaled sandbox). Default 1. */
  timeScale?: number;
  /**
   * Extra ms added to the burst window. The pacer already counts each request until its answer is back (so the
   * server's arrival time is always covered); this is only a further safety margin. Default 0.
   */
  marginMs?: number;
}

/** Build the pacer GHL needs (share one per location between clients). */
export function ghlPacer(
  rate: GhlRateOptions = {},
  clock: { now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
  share?: PaceShare,
): Pacer {
  const scale = rate.timeScale ?? 1;
  const margin = rate.marginMs ?? 0;
  return new Pacer({
    windows: [
      {
        name: 'burst',
        max: rate.burstMax ?? GHL_LIMITS.burstMax,
        windowMs: Math.max(1, Math.round((rate.burstWindowMs ?? GHL_LIMITS.burstWindowMs) / scale)) + margin,
      },
      {
        name: 'daily',
        max: rate.dailyMax ?? GHL_LIMITS.dailyMax,
        windowMs: Math.max(1, Math.round((rate.dailyWindowMs ?? GHL_LIMITS.dailyWindowMs) / scale)),
      },
    ],
    now: clock.now,
    sleep: clock.sleep,
    countUntilDone: true,
    share,
  });
}

export interface GhlTransportOptions {
  /** Real: https://services.leadconnectorhq.com */
  baseUrl: string;
  auth: GhlAuth;
  rateLimits?: GhlRateOptions;
  /** Share a pacer between clients of the same location (else one is built from rateLimits). */
  pacer?: Pacer;
  /** Share the pacing with the other processes on the profile (main/connectors/shared/README.md). */
  paceShare?: PaceShare;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  maxAttempts?: number;
  /** Fail fast instead of waiting longer than this for the pacer (default 120 s); see HttpClientOptions. */
  maxPacerWaitMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  onAttempt?: (info: {
    operation: string;
    attempt: number;
    status?: number;
    error?: ConnectorError;
    ms: number;
  }) => void;
}

export interface GhlRequest {
  method: HttpRequest['method'];
  path: string;
  operation: string;
  searchParams?: HttpRequest['searchParams'];
  json?: unknown;
  idempotent?: boolean;
  /** The `Version` header when the endpoint documents another than GHL_API_VERSION (the calendars API: 2021-04-15). */
  version?: string;
}

/** Remaining budget as the UI shows it. */
export interface GhlBudget {
  pacer: PacerStatus;
  /** What GHL's last answer said remains of the daily allowance. */
  serverDailyRemaining?: number;
  serverDailyLimit?: number;
  /** Epoch ms when GHL's daily counter resets, when it said. */
  dailyResetAt?: number;
  /** Requests sent / retried / answered 429 by this client. */
  requests: number;
  retries: number;
  rateLimited: number;
}

export class GhlTransport {
  readonly http: HttpClient;
  readonly pacer: Pacer;
  readonly rate: GhlRateSnapshot = {};
  private readonly now: () => number;
  private readonly tokenUsed = new WeakMap<HttpRequest, string>();

  constructor(private readonly opts: GhlTransportOptions) {
    this.now = opts.now ?? Date.now;
    this.pacer = opts.pacer ?? ghlPacer(opts.rateLimits, { now: opts.now, sleep: opts.sleep }, opts.paceShare);
    this.http = new HttpClient({
      system: 'ghl',
      baseUrl: opts.baseUrl,
      pacer: this.pacer,
      classify: (res, req) => classifyGhl(res, req, this.now),
      observe: (res, pacer) => observeGhl(res, pacer, this.rate, this.now),
      prepare: async (req) => {
        const token = await opts.auth.accessToken();
        this.tokenUsed.set(req, token);
        return {
          authorization: `Bearer ${token}`,
          version: req.headers?.version ?? GHL_API_VERSION,
          accept: 'application/json',
        };
      },
      maxAttempts: opts.maxAttempts,
      maxPacerWaitMs: opts.maxPacerWaitMs,
      baseDelayMs: opts.baseDelayMs,
      maxDelayMs: opts.maxDelayMs,
      timeoutMs: opts.timeoutMs,
      sleep: opts.sleep,
      random: opts.random,
      onAttempt: opts.onAttempt,
    });
  }

  get auth(): GhlAuth {
    return this.opts.auth;
  }

  /** Send, validate the answer's envelope with `schema`, and return it. */
  async request<S extends z.ZodType>(r: GhlRequest, schema: S): Promise<z.infer<S>> {
    for (let authAttempt = 0; ; authAttempt++) {
      let parsed: { value: z.infer<S> } | undefined;
      const { version, ...rest } = r;
      const req: HttpRequest = {
        ...rest,
        ...(version ? { headers: { version } } : {}),
        accept: (res: RawResponse) => {
          try {
            parsed = { value: validate(res, schema, r.operation) };
            return undefined;
          } catch (e) {
            return e as ConnectorError;
          }
        },
      };
      try {
        await this.http.send(req);
        if (!parsed)
          throw new ConnectorError({
            system: 'ghl',
            kind: 'malformed',
            operation: r.operation,
            detail: 'no answer body',
          });
        return parsed.value;
      } catch (e) {
        if (!isConnectorError(e) || e.kind !== 'signed_out' || e.status !== 401) throw e;
        // A 401 was not processed by GHL, so even a create is safe to send again after a refresh.
        if (authAttempt === 0 && (await this.opts.auth.handleUnauthorized(this.tokenUsed.get(req)))) continue;
        throw this.opts.auth.kind === 'private-integration'
          ? new ConnectorError({
              system: 'ghl',
              kind: 'signed_out',
              status: 401,
              detail: e.detail,
              operation: r.operation,
              message:
                'HighLevel refused the Private Integration token (rotated or deleted) — paste a new token on the Connections screen.',
              cause: e,
            })
          : e;
      }
    }
  }

  budget(): GhlBudget {
    const s = this.http.stats;
    const reset = this.rate.dailyResetAt;
    return {
      pacer: this.pacer.status(),
      serverDailyRemaining: this.rate.dailyRemaining,
      serverDailyLimit: this.rate.dailyLimit,
      dailyResetAt: reset !== undefined && reset > this.now() ? reset : undefined,
      requests: s.requests,
      retries: s.retries,
      rateLimited: s.rateLimited,
    };
  }
}

function validate<S extends z.ZodType>(res: RawResponse, schema: S, operation: string): z.infer<S> {
  const body = parseJsonBody('ghl', res, operation);
  const r = schema.safeParse(body);
  if (!r.success) {
    throw new ConnectorError({
      system: 'ghl',
      kind: 'malformed',
      status: res.status,
      operation,
      detail: `unexpected answer shape (${describeIssues(r.error)})`,
    });
  }
  return r.data;
}

/** Encode one path segment (ids are opaque strings; "", "." and ".." are refused before a request goes out). */
export const seg = (s: string): string => pathSegment('ghl', s);
