/**
 * Wires the security decisions (security.ts) into Electron: the app:// protocol that serves only the renderer
 * folder, the CSP header, permission handlers, and navigation / window.open / webview blocking for every
 * web contents the app ever creates.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { app, protocol, session, shell } from 'electron';
import { cspHeader, SECURITY_HEADERS } from '../web/csp.js';
import {
  allowedExternalUrl,
  APP_SCHEME,
  navigationDecision,
  originOf,
  permissionAllowed,
  resolveAppAsset,
} from './security.js';
import type { TrustedOrigins } from './security.js';

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

function devCspExtras(devServer: string | undefined): Partial<Record<string, string[]>> {
  const origin = devServer ? originOf(devServer) : undefined;
  if (!origin) return {};
  // Vite's dev server injects its client and React refresh inline and talks over a websocket. Development only.
  return {
    'script-src': [origin, "'unsafe-inline'"],
    'style-src': [origin, "'unsafe-inline'"],
    'connect-src': [origin, origin.replace(/^http/, 'ws')],
    'img-src': [origin],
  };
}

export function hardenApp(opts: {
  rendererDir: string;
  trusted: TrustedOrigins;
  devServer?: string;
  openExternal(url: string): unknown;
}): void {
  const csp = cspHeader(devCspExtras(opts.devServer));

  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppAsset(request.url, opts.rendererDir);
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        status: 200,
        headers: {
          'content-type': MIME[extname(file)] ?? 'application/octet-stream',
          'content-security-policy': csp,
          ...SECURITY_HEADERS,
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });

  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, permission, callback, details) =>
    callback(permissionAllowed(permission, details.requestingUrl, opts.trusted)),
  );
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) =>
    permissionAllowed(permission, requestingOrigin, opts.trusted),
  );
  ses.setDevicePermissionHandler(() => false);
  // The dev server's pages (and anything else over http) get the same policy as a header.
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });

  app.on('web-contents-created', (_event, contents) => {
    const guard = (event: { preventDefault(): void }, url: string) => {
      const d = navigationDecision(url, opts.trusted, 'navigate');
      if (d.action === 'allow') return;
      event.preventDefault();
      if (d.action === 'open-external') opts.openExternal(d.url);
    };
    contents.on('will-navigate', (event) => guard(event, event.url));
    contents.on('will-redirect', (event) => guard(event, event.url));
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      const d = navigationDecision(url, opts.trusted, 'new-window');
      if (d.action === 'open-external') opts.openExternal(d.url);
      return { action: 'deny' };
    });
  });
}

/** shell.openExternal, only for URLs the allowlist admits; returns whether it opened. */
export function openInBrowser(url: string, extraOrigins: readonly string[] = []): boolean {
  const allowed = allowedExternalUrl(url, { extraOrigins });
  if (!allowed) return false;
  void shell.openExternal(allowed).catch(() => undefined);
  return true;
}
