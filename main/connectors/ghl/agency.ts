/**
 * The agency install (README "Several locations"): with an agency (Company) OAuth token, list the sub-accounts the app
 * is installed in (GET /oauth/installedLocations) and mint a token for one of them (POST /oauth/locationToken, form
 * body). Both are agency-only (scopes `oauth.readonly`, `oauth.write`) and take the Version header. Never retried: a
 * minted token is cheap to ask for again, and the caller reports a failure to the person.
 */
import got, { RequestError } from 'got';
import { z } from 'zod';
import { ConnectorError } from '../shared/errors.js';
import { plainCause } from '../shared/http.js';
import type { OAuthTokens } from '../oauth/token-endpoint.js';
import { GHL_API_VERSION } from './transport.js';

export interface AgencyOptions {
  baseUrl: string;
  /** The agency (Company) access token. */
  token: string;
  companyId: string;
  now?: () => number;
  timeoutMs?: number;
}

export interface InstalledLocation {
  id: string;
  name: string;
  address: string;
}

const installed = z
  .object({
    locations: z.array(
      z.object({ _id: z.string().min(1), name: z.string().nullish(), address: z.string().nullish() }).loose(),
    ),
    count: z.number().nullish(),
  })
  .loose();

const minted = z
  .object({
    access_token: z.string().min(1),
    refresh_token: z.string().nullish(),
    expires_in: z.union([z.number(), z.string()]).nullish(),
    scope: z.string().nullish(),
    locationId: z.string().nullish(),
    userId: z.string().nullish(),
  })
  .loose();

async function call(
  o: AgencyOptions,
  operation: string,
  req: {
    method: 'GET' | 'POST';
    path: string;
    searchParams?: Record<string, string | number>;
    form?: Record<string, string>;
  },
): Promise<unknown> {
  let res;
  try {
    res = await got(`${o.baseUrl.replace(/\/+$/, '')}${req.path}`, {
      method: req.method,
      searchParams: req.searchParams,
      form: req.form,
      headers: { authorization: `Bearer ${o.token}`, version: GHL_API_VERSION, accept: 'application/json' },
      throwHttpErrors: false,
      followRedirect: false,
      retry: { limit: 0 },
      timeout: { request: o.timeoutMs ?? 30_000 },
      responseType: 'text',
    });
  } catch (e) {
    throw new ConnectorError({
      system: 'ghl',
      kind: 'network',
      operation,
      detail: e instanceof RequestError ? e.code : undefined,
      cause: plainCause(e),
    });
  }
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    body = undefined;
  }
  if (res.statusCode >= 200 && res.statusCode < 300) return body;
  const m = (body as { message?: unknown } | undefined)?.message;
  const detail = Array.isArray(m) ? m.join('; ') : typeof m === 'string' ? m : `HTTP ${res.statusCode}`;
  throw new ConnectorError({
    system: 'ghl',
    kind: res.statusCode === 401 ? 'signed_out' : res.statusCode >= 500 ? 'server' : 'config',
    status: res.statusCode,
    operation,
    detail,
    message: `HighLevel refused ${operation} (${detail}) — the agency sign-in needs the scopes oauth.readonly and oauth.write.`,
  });
}

/** Every sub-account with the app installed (paged by `skip`/`limit`, 100 at a time). */
export async function listInstalledLocations(o: AgencyOptions & { appId: string }): Promise<InstalledLocation[]> {
  const out: InstalledLocation[] = [];
  const operation = 'GET /oauth/installedLocations';
  for (let skip = 0; ;) {
    const raw = await call(o, operation, {
      method: 'GET',
      path: '/oauth/installedLocations',
      searchParams: { companyId: o.companyId, appId: o.appId, isInstalled: 'true', skip, limit: 100 },
    });
    const r = installed.safeParse(raw);
    if (!r.success)
      throw new ConnectorError({ system: 'ghl', kind: 'malformed', operation, detail: 'no locations list' });
    for (const l of r.data.locations) out.push({ id: l._id, name: l.name ?? l._id, address: l.address ?? '' });
    skip += r.data.locations.length;
    if (!r.data.locations.length || skip >= (r.data.count ?? skip)) return out;
  }
}

/** A location's own token pair, minted from the agency token; it refreshes like any location token. */
export async function mintLocationToken(o: AgencyOptions & { locationId: string }): Promise<OAuthTokens> {
  const operation = 'POST /oauth/locationToken';
  const now = (o.now ?? Date.now)();
  const r = minted.safeParse(
    await call(o, operation, {
      method: 'POST',
      path: '/oauth/locationToken',
      form: { companyId: o.companyId, locationId: o.locationId },
    }),
  );
  if (!r.success) throw new ConnectorError({ system: 'ghl', kind: 'malformed', operation, detail: 'no access token' });
  const expiresIn = Number(r.data.expires_in ?? 86_399);
  return {
    accessToken: r.data.access_token,
    refreshToken: r.data.refresh_token ?? '',
    expiresAt: now + (Number.isFinite(expiresIn) ? expiresIn : 86_399) * 1000,
    scope: r.data.scope ?? '',
    locationId: r.data.locationId ?? o.locationId,
    companyId: o.companyId,
    userId: r.data.userId ?? undefined,
    userType: 'Location',
  };
}
