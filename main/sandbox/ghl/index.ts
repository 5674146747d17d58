/**
 * A local stand-in for services.leadconnectorhq.com (API v2) on 127.0.0.1: contacts, search, tasks, notes,
 * appointments, tags, custom fields, OAuth 2.0 with a consent page, Private Integration tokens, rate limits
 * and faults. Decisions where the API facts are uncertain are listed in README.md beside this file.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { FaultController, FaultSpecError, installFaults } from '../faults.js';
import type { SandboxCommonOptions, SandboxHandle, SandboxStats } from '../types.js';
import { createAdmin } from './admin.js';
import { type GhlContext, type ResolvedOptions, bearerOf, installGuard } from './context.js';
import { GhlHttpError, serverErrorBody, tooManyBody } from './errors.js';
import { secret, traceId } from './ids.js';
import {
  AdminError,
  DEFAULT_ACCESS_TOKEN_TTL_SEC,
  DEFAULT_REDIRECT_URIS,
  type GhlAdmin,
  type GhlCredentials,
  type GhlLocationCredentials,
  type GhlSandboxOptions,
} from './options.js';
import { RateLimiter } from './rate-limit.js';
import { adminRoutes } from './routes-admin.js';
import { calendarRoutes } from './routes-calendars.js';
import { childRoutes } from './routes-children.js';
import { contactRoutes } from './routes-contacts.js';
import { locationRoutes } from './routes-location.js';
import { agencyRoutes, oauthRoutes } from './routes-oauth.js';
import { taskSearchRoutes } from './routes-tasks.js';
import { ghlIdentity, seedExtraLocation, seedStore } from './seed.js';
import { formatSeededNotes } from './seed-rich-notes.js';
import { GhlStore } from './store.js';
import { TokenStore } from './tokens.js';
import { seededRandom } from '../random.js';

export * from './options.js';
export { ghlIdentity } from './seed.js';

/** Rename keys anywhere in JSON answers (the shape drift switch, option `renameKeys`). */
function installKeyRenames(
  app: FastifyInstance,
  renames: Record<string, string>,
  isAdmin: (url: string) => boolean,
): void {
  const rename = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rename);
    if (typeof v !== 'object' || v === null) return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [renames[k] ?? k, rename(x)]));
  };
  app.addHook('onSend', async (request, reply, payload) => {
    if (
      isAdmin(request.url) ||
      typeof payload !== 'string' ||
      !String(reply.getHeader('content-type') ?? '').includes('json')
    )
      return payload;
    try {
      return JSON.stringify(rename(JSON.parse(payload)));
    } catch {
      return payload;
    }
  });
}

export async function startGhlSandbox(
  opts: SandboxCommonOptions & GhlSandboxOptions,
): Promise<SandboxHandle<GhlCredentials, GhlAdmin>> {
  const now = opts.now ?? Date.now;
  const seed = opts.world.seed;
  const identity = ghlIdentity(seed);
  const resolved: ResolvedOptions = {
    seed,
    accessTokenTtlSec: opts.accessTokenTtlSec ?? DEFAULT_ACCESS_TOKEN_TTL_SEC,
    redirectUris: opts.redirectUris ?? DEFAULT_REDIRECT_URIS,
    allowDuplicates: opts.allowDuplicates ?? false,
    uniqueIdentifiers: opts.uniqueIdentifiers ?? ['email', 'phone'],
    notFoundStatus: opts.notFoundStatus ?? 400,
    quirk422CreateRate: opts.quirk422CreateRate ?? 0,
  };
  const store = new GhlStore({
    seed,
    now,
    searchLagMs: opts.searchLagMs ?? 0,
    taskNoteEditsBumpContact: opts.taskNoteEditsBumpContact ?? false,
  });
  const tokens = new TokenStore(seed, identity.locationId, identity.companyId, now, resolved.accessTokenTtlSec);
  const seedAll = (): GhlLocationCredentials[] => {
    seedStore(store, opts.world, identity);
    formatSeededNotes(store, opts.world, seed);
    const main = store.location(identity.locationId)!;
    return [
      { locationId: main.id, name: main.name, privateToken: '', linkedinFieldId: identity.linkedinFieldId },
      ...(opts.extraLocations ?? []).map((x, n) => {
        const l = seedExtraLocation(store, seed, x.world, identity, n, x.name);
        return { ...l, name: x.name, privateToken: tokens.addLocation(l.locationId) };
      }),
    ];
  };
  const seededLocations = seedAll();
  const limiter = new RateLimiter(opts.rateLimits ?? 'real', now, opts.limits);
  const faults = opts.faults ?? new FaultController('ghl');
  let random = seededRandom(seed);
  let baseUrl = '';
  const ctx: GhlContext = {
    store,
    tokens,
    limiter,
    identity,
    opts: resolved,
    now,
    random: () => random(),
    baseUrl: () => baseUrl,
  };

  const counters = { requests: 0, rateLimited: 0, byEndpoint: {} as Record<string, number> };
  let faultBase = { ...faults.counts };
  const isAdmin = (url: string) => url.startsWith('/__admin');

  const app = Fastify({ logger: opts.logger ?? false, routerOptions: { ignoreTrailingSlash: true } });

  // Bodies: JSON (an empty body reads as none, like NestJS) and form-urlencoded (OAuth).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, text, done) => {
    if (text === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text as string));
    } catch (e) {
      done(
        new GhlHttpError(400, {
          statusCode: 400,
          message: `Invalid JSON body: ${(e as Error).message}`,
          error: 'Bad Request',
        }),
        undefined,
      );
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, text, done) => {
    done(null, Object.fromEntries(new URLSearchParams(text as string)));
  });

  // Stats first, so faulted requests are counted too.
  app.addHook('onRequest', async (request) => {
    if (isAdmin(request.url)) return;
    counters.requests++;
    const key = `${request.method} ${request.routeOptions.url ?? '(no route)'}`;
    counters.byEndpoint[key] = (counters.byEndpoint[key] ?? 0) + 1;
  });
  app.addHook('onResponse', async (request, reply) => {
    if (!isAdmin(request.url) && reply.statusCode === 429) counters.rateLimited++;
  });

  installFaults(app, faults, {
    tooMany(reply) {
      const who = tokens.authenticate(bearerOf(reply.request));
      return reply
        .code(429)
        .headers(who ? limiter.exhaustedHeaders(who.locationId) : {})
        .send({ ...tooManyBody(), traceId: traceId() });
    },
    serverError(reply) {
      return reply.code(500).send({ ...serverErrorBody(), traceId: traceId() });
    },
    revoke(request) {
      tokens.revokeBearer(bearerOf(request));
    },
  });
  installGuard(app, ctx);
  if (opts.renameKeys && Object.keys(opts.renameKeys).length) installKeyRenames(app, opts.renameKeys, isAdmin);

  app.setErrorHandler((err, request, reply) => {
    if (err instanceof GhlHttpError) return reply.code(err.status).send({ ...err.body, traceId: traceId() });
    if (err instanceof AdminError) return reply.code(err.status).send({ statusCode: err.status, message: err.message });
    if (err instanceof FaultSpecError) return reply.code(400).send({ statusCode: 400, message: err.message });
    const code = (err as { statusCode?: number }).statusCode;
    const status = typeof code === 'number' && code >= 400 && code < 500 ? code : 500;
    if (status >= 500) request.log.error(err);
    const message = status >= 500 ? 'Internal server error' : (err as Error).message;
    return reply
      .code(status)
      .send({ statusCode: status, message, ...(status === 400 ? { error: 'Bad Request' } : {}), traceId: traceId() });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      statusCode: 404,
      message: `Cannot ${request.method} ${request.url.split('?')[0]}`,
      error: 'Not Found',
      traceId: traceId(),
    }),
  );

  oauthRoutes(app, ctx);
  agencyRoutes(app, ctx);
  contactRoutes(app, ctx);
  childRoutes(app, ctx);
  taskSearchRoutes(app, ctx);
  calendarRoutes(app, ctx);
  locationRoutes(app, ctx);

  const credentials: GhlCredentials = {
    locationId: identity.locationId,
    otherLocationId: identity.otherLocationId,
    companyId: identity.companyId,
    privateToken: tokens.currentPrivateToken!,
    linkedinFieldId: identity.linkedinFieldId,
    oauth: {
      clientId: identity.clientId,
      clientSecret: identity.clientSecret,
      redirectUri: resolved.redirectUris[0]!,
      authorizeUrl: '',
      appId: identity.clientId.split('-')[0]!,
    },
    locations: seededLocations,
  };
  const syncMainToken = () => (credentials.locations[0]!.privateToken = credentials.privateToken);
  syncMainToken();

  const stats = (): SandboxStats => ({
    requests: counters.requests,
    byEndpoint: { ...counters.byEndpoint },
    rateLimited: counters.rateLimited,
    faults: Object.fromEntries(
      Object.entries(faults.counts).map(([k, v]) => [k, v - (faultBase[k as keyof typeof faultBase] ?? 0)]),
    ),
  });
  const resetStats = (): void => {
    counters.requests = 0;
    counters.rateLimited = 0;
    counters.byEndpoint = {};
    faultBase = { ...faults.counts };
  };
  const reset = (): void => {
    store.clear();
    tokens.reset();
    credentials.locations = seedAll();
    limiter.reset();
    random = seededRandom(seed);
    credentials.privateToken = tokens.currentPrivateToken!;
    syncMainToken();
    resetStats();
  };

  const baseAdmin = createAdmin(ctx, { stats, reset, setFaults: (spec) => faults.set(spec) });
  const admin: GhlAdmin = {
    ...baseAdmin,
    rotatePrivateToken: () => {
      credentials.privateToken = baseAdmin.rotatePrivateToken();
      syncMainToken();
      return credentials.privateToken;
    },
  };
  const adminToken = opts.admin ? secret(24) : undefined;
  if (adminToken) adminRoutes(app, admin, adminToken);

  await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  baseUrl = `http://127.0.0.1:${port}`;
  credentials.oauth.authorizeUrl = `${baseUrl}/v2/oauth/chooselocation`;

  return {
    name: 'ghl',
    baseUrl,
    credentials,
    adminToken,
    admin,
    app,
    faults,
    stats,
    resetStats,
    reset,
    close: () => app.close(),
  };
}
