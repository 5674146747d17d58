/**
 * Maps an AroFlo answer to "fine" or a typed ConnectorError (README "Facts: signing", "Facts: limits and status
 * codes"). AroFlo usually answers HTTP 200 and puts the outcome in the body's `status`; "0" is OK, anything else is
 * a failure we name precisely.
 */
import { ConnectorError, type ConnectorErrorKind } from '../shared/errors.js';
import type { Envelope } from './envelope.js';

export interface StatusContext {
  operation: string;
  /** How long the per-second / per-minute windows are (scaled in tests), for the wait after a rate-limit answer. */
  secondWindowMs: number;
  minuteWindowMs: number;
  /** Milliseconds until the daily counters reset (00:00 Melbourne). */
  msUntilDailyReset: () => number;
  /** A Retry-After the server sent, if any. */
  retryAfterMs?: number;
}

const CONNECTIONS = 'on the Connections screen';

function err(
  kind: ConnectorErrorKind,
  ctx: StatusContext,
  status: string,
  detail: string,
  message?: string,
  retryAfterMs?: number,
): ConnectorError {
  return new ConnectorError({
    system: 'aroflo',
    kind,
    status,
    detail,
    operation: ctx.operation,
    message,
    retryAfterMs,
  });
}

/** The -99999 family: what AroFlo said, and what the person should do about it. */
function authError(env: Envelope, ctx: StatusContext): ConnectorError {
  const m = env.statusmessage;
  if (/signatures? do(es)? not match/i.test(m)) {
    return err(
      'signed_out',
      ctx,
      env.status,
      m,
      `AroFlo says the signatures do not match — check the secret key ${CONNECTIONS} (it changes when someone presses "Generate API Secret Key" in AroFlo).`,
    );
  }
  if (/setup is invalid/i.test(m)) {
    return err(
      'config',
      ctx,
      env.status,
      m,
      `AroFlo says its API setup is invalid — the secret key was generated but not saved in AroFlo. In AroFlo go to Site Administration → Settings → General → AroFlo API, generate the secret key again, save, and paste it ${CONNECTIONS}.`,
    );
  }
  if (/payload has expired/i.test(m)) {
    return err(
      'config',
      ctx,
      env.status,
      m,
      "AroFlo rejected the request as expired — this computer's clock is off. Turn on automatic date and time (internet time), then try again.",
    );
  }
  if (/headers? (are|is) missing/i.test(m)) {
    return err(
      'config',
      ctx,
      env.status,
      m,
      `AroFlo says required sign-in headers are missing — re-enter the AroFlo credentials ${CONNECTIONS}.`,
    );
  }
  return err(
    'signed_out',
    ctx,
    env.status,
    m,
    `AroFlo refused the sign-in (${m || 'code -99999'}) — check the AroFlo credentials ${CONNECTIONS}.`,
  );
}

/** undefined when the envelope says OK; the typed error otherwise. */
export function statusError(env: Envelope, ctx: StatusContext): ConnectorError | undefined {
  const s = env.status;
  const m = env.statusmessage;
  if (s === '0') return undefined;
  // AroFlo's code for a bad filter is not documented (community code keys on the message), so the message decides.
  if (/invalid where/i.test(m))
    return err(
      'rejected',
      ctx,
      s,
      m,
      `AroFlo rejected the filter: ${m} — this is a bug in GHL Bridge; please report it.`,
    );
  switch (s) {
    case '-99999':
      return authError(env, ctx);
    case '1':
      return err(
        'config',
        ctx,
        s,
        m,
        `AroFlo says the request is invalid (${m || 'missing uEncoded, pEncoded or orgEncoded'}) — re-enter the AroFlo credentials ${CONNECTIONS}.`,
      );
    case '2':
      return err(
        'config',
        ctx,
        s,
        m,
        `AroFlo credentials are empty — enter uEncoded, pEncoded, orgEncoded and the secret key ${CONNECTIONS}.`,
      );
    case '3':
    case '4':
      return err(
        'scope',
        ctx,
        s,
        m,
        `AroFlo refused: the API user has no permission for this (${m || `code ${s}`}) — in AroFlo, enable AroFloAPI access for that user, then test the connection again.`,
      );
    case '5':
      return err(
        'rejected',
        ctx,
        s,
        m,
        `AroFlo refused the request method (${m || 'Invalid Request Method'}) — this is a bug in GHL Bridge; please report it.`,
      );
    case '6':
      return err('rate_limited', ctx, s, m, undefined, ctx.retryAfterMs ?? ctx.minuteWindowMs);
    case '429':
      return err('rate_limited', ctx, s, m, undefined, ctx.retryAfterMs ?? ctx.secondWindowMs);
    case '7':
      return err(
        'quota_exhausted',
        ctx,
        s,
        m,
        `AroFlo's daily request allowance is used up — sync resumes after it resets at midnight Melbourne time.`,
        ctx.msUntilDailyReset(),
      );
    case '8':
      return err('rejected', ctx, s, m, `AroFlo's answer would be too large (over 3.5 MB) — ask for a smaller page.`);
    case '20':
      return err(
        'config',
        ctx,
        s,
        m,
        `AroFlo says API login is not enabled for this site (${m || 'code 20'}) — ask your AroFlo administrator to enable it.`,
      );
    case '30':
      return err(
        'server',
        ctx,
        s,
        m,
        `AroFlo has switched its API off for now (${m || 'code 30'}) — sync will retry later.`,
      );
    case '888888':
      return err(
        'server',
        ctx,
        s,
        m,
        `AroFlo timed out working on the request (${m || 'code 888888'}) — it will be retried in smaller parts.`,
      );
    default:
      if (/postxml/i.test(m))
        return err(
          'rejected',
          ctx,
          s,
          m,
          `AroFlo could not read the records we sent (${m}) — the batch is split to find the record it refuses.`,
        );
      if (/where/i.test(m))
        return err(
          'rejected',
          ctx,
          s,
          m,
          `AroFlo rejected the filter: ${m} — this is a bug in GHL Bridge; please report it.`,
        );
      return err(
        'server',
        ctx,
        s,
        m,
        `AroFlo answered with an unexpected status ${s}${m ? ` (${m})` : ''} — sync will retry later.`,
      );
  }
}
