/**
 * OAuth sign-in through the system browser with a loopback redirect (RFC 8252).
 *
 * startLogin listens on 127.0.0.1 at the redirect URI's (registered) port, opens the consent page with a random
 * single-use `state` and a PKCE S256 challenge, and waits for the browser to come back:
 * - wrong Host → 400, wrong path → 404, wrong method → 405, wrong/missing/used `state` → 400: none of these end the
 *   login (a stray or hostile request cannot cancel it);
 * - the first request with the right state ends it: `error=` (denied) → failure page and LoginError("denied");
 *   `code=` → code exchanged at the token endpoint, then a success page (or a failure page if the exchange failed);
 * - the listener closes right after that first valid answer, so a replayed callback finds nobody listening;
 * - one login at a time (a second start is refused), 5-minute timeout, cancellable with an AbortSignal.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { ConnectorError, type ConnectorErrorKind } from '../shared/errors.js';
import { failurePage, rejectPage, successPage } from './pages.js';
import { pkcePair, randomState } from './pkce.js';
import { exchangeCode, type OAuthTokens } from './token-endpoint.js';

export interface LoginOptions {
  clientId: string;
  clientSecret: string;
  /** e.g. https://marketplace.gohighlevel.com/v2/oauth/chooselocation */
  authorizeUrl: string;
  /** e.g. https://services.leadconnectorhq.com/oauth/token */
  tokenUrl: string;
  /** Registered in the app's settings, e.g. http://127.0.0.1:47321/oauth/callback (http on 127.0.0.1 with a port: RFC 8252 §8.3). */
  redirectUri: string;
  scopes: readonly string[];
  /** Show the consent page (the app passes shell.openExternal). */
  openBrowser: (url: string) => void | Promise<void>;
  /** Default 5 minutes. */
  timeoutMs?: number;
  userType?: 'Location' | 'Company';
  signal?: AbortSignal;
  /** Extra authorize-URL parameters, e.g. { loginWindowOpenMode: 'self' }. */
  extraParams?: Record<string, string>;
  now?: () => number;
}

export interface LoginResult {
  tokens: OAuthTokens;
  /** The sub-account the user picked on the consent page. */
  locationId?: string;
}

export type LoginErrorCode =
  | 'busy'
  | 'bad_redirect'
  | 'port_in_use'
  | 'browser'
  | 'timeout'
  | 'cancelled'
  | 'denied'
  | 'no_code'
  | 'exchange_failed';

export class LoginError extends ConnectorError {
  readonly code: LoginErrorCode;
  constructor(
    code: LoginErrorCode,
    message: string,
    extra: { kind?: ConnectorErrorKind; detail?: string; cause?: unknown } = {},
  ) {
    const kind =
      extra.kind ?? (code === 'busy' || code === 'bad_redirect' || code === 'port_in_use' ? 'config' : 'signed_out');
    super({ system: 'ghl', kind, message, detail: extra.detail, operation: 'sign-in', cause: extra.cause });
    this.name = 'LoginError';
    this.code = code;
  }
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;
let active = false;

/** Whether a login is waiting for the browser right now. */
export function loginInProgress(): boolean {
  return active;
}

/**
 * Why "localhost" is refused (RFC 8252 §8.3): the name can resolve to ::1 or, through a hosts file or resolver, to
 * another address, while this listener is on 127.0.0.1 only, so the code could land elsewhere or nowhere.
 */
export function localhostMessage(redirectUri: string): string {
  const suggested = redirectUri.replace(/^(\w+:\/\/)localhost/i, '$1127.0.0.1');
  return `The sign-in redirect URL uses "localhost", which may not reach this computer's sign-in listener — use ${suggested} instead, and register that same address in your HighLevel app.`;
}

function parseRedirect(redirectUri: string): URL {
  let u: URL;
  try {
    u = new URL(redirectUri);
  } catch {
    throw new LoginError(
      'bad_redirect',
      `The sign-in redirect URL "${redirectUri}" is not a valid URL — fix it in the settings.`,
    );
  }
  if (u.hostname === 'localhost') throw new LoginError('bad_redirect', localhostMessage(redirectUri));
  if (u.protocol !== 'http:' || u.hostname !== '127.0.0.1' || !u.port) {
    throw new LoginError(
      'bad_redirect',
      `The sign-in redirect URL must be http://127.0.0.1:<port>/… with the port registered in the HighLevel app (got "${redirectUri}").`,
    );
  }
  return u;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function send(res: ServerResponse, status: number, html: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'x-content-type-options': 'nosniff',
    connection: 'close',
    ...extra,
  });
  res.end(html);
}

export async function startLogin(opts: LoginOptions): Promise<LoginResult> {
  if (active) {
    throw new LoginError(
      'busy',
      'A HighLevel sign-in is already in progress — finish it in the browser tab that opened, or wait for it to time out.',
    );
  }
  const redirect = parseRedirect(opts.redirectUri);
  if (opts.signal?.aborted) throw new LoginError('cancelled', 'HighLevel sign-in was cancelled.');
  active = true;

  const state = randomState();
  const { verifier, challenge } = pkcePair();
  const port = Number(redirect.port);
  const allowedHosts = new Set([`127.0.0.1:${port}`]);
  let consumed = false;

  return new Promise<LoginResult>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const server = createServer((req, res) => void handle(req, res));

    const finish = (outcome: { ok: LoginResult } | { error: LoginError }): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      server.close();
      server.closeIdleConnections();
      active = false;
      if ('ok' in outcome) resolve(outcome.ok);
      else reject(outcome.error);
    };
    const onAbort = (): void => finish({ error: new LoginError('cancelled', 'HighLevel sign-in was cancelled.') });

    async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      if (!allowedHosts.has((req.headers.host ?? '').toLowerCase()))
        return send(res, 400, rejectPage('The request came to an unexpected address.'));
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      if (url.pathname !== redirect.pathname) return send(res, 404, rejectPage('Nothing here.'));
      if (req.method !== 'GET')
        return send(res, 405, rejectPage('Only the browser redirect is accepted here.'), { allow: 'GET' });
      const got = url.searchParams.get('state');
      if (settled || consumed || got === null || !sameSecret(got, state)) {
        return send(
          res,
          400,
          rejectPage('This sign-in answer does not belong to the sign-in GHL Bridge started (or was already used).'),
        );
      }
      consumed = true;
      if (timer) clearTimeout(timer); // the answer is here; only the code exchange (with its own timeout) remains
      const error = url.searchParams.get('error');
      if (error) {
        const description = url.searchParams.get('error_description') ?? '';
        const denied = error === 'access_denied';
        send(res, 200, failurePage(denied ? 'Access was not granted.' : `HighLevel reported an error (${error}).`));
        return finish({
          error: new LoginError(
            'denied',
            denied
              ? 'HighLevel sign-in was declined — sign in again and choose Allow.'
              : `HighLevel sign-in failed (${error}) — try signing in again.`,
            {
              detail: [error, description].filter(Boolean).join(': '),
            },
          ),
        });
      }
      const code = url.searchParams.get('code');
      if (!code) {
        send(res, 400, failurePage('HighLevel did not send an authorization code.'));
        return finish({
          error: new LoginError('no_code', 'HighLevel sign-in returned no authorization code — try signing in again.'),
        });
      }
      try {
        const tokens = await exchangeCode(
          { tokenUrl: opts.tokenUrl, clientId: opts.clientId, clientSecret: opts.clientSecret, now: opts.now },
          { code, redirectUri: opts.redirectUri, codeVerifier: verifier, userType: opts.userType ?? 'Location' },
        );
        send(res, 200, successPage());
        finish({ ok: { tokens, ...(tokens.locationId ? { locationId: tokens.locationId } : {}) } });
      } catch (e) {
        const ce = e instanceof ConnectorError ? e : undefined;
        send(res, 502, failurePage('GHL Bridge could not complete the sign-in with HighLevel.'));
        finish({
          error: new LoginError(
            'exchange_failed',
            `HighLevel sign-in could not be completed${ce?.detail ? ` (${ce.detail})` : ''} — try signing in again.`,
            {
              kind: ce?.kind === 'network' || ce?.kind === 'server' ? ce.kind : 'signed_out',
              detail: ce?.detail,
              cause: e,
            },
          ),
        });
      }
    }

    server.on('error', (e: NodeJS.ErrnoException) => {
      const inUse = e.code === 'EADDRINUSE' || e.code === 'EACCES';
      finish({
        error: inUse
          ? new LoginError(
              'port_in_use',
              `Port ${port} on this computer is busy, so the sign-in cannot receive HighLevel's answer — close the program using it and try again.`,
              { cause: e },
            )
          : new LoginError(
              'port_in_use',
              `Could not listen for the sign-in answer on port ${port} (${e.code ?? e.message}).`,
              { cause: e },
            ),
      });
    });

    server.listen(port, '127.0.0.1', () => {
      if (settled) return;
      timer = setTimeout(
        () =>
          finish({
            error: new LoginError(
              'timeout',
              'HighLevel sign-in timed out (no answer from the browser in time) — sign in again.',
            ),
          }),
        opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      );
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const url = authorizeUrl(opts, state, challenge);
      Promise.resolve()
        .then(() => opts.openBrowser(url))
        .catch((e: unknown) =>
          finish({
            error: new LoginError(
              'browser',
              'Could not open the browser for the HighLevel sign-in — open it and try again.',
              { cause: e },
            ),
          }),
        );
    });
  });
}

/** The consent page URL: response_type, redirect_uri, client_id, space-separated scope, state, PKCE S256. */
export function authorizeUrl(
  opts: Pick<LoginOptions, 'authorizeUrl' | 'redirectUri' | 'clientId' | 'scopes' | 'extraParams'>,
  state: string,
  challenge: string,
): string {
  const u = new URL(opts.authorizeUrl);
  u.searchParams.set('response_type', 'code');
  u.searchParams.set('redirect_uri', opts.redirectUri);
  u.searchParams.set('client_id', opts.clientId);
  u.searchParams.set('scope', opts.scopes.join(' '));
  u.searchParams.set('state', state);
  u.searchParams.set('code_challenge', challenge);
  u.searchParams.set('code_challenge_method', 'S256');
  for (const [k, v] of Object.entries(opts.extraParams ?? {})) u.searchParams.set(k, v);
  return u.toString();
}
