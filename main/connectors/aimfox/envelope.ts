/**
 * Aimfox's answer envelope → ok or a typed ConnectorError (README "Facts: envelope").
 *
 * Success: `{"status":"ok", <resource>: …}` (also `"OK"` in capitals). Failure: `{"status":"fail","error":{code,
 * message,type,data}}` where `data` is a machine code (`locked`, `ValidationError`, …). A wrong key type answers
 * HTTP 500 (handled by the client, which knows whether the key has ever worked). 401/403 mean the key is not
 * accepted. 429 means over 60 requests/minute.
 */
import { z } from 'zod';
import { ConnectorError, type ConnectorErrorKind } from '../shared/errors.js';
import { retryAfterMs, type Classification, type RawResponse } from '../shared/http.js';

/** A ConnectorError carrying Aimfox's own error code (`error.data`) and message. */
export class AimfoxError extends ConnectorError {
  /** `error.data` as sent, e.g. `locked`, `miningFailed`, `ValidationError`. */
  readonly code?: string;

  constructor(init: ConstructorParameters<typeof ConnectorError>[0] & { code?: string }) {
    super(init);
    this.name = 'AimfoxError';
    this.code = init.code;
  }
}

const failSchema = z.object({
  status: z.string(),
  error: z
    .object({
      code: z.union([z.number(), z.string()]).nullish(),
      message: z.string().nullish(),
      type: z.string().nullish(),
      data: z.unknown().optional(),
    })
    .nullish(),
});

export interface AimfoxFailure {
  code?: string;
  message?: string;
  httpCode?: number;
}

/** Read `error` from a fail envelope (or from any JSON error body); undefined when the body is not JSON. */
export function readFailure(body: string): AimfoxFailure | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const r = failSchema.safeParse(json);
  if (!r.success || !r.data.error) return undefined;
  const e = r.data.error;
  const data = typeof e.data === 'string' ? e.data : undefined;
  const code =
    typeof e.code === 'number'
      ? e.code
      : typeof e.code === 'string' && /^\d+$/.test(e.code)
        ? Number(e.code)
        : undefined;
  return { code: data, message: e.message ?? undefined, httpCode: code };
}

/** Whether a parsed body is a success envelope (`status` "ok" in any case). */
export function isOkEnvelope(json: unknown): json is Record<string, unknown> & { status: string } {
  return (
    !!json &&
    typeof json === 'object' &&
    typeof (json as { status?: unknown }).status === 'string' &&
    (json as { status: string }).status.toLowerCase() === 'ok'
  );
}

/** What the client passes along with each request so errors can name the record. */
export interface RequestContext {
  operation: string;
  /** e.g. `lead 1113575872`, `campaign 5c90…`; shown to people, never logged with secrets. */
  record?: string;
}

function kindForStatus(status: number): ConnectorErrorKind {
  if (status === 401 || status === 403) return 'signed_out';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  if (status >= 300 && status < 400) return 'config';
  return 'rejected';
}

/** A sentence a person can act on, naming the record when there is one. */
export function messageFor(
  kind: ConnectorErrorKind,
  ctx: RequestContext,
  failure?: AimfoxFailure,
  status?: number,
): string {
  const rec = ctx.record ? ` ${ctx.record}` : '';
  const said = failure?.message ? `: "${failure.message}"` : '';
  switch (kind) {
    case 'signed_out':
      return `Aimfox did not accept the API key (HTTP ${status ?? '401'}) — copy a workspace API key from Aimfox → Workspace Settings → Integrations and paste it on the Connections screen.`;
    case 'not_found':
      return `Aimfox has no${rec || ' such record'} (it may have been deleted in Aimfox) — the link will be re-checked on the next full sync.`;
    case 'rate_limited':
      return 'Aimfox asked us to slow down (more than 60 requests a minute) — sync continues shortly.';
    case 'server':
      return `Aimfox had a server problem${rec ? ` with${rec}` : ''} (HTTP ${status ?? '5xx'}) — sync will retry later.`;
    case 'config':
      return `The Aimfox address answered with a redirect (HTTP ${status}) — check the Aimfox server address on the Connections screen.`;
    case 'malformed':
      return `Aimfox sent an answer we could not read${rec ? ` for${rec}` : ''} — it was skipped and will be retried.`;
    default:
      return `Aimfox refused${rec ? ` the change to${rec}` : ' the request'}${said} — check the record and the field mapping.`;
  }
}

/** Map one response to ok or a typed error. Used as the HttpClient's `classify`. */
export function classifyAimfoxResponse(
  res: RawResponse,
  ctx: RequestContext,
  opts: { now?: number; /** Wait after a 429 that states none. */ defaultRetryAfterMs?: number } = {},
): Classification {
  const { status } = res;
  if (status >= 200 && status < 300) {
    let json: unknown;
    try {
      json = JSON.parse(res.body);
    } catch {
      return {
        ok: false,
        error: malformed(
          ctx,
          status,
          /^\s*</.test(res.body) ? 'an HTML page instead of data' : 'a cut-off or unreadable body',
        ),
      };
    }
    if (isOkEnvelope(json)) return { ok: true };
    const failure = readFailure(res.body);
    if (failure && (json as { status?: unknown }).status === 'fail') {
      // A fail envelope inside a 2xx: trust the code it carries.
      const code = failure.httpCode ?? 400;
      const kind = kindForStatus(code);
      return {
        ok: false,
        error: new AimfoxError({
          system: 'aimfox',
          kind,
          status: code,
          code: failure.code,
          detail: failure.message,
          operation: ctx.operation,
          message: messageFor(kind, ctx, failure, code),
        }),
      };
    }
    return { ok: false, error: malformed(ctx, status, 'no "status":"ok" in the answer') };
  }
  const failure = readFailure(res.body);
  const kind = kindForStatus(status);
  return {
    ok: false,
    error: new AimfoxError({
      system: 'aimfox',
      kind,
      status,
      code: failure?.code,
      detail: failure?.message ?? (/^\s*</.test(res.body) ? `an HTML error page (HTTP ${status})` : undefined),
      retryAfterMs:
        kind === 'rate_limited' ? (retryAfterMs(res, opts.now ?? Date.now()) ?? opts.defaultRetryAfterMs) : undefined,
      operation: ctx.operation,
      message: messageFor(kind, ctx, failure, status),
    }),
  };
}

function malformed(ctx: RequestContext, status: number, detail: string): AimfoxError {
  return new AimfoxError({
    system: 'aimfox',
    kind: 'malformed',
    status,
    detail,
    operation: ctx.operation,
    message: messageFor('malformed', ctx),
  });
}

/** The error for a success envelope whose resource is missing or of the wrong shape. */
export function malformedResource(ctx: RequestContext, detail: string): AimfoxError {
  return new AimfoxError({
    system: 'aimfox',
    kind: 'malformed',
    detail,
    operation: ctx.operation,
    message: `${messageFor('malformed', ctx).replace(/ —.*/, '')} (${detail}) — it was skipped and will be retried.`,
  });
}

/**
 * The error for a key that has never worked and gets HTTP 500 on every try: Aimfox answers 500 when a master
 * (agency) key calls a workspace route.
 */
export function masterKeyError(ctx: RequestContext, cause: unknown): AimfoxError {
  return new AimfoxError({
    system: 'aimfox',
    kind: 'config',
    status: 500,
    detail: 'HTTP 500 on every attempt with a key that has not worked yet',
    operation: ctx.operation,
    message:
      'Aimfox answered "internal server error" every time with this API key — this looks like a master key; use a workspace API key (Aimfox → Workspace Settings → Integrations) on the Connections screen.',
    cause,
  });
}
