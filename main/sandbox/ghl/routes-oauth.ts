/**
 * OAuth 2.0 Authorization Code flow (README "Facts: OAuth"): the location chooser (a real HTML consent page) and
 * POST /oauth/token (authorization_code and refresh_token grants, form-urlencoded).
 *
 * Choices where the API facts are silent (README "Decisions"): errors before a redirect is safe are shown as an HTML page
 * (400), never redirected; `state` is echoed; PKCE is optional but, once a `code_challenge` was sent,
 * a matching S256 `code_verifier` is required; token errors carry both GHL's {statusCode, message} and
 * RFC 6749's {error, error_description}.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bearerOf, q, send, type GhlContext } from './context.js';
import { GhlHttpError, MSG, unauthorized } from './errors.js';
import { AGENCY_SCOPES, APP_SCOPES } from './options.js';
import type { IssuedTokens } from './tokens.js';

const CHOOSER_PATHS = ['/v2/oauth/chooselocation', '/oauth/chooselocation'];
/** The chooser's "Agency" choice: the app is installed for the company (README "Several locations"). */
const COMPANY_CHOICE = '__company';

interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f4f6fa; color: #1d2433; margin: 0; }
  main { max-width: 30rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px #0002; }
  h1 { font-size: 1.3rem; margin-top: 0; }
  label { display: block; font-weight: 600; margin: 1rem 0 .4rem; }
  select, button { font-size: 1rem; padding: .5rem .8rem; }
  select { width: 100%; }
  .actions { display: flex; gap: .8rem; margin-top: 1.5rem; }
  .allow { background: #155eef; color: #fff; border: 0; border-radius: 4px; }
  .deny { background: #fff; color: #1d2433; border: 1px solid #98a2b3; border-radius: 4px; }
  .error { color: #b42318; }
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

function errorPage(reply: FastifyReply, message: string): FastifyReply {
  return reply
    .code(400)
    .type('text/html; charset=utf-8')
    .send(
      page(
        'Authorization error — HighLevel sandbox',
        `<h1>This app cannot be authorized</h1>\n<p class="error" role="alert">${esc(message)}</p>`,
      ),
    );
}

function validateAuthorize(ctx: GhlContext, p: Record<string, unknown>): AuthorizeParams | string {
  const str = (k: string): string | undefined => (typeof p[k] === 'string' ? (p[k] as string) : undefined);
  const clientId = str('client_id');
  if (!clientId || clientId !== ctx.identity.clientId) return `No integration found with the ID "${clientId ?? ''}".`;
  const redirectUri = str('redirect_uri');
  if (!redirectUri || !ctx.opts.redirectUris.includes(redirectUri))
    return `The redirect URI "${redirectUri ?? ''}" is not registered for this app.`;
  if (str('response_type') !== 'code') return 'Unsupported response_type: use response_type=code.';
  const scopeText = str('scope');
  if (!scopeText || !scopeText.trim()) return 'Missing scope: list the scopes the app needs, separated by spaces.';
  const scopes = scopeText.trim().split(/\s+/);
  const unknown = scopes.find((s) => ![...APP_SCOPES, ...AGENCY_SCOPES].includes(s as never));
  if (unknown) return `Invalid scope: ${unknown}`;
  const codeChallenge = str('code_challenge');
  const codeChallengeMethod = str('code_challenge_method');
  if (codeChallenge !== undefined && codeChallengeMethod !== 'S256')
    return 'Only code_challenge_method=S256 is supported.';
  return {
    clientId,
    redirectUri,
    scopes: [...new Set(scopes)],
    state: str('state'),
    codeChallenge,
    codeChallengeMethod,
  };
}

function consentPage(ctx: GhlContext, path: string, a: AuthorizeParams): string {
  const hidden: Array<[string, string | undefined]> = [
    ['response_type', 'code'],
    ['client_id', a.clientId],
    ['redirect_uri', a.redirectUri],
    ['scope', a.scopes.join(' ')],
    ['state', a.state],
    ['code_challenge', a.codeChallenge],
    ['code_challenge_method', a.codeChallengeMethod],
  ];
  const locations = [...ctx.store.locations.values()].filter((l) => l.companyId === ctx.identity.companyId);
  return page(
    'Choose a sub-account — HighLevel sandbox',
    `<h1>Connect “GHL Bridge” to HighLevel</h1>
<p>The app is asking to:</p>
<ul>
${a.scopes.map((s) => `  <li><code>${esc(s)}</code></li>`).join('\n')}
</ul>
<form method="post" action="${esc(path)}">
${hidden
  .filter(([, v]) => v !== undefined)
  .map(([k, v]) => `  <input type="hidden" name="${k}" value="${esc(v!)}">`)
  .join('\n')}
  <label for="locationId">Sub-account</label>
  <select id="locationId" name="locationId" required>
${a.scopes.some((s) => s.startsWith('oauth.')) ? `    <option value="${COMPANY_CHOICE}">Agency — every sub-account</option>\n` : ''}${locations.map((l) => `    <option value="${esc(l.id)}">${esc(l.name)}</option>`).join('\n')}
  </select>
  <div class="actions">
    <button class="allow" type="submit" name="decision" value="allow">Allow</button>
    <button class="deny" type="submit" name="decision" value="deny">Cancel</button>
  </div>
</form>`,
  );
}

function redirectWith(
  reply: FastifyReply,
  redirectUri: string,
  params: Record<string, string | undefined>,
): FastifyReply {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return reply.redirect(url.toString(), 302);
}

function oauthError(status: number, error: string, description: string): GhlHttpError {
  return new GhlHttpError(status, { statusCode: status, message: description, error, error_description: description });
}

export function oauthRoutes(app: FastifyInstance, ctx: GhlContext): void {
  for (const path of CHOOSER_PATHS) {
    app.get(path, async (request, reply) => {
      const a = validateAuthorize(ctx, request.query as Record<string, unknown>);
      if (typeof a === 'string') return errorPage(reply, a);
      return reply.type('text/html; charset=utf-8').send(consentPage(ctx, path, a));
    });

    app.post(path, async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const a = validateAuthorize(ctx, body);
      if (typeof a === 'string') return errorPage(reply, a);
      if (body.decision !== 'allow')
        return redirectWith(reply, a.redirectUri, { error: 'access_denied', state: a.state });
      if (body.locationId === COMPANY_CHOICE && a.scopes.some((s) => s.startsWith('oauth.'))) {
        const main = ctx.store.location(ctx.identity.locationId)!;
        const code = ctx.tokens.issueCode({
          userType: 'Company',
          clientId: a.clientId,
          redirectUri: a.redirectUri,
          locationId: '',
          scopes: a.scopes,
          userId: main.userIds[0]!,
          codeChallenge: a.codeChallenge,
        });
        return redirectWith(reply, a.redirectUri, { code, state: a.state });
      }
      const loc = ctx.store.location(String(body.locationId ?? ''));
      if (!loc || loc.companyId !== ctx.identity.companyId)
        return errorPage(reply, 'Choose one of the listed sub-accounts.');
      const code = ctx.tokens.issueCode({
        clientId: a.clientId,
        redirectUri: a.redirectUri,
        locationId: loc.id,
        scopes: a.scopes,
        userId: loc.userIds[0]!,
        codeChallenge: a.codeChallenge,
      });
      return redirectWith(reply, a.redirectUri, { code, state: a.state });
    });
  }

  app.post('/oauth/token', async (request: FastifyRequest, reply) => {
    if (!String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      throw oauthError(400, 'invalid_request', 'Invalid request: send the body as application/x-www-form-urlencoded');
    }
    const body = (request.body ?? {}) as Record<string, string | undefined>;
    for (const k of ['client_id', 'client_secret', 'grant_type'])
      if (!body[k]) throw oauthError(400, 'invalid_request', `Missing parameter: ${k}`);
    if (!['authorization_code', 'refresh_token', 'client_credentials'].includes(body.grant_type!)) {
      throw oauthError(400, 'unsupported_grant_type', 'Invalid parameter: grant_type');
    }
    if (body.client_id !== ctx.identity.clientId || body.client_secret !== ctx.identity.clientSecret) {
      throw oauthError(401, 'invalid_client', 'Invalid client: client credentials are invalid');
    }
    if (body.user_type !== undefined && body.user_type !== 'Location' && body.user_type !== 'Company') {
      throw oauthError(400, 'invalid_request', 'Invalid parameter: user_type (Location or Company)');
    }
    // A code from the agency choice redeems only as user_type=Company, a sub-account's only as Location (README
    // "Several locations": the sandbox's choice where the docs are silent).
    if (body.grant_type === 'authorization_code' && body.code) {
      const kind = ctx.tokens.codeUserType(body.code);
      if (kind && (body.user_type ?? 'Location') !== kind)
        throw oauthError(400, 'invalid_request', `Invalid parameter: user_type (this code is for a ${kind} token)`);
    }
    let issued: IssuedTokens;
    if (body.grant_type === 'authorization_code') {
      if (!body.code) throw oauthError(400, 'invalid_request', 'Missing parameter: code');
      const r = ctx.tokens.redeemCode(body.client_id, body.code, body.redirect_uri, body.code_verifier);
      if (r === 'invalid') throw oauthError(400, 'invalid_grant', 'Invalid grant: authorization code is invalid');
      if (r === 'redirect_mismatch')
        throw oauthError(400, 'invalid_grant', 'Invalid grant: redirect_uri does not match the authorization request');
      if (r === 'pkce')
        throw oauthError(400, 'invalid_grant', 'Invalid grant: code_verifier does not match the code_challenge');
      issued = r;
    } else if (body.grant_type === 'refresh_token') {
      if (!body.refresh_token) throw oauthError(400, 'invalid_request', 'Missing parameter: refresh_token');
      const r = ctx.tokens.redeemRefresh(body.client_id, body.refresh_token);
      if (r === 'invalid') throw oauthError(400, 'invalid_grant', 'Invalid grant: refresh token is invalid');
      issued = r;
    } else {
      throw oauthError(
        400,
        'unsupported_grant_type',
        'Invalid parameter: grant_type (client_credentials is not enabled for this app)',
      );
    }
    return reply.code(200).header('cache-control', 'no-store').send(issued);
  });
}

/** An agency (Company) token with one of these scopes, and the Version header, or 401 (oauth.json: Agency-Access-Only). */
function agencyOf(ctx: GhlContext, request: FastifyRequest, scope: string) {
  const p = ctx.tokens.authenticate(bearerOf(request));
  if (!p) throw unauthorized();
  if (p.userType !== 'Company') throw unauthorized('This route is not yet supported by the IAM Service');
  const version = request.headers.version;
  if (version === undefined || version === '') throw unauthorized(MSG.versionMissing);
  if (!p.scopes.has(scope)) throw unauthorized(MSG.scope);
  return p;
}

/**
 * The agency routes (oauth.json; README "Several locations"): GET /oauth/installedLocations lists the company's
 * sub-accounts with the app installed; POST /oauth/locationToken (form body companyId, locationId) mints a location
 * token from the agency token.
 */
export function agencyRoutes(app: FastifyInstance, ctx: GhlContext): void {
  app.get('/oauth/installedLocations', async (request, reply) => {
    const p = agencyOf(ctx, request, 'oauth.readonly');
    const companyId = q(request, 'companyId');
    const appId = q(request, 'appId');
    const missing = [
      ...(companyId ? [] : ['companyId must be a string']),
      ...(appId ? [] : ['appId must be a string']),
    ];
    if (missing.length)
      throw new GhlHttpError(422, { statusCode: 422, message: missing, error: 'Unprocessable Entity' });
    if (companyId !== p.companyId) throw new GhlHttpError(403, { statusCode: 403, message: 'Forbidden resource' });
    const skip = Math.max(0, Number(q(request, 'skip') ?? 0) || 0);
    const limit = Math.max(1, Number(q(request, 'limit') ?? 20) || 20);
    const query = q(request, 'query')?.toLowerCase();
    const only = q(request, 'locationId');
    const all = [...ctx.store.locations.values()]
      .filter((l) => l.companyId === companyId)
      .filter((l) => !query || l.name.toLowerCase().includes(query))
      .filter((l) => !only || l.id === only);
    return send(reply, 200, {
      locations: all.slice(skip, skip + limit).map((l) => ({
        _id: l.id,
        name: l.name,
        address: [l.address.address, l.address.city, l.address.state, l.address.postalCode].join(', '),
        isInstalled: true,
        versionId: appId,
        installedAt: new Date(ctx.now()).toISOString(),
      })),
      count: all.length,
      installToFutureLocations: false,
    });
  });

  app.post('/oauth/locationToken', async (request, reply) => {
    const p = agencyOf(ctx, request, 'oauth.write');
    if (!String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
      throw new GhlHttpError(422, {
        statusCode: 422,
        message: ['send the body as application/x-www-form-urlencoded'],
        error: 'Unprocessable Entity',
      });
    const body = (request.body ?? {}) as Record<string, string | undefined>;
    const missing = (['companyId', 'locationId'] as const).filter((k) => !body[k]).map((k) => `${k} must be a string`);
    if (missing.length)
      throw new GhlHttpError(422, { statusCode: 422, message: missing, error: 'Unprocessable Entity' });
    const loc = ctx.store.location(body.locationId!);
    if (body.companyId !== p.companyId || !loc || loc.companyId !== p.companyId)
      throw new GhlHttpError(400, {
        statusCode: 400,
        message: 'Location not found for this company',
        error: 'Bad Request',
      });
    const t = ctx.tokens.mintLocationToken(p, loc.id, loc.userIds[0]!);
    return send(reply, 200, {
      access_token: t.access_token,
      token_type: t.token_type,
      expires_in: t.expires_in,
      scope: t.scope,
      locationId: loc.id,
      planId: '',
      userId: t.userId,
      appId: ctx.identity.clientId.split('-')[0],
      versionId: ctx.identity.clientId.split('-')[0],
      refresh_token: t.refresh_token,
      userType: 'Location',
      companyId: p.companyId,
    });
  });
}
