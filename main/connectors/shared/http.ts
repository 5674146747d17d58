/**
 * The one way our connectors talk HTTP: got underneath, every attempt paced, failures mapped to typed
 * ConnectorErrors by the connector's own `classify`, and retries with exponential backoff + full jitter that
 * honour any wait the server states.
 *
 * Retry policy:
 * - idempotent requests (GET, PUT, DELETE, or a POST the caller marks idempotent such as a search): retried on
 *   rate limits, server errors and network errors;
 * - non-idempotent writes: retried only when the server provably did not process them (429/rate-limit status,
 *   connection refused before any byte was sent). Anything else is raised, and the engine's outbox decides.
 */
import got, { type Got, type Response, RequestError } from 'got';
import { ConnectorError, type SystemName } from './errors.js';
import { Pacer, realSleep } from './pacer.js';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path relative to the base URL, already encoded, e.g. "/contacts/abc/tasks". May include a query string. */
  path: string;
  searchParams?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  /** A raw body sent byte for byte (e.g. AroFlo's signed form body). */
  body?: string;
  headers?: Record<string, string>;
  /** Safe to send twice (the default for GET/PUT/DELETE). */
  idempotent?: boolean;
  /** Short name of the call for errors and logs, e.g. "POST /contacts/search". */
  operation: string;
  /** Per-request timeout override in ms. */
  timeoutMs?: number;
  /**
   * An extra check of a response `classify` passed (e.g. the body parses and matches the documented shape).
   * A returned error is handled like a classified one: an idempotent call is retried on `malformed`/`server`,
   * a non-idempotent write is not.
   */
  accept?: (res: RawResponse) => ConnectorError | undefined;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Ms from just before this attempt was sent until its answer was complete (set by HttpClient). */
  elapsedMs?: number;
}

/** What a connector says about a response: fine, or a typed error (with `retry` telling whether a resend can help). */
export type Classification = { ok: true } | { ok: false; error: ConnectorError };

export interface HttpClientOptions {
  system: SystemName;
  baseUrl: string;
  pacer: Pacer;
  /** Map a response to ok or a typed error. Called for every response, 2xx included (AroFlo reports errors in 200s). */
  classify: (res: RawResponse, req: HttpRequest) => Classification;
  /** Read rate-limit headers into the pacer. */
  observe?: (res: RawResponse, pacer: Pacer) => void;
  /** Called right before each attempt, to add per-attempt headers (AroFlo signs every attempt anew; GHL adds the bearer). */
  prepare?: (req: HttpRequest) => Promise<Record<string, string>> | Record<string, string>;
  maxAttempts?: number;
  /**
   * Longest the pacer may hold a request back (a stated hold-off, a spent daily budget). Beyond it the call fails
   * at once with `quota_exhausted` (daily budget spent) or `rate_limited`, carrying `retryAfterMs`, instead of
   * sleeping for hours. Default 120 s.
   */
  maxPacerWaitMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Observability hook: one call per attempt. */
  onAttempt?: (info: {
    operation: string;
    attempt: number;
    status?: number;
    error?: ConnectorError;
    ms: number;
  }) => void;
}

export interface HttpStats {
  requests: number;
  retries: number;
  rateLimited: number;
  byOperation: Record<string, number>;
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export class HttpClient {
  private readonly got: Got;
  readonly stats: HttpStats = { requests: 0, retries: 0, rateLimited: 0, byOperation: {} };

  constructor(private readonly opts: HttpClientOptions) {
    this.got = got.extend({
      prefixUrl: opts.baseUrl.replace(/\/+$/, ''),
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      decompress: true,
      timeout: { request: opts.timeoutMs ?? 30_000 },
    });
  }

  get pacer(): Pacer {
    return this.opts.pacer;
  }

  /** Send with pacing and retries; returns the raw response once `classify` says ok, else throws a ConnectorError. */
  async send(req: HttpRequest): Promise<RawResponse> {
    const idempotent = req.idempotent ?? (req.method === 'GET' || req.method === 'PUT' || req.method === 'DELETE');
    const maxAttempts = this.opts.maxAttempts ?? 5;
    const sleep = this.opts.sleep ?? realSleep;
    const random = this.opts.random ?? Math.random;
    let lastError: ConnectorError | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      this.refuseLongPacerWait(req);
      await this.opts.pacer.acquire();
      const started = Date.now();
      this.stats.requests++;
      this.stats.byOperation[req.operation] = (this.stats.byOperation[req.operation] ?? 0) + 1;
      if (attempt > 1) this.stats.retries++;
      let error: ConnectorError;
      let sentNothing = false;
      try {
        let answeredAgoMs = 0;
        const res = await this.attempt(req, (ago) => (answeredAgoMs = ago)).finally(() =>
          this.opts.pacer.attemptDone(answeredAgoMs),
        );
        this.opts.observe?.(res, this.opts.pacer);
        let verdict = this.opts.classify(res, req);
        if (verdict.ok && req.accept) {
          const rejected = req.accept(res);
          if (rejected) verdict = { ok: false, error: rejected };
        }
        this.opts.onAttempt?.({
          operation: req.operation,
          attempt,
          status: res.status,
          error: verdict.ok ? undefined : verdict.error,
          ms: Date.now() - started,
        });
        if (verdict.ok) return res;
        error = verdict.error;
      } catch (e) {
        if (e instanceof ConnectorError) throw e; // raised by prepare(): configuration or sign-in, never retried here
        const code = e instanceof RequestError ? e.code : undefined;
        sentNothing = code !== undefined && NOT_SENT_CODES.has(code);
        error = new ConnectorError({
          system: this.opts.system,
          kind: 'network',
          operation: req.operation,
          detail: code ?? (e instanceof Error ? e.message : String(e)),
          // got's error carries the request options (Authorization header, form secrets): keep only its words.
          cause: plainCause(e),
        });
        this.opts.onAttempt?.({ operation: req.operation, attempt, error, ms: Date.now() - started });
      }
      lastError = error;
      if (error.kind === 'rate_limited') this.stats.rateLimited++;
      const retryable =
        (error.kind === 'rate_limited' && (error.retryAfterMs === undefined || error.retryAfterMs <= 120_000)) ||
        (idempotent && (error.kind === 'server' || error.kind === 'network' || error.kind === 'malformed')) ||
        (!idempotent && error.kind === 'network' && sentNothing);
      if (!retryable || attempt === maxAttempts) throw error;
      const backoff = Math.min(this.opts.maxDelayMs ?? 30_000, (this.opts.baseDelayMs ?? 500) * 2 ** (attempt - 1));
      const jittered = Math.floor(random() * backoff);
      const wait = Math.max(jittered, error.retryAfterMs ?? 0);
      if (error.retryAfterMs !== undefined) this.opts.pacer.holdOff(error.retryAfterMs);
      await sleep(wait);
    }
    throw lastError ?? new ConnectorError({ system: this.opts.system, kind: 'network', operation: req.operation });
  }

  private refuseLongPacerWait(req: HttpRequest): void {
    const pacer = this.opts.pacer;
    const wait = pacer.delayMs();
    if (wait <= (this.opts.maxPacerWaitMs ?? 120_000)) return;
    const st = pacer.status();
    const daily = st.serverDailyRemaining === 0 || st.windows.some((w) => w.windowMs >= 3_600_000 && w.remaining === 0);
    throw new ConnectorError({
      system: this.opts.system,
      kind: daily ? 'quota_exhausted' : 'rate_limited',
      operation: req.operation,
      retryAfterMs: wait,
    });
  }

  /** One attempt. `answered` learns how long ago the answer's first byte came in (the server's latest possible moment). */
  private async attempt(req: HttpRequest, answered?: (agoMs: number) => void): Promise<RawResponse> {
    const sentAt = Date.now();
    const extra = (await this.opts.prepare?.(req)) ?? {};
    const searchParams = req.searchParams
      ? Object.fromEntries(
          Object.entries(req.searchParams).filter(([, v]) => v !== undefined) as Array<
            [string, string | number | boolean]
          >,
        )
      : undefined;
    const res: Response<string> = await this.got(req.path.replace(/^\/+/, ''), {
      method: req.method,
      searchParams,
      json: req.json,
      body: req.body,
      headers: { ...req.headers, ...extra },
      responseType: 'text',
      timeout: req.timeoutMs ? { request: req.timeoutMs } : undefined,
    });
    const firstByte = res.timings?.response;
    if (firstByte !== undefined) answered?.(Math.max(0, Date.now() - firstByte));
    return { status: res.statusCode, headers: res.headers, body: res.body, elapsedMs: Date.now() - sentAt };
  }
}

/** A stand-in for a library error that may carry request options (headers, bodies with secrets): name, code, message only. */
export function plainCause(e: unknown): Error {
  if (!(e instanceof Error)) return new Error(String(e));
  const plain = new Error(e.message);
  plain.name = e.name;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') (plain as Error & { code?: string }).code = code;
  return plain;
}

/** Parse a JSON body or raise a typed `malformed` error (HTML error pages, truncated bodies). */
export function parseJsonBody(system: SystemName, res: RawResponse, operation: string): unknown {
  try {
    return JSON.parse(res.body);
  } catch (cause) {
    const looksHtml = /^\s*</.test(res.body);
    throw new ConnectorError({
      system,
      kind: res.status >= 500 ? 'server' : 'malformed',
      status: res.status,
      operation,
      detail: looksHtml
        ? `an HTML page instead of data (HTTP ${res.status})`
        : `unreadable body (HTTP ${res.status}, ${res.body.length} bytes)`,
      cause,
    });
  }
}

/** A header as a number, or undefined. */
export function headerNumber(res: RawResponse, name: string): number | undefined {
  const v = res.headers[name.toLowerCase()];
  const s = Array.isArray(v) ? v[0] : v;
  if (s === undefined || s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** Retry-After (seconds or HTTP date) in ms, or undefined. */
export function retryAfterMs(res: RawResponse, now: number = Date.now()): number | undefined {
  const v = res.headers['retry-after'];
  const s = Array.isArray(v) ? v[0] : v;
  if (!s) return undefined;
  const secs = Number(s);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(s);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}
