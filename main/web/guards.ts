/**
 * Request guards for serve mode, as pure functions of the request's headers.
 *
 * Serve mode exposes the whole bridge API (sign-in, secrets entry, sync) on a loopback port, so every /api call must
 * prove it comes from the page we served:
 * - Host must be 127.0.0.1:<port> or localhost:<port> — a DNS-rebinding page arrives with its own host name.
 * - Origin, when the browser sends one, must be the same origin as the Host — a foreign page cannot call us.
 * - A browser's Sec-Fetch-Site, when sent, must be same-origin — a page on another port of 127.0.0.1 is same-site
 *   (cookies go along) but not same-origin.
 * - Either the master token as `Authorization: Bearer <token>` (scripts, tests) or a live session id from our HttpOnly
 *   cookie (the window; EventSource cannot set headers). The cookie never holds the master token (see sessions.ts).
 * - A call with a body must be JSON: a cross-site page can only send text/plain, form or multipart bodies without a
 *   preflight, and a body-less POST has no content type at all.
 *
 * server.ts runs these in the API plugin's own onRequest hook, so they are decided for the route the router matched,
 * and refuses request paths that are not in plain canonical form (rawPathProblem) before any routing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export interface GuardRequest {
  host?: string | undefined;
  origin?: string | undefined;
  authorization?: string | undefined;
  cookie?: string | undefined;
  /** The Fetch Metadata header browsers send (Sec-Fetch-Site). */
  fetchSite?: string | undefined;
}

export type GuardResult =
  | { ok: true }
  | {
      ok: false;
      status: 400 | 401 | 403 | 415;
      kind: 'forbidden' | 'unauthorized' | 'invalid_request';
      message: string;
    };

/** The cookie that carries the session id; the port is in the name because cookies are shared by every port of a host. */
export const sessionCookieName = (port: number): string => `ghlb_session_${port}`;

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
    if (part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
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

export interface ApiGuardOptions {
  port: number;
  /** The master token, accepted as a Bearer header only. */
  token: string;
  /** Whether a session id from the cookie is live (sessions.ts). */
  session: (id: string | undefined) => boolean;
}

export function isAuthenticated(req: GuardRequest, opts: ApiGuardOptions): boolean {
  return (
    tokenMatches(bearerToken(req.authorization), opts.token) ||
    opts.session(readCookie(req.cookie, sessionCookieName(opts.port)))
  );
}

/**
 * Why a request-target is refused before routing, if it is: anything but a plain origin-form path. The router decodes
 * percent-escapes before it matches (so `/%61pi/pause` is the pause route) while anything that looks at the raw text
 * sees another path; with no escapes, dot segments or backslashes, the raw path and the routed one are the same text.
 * The window's own files have plain names, so nothing legitimate is refused.
 */
export function rawPathProblem(url: string): string | undefined {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (!path.startsWith('/')) return 'Refused: only a plain path is accepted as the request target.';
  if (path.includes('%')) return 'Refused: percent-encoded paths are not accepted — use the plain path.';
  if (path.includes('\\')) return 'Refused: backslashes are not accepted in paths.';
  if (path.split('/').some((seg) => seg === '.' || seg === '..'))
    return 'Refused: "." and ".." segments are not accepted in paths.';
  return undefined;
}

/** Whether a Content-Type header is JSON (any parameters, such as a charset, allowed). */
export function isJsonContentType(header: string | undefined): boolean {
  return (header ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
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

/** /api calls: Host, then Origin and Sec-Fetch-Site, then the master token or a session. */
export function guardApi(req: GuardRequest, opts: ApiGuardOptions): GuardResult {
  const host = guardHost(req, opts.port);
  if (!host.ok) return host;
  const site = req.fetchSite?.trim().toLowerCase();
  if (!isAllowedOrigin(req.origin, req.host, opts.port) || (site !== undefined && site !== 'same-origin')) {
    return { ok: false, status: 403, kind: 'forbidden', message: 'Refused: this request came from another web page.' };
  }
  if (!isAuthenticated(req, opts)) {
    return {
      ok: false,
      status: 401,
      kind: 'unauthorized',
      message:
        'Not signed in to this GHL Bridge server — open a fresh link from "ghl-bridge serve" (each link works once, within a minute).',
    };
  }
  return { ok: true };
}
