/**
 * What the route modules share: the store, tokens, limiter and resolved options, plus the per-request
 * guard (token → rate limit → Version header → scope) that every API route declares in its config.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ACCEPTED_VERSIONS, type DuplicateIdentifier } from './options.js';
import { GhlHttpError, MSG, forbidden, notFound, tooManyBody, unauthorized } from './errors.js';
import { traceId } from './ids.js';
import type { RateLimiter } from './rate-limit.js';
import type { ContactRec } from './records.js';
import type { GhlIdentity } from './seed.js';
import type { GhlStore } from './store.js';
import type { Principal, TokenStore } from './tokens.js';

export interface ResolvedOptions {
  seed: number;
  accessTokenTtlSec: number;
  redirectUris: string[];
  allowDuplicates: boolean;
  uniqueIdentifiers: DuplicateIdentifier[];
  notFoundStatus: 400 | 404;
  quirk422CreateRate: number;
}

export interface GhlContext {
  store: GhlStore;
  tokens: TokenStore;
  limiter: RateLimiter;
  identity: GhlIdentity;
  opts: ResolvedOptions;
  now: () => number;
  /** Seeded randomness for quirks (deterministic per world seed). */
  random: () => number;
  baseUrl: () => string;
}

/** Route config: which scopes let a token call it (any one of them). */
export interface GuardConfig {
  scopes: string[];
}

export const READ = { scopes: ['contacts.readonly', 'contacts.write'] } satisfies GuardConfig;
export const WRITE = { scopes: ['contacts.write'] } satisfies GuardConfig;
export const CUSTOM_FIELDS_READ = {
  scopes: ['locations/customFields.readonly', 'locations/customFields.write'],
} satisfies GuardConfig;
/** GET /locations/{locationId} (locations.json: security `locations.readonly`). */
export const LOCATION_READ = { scopes: ['locations.readonly'] } satisfies GuardConfig;

const principals = new WeakMap<FastifyRequest, Principal>();

export function bearerOf(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m?.[1];
}

/** Install the guard as a preHandler for every route whose config has `guard`. */
export function installGuard(app: FastifyInstance, ctx: GhlContext): void {
  app.addHook('preHandler', async (request, reply) => {
    const guard = (request.routeOptions.config as { guard?: GuardConfig } | undefined)?.guard;
    if (!guard) return;
    const principal = ctx.tokens.authenticate(bearerOf(request));
    if (!principal) throw unauthorized();
    // Each location has its own bucket; an agency token its company's (README "Several locations").
    const limit = ctx.limiter.take(principal.locationId || principal.companyId);
    reply.headers(limit.headers);
    if (!limit.allowed) throw new GhlHttpError(429, tooManyBody());
    // As live (README "Version header"): missing → 401 "version header was not found.", unknown → 401 "… invalid".
    const version = request.headers.version;
    if (version === undefined || version === '') throw unauthorized(MSG.versionMissing);
    if (typeof version !== 'string' || !ACCEPTED_VERSIONS.has(version)) throw unauthorized(MSG.versionInvalid);
    if (!guard.scopes.some((s) => principal.scopes.has(s))) throw unauthorized(MSG.scope);
    principals.set(request, principal);
  });
}

export function principalOf(request: FastifyRequest): Principal {
  const p = principals.get(request);
  if (!p) throw unauthorized();
  return p;
}

export function assertLocation(request: FastifyRequest, locationId: string): void {
  if (principalOf(request).locationId !== locationId) throw forbidden();
}

/** The contact, scoped to the caller's location; unknown → notFoundStatus; other location → 403. */
export function contactFor(ctx: GhlContext, request: FastifyRequest, id: string): ContactRec {
  const rec = ctx.store.contacts.get(id);
  if (!rec) throw notFound(ctx.opts.notFoundStatus, 'Contact');
  if (rec.locationId !== principalOf(request).locationId) throw forbidden();
  return rec;
}

/** JSON answer with a traceId, as GHL's bodies carry one. */
export function send(reply: FastifyReply, status: number, body: Record<string, unknown>): FastifyReply {
  return reply.code(status).send({ ...body, traceId: traceId() });
}

/** Query-string value as a string, or undefined. */
export function q(request: FastifyRequest, name: string): string | undefined {
  const v = (request.query as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
}
