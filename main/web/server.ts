/**
 * Serve mode: the bridge API over loopback HTTP, so the same window runs in any browser (and in the browser tests).
 *
 *   POST /api/<method>   JSON body = the method's single argument; answers the result as JSON
 *   GET  /api/events     Server-Sent Events, one `data:` line of JSON per BridgeEvent
 *   GET  /*              the built renderer (Vite output)
 *
 * 127.0.0.1 only, a random per-launch token on every /api call, Host and Origin checks (see guards.ts).
 */
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { BRIDGE_METHODS } from '../../preload/contract.js';
import type { BridgeApi, BridgeEvent, BridgeMethod } from '../../preload/contract.js';
import { guardApi, guardHost, tokenCookieName, tokenMatches } from './guards.js';
import type { GuardRequest } from './guards.js';
import { toTransportError } from './error-payload.js';
import { cspHeader, SECURITY_HEADERS } from './csp.js';
import { openEventStream } from './sse.js';
import type { EventStream } from './sse.js';

/** What serve mode needs from the service (main/service's Service has more). */
export interface BridgeService {
  api: BridgeApi;
  subscribe(listener: (event: BridgeEvent) => void): () => void;
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
  /** Fixed token (tests, a service manager); default 32 random bytes per launch. */
  token?: string;
  /** Where internal errors are reported (their details never go to the browser); default: the service's logger. */
  log?: { error(message: string, context?: Record<string, unknown>): void };
  /** SSE keep-alive comment interval (ms). */
  heartbeatMs?: number;
}

export interface WebServer {
  /** Opening this URL in a browser just works: it carries the token, which the page trades for a cookie. */
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const METHODS = new Set<string>(BRIDGE_METHODS);

function guardInput(req: FastifyRequest): GuardRequest {
  return { host: req.headers.host, origin: req.headers.origin, authorization: req.headers.authorization, cookie: req.headers.cookie };
}

function sendError(reply: FastifyReply, status: number, kind: string, message: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').send({ error: { kind, message } });
}

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const host = opts.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') {
    throw new Error(`Serve mode only listens on 127.0.0.1 (asked for "${String(host)}") — use a reverse proxy with its own sign-in to reach it from elsewhere.`);
  }
  if (!existsSync(join(opts.staticDir, 'index.html'))) {
    throw new Error(`The window files are missing (no index.html in ${opts.staticDir}) — run "npm run build:renderer" first.`);
  }
  const token = opts.token ?? randomBytes(32).toString('base64url');
  if (token.length < 16) throw new Error('The serve-mode token must be at least 16 characters.');
  let port = 0;
  const streams = new Set<EventStream>();

  const app = Fastify({ logger: false, bodyLimit: 2 * 1024 * 1024, forceCloseConnections: true });
  // JSON only: a cross-site form can post text/plain without a preflight; that is answered 415 before any handler.
  app.removeContentTypeParser('text/plain');

  app.addHook('onRequest', async (req, reply) => {
    const input = guardInput(req);
    const verdict = req.url.startsWith('/api/') ? guardApi(input, { port, token }) : guardHost(input, port);
    if (!verdict.ok) return sendError(reply, verdict.status, verdict.kind, verdict.message);
    // The page opened with ?token=…: trade it for an HttpOnly cookie and drop it from the address bar.
    if (!req.url.startsWith('/api/') && req.method === 'GET') {
      const q = req.query as Record<string, unknown> | undefined;
      if (typeof q?.token === 'string') {
        const path = req.url.split('?')[0] ?? '/';
        if (tokenMatches(q.token, token)) {
          reply.header('set-cookie', `${tokenCookieName(port)}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
        }
        return reply.code(303).header('location', path).header('cache-control', 'no-store').send();
      }
    }
    return undefined;
  });

  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('content-security-policy', cspHeader());
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
    if (req.url.startsWith('/api/') || req.url === '/' || req.url.startsWith('/index.html')) reply.header('cache-control', 'no-store');
    return payload;
  });

  app.setErrorHandler((err, req, reply) => {
    const method = /^\/api\/([A-Za-z]+)/.exec(req.url)?.[1] ?? 'request';
    const out = toTransportError(err, method);
    if (out.internal) (opts.log ?? opts.service.logger)?.error(`Serve mode: ${method} failed`, { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    return reply.code(out.status).header('cache-control', 'no-store').send(out.payload);
  });

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/')) return sendError(reply, 404, 'not_found', `There is no bridge method "${req.url.slice(5).split('?')[0]}".`);
    return sendError(reply, 404, 'not_found', 'Not found.');
  });

  app.get('/api/events', (req, reply) => {
    reply.hijack();
    const headers: Record<string, string> = { 'content-security-policy': cspHeader(), ...SECURITY_HEADERS };
    const stream = openEventStream(req.raw, reply.raw, { heartbeatMs: opts.heartbeatMs ?? 20_000, headers, onClose: () => streams.delete(stream) });
    streams.add(stream);
    stream.attach(opts.service.subscribe((event) => stream.send(event)));
  });

  app.post<{ Params: { method: string } }>('/api/:method', async (req, reply) => {
    const name = req.params.method;
    if (!METHODS.has(name)) return sendError(reply, 404, 'not_found', `There is no bridge method "${name}".`);
    const method = name as BridgeMethod;
    const handler = opts.service.api[method] as (arg?: unknown) => Promise<unknown>;
    const result = await handler.call(opts.service.api, req.body ?? undefined);
    return reply.header('cache-control', 'no-store').send(result ?? null);
  });

  await app.register(fastifyStatic, { root: opts.staticDir, prefix: '/', index: ['index.html'], wildcard: true, dotfiles: 'deny' });

  await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  port = (app.server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${encodeURIComponent(token)}`,
    token,
    port,
    async close() {
      for (const s of [...streams]) s.end();
      await app.close();
    },
  };
}
