/**
 * The shell's security decisions, as pure functions (no electron import): which IPC senders are ours, where the
 * window may navigate, which URLs may open in the system browser, which permissions a page gets, and which file an
 * app:// request may read. index.ts wires them to Electron; the unit tests prove them case by case.
 *
 * The window is served from a privileged custom scheme (app://bridge/…) rather than file://, per Electron's security
 * checklist: it has a real origin for CSP 'self' and for sender checks, and can only ever read the renderer folder.
 */
import { isAbsolute, join, normalize, relative, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'bridge';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** scheme://host[:port] of a URL, also for non-special schemes (where URL.origin is "null"). Undefined if unparsable. */
export function originOf(raw: string): string | undefined {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}`.toLowerCase();
  } catch {
    return undefined;
  }
}

/** The parts of Electron's WebFrameMain the sender check reads. */
export interface SenderFrameLike {
  url: string;
  /** null for a main frame. */
  parent: unknown;
}

export interface TrustedOrigins {
  /** e.g. ["app://bridge"] in production; plus the Vite dev server's origin in development. */
  origins: readonly string[];
}

export function trustedOrigins(devServerUrl?: string): TrustedOrigins {
  const dev = devServerUrl ? originOf(devServerUrl) : undefined;
  return { origins: dev ? [APP_ORIGIN, dev] : [APP_ORIGIN] };
}

/**
 * Whether an IPC message may be answered: it must come from the main frame (not an iframe) of a page on one of our
 * own origins. Anything else — a destroyed frame, a subframe, a navigated-away page — is dropped.
 */
export function isTrustedSender(frame: SenderFrameLike | null | undefined, trusted: TrustedOrigins): boolean {
  if (!frame || typeof frame.url !== 'string') return false;
  if (frame.parent !== null) return false;
  const origin = originOf(frame.url);
  return origin !== undefined && trusted.origins.includes(origin);
}

/** Hosts whose https pages may open in the system browser: GHL sign-in and marketplace, and help pages. */
export const EXTERNAL_HOSTS: readonly string[] = [
  'marketplace.gohighlevel.com',
  'marketplace.leadconnectorhq.com',
  // Contact pages, for merging two HighLevel contacts that are duplicates (the Conflicts screen links them).
  'app.gohighlevel.com',
  'help.gohighlevel.com',
  'help.leadconnectorhq.com',
  'help.aroflo.com',
  'docs.aimfox.com',
  'help.aimfox.com',
];

/**
 * Hosts where only some pages may open: the HighLevel app only at a contact's page (the Conflicts screen's link for
 * merging two duplicates), never its settings, integrations or any other page a crafted link could aim at.
 */
export const EXTERNAL_PATHS: Readonly<Record<string, RegExp>> = {
  'app.gohighlevel.com': /^\/v2\/location\/[\w-]+\/contacts\/detail\/[\w-]+\/?$/,
};

/**
 * The URL to hand to shell.openExternal, or undefined: https only, an allowlisted host (and page, where EXTERNAL_PATHS
 * names one), no credentials, default port.
 * `extraOrigins` admits exact origins besides (the configured GHL sign-in page when it is a local sandbox).
 */
export function allowedExternalUrl(
  raw: string,
  opts: { hosts?: readonly string[]; extraOrigins?: readonly string[] } = {},
): string | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return undefined;
  }
  if (u.username || u.password) return undefined;
  const origin = originOf(raw);
  if (
    origin &&
    (u.protocol === 'https:' || u.protocol === 'http:') &&
    opts.extraOrigins?.some((o) => originOf(o) === origin)
  )
    return u.toString();
  if (u.protocol !== 'https:' || u.port) return undefined;
  const host = u.hostname.toLowerCase();
  if (!(opts.hosts ?? EXTERNAL_HOSTS).includes(host)) return undefined;
  const page = EXTERNAL_PATHS[host];
  if (page && (!page.test(u.pathname) || u.search || u.hash)) return undefined;
  return u.toString();
}

export type NavigationDecision = { action: 'allow' } | { action: 'deny' } | { action: 'open-external'; url: string };

/**
 * will-navigate / window.open: the window never leaves our own pages and never opens another Electron window.
 * A link to an allowlisted https page opens in the system browser instead; everything else is dropped.
 */
export function navigationDecision(
  url: string,
  trusted: TrustedOrigins,
  kind: 'navigate' | 'new-window',
): NavigationDecision {
  const origin = originOf(url);
  if (kind === 'navigate' && origin !== undefined && trusted.origins.includes(origin)) return { action: 'allow' };
  const external = allowedExternalUrl(url);
  if (external) return { action: 'open-external', url: external };
  return { action: 'deny' };
}

/** Permission requests and checks: denied, except writing to the clipboard from our own page ("Copy diagnostics"). */
export function permissionAllowed(
  permission: string,
  requestingUrl: string | undefined,
  trusted: TrustedOrigins,
): boolean {
  if (permission !== 'clipboard-sanitized-write') return false;
  const origin = requestingUrl ? originOf(requestingUrl) : undefined;
  return origin !== undefined && trusted.origins.includes(origin);
}

/**
 * Maps an app:// request to a file inside the renderer folder, or undefined (wrong host, encoded traversal, a path
 * outside the folder). "/" is index.html.
 */
export function resolveAppAsset(requestUrl: string, rootDir: string): string | undefined {
  let u: URL;
  try {
    u = new URL(requestUrl);
  } catch {
    return undefined;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return undefined;
  }
  if (path.includes('\0') || path.includes('\\')) return undefined;
  if (path === '/' || path === '') path = '/index.html';
  const file = normalize(join(rootDir, path));
  const rel = relative(rootDir, file);
  if (!rel || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return undefined;
  return file;
}
