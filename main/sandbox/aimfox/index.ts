/**
 * A local stand-in for the Aimfox API v2 (`https://api.aimfox.com/api/v2`), with its quirks, limits and
 * errors (see README.md beside this file for what was decided where the API facts are unsure).
 *
 *   const sb = await startAimfoxSandbox({ world: generateWorld(), admin: true });
 *   // sb.baseUrl ends in /api/v2; send `Authorization: Bearer ${sb.credentials.apiKey}`.
 */
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyRequest } from 'fastify';
import { FaultController, FaultSpecError, installFaults } from '../faults.js';
import { scaledWindow, type SandboxCommonOptions, type SandboxHandle } from '../types.js';
import { createAdmin, type AimfoxAdmin } from './admin.js';
import { registerAdminRoutes } from './admin-http.js';
import type { AimfoxContext } from './context.js';
import { AimfoxError, failBody, validationError } from './errors.js';
import { authAndLimitHook, bearerKey, internalServerError, KeyRegistry, tooManyRequests } from './guards.js';
import { IdSource } from './ids.js';
import { AIMFOX_REQUESTS_PER_WINDOW, AIMFOX_WINDOW_MS, SlidingWindowLimiter } from './rate-limit.js';
import { accountRoutes } from './routes/accounts.js';
import { audienceRoutes } from './routes/audience.js';
import { campaignRoutes } from './routes/campaigns.js';
import { labelRoutes } from './routes/labels.js';
import { leadRoutes } from './routes/leads.js';
import { noteRoutes } from './routes/notes.js';
import { webhookRoutes } from './routes/webhooks.js';
import { seedStore, type SeedResult } from './seed.js';
import { endpointTemplate, StatsCounter } from './stats.js';
import { AimfoxStore } from './store.js';

export type { AimfoxAdmin, AimfoxProfileInfo, AimfoxProfileInput } from './admin.js';
export type * from './api-types.js';
export { AUDIENCE_REFUSALS, type AudienceRefusal } from './errors.js';
export { LABEL_COLORS, type AudienceState, type CampaignState, type LabelColor } from './model.js';

export interface AimfoxCredentials {
  /** The workspace ("normal") API key. */
  apiKey: string;
  /** The agency master key: valid, but answered with HTTP 500 on workspace routes. */
  masterKey: string;
  workspaceId: string;
  /** The LoggedIn LinkedIn account. */
  accountId: string;
  /** A `list` campaign (ACTIVE, outreach connect) that accepts profile inserts. */
  campaignId: string;
}

export interface AimfoxSandboxOptions {
  /** POST /leads:search page size when `count` is absent. Default 10 (what OBS saw per call). */
  searchDefaultCount?: number;
  /** The largest `count` honoured by POST /leads:search; larger values are cut to it. Default 100. */
  searchMaxCount?: number;
}

const PREFIX = '/api/v2';
const isAdminUrl = (req: FastifyRequest): boolean => req.url.startsWith('/__admin');

export async function startAimfoxSandbox(
  opts: SandboxCommonOptions & AimfoxSandboxOptions,
): Promise<SandboxHandle<AimfoxCredentials, AimfoxAdmin>> {
  const now = opts.now ?? Date.now;
  const faults = opts.faults ?? new FaultController('aimfox');
  const build = (): { store: AimfoxStore; seeded: SeedResult } => {
    const store = new AimfoxStore(opts.world.seed, now);
    return { store, seeded: seedStore(store, opts.world) };
  };
  let current = build();
  const ctx: AimfoxContext = {
    get store() {
      return current.store;
    },
    searchDefaultCount: opts.searchDefaultCount ?? 10,
    searchMaxCount: opts.searchMaxCount ?? 100,
  };
  const keySource = new IdSource(opts.world.seed ^ 0x6b6579);
  const keys = new KeyRegistry(keySource.uuid(), keySource.uuid());
  const limiter = new SlidingWindowLimiter(
    AIMFOX_REQUESTS_PER_WINDOW,
    scaledWindow(opts.rateLimits ?? 'real', AIMFOX_WINDOW_MS),
    now,
  );
  const stats = new StatsCounter(faults);
  const adminToken = opts.admin ? randomBytes(24).toString('hex') : undefined;

  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: 16 * 1024 * 1024 });

  // JSON bodies; an empty body (e.g. a DELETE sent with a JSON content type) counts as no body.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (!text.trim()) return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(validationError('"body" must be valid JSON'), undefined);
    }
  });

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof AimfoxError) return reply.code(err.code).send(err.body());
    if (err instanceof FaultSpecError) return reply.code(400).send(failBody(400, err.message, 'ValidationError'));
    const code = (err as { statusCode?: number }).statusCode;
    if (code && code >= 400 && code < 500)
      return reply
        .code(code)
        .send(failBody(code, (err as Error).message, code === 400 ? 'ValidationError' : undefined));
    req.log.error(err);
    return internalServerError(reply);
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send(failBody(404, `Cannot ${req.method} ${req.url.split('?')[0]}`)),
  );

  // Hook order matters: count, then faults, then auth and the limit.
  app.addHook('onRequest', async (req) => {
    if (!isAdminUrl(req)) stats.count(endpointTemplate(req.method, req.routeOptions.url, PREFIX));
  });
  app.addHook('onResponse', async (req, reply) => {
    if (!isAdminUrl(req) && reply.statusCode === 429) stats.rateLimited++;
  });
  installFaults(
    app,
    faults,
    {
      tooMany: tooManyRequests,
      serverError: internalServerError,
      revoke: (req) => {
        const key = bearerKey(req);
        if (key) keys.revoke(key);
      },
    },
    isAdminUrl,
  );
  const guard = authAndLimitHook(keys, limiter);
  app.addHook('onRequest', async (req, reply) => (isAdminUrl(req) ? undefined : guard(req, reply)));

  app.register(
    async (api) => {
      for (const routes of [
        accountRoutes,
        campaignRoutes,
        audienceRoutes,
        leadRoutes,
        labelRoutes,
        noteRoutes,
        webhookRoutes,
      ])
        routes(api, ctx);
    },
    { prefix: PREFIX },
  );

  const resetStats = (): void => stats.reset();
  const reset = (): void => {
    current = build();
    keys.restore();
    limiter.reset();
    stats.reset();
  };
  const admin = createAdmin(ctx, {
    setFaults: (spec) => (spec ? faults.set(spec) : faults.clear()),
    stats: () => stats.snapshot(),
    resetStats,
    reset,
  });
  if (adminToken) registerAdminRoutes(app, admin, adminToken);

  await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;

  return {
    name: 'aimfox',
    baseUrl: `http://127.0.0.1:${port}${PREFIX}`,
    get credentials(): AimfoxCredentials {
      return {
        apiKey: keys.apiKey,
        masterKey: keys.masterKey,
        workspaceId: current.store.workspaceId,
        accountId: current.seeded.accountId,
        campaignId: current.seeded.campaignId,
      };
    },
    adminToken,
    admin,
    app,
    faults,
    stats: () => stats.snapshot(),
    resetStats,
    reset,
    close: () => app.close(),
  };
}
