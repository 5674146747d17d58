/**
 * Request guards for serve mode, as pure functions of the request's headers.
 *
 * Serve mode exposes the whole bridge API (sign-in, secrets entry, sync) on a loopback port, so every /api call must
 * prove it comes from the page we served:
 * - Host must be 127.0.0.1:<port> or localhost:<port> — a DNS-rebinding page arrives with its own host name.
 * - Origin, when the browser sends one, must be the same origin as the Host — a foreign page cannot call us.
 * - The per-launch token must match, from `Authorization: Bearer <token>` or from our HttpOnly cookie (EventSource
 *   cannot set headers; the cookie is set when the page is opened with ?token=).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export interface GuardRequest {
  host?: string | undefined;
  origin?: string | undefined;
  authorization?: string | undefined;
  cookie?: string | undefined;
}

export type GuardResult = { ok: true } | { ok: false; status: 401 | 403; kind: 'forbidden' | 'unauthorized'; message: string };

/** The cookie that carries the token; the port is in the name because cookies are shared by every port of a host. */
export const tokenCookieName = (port: number): string => `ghlb_token_${port}`;

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost'] as const;

/** Host header check (DNS-rebinding defence): only our own loopback name and port. */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const h = host.trim().toLowerCase();
  return LOOPBACK_NAMES.some((name) => h === `${name}:${port}`);
}

/** Origin check: absent is fine (same-origin GET, curl); present must be exactly http://<the Host we accepted>. */
export function isAllowedOrigin(origin: string | undefined, host: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  if (!isAllowedHost(host, port)) return false;
  return origin.trim().toLowerCase() === `http://${host!.trim().toLowerCase()}`;
}

/** Reads one cookie's value from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** Constant-time token comparison (hashing first makes the lengths equal). */
export function tokenMatches(candidate: string | undefined, token: string): boolean {
  if (!candidate || !token) return false;
  const a = createHash('sha256').update(candidate).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return m?.[1];
}

export function hasValidToken(req: GuardRequest, token: string, port: number): boolean {
  return tokenMatches(bearerToken(req.authorization), token) || tokenMatches(readCookie(req.cookie, tokenCookieName(port)), token);
}

/** Every request: the Host check. */
export function guardHost(req: GuardRequest, port: number): GuardResult {
  if (isAllowedHost(req.host, port)) return { ok: true };
  return {
    ok: false,
    status: 403,
    kind: 'forbidden',
    message: `Refused: GHL Bridge only answers at http://127.0.0.1:${port} or http://localhost:${port}.`,
  };
}

/** /api calls: Host, then Origin, then the token. */
export function guardApi(req: GuardRequest, opts: { port: number; token: string }): GuardResult {
  const host = guardHost(req, opts.port);
  if (!host.ok) return host;
  if (!isAllowedOrigin(req.origin, req.host, opts.port)) {
    return { ok: false, status: 403, kind: 'forbidden', message: 'Refused: this request came from another web page.' };
  }
  if (!hasValidToken(req, opts.token, opts.port)) {
    return {
      ok: false,
      status: 401,
      kind: 'unauthorized',
      message: 'Not signed in to this GHL Bridge server — open the link printed by "ghl-bridge serve" (it carries the access token).',
    };
  }
  return { ok: true };
}
