/**
 * Serve mode: the bridge API over loopback HTTP, so the same window runs in any browser (and in the browser tests).
 *
 *   GET    /?ticket=<launch ticket>  trades a single-use launch ticket for a session cookie, then 303 to /
 *   POST   /api/<method>[?location=ID]   JSON body = the method's single argument; answers the result as JSON
 *   GET    /api/events[?location=ID]     Server-Sent Events, one `data:` line of JSON per BridgeEvent
 *   DELETE /api/session    signs this browser out (revokes its session)
 *   GET    /*              the built renderer (Vite output)
 *
 * `location` names the location the window shows (main/service/README.md "Locations"): the call goes to that
 * location's service and the stream carries that location's events only; one that is not open is refused (404,
 * kind `no_location`) and nothing runs. Without it, the default location (the one last chosen).
 *
 * 127.0.0.1 only. Every request: Host check, and the request-target must be a plain path (no percent-escapes, dot
 * segments or backslashes: the router decodes before matching, so a guard looking at the raw text would judge another
 * path than the one run). Everything under /api is one prefixed plugin whose own onRequest hook decides Host, Origin,
 * Sec-Fetch-Site, the master token or a session, and the content type for every route it holds (see guards.ts), so a
 * guard is always decided for the route actually matched. Sessions: sessions.ts.
 */
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { BRIDGE_METHODS } from '../../preload/contract.js';
import type { BridgeApi, BridgeEvent, BridgeMethod } from '../../preload/contract.js';
import {
  bearerToken,
  guardApi,
  guardHost,
  isJsonContentType,
  rawPathProblem,
  readCookie,
  sessionCookieName,
  tokenMatches,
} from './guards.js';
import type { GuardRequest } from './guards.js';
import { toTransportError } from './error-payload.js';
import { cspHeader, SECURITY_HEADERS } from './csp.js';
import { openEventStream } from './sse.js';
import type { EventStream } from './sse.js';
import { SessionStore } from './sessions.js';
import type { SessionStoreOptions } from './sessions.js';
import { singleLocationRouter, type LocationRouter } from '../service/location-router.js';

/** What serve mode needs from the service (main/service's Service has more). */
export interface BridgeService {
  api: BridgeApi;
  subscribe(listener: (event: BridgeEvent) => void, location?: string): () => void;
  /**
   * Several locations (main/service/location-hub.ts): the API of the location a call names. Without it the service is
   * one location, and a call naming another one is refused (main/service/location-router.ts).
   */
  route?: LocationRouter['route'];
  /** The service's logger; internal errors are reported there unless `log` is given. */
  logger?: { error(message: string, context?: Record<string, unknown>): void };
}

export interface WebServerOptions {
  service: BridgeService;
  /** 0 or absent = any free port. */
  port?: number;
  /** Only loopback is allowed; anything else is refused. */
  host?: '127.0.0.1';
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** Fixed master token (tests, a service manager); default 32 random bytes per launch. Bearer header only. */
  token?: string;
  /** Launch-ticket and session lifetimes and the clock (tests); defaults in sessions.ts. */
  sessions?: SessionStoreOptions;
  /** Request and connection timeouts (ms); defaults in DEFAULT_TIMEOUTS. The event stream is exempt from them. */
  timeouts?: Partial<ServeTimeouts>;
  /** Where internal errors are reported (their details never go to the browser); default: the service's logger. */
  log?: { error(message: string, context?: Record<string, unknown>): void };
  /** SSE keep-alive comment interval (ms). */
  heartbeatMs?: number;
}

export interface ServeTimeouts {
  /** The whole request (headers and body) must arrive within this. */
  requestMs: number;
  /** A connection with nothing read or written for this long is closed (a bridge call, once accepted, may take longer). */
  connectionMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveMs: number;
  /** Open connections at most; more are refused at once. */
  maxConnections: number;
}

/** Loopback clients send a request in milliseconds; a slow sender is holding a connection on purpose. */
export const DEFAULT_TIMEOUTS: ServeTimeouts = {
  requestMs: 30_000,
  connectionMs: 60_000,
  keepAliveMs: 5_000,
  maxConnections: 64,
};

export interface WebServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  /**
   * A link that signs a browser in: it carries a new single-use launch ticket, good for a minute, which the page trades
   * for a session cookie. Every call makes a new ticket.
   */
  launchUrl(): string;
  /** The master token: `Authorization: Bearer <token>` for scripts and tests. Never put it in a URL. */
  token: string;
  port: number;
  /** Signs every browser out (and voids outstanding launch tickets); the master token keeps working. */
  revokeSessions(): void;
  /** Stops serving; every session ends with it (they live in memory only). */
  close(): Promise<void>;
}

const METHODS = new Set<string>(BRIDGE_METHODS);

function guardInput(req: FastifyRequest): GuardRequest {
  const site = req.headers['sec-fetch-site'];
  return {
    host: req.headers.host,
    origin: req.headers.origin,
    authorization: req.headers.authorization,
    cookie: req.headers.cookie,
    fetchSite: typeof site === 'string' ? site : undefined,
  };
}

/** The `location` a request names: absent, or one plain value (given twice it names no single location). */
function locationOf(req: FastifyRequest): string | undefined {
  const v = (req.query as Record<string, unknown> | undefined)?.location;
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !v)
    throw Object.assign(new Error('Refused: name one location (?location=ID) or none.'), { kind: 'invalid_request' });
  return v;
}

function sendError(reply: FastifyReply, status: number, kind: string, message: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').send({ error: { kind, message } });
}

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const host = opts.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') {
    throw new Error(
      `Serve mode only listens on 127.0.0.1 (asked for "${String(host)}") — use a reverse proxy with its own sign-in to reach it from elsewhere.`,
    );
  }
  if (!existsSync(join(opts.staticDir, 'index.html'))) {
    throw new Error(
      `The window files are missing (no index.html in ${opts.staticDir}) — run "npm run build:renderer" first.`,
    );
  }
  const token = opts.token ?? randomBytes(32).toString('base64url');
  if (token.length < 16) throw new Error('The serve-mode token must be at least 16 characters.');
  let port = 0;
  /** Open event streams, with the session they were opened under (none: the master token). */
  const streams = new Map<EventStream, string | undefined>();
  const sessions = new SessionStore(opts.sessions);
  const timeouts: ServeTimeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
  const service = opts.service;
  const router: LocationRouter = service.route
    ? { route: service.route.bind(service), subscribe: service.subscribe.bind(service) }
    : singleLocationRouter(service.api, service.subscribe.bind(service));

  const app = Fastify({
    logger: false,
    bodyLimit: 2 * 1024 * 1024,
    forceCloseConnections: true,
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.connectionMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    // Node checks the request timeout on this interval (default 30 s); headers get at most the request's time.
    http: {
      headersTimeout: timeouts.requestMs,
      connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(timeouts.requestMs / 4))),
    },
  });
  // A local flood cannot hold more sockets than this (the window needs a handful: its calls and one event stream).
  app.server.maxConnections = timeouts.maxConnections;
  // JSON only: a cross-site form can post text/plain without a preflight; that is answered 415 before any handler.
  app.removeContentTypeParser('text/plain');

  // Every request, before routing: our own Host, and a request-target in plain canonical form.
  app.addHook('onRequest', async (req, reply) => {
    const host = guardHost(guardInput(req), port);
    if (!host.ok) return sendError(reply, host.status, host.kind, host.message);
    const problem = rawPathProblem(req.raw.url ?? '');
    if (problem) return sendError(reply, 400, 'invalid_request', problem);
    return undefined;
  });

  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('content-security-policy', cspHeader());
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
    const path = (req.raw.url ?? '').split('?')[0];
    if (path === '/' || path === '/index.html') reply.header('cache-control', 'no-store');
    return payload;
  });

  app.setErrorHandler((err, req, reply) => {
    const method = (req.params as { method?: unknown } | undefined)?.method;
    const name = typeof method === 'string' && METHODS.has(method) ? method : 'request';
    const out = toTransportError(err, name);
    if (out.internal)
      (opts.log ?? opts.service.logger)?.error(`Serve mode: ${name} failed`, {
        error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      });
    return reply.code(out.status).header('cache-control', 'no-store').send(out.payload);
  });

  app.setNotFoundHandler((_req, reply) => sendError(reply, 404, 'not_found', 'Not found.'));

  // The launch link: spend the ticket (if any), set the session cookie when it was good, and always go to "/" — never
  // to a path taken from the request (an open redirect). A stale ?token= from an older link is dropped the same way.
  const launch = async (
    req: FastifyRequest<{ Querystring: { ticket?: unknown; token?: unknown } }>,
    reply: FastifyReply,
  ) => {
    // Only a GET spends the ticket: a HEAD (a link checker, a mail scanner's preview) must not use it up.
    const ticket = req.method === 'GET' && typeof req.query.ticket === 'string' ? req.query.ticket : undefined;
    const id = sessions.redeemTicket(ticket);
    if (id)
      reply.header(
        'set-cookie',
        `${sessionCookieName(port)}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${sessions.cookieMaxAgeSeconds}`,
      );
    return reply.code(303).header('location', '/').header('cache-control', 'no-store').send();
  };
  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
    if (req.routeOptions.url?.startsWith('/api/')) return undefined;
    const q = req.query as Record<string, unknown> | undefined;
    if (q && ('ticket' in q || 'token' in q))
      return launch(req as FastifyRequest<{ Querystring: { ticket?: unknown } }>, reply);
    return undefined;
  });

  const endStreams = (which: (session: string | undefined) => boolean) => {
    for (const [stream, session] of [...streams]) if (session !== undefined && which(session)) stream.end();
  };

  await app.register(
    async (api: FastifyInstance) => {
      // Runs for every route of this plugin (and its 404), after routing: the guard is decided for the matched route.
      api.addHook('onRequest', async (req, reply) => {
        const verdict = guardApi(guardInput(req), { port, token, session: (id) => sessions.touch(id) });
        if (!verdict.ok) return sendError(reply, verdict.status, verdict.kind, verdict.message);
        if (req.method !== 'GET' && req.method !== 'HEAD' && !isJsonContentType(req.headers['content-type'])) {
          return sendError(
            reply,
            415,
            'invalid_request',
            'Refused: bridge calls take a JSON body (Content-Type: application/json).',
          );
        }
        // Accepted: a bridge call may run longer than the idle-connection limit (a full sync), the request timeout
        // already covered receiving it.
        req.raw.socket?.setTimeout(0);
        return undefined;
      });
      api.addHook('onSend', async (_req, reply, payload) => {
        reply.header('cache-control', 'no-store');
        return payload;
      });
      api.setNotFoundHandler((req, reply) => {
        const name = (req.raw.url ?? '').split('?')[0]!.slice('/api/'.length);
        return sendError(reply, 404, 'not_found', `There is no bridge method "${name.slice(0, 60)}".`);
      });

      api.get('/events', async (req, reply) => {
        // The location is checked before the stream opens: one that is not open is an error answer, not a stream.
        const location = locationOf(req);
        await router.route(location);
        reply.hijack();
        const headers: Record<string, string> = { 'content-security-policy': cspHeader(), ...SECURITY_HEADERS };
        const session = tokenMatches(bearerToken(req.headers.authorization), token)
          ? undefined
          : readCookie(req.headers.cookie, sessionCookieName(port));
        const stream = openEventStream(req.raw, reply.raw, {
          heartbeatMs: opts.heartbeatMs ?? 20_000,
          headers,
          onClose: () => streams.delete(stream),
        });
        streams.set(stream, session);
        stream.attach(
          router.subscribe((event) => {
            // A stream opened under a session ends with it (expired or revoked); the browser's reconnect is then refused.
            if (session !== undefined && !sessions.touch(session, false)) return stream.end();
            stream.send(event);
          }, location),
        );
      });

      api.delete('/session', async (req, reply) => {
        const session = readCookie(req.headers.cookie, sessionCookieName(port));
        sessions.revoke(session);
        endStreams((s) => s === session);
        return reply
          .header('set-cookie', `${sessionCookieName(port)}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`)
          .send({ ok: true });
      });

      api.post<{ Params: { method: string } }>('/:method', async (req, reply) => {
        const name = req.params.method;
        if (!METHODS.has(name))
          return sendError(reply, 404, 'not_found', `There is no bridge method "${name.slice(0, 60)}".`);
        const method = name as BridgeMethod;
        const api = await router.route(locationOf(req));
        const handler = api[method] as (arg?: unknown) => Promise<unknown>;
        const result = await handler.call(api, req.body ?? undefined);
        return reply.send(result ?? null);
      });
    },
    { prefix: '/api' },
  );

  await app.register(fastifyStatic, {
    root: opts.staticDir,
    prefix: '/',
    index: ['index.html'],
    wildcard: true,
    dotfiles: 'deny',
  });

  await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  port = (app.server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    launchUrl: () => `${origin}/?ticket=${sessions.issueTicket()}`,
    token,
    port,
    revokeSessions: () => {
      sessions.revokeAll();
      endStreams(() => true);
    },
    async close() {
      sessions.revokeAll();
      for (const s of [...streams.keys()]) s.end();
      await app.close();
    },
  };
}
