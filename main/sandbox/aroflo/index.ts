/**
 * The AroFlo sandbox: a local stand-in for the AroFlo API v1 "zones" (https://api.aroflo.com/), quirks, limits
 * and errors included, on 127.0.0.1. Decisions where the API facts are uncertain are listed in README.md here.
 */
import { createHash, randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { FaultController, installFaults, type FaultRenderer } from '../faults.js';
import type { SandboxCommonOptions, SandboxHandle } from '../types.js';
import { createAdmin } from './admin.js';
import { registerAdminRoutes } from './admin-routes.js';
import { registerApi, type ApiContext } from './api.js';
import type { AuthState } from './auth.js';
import { Core } from './core.js';
import { formatOf, send, statusBody } from './envelope.js';
import { RateLimiter } from './limits.js';
import { StatsCounter } from './stats.js';
import { SiteZone } from './time.js';
import type { ArofloAdmin, ArofloCredentials, ArofloSandboxOptions, LastUpdateFeedOptions } from './types.js';

export type * from './types.js';
export { ArofloAdminError } from './types.js';
export { computeSignature, signaturePayload } from './signature.js';
export { FIELD_LIMITS } from './field-limits.js';
export { LIMITS } from './limits.js';

export const DEFAULT_CLOCK_SKEW_MS = 5 * 60_000;
export const DEFAULT_SITE_TIME_ZONE = 'Australia/Melbourne';

function encodedLike(label: string): string {
  return createHash('sha256').update(label).digest().subarray(0, 16).toString('base64');
}

function secretFor(seed: number, generation: number): string {
  return createHash('sha256').update(`aroflo-secret:${seed}:${generation}`).digest('hex');
}

export async function startArofloSandbox(
  opts: SandboxCommonOptions & ArofloSandboxOptions,
): Promise<SandboxHandle<ArofloCredentials, ArofloAdmin>> {
  const now = opts.now ?? Date.now;
  const site = new SiteZone(opts.siteTimeZone ?? DEFAULT_SITE_TIME_ZONE);
  const feed: Required<LastUpdateFeedOptions> = {
    contactEdits: 'client',
    taskNoteEdits: 'task',
    clientNoteEdits: 'client',
    ...opts.lastupdateFeed,
  };
  const seed = opts.world.seed;
  let generation = 0;
  const initialAuth = (): AuthState => ({
    uEncoded: encodedLike(`aroflo-u:${seed}`),
    pEncoded: encodedLike(`aroflo-p:${seed}`),
    orgEncoded: encodedLike(`aroflo-org:${seed}`),
    secretKey: secretFor(seed, 0),
    apiAccess: true,
    secretSaved: true,
  });
  const auth = initialAuth();
  const core = new Core(opts.world, feed, site, now);
  const faults = opts.faults ?? new FaultController('aroflo');
  const stats = new StatsCounter(faults);
  const limiter = new RateLimiter(opts.rateLimits ?? 'real', now, site, opts.rateWindow ?? 'sliding');

  const credentials = (): ArofloCredentials => ({
    uEncoded: auth.uEncoded,
    pEncoded: auth.pEncoded,
    orgEncoded: auth.orgEncoded,
    secretKey: auth.secretKey,
    businessUnits: core.db.businessUnits.map((b) => ({ ...b })),
    taskTypes: core.db.taskTypes.map((t) => ({ ...t })),
  });
  const regenerateSecret = (): string => {
    auth.secretKey = secretFor(seed, ++generation);
    return auth.secretKey;
  };

  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: 20 * 1024 * 1024 });
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/__admin')) stats.arrived();
  });
  const renderer: FaultRenderer = {
    tooMany: (reply) => {
      reply.headers(limiter.headers(auth.orgEncoded));
      return send(
        reply,
        statusBody('429', 'Too Many Requests Per Second (max x3)'),
        formatOf(reply.request.headers.accept),
        429,
      );
    },
    serverError: (reply) =>
      send(reply, statusBody('500', 'Internal IMSAPI Error'), formatOf(reply.request.headers.accept), 500),
    revoke: () => {
      regenerateSecret();
    },
  };
  installFaults(app, faults, renderer);

  const ctx: ApiContext = { core, limiter, auth, stats, now, clockSkewMs: opts.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS };
  registerApi(app, ctx);

  const reset = (): void => {
    core.load();
    limiter.reset();
    stats.reset();
    generation = 0;
    Object.assign(auth, initialAuth());
  };
  const admin = createAdmin({ core, auth, limiter, stats, faults, credentials, regenerateSecret, reset });
  const adminToken = opts.admin ? randomBytes(24).toString('base64url') : undefined;
  if (adminToken) registerAdminRoutes(app, admin, adminToken);

  await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;

  return {
    name: 'aroflo',
    baseUrl: `http://127.0.0.1:${port}/`,
    get credentials() {
      return credentials();
    },
    adminToken,
    admin,
    app,
    faults,
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    reset,
    close: () => app.close(),
  };
}
