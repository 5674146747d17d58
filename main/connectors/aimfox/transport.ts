/**
 * The Aimfox wire: the shared HttpClient (pacing, retries) with Aimfox's auth header, envelope classification,
 * rate-limit bookkeeping and resource validation. `AimfoxClient` builds its API methods on this.
 */
import type { z } from 'zod';
import { ConnectorError, isConnectorError } from '../shared/errors.js';
import { HttpClient, headerNumber, type HttpRequest, type RawResponse } from '../shared/http.js';
import { Pacer, type PacerStatus } from '../shared/pacer.js';
import type { PaceShare } from '../shared/pace-share.js';
import { classifyAimfoxResponse, malformedResource, masterKeyError, type RequestContext } from './envelope.js';
import { describeZodError, parseList } from './schemas.js';
import type { ListResult } from './types.js';

/** Aimfox's documented limit: 60 requests a minute, counted across all endpoints (README "Facts: limits"). */
export const AIMFOX_LIMIT = { requests: 60, windowMs: 60_000 } as const;

export interface AimfoxLimits {
  /** Requests allowed per window. Default 60. */
  requests?: number;
  /** The window. Default 60,000 ms (tests against a time-scaled sandbox pass e.g. 6,000). */
  windowMs?: number;
}

export interface AimfoxTransportOptions {
  /** e.g. `https://api.aimfox.com/api/v2` (real) or a sandbox's base URL. */
  baseUrl: string;
  /** The workspace API key, or a function reading it from the vault on each request. */
  apiKey: string | (() => string | undefined | Promise<string | undefined>);
  limits?: AimfoxLimits;
  /** Share one pacer between clients using the same key (the limit is per workspace): see createAimfoxPacer. */
  pacer?: Pacer;
  /** Share the pacing with the other processes on the profile (main/connectors/shared/README.md). */
  paceShare?: PaceShare;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Per-request timeout. Aimfox calls can hang 30–120 s; default 90 s. */
  timeoutMs?: number;
  /** Attempts per call for reads and rate-limited calls. Default 5. */
  maxAttempts?: number;
  /** First retry backoff (doubles each attempt, full jitter). Default 500 ms. */
  baseDelayMs?: number;
  /** How long to wait after a 429 that states no Retry-After. Default: a sixth of the window (10 s). */
  rateLimitWaitMs?: number;
  onAttempt?: (info: {
    operation: string;
    attempt: number;
    status?: number;
    error?: ConnectorError;
    ms: number;
  }) => void;
}

export interface AimfoxRequest extends HttpRequest, RequestContext {}

/**
 * The pacer for one Aimfox workspace: 60 requests a window, each counted from its grant until its answer is
 * back and then for one more window (`countUntilDone`). Aimfox counts a request when it arrives, which lies
 * between the two, so bursts and slow calls never push the server past its limit (no 429s), at the cost of one
 * call's latency per window. Pass one pacer to every client using the same key.
 */
export function createAimfoxPacer(
  limits: AimfoxLimits = {},
  now?: () => number,
  sleep?: (ms: number) => Promise<void>,
  share?: PaceShare,
): Pacer {
  return new Pacer({
    windows: [
      {
        name: 'minute',
        max: limits.requests ?? AIMFOX_LIMIT.requests,
        windowMs: limits.windowMs ?? AIMFOX_LIMIT.windowMs,
      },
    ],
    countUntilDone: true,
    now,
    sleep,
    share,
  });
}

/** What the UI shows about the request allowance. Aimfox has no daily quota, only the per-minute limit. */
export interface AimfoxBudget {
  pacer: PacerStatus;
  /** Requests we may still start in the current minute window, by our own count. */
  minuteRemaining: number;
  minuteLimit: number;
  /** What Aimfox last reported as remaining, if it ever sends rate-limit headers (none are documented). */
  serverRemaining?: number;
  /** Aimfox documents no daily allowance. */
  dailyRemaining: null;
  /** 429 answers received since this client started. */
  rateLimited: number;
  requests: number;
}

export class AimfoxTransport {
  readonly pacer: Pacer;
  private readonly http: HttpClient;
  /** Fewer attempts, for the credential test: a person is waiting on it. */
  private readonly probeHttp: HttpClient;
  private readonly now: () => number;
  private readonly limits: Required<AimfoxLimits>;
  private keyWorked = false;
  private serverRemaining?: number;

  constructor(private readonly opts: AimfoxTransportOptions) {
    this.now = opts.now ?? Date.now;
    const requests = opts.limits?.requests ?? AIMFOX_LIMIT.requests;
    const windowMs = opts.limits?.windowMs ?? AIMFOX_LIMIT.windowMs;
    this.limits = { requests, windowMs };
    this.pacer = opts.pacer ?? createAimfoxPacer({ requests, windowMs }, this.now, opts.sleep, opts.paceShare);
    const rateLimitWaitMs = opts.rateLimitWaitMs ?? Math.ceil(windowMs / 6);
    const common = {
      system: 'aimfox' as const,
      baseUrl: opts.baseUrl,
      pacer: this.pacer,
      classify: (res: RawResponse, req: HttpRequest) => {
        // A 429 without Retry-After waits a fixed share of the window rather than hammering with short backoffs.
        return classifyAimfoxResponse(res, req as AimfoxRequest, {
          now: this.now(),
          defaultRetryAfterMs: rateLimitWaitMs,
        });
      },
      observe: (res: RawResponse, pacer: Pacer) => this.observe(res, pacer),
      prepare: async () => ({ authorization: `Bearer ${await this.key()}`, accept: 'application/json' }),
      timeoutMs: opts.timeoutMs ?? 90_000,
      baseDelayMs: opts.baseDelayMs ?? 500,
      maxDelayMs: Math.max(30_000, rateLimitWaitMs),
      sleep: opts.sleep,
      random: opts.random,
      onAttempt: (info: Parameters<NonNullable<AimfoxTransportOptions['onAttempt']>>[0]) => {
        if (info.error) withoutSecrets(info.error);
        opts.onAttempt?.(info);
      },
    };
    this.http = new HttpClient({ ...common, maxAttempts: opts.maxAttempts ?? 5 });
    this.probeHttp = new HttpClient({ ...common, maxAttempts: Math.min(3, opts.maxAttempts ?? 3) });
  }

  private async key(): Promise<string> {
    const k = typeof this.opts.apiKey === 'function' ? await this.opts.apiKey() : this.opts.apiKey;
    if (!k || !k.trim()) {
      throw new ConnectorError({
        system: 'aimfox',
        kind: 'config',
        message:
          'No Aimfox API key is saved — paste a workspace API key (Aimfox → Workspace Settings → Integrations) on the Connections screen.',
      });
    }
    return k.trim();
  }

  /** Rate-limit headers are not documented; if Aimfox ever sends the common ones, respect them. */
  private observe(res: RawResponse, pacer: Pacer): void {
    const remaining = headerNumber(res, 'x-ratelimit-remaining') ?? headerNumber(res, 'ratelimit-remaining');
    if (remaining === undefined) return;
    this.serverRemaining = remaining;
    if (remaining > 0) return;
    const reset = headerNumber(res, 'x-ratelimit-reset') ?? headerNumber(res, 'ratelimit-reset');
    if (reset === undefined) return; // our own window already stops us at the documented limit
    const now = this.now();
    const ms = reset > 1e12 ? reset - now : reset > 1e9 ? reset * 1000 - now : reset * 1000;
    pacer.holdOff(Math.min(Math.max(0, ms), this.limits.windowMs));
  }

  /**
   * Send one call and return its success envelope. `probe` uses fewer retries (credential test).
   * A key that has never worked and gets HTTP 500 on every attempt of a read is reported as a master key.
   */
  async call(req: AimfoxRequest, probe = false): Promise<Record<string, unknown>> {
    const idempotent = req.idempotent ?? (req.method === 'GET' || req.method === 'PUT' || req.method === 'DELETE');
    let res: RawResponse;
    try {
      res = await (probe ? this.probeHttp : this.http).send(req);
    } catch (e) {
      if (isConnectorError(e)) {
        withoutSecrets(e);
        if (e.kind === 'server' && e.status === 500 && !this.keyWorked && idempotent) throw masterKeyError(req, e);
      }
      throw e;
    }
    this.keyWorked = true;
    // classify already proved it is JSON with status ok.
    return JSON.parse(res.body) as Record<string, unknown>;
  }

  /** One resource from the envelope, validated; a bad shape is a `malformed` error on this call. */
  resource<T>(body: Record<string, unknown>, key: string, schema: z.ZodType<T>, ctx: RequestContext): T {
    if (!(key in body)) throw malformedResource(ctx, `no "${key}" in the answer`);
    const r = schema.safeParse(body[key]);
    if (!r.success) throw malformedResource(ctx, describeZodError(r.error));
    return r.data;
  }

  /** A list from the envelope: the container must be an array; each bad item is reported, not fatal. */
  list<T>(
    body: Record<string, unknown>,
    key: string,
    schema: z.ZodType<T>,
    ctx: RequestContext,
    what: string,
  ): ListResult<T> {
    const raw = body[key];
    if (!Array.isArray(raw))
      throw malformedResource(ctx, `"${key}" is ${raw === undefined ? 'missing' : 'not a list'}`);
    return parseList(raw, schema, what);
  }

  budget(): AimfoxBudget {
    const status = this.pacer.status();
    const minute = status.windows.find((w) => w.name === 'minute') ?? status.windows[0];
    const stats = this.http.stats;
    const probe = this.probeHttp.stats;
    return {
      pacer: status,
      minuteRemaining: minute?.remaining ?? 0,
      minuteLimit: this.limits.requests,
      serverRemaining: this.serverRemaining,
      dailyRemaining: null,
      rateLimited: stats.rateLimited + probe.rateLimited,
      requests: stats.requests + probe.requests,
    };
  }
}

/**
 * A network error's cause is got's RequestError, whose `options.headers` hold the bearer key: replace it with
 * a plain Error (name, code, message) so logging the error can never print the key.
 */
function withoutSecrets(e: ConnectorError): void {
  const cause = (e as { cause?: unknown }).cause;
  if (!cause || typeof cause !== 'object') return;
  const c = cause as { name?: unknown; code?: unknown; message?: unknown };
  const plain = new Error(typeof c.message === 'string' ? c.message : 'request failed');
  plain.name = typeof c.name === 'string' ? c.name : 'Error';
  if (typeof c.code === 'string') Object.assign(plain, { code: c.code });
  Object.defineProperty(e, 'cause', { value: plain, enumerable: false, configurable: true, writable: true });
}
