/**
 * GHL's OAuth token endpoint (POST /oauth/token, form-urlencoded; ../ghl/README.md "Facts: OAuth"): exchange an authorization code, or
 * spend a refresh token for a new pair. Never retried automatically: a refresh token works once, so a resend after
 * an unclear failure could burn the only valid one.
 */
import got, { RequestError } from 'got';
import { z } from 'zod';
import { ConnectorError } from '../shared/errors.js';
import { plainCause } from '../shared/http.js';

/** The tokens we keep (in the app's vault) for one GHL location. */
export interface OAuthTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token stops working. */
  expiresAt: number;
  /** Space-separated scopes as granted. */
  scope: string;
  locationId?: string;
  companyId?: string;
  userId?: string;
  /** "Location" or "Company". */
  userType?: string;
}

export interface TokenEndpointOptions {
  /** e.g. https://services.leadconnectorhq.com/oauth/token */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  now?: () => number;
  timeoutMs?: number;
}

const tokenResponse = z
  .object({
    access_token: z.string().min(1),
    refresh_token: z.string().min(1).nullish(),
    expires_in: z.union([z.number(), z.string()]).nullish(),
    scope: z.string().nullish(),
    token_type: z.string().nullish(),
    userType: z.string().nullish(),
    locationId: z.string().nullish(),
    companyId: z.string().nullish(),
    userId: z.string().nullish(),
  })
  .loose();

const OPERATION = 'POST /oauth/token';
const DEFAULT_EXPIRES_S = 86_399;

async function post(opts: TokenEndpointOptions, form: Record<string, string>): Promise<z.infer<typeof tokenResponse>> {
  let res;
  try {
    res = await got.post(opts.tokenUrl, {
      form: { client_id: opts.clientId, client_secret: opts.clientSecret, ...form },
      headers: { accept: 'application/json' },
      throwHttpErrors: false,
      followRedirect: false,
      retry: { limit: 0 },
      timeout: { request: opts.timeoutMs ?? 30_000 },
      responseType: 'text',
    });
  } catch (e) {
    throw new ConnectorError({
      system: 'ghl',
      kind: 'network',
      operation: OPERATION,
      detail: e instanceof RequestError ? e.code : undefined,
      cause: plainCause(e), // got's error holds the form: client secret and refresh token
    });
  }
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch (cause) {
    throw new ConnectorError({
      system: 'ghl',
      kind: res.statusCode >= 500 ? 'server' : 'malformed',
      status: res.statusCode,
      operation: OPERATION,
      detail: `the sign-in service answered HTTP ${res.statusCode} without readable data`,
      cause,
    });
  }
  if (res.statusCode >= 200 && res.statusCode < 300) {
    const parsed = tokenResponse.safeParse(body);
    if (!parsed.success) {
      throw new ConnectorError({
        system: 'ghl',
        kind: 'malformed',
        status: res.statusCode,
        operation: OPERATION,
        detail: 'token answer without an access token',
      });
    }
    return parsed.data;
  }
  const b = (body ?? {}) as { error?: unknown; error_description?: unknown; message?: unknown };
  const text = [b.error, b.error_description, Array.isArray(b.message) ? b.message.join('; ') : b.message]
    .filter((x): x is string => typeof x === 'string' && x.length > 0)
    .join(': ');
  if (res.statusCode >= 500)
    throw new ConnectorError({
      system: 'ghl',
      kind: 'server',
      status: res.statusCode,
      operation: OPERATION,
      detail: text || undefined,
    });
  if (res.statusCode === 429)
    throw new ConnectorError({ system: 'ghl', kind: 'rate_limited', status: 429, operation: OPERATION });
  if (/invalid[_ ]grant|invalid_token|expired|revoked|already been used/i.test(text) || res.statusCode === 401) {
    throw new ConnectorError({
      system: 'ghl',
      kind: 'signed_out',
      status: res.statusCode,
      operation: OPERATION,
      detail: text || undefined,
      message: 'HighLevel sign-in expired or was revoked — sign in again on the Connections screen.',
    });
  }
  throw new ConnectorError({
    system: 'ghl',
    kind: 'config',
    status: res.statusCode,
    operation: OPERATION,
    detail: text || `HTTP ${res.statusCode}`,
    message: `HighLevel refused the sign-in request${text ? ` (${text})` : ''} — check the app's client id, secret and redirect URL.`,
  });
}

function toTokens(r: z.infer<typeof tokenResponse>, now: number, previous?: OAuthTokens): OAuthTokens {
  const expiresIn = Number(r.expires_in ?? DEFAULT_EXPIRES_S);
  return {
    accessToken: r.access_token,
    // Each refresh returns a new refresh token. Should one ever be missing, the old one is all we have.
    refreshToken: r.refresh_token ?? previous?.refreshToken ?? '',
    expiresAt: now + (Number.isFinite(expiresIn) ? expiresIn : DEFAULT_EXPIRES_S) * 1000,
    scope: r.scope ?? previous?.scope ?? '',
    locationId: r.locationId ?? previous?.locationId,
    companyId: r.companyId ?? previous?.companyId,
    userId: r.userId ?? previous?.userId,
    userType: r.userType ?? previous?.userType,
  };
}

/** Trade the code from the consent redirect for tokens (with the PKCE verifier). */
export async function exchangeCode(
  opts: TokenEndpointOptions,
  args: { code: string; redirectUri: string; codeVerifier?: string; userType?: 'Location' | 'Company' },
): Promise<OAuthTokens> {
  const now = opts.now ?? Date.now;
  const form: Record<string, string> = {
    grant_type: 'authorization_code',
    code: args.code,
    redirect_uri: args.redirectUri,
    user_type: args.userType ?? 'Location',
  };
  if (args.codeVerifier) form.code_verifier = args.codeVerifier;
  const r = await post(opts, form);
  return toTokens(r, now());
}

/** Spend the refresh token for a new pair. The old refresh token is dead once this succeeds. */
export async function refreshTokens(
  opts: TokenEndpointOptions,
  previous: OAuthTokens,
  args: { redirectUri?: string } = {},
): Promise<OAuthTokens> {
  const now = opts.now ?? Date.now;
  const form: Record<string, string> = {
    grant_type: 'refresh_token',
    refresh_token: previous.refreshToken,
    user_type: previous.userType ?? 'Location',
  };
  if (args.redirectUri) form.redirect_uri = args.redirectUri;
  const r = await post(opts, form);
  return toTokens(r, now(), previous);
}
