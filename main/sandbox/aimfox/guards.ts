/**
 * Bearer-key auth and the request limit, as Fastify onRequest hooks for the /api/v2 routes.
 * - No `Authorization: Bearer …`, or a key the workspace does not have (or one revoked by a fault):
 *   401 `{status:"fail", error:{code:401, …}}` (undocumented; the sandbox's choice).
 * - A valid key of the wrong type (master key on a workspace route, or the reverse): HTTP 500, as documented.
 * - Then the 60/min limit (per key: one key is one workspace): 429, no headers.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KeyType } from './context.js';
import { failBody } from './errors.js';
import type { SlidingWindowLimiter } from './rate-limit.js';

export class KeyRegistry {
  private readonly revoked = new Set<string>();

  constructor(
    readonly apiKey: string,
    readonly masterKey: string,
  ) {}

  kindOf(key: string): KeyType | undefined {
    if (this.revoked.has(key)) return undefined;
    if (key === this.apiKey) return 'normal';
    if (key === this.masterKey) return 'master';
    return undefined;
  }

  revoke(key: string): void {
    if (key === this.apiKey || key === this.masterKey) this.revoked.add(key);
  }

  restore(): void {
    this.revoked.clear();
  }
}

export function bearerKey(request: FastifyRequest): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return m?.[1];
}

export function tooManyRequests(reply: FastifyReply): FastifyReply {
  return reply.code(429).send(failBody(429, 'Too many requests, please try again later.'));
}

export function internalServerError(reply: FastifyReply): FastifyReply {
  return reply.code(500).send(failBody(500, 'Internal Server Error'));
}

export function authAndLimitHook(keys: KeyRegistry, limiter: SlidingWindowLimiter) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const key = bearerKey(request);
    if (!key) return reply.code(401).send(failBody(401, 'Missing API key: send "Authorization: Bearer <API key>"'));
    const kind = keys.kindOf(key);
    if (!kind) return reply.code(401).send(failBody(401, 'Invalid API key'));
    const wanted: KeyType = request.routeOptions.config?.keyType ?? 'normal';
    if (kind !== wanted) return internalServerError(reply);
    if (!limiter.take(key)) return tooManyRequests(reply);
    return undefined;
  };
}
