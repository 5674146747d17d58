/**
 * Typed connector errors: every failure a client can raise is one of these kinds, with a message a person
 * can act on. The engine decides what to do by `kind` (retry later, pause sync, quarantine a record, ask to sign in).
 */
import { isWellFormedText } from './text.js';

export type SystemName = 'ghl' | 'aroflo' | 'aimfox';

export type ConnectorErrorKind =
  | 'signed_out' // no credentials, token expired and refresh failed, token revoked: sign in again
  | 'scope' // token lacks a scope / permission for this call
  | 'rate_limited' // 429 or the service's own rate-limit status; retryAfterMs says when
  | 'quota_exhausted' // the daily budget is used up; resumes after the reset
  | 'not_found' // the record does not exist (any more)
  | 'rejected' // the service refused the input (validation); `detail` holds its message
  | 'server' // 5xx or the service's own "internal error"
  | 'network' // connection refused/reset, DNS, timeout
  | 'malformed' // a response that does not match the documented shape
  | 'config'; // our own configuration is incomplete or invalid

const SYSTEM_LABEL: Record<SystemName, string> = { ghl: 'HighLevel', aroflo: 'AroFlo', aimfox: 'Aimfox' };

export class ConnectorError extends Error {
  readonly system: SystemName;
  readonly kind: ConnectorErrorKind;
  /** HTTP status (or the service's own status code) when there was one. */
  readonly status?: number | string;
  /** The service's own words (validation messages, error codes). Never contains secrets. */
  readonly detail?: string;
  /** When the service said (or we computed) how long to wait. */
  readonly retryAfterMs?: number;
  /** Which call failed, e.g. "PUT /contacts/{id}". No ids or query values that could carry personal data. */
  readonly operation?: string;

  constructor(init: {
    system: SystemName;
    kind: ConnectorErrorKind;
    message?: string;
    status?: number | string;
    detail?: string;
    retryAfterMs?: number;
    operation?: string;
    cause?: unknown;
  }) {
    super(init.message ?? defaultMessage(init.system, init.kind, init.detail), { cause: init.cause });
    this.name = 'ConnectorError';
    this.system = init.system;
    this.kind = init.kind;
    this.status = init.status;
    this.detail = init.detail;
    this.retryAfterMs = init.retryAfterMs;
    this.operation = init.operation;
  }

  /** Whether trying the same call again later can succeed without anyone changing anything. */
  get transient(): boolean {
    return (
      this.kind === 'rate_limited' ||
      this.kind === 'server' ||
      this.kind === 'network' ||
      this.kind === 'quota_exhausted'
    );
  }
}

export function defaultMessage(system: SystemName, kind: ConnectorErrorKind, detail?: string): string {
  const s = SYSTEM_LABEL[system];
  switch (kind) {
    case 'signed_out':
      return `${s} sign-in expired or was revoked — sign in again on the Connections screen.`;
    case 'scope':
      return `${s} refused: the sign-in lacks a permission this needs — sign in again and approve all requested permissions.`;
    case 'rate_limited':
      return `${s} asked us to slow down — sync will continue shortly.`;
    case 'quota_exhausted':
      return `${s}'s daily request allowance is used up — sync resumes after it resets.`;
    case 'not_found':
      return `${s} no longer has this record.`;
    case 'rejected':
      return `${s} rejected the data${detail ? `: ${detail}` : ''} — check the record and the field mapping.`;
    case 'server':
      return `${s} had a server problem — sync will retry later.`;
    case 'network':
      return `Could not reach ${s} — check the internet connection; sync will retry.`;
    case 'malformed':
      return `${s} sent an answer we could not read${detail ? ` (${detail})` : ''} — the record was skipped and will be retried.`;
    case 'config':
      return `${s} is not set up${detail ? `: ${detail}` : ''} — finish it on the Connections screen.`;
  }
}

export function isConnectorError(e: unknown): e is ConnectorError {
  return e instanceof ConnectorError;
}

/**
 * One id as one URL path segment. Ids are opaque strings from the services (or our own ID map), but "." and ".." are
 * dot segments — the URL parser resolves `/contacts/..` to `/`, another endpoint — and an empty id addresses the
 * collection instead of a record. Those are refused with a typed error before any request goes out.
 */
export function pathSegment(system: SystemName, id: string | number, what = 'record id'): string {
  const s = String(id);
  if (s === '' || s === '.' || s === '..' || !isWellFormedText(s)) {
    throw new ConnectorError({
      system,
      kind: 'rejected',
      detail: `invalid ${what}`,
      message: `${s ? `"${s}"` : 'An empty value'} is not a valid ${SYSTEM_LABEL[system]} ${what} — nothing was sent; re-link the record.`,
    });
  }
  return encodeURIComponent(s);
}
