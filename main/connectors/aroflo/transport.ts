/**
 * AroFlo over HTTP: one endpoint, every attempt signed anew, paced, budgeted, and its answer classified.
 *
 * Pacing (README "Facts: limits and status codes"), for every request — the free `lastupdate` zone included, since it
 * is only exempt from the *daily* limit:
 * 1. the shared sliding-window Pacer (3 requests/s, 120/min, `countUntilDone`: each request counts until its
 *    answer is back, so a request that reached AroFlo late cannot meet the next one in AroFlo's window);
 * 2. in the `prepare` hook, the daily budget is charged — the 2,000/day primary for counted calls or the
 *    20,000/day secondary for single-id GETs (assumed to count against the secondary only, see `CallCategory`);
 * 3. the request is signed (fresh timestamp) and sent.
 */
import { HttpClient, headerNumber, retryAfterMs, type HttpRequest, type RawResponse } from '../shared/http.js';
import { ConnectorError } from '../shared/errors.js';
import { Pacer, realSleep } from '../shared/pacer.js';
import type { PaceShare } from '../shared/pace-share.js';
import { DailyBudget, nextMidnight, RESET_TIME_ZONE } from './budget.js';
import { parseEnvelope, type Envelope } from './envelope.js';
import { signedHeaders, type ArofloCredentials } from './signer.js';
import { statusError } from './status.js';
import { buildPostBody } from './where.js';

/**
 * - `counted`: everything that counts toward the 2,000/day budget;
 * - `single`: a GET whose only filter is `<zone>id = X` — counted against the secondary 20,000/day instead;
 * - `free`: the `lastupdate` zone, which counts toward no daily budget (still paced per second/minute).
 */
export type CallCategory = 'counted' | 'single' | 'free';

export interface ArofloLimits {
  perSecond: number;
  secondWindowMs: number;
  perMinute: number;
  minuteWindowMs: number;
  daily: number;
  secondaryDaily: number;
  /** Added to each window, for clock granularity between our clock and AroFlo's. */
  secondMarginMs: number;
  minuteMarginMs: number;
}

/** README "Facts: limits and status codes": the "current" limits (the older table said 60/min and 1/s). */
export const REAL_LIMITS: ArofloLimits = {
  perSecond: 3,
  secondWindowMs: 1_000,
  perMinute: 120,
  minuteWindowMs: 60_000,
  daily: 2_000,
  secondaryDaily: 20_000,
  // Small: the Pacer already counts each request until its answer is back, which covers network delay.
  secondMarginMs: 20,
  minuteMarginMs: 200,
};

export interface TransportOptions {
  /** e.g. https://api.aroflo.com/ (production) or a sandbox URL. */
  baseUrl: string;
  credentials: ArofloCredentials;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  limits?: Partial<ArofloLimits>;
  /** Share the pacing with the other processes on the profile (main/connectors/shared/README.md). */
  paceShare?: PaceShare;
  /** Time zone of the daily reset (default Australia/Melbourne). */
  resetTimeZone?: string;
  maxAttempts?: number;
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

export class ArofloTransport {
  readonly http: HttpClient;
  readonly pacer: Pacer;
  readonly daily: DailyBudget;
  readonly secondary: DailyBudget;
  readonly limits: ArofloLimits;
  private readonly now: () => number;
  private readonly resetTz: string;
  private readonly categories = new WeakMap<HttpRequest, CallCategory>();
  private readonly envelopes = new WeakMap<RawResponse, Envelope>();
  /** Requests sent per category (attempts, retries included). */
  readonly sent: Record<CallCategory, number> = { counted: 0, single: 0, free: 0 };

  constructor(private readonly opts: TransportOptions) {
    this.now = opts.now ?? Date.now;
    this.resetTz = opts.resetTimeZone ?? RESET_TIME_ZONE;
    const l = (this.limits = { ...REAL_LIMITS, ...opts.limits });
    const sleep = opts.sleep ?? realSleep;
    this.pacer = new Pacer({
      now: this.now,
      sleep,
      // A request counts from its grant until its answer is back, then for one window: AroFlo counts it when it
      // arrives, which can be a few hundred ms after the grant (measured in-process: up to ~300 ms).
      countUntilDone: true,
      share: opts.paceShare,
      windows: [
        { name: 'second', max: l.perSecond, windowMs: l.secondWindowMs + l.secondMarginMs },
        { name: 'minute', max: l.perMinute, windowMs: l.minuteWindowMs + l.minuteMarginMs },
      ],
    });
    this.daily = new DailyBudget('daily', l.daily, this.now, this.resetTz);
    this.secondary = new DailyBudget('secondary daily (single-record reads)', l.secondaryDaily, this.now, this.resetTz);
    this.http = new HttpClient({
      system: 'aroflo',
      baseUrl: opts.baseUrl,
      pacer: this.pacer,
      sleep,
      random: opts.random,
      maxAttempts: opts.maxAttempts,
      baseDelayMs: opts.baseDelayMs,
      maxDelayMs: opts.maxDelayMs,
      timeoutMs: opts.timeoutMs ?? 90_000,
      onAttempt: opts.onAttempt,
      prepare: (req) => this.prepare(req),
      classify: (res, req) => {
        try {
          const e = this.classify(res, req);
          return e ? { ok: false, error: e } : { ok: true };
        } catch (e) {
          if (e instanceof ConnectorError) return { ok: false, error: e };
          throw e;
        }
      },
      observe: (res) => this.observe(res),
    });
  }

  private prepare(req: HttpRequest): Record<string, string> {
    const cat = this.categories.get(req) ?? 'counted';
    if (cat === 'counted') this.daily.take(req.operation);
    else if (cat === 'single') this.secondary.take(req.operation);
    this.sent[cat]++;
    // Signed right before sending (after any pacing wait), so the timestamp is fresh.
    const method = req.method === 'POST' ? 'POST' : 'GET';
    const varString = method === 'POST' ? (req.body ?? '') : req.path.slice(req.path.indexOf('?') + 1);
    return signedHeaders(this.opts.credentials, method, varString, this.now());
  }

  private envelopeOf(res: RawResponse, req: HttpRequest): Envelope {
    const cached = this.envelopes.get(res);
    if (cached) return cached;
    let body: unknown;
    try {
      body = JSON.parse(res.body);
    } catch (cause) {
      if (/login failed/i.test(res.body)) {
        throw new ConnectorError({
          system: 'aroflo',
          kind: 'config',
          status: res.status,
          operation: req.operation,
          detail: res.body.trim().slice(0, 200),
          cause,
          message:
            'AroFlo did not accept the sign-in details (Login Failed - Invalid Request string) — re-enter the AroFlo credentials on the Connections screen.',
        });
      }
      const looksHtml = /^\s*</.test(res.body);
      throw new ConnectorError({
        system: 'aroflo',
        kind: res.status >= 500 ? 'server' : 'malformed',
        status: res.status,
        operation: req.operation,
        cause,
        detail: looksHtml
          ? `an HTML page instead of data (HTTP ${res.status})`
          : `unreadable body (HTTP ${res.status}, ${res.body.length} bytes)`,
      });
    }
    const env = parseEnvelope(body, req.operation);
    this.envelopes.set(res, env);
    return env;
  }

  private classify(res: RawResponse, req: HttpRequest): ConnectorError | undefined {
    const retryAfter = retryAfterMs(res, this.now());
    if (res.status === 429) {
      return new ConnectorError({
        system: 'aroflo',
        kind: 'rate_limited',
        status: 429,
        operation: req.operation,
        retryAfterMs: retryAfter ?? this.limits.secondWindowMs,
      });
    }
    if (res.status >= 500) {
      let detail = `HTTP ${res.status}`;
      try {
        const env = this.envelopeOf(res, req);
        detail += `, status ${env.status}${env.statusmessage ? ` ${env.statusmessage}` : ''}`;
      } catch {
        /* an unreadable 5xx body is still just a server error */
      }
      return new ConnectorError({
        system: 'aroflo',
        kind: 'server',
        status: res.status,
        operation: req.operation,
        detail,
        retryAfterMs: retryAfter,
      });
    }
    const env = this.envelopeOf(res, req);
    const e = statusError(env, {
      operation: req.operation,
      secondWindowMs: this.limits.secondWindowMs,
      minuteWindowMs: this.limits.minuteWindowMs,
      msUntilDailyReset: () => nextMidnight(this.now(), this.resetTz) - this.now(),
      retryAfterMs: retryAfter,
    });
    if (e?.kind === 'quota_exhausted') {
      const cat = this.categories.get(req) ?? 'counted';
      (cat === 'single' ? this.secondary : this.daily).observe({ remaining: 0 });
    }
    return e;
  }

  /** X-RateLimit-* headers (README "Facts: limits and status codes") into the budgets and the pacer. */
  private observe(res: RawResponse): void {
    this.daily.observe({
      limit: headerNumber(res, 'x-ratelimit-daily-limit'),
      remaining: headerNumber(res, 'x-ratelimit-daily-remaining'),
    });
    this.secondary.observe({
      limit: headerNumber(res, 'x-ratelimit-secondary-daily-limit'),
      remaining: headerNumber(res, 'x-ratelimit-secondary-daily-remaining'),
    });
    // X-RateLimit-Limit / -Remaining are read as the per-minute window. When AroFlo says it is spent while our own
    // count says otherwise, someone else shares the bucket: the Pacer then waits out a window instead of walking
    // into a status 6. (windowMs names our minute window, margin included, so the Pacer compares like with like.)
    const remaining = headerNumber(res, 'x-ratelimit-remaining');
    if (remaining !== undefined) {
      this.pacer.observe({
        windowRemaining: remaining,
        windowMs: this.limits.minuteWindowMs + this.limits.minuteMarginMs,
        windowMax: headerNumber(res, 'x-ratelimit-limit'),
        ageMs: res.elapsedMs,
      });
    }
  }

  /** GET `?<varString>`; the varString is signed and sent byte for byte. */
  async get(varString: string, operation: string, category: CallCategory = 'counted'): Promise<Envelope> {
    const req: HttpRequest = { method: 'GET', path: `/?${varString}`, operation, idempotent: true };
    this.categories.set(req, category);
    const res = await this.http.send(req);
    return this.envelopeOf(res, req);
  }

  /** POST `zone=…&postxml=…`. Never retried unless AroFlo provably did not process it (see HttpClient). */
  async post(zone: string, xml: string, operation: string): Promise<Envelope> {
    const req: HttpRequest = {
      method: 'POST',
      path: '/',
      body: buildPostBody(zone, xml),
      operation,
      idempotent: false,
    };
    this.categories.set(req, 'counted');
    const res = await this.http.send(req);
    return this.envelopeOf(res, req);
  }
}
