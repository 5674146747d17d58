/**
 * Turns anything a bridge handler throws into what a transport sends back: a status code and
 * `{ error: { message, kind } }` — the handler's own words when it meant them for people, never a stack trace or a
 * secret. Shared by serve mode (HTTP status) and the Electron IPC transport (status ignored).
 */
import type { BridgeErrorPayload } from '../../preload/contract.js';

/** HTTP status per error kind. Kinds come from ConnectorError, VaultError.code and the service's own errors. */
const STATUS_BY_KIND: Record<string, number> = {
  invalid_request: 400,
  invalid: 400,
  validation: 400,
  bad_request: 400,
  rejected: 400,
  not_found: 404,
  // A call naming a location that is not open (main/service/location-router.ts).
  no_location: 404,
  config: 409,
  needs_preview: 409,
  conflict: 409,
  busy: 409,
  locked: 409,
  signed_out: 409,
  scope: 409,
  no_key: 409,
  wrong_key: 409,
  insecure: 409,
  corrupt: 500,
  rate_limited: 503,
  quota_exhausted: 503,
  server: 502,
  network: 502,
  malformed: 502,
};

/** Programming and database errors: their messages describe our code or our SQL, not anything a person can act on. */
const INTERNAL_ERROR_NAMES = new Set([
  'TypeError',
  'ReferenceError',
  'RangeError',
  'SyntaxError',
  'EvalError',
  'URIError',
  'SqliteError',
  // The PostgreSQL store's (main/store/sql.ts).
  'SqlError',
]);

/** better-sqlite3's errors carry a SQLITE_* code whatever their class name. */
const isDatabaseError = (err: Error): boolean => {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_');
};

const MAX_MESSAGE = 500;

/** Last-line defence against secrets in messages: bearer values and token-like query parameters. */
export function scrubMessage(text: string): string {
  return text
    .split('\n')[0]!
    .replace(/(Bearer|HMAC|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]')
    .replace(/([?&](?:token|code|access_token|refresh_token|client_secret|api_key|apikey)=)[^&\s"']+/gi, '$1[redacted]')
    .slice(0, MAX_MESSAGE);
}

interface ZodLikeIssue {
  path: PropertyKey[];
  message: string;
}

function isZodError(err: unknown): err is Error & { issues: ZodLikeIssue[] } {
  return err instanceof Error && err.name === 'ZodError' && Array.isArray((err as { issues?: unknown }).issues);
}

export interface TransportError {
  status: number;
  payload: BridgeErrorPayload;
  /** Whether the message was replaced by a generic one (the caller should log the original). */
  internal: boolean;
}

export function toTransportError(err: unknown, method: string): TransportError {
  if (isZodError(err)) {
    const first = err.issues[0];
    const where = first && first.path.length ? ` (${first.path.map(String).join('.')})` : '';
    return {
      status: 400,
      internal: false,
      payload: {
        error: {
          kind: 'invalid_request',
          message: scrubMessage(
            `That request for ${method} is not valid${where}: ${first?.message ?? 'check the values'}.`,
          ),
        },
      },
    };
  }
  if (err instanceof Error && !INTERNAL_ERROR_NAMES.has(err.name) && !isDatabaseError(err)) {
    const e = err as Error & { kind?: unknown; code?: unknown; statusCode?: unknown };
    const kind =
      typeof e.kind === 'string' ? e.kind : typeof e.code === 'string' && STATUS_BY_KIND[e.code] ? e.code : 'failed';
    // Fastify's own client errors (bad JSON, wrong content type) carry a 4xx statusCode.
    const ownStatus =
      typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : undefined;
    // An error that names its kind was raised on purpose for people to read: a refusal, not a crash.
    const status = STATUS_BY_KIND[kind] ?? ownStatus ?? (typeof e.kind === 'string' ? 400 : 500);
    const message = scrubMessage(err.message.trim()) || `${method} failed.`;
    return {
      status,
      internal: false,
      payload: { error: { kind: ownStatus && kind === 'failed' ? 'invalid_request' : kind, message } },
    };
  }
  return {
    status: 500,
    internal: true,
    payload: {
      error: {
        kind: 'internal',
        message: `GHL Bridge hit an internal problem while running ${method} — try again; if it keeps happening, copy the diagnostics from the Logs screen and send them to support.`,
      },
    },
  };
}
