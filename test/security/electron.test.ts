/**
 * The Electron shell's security decisions, property-tested (the unit tests in test/unit/app-*.test.ts check the named
 * cases; these throw thousands of generated URLs, frames and window inputs at the same pure functions), plus the
 * wiring: every window is built from the hardened options, and every page gets the CSP.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allowedExternalUrl,
  APP_ORIGIN,
  EXTERNAL_HOSTS,
  isTrustedSender,
  navigationDecision,
  originOf,
  permissionAllowed,
  trustedOrigins,
} from '../../main/app/security.js';
import { windowOptions } from '../../main/app/window-options.js';
import { cspHeader, cspMeta } from '../../main/web/csp.js';

const prod = trustedOrigins();

/** URLs an attacker would try: look-alike hosts, other schemes, credentials, ports, unicode, encoded tricks. */
const hostile = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc
    .record({
      scheme: fc.constantFrom(
        'https',
        'http',
        'file',
        'javascript',
        'data',
        'smb',
        'app',
        'ftp',
        'chrome',
        'about',
        'HTTPS',
      ),
      user: fc.constantFrom('', 'user@', 'user:pass@', 'marketplace.gohighlevel.com@'),
      host: fc.oneof(
        fc.constantFrom(...EXTERNAL_HOSTS),
        fc.constantFrom(...EXTERNAL_HOSTS).map((h) => `${h}.evil.example`),
        fc.constantFrom(...EXTERNAL_HOSTS).map((h) => `evil${h}`),
        fc.constantFrom(...EXTERNAL_HOSTS).map((h) => h.replace('o', 'о')), // Cyrillic o
        fc.constantFrom('bridge', '127.0.0.1', 'localhost', '[::1]', 'evil.example', '0x7f000001', ''),
        fc.domain(),
      ),
      port: fc.constantFrom('', ':443', ':80', ':8443', ':5173'),
      path: fc.constantFrom(
        '/',
        '/x',
        '/%2e%2e/%2e%2e/etc/passwd',
        '/\\\\evil',
        '?next=https://evil.example',
        '#@evil.example',
      ),
    })
    .map(({ scheme, user, host, port, path }) => `${scheme}://${user}${host}${port}${path}`),
  fc.string(),
);

describe('openExternal allowlist', () => {
  it('only ever hands https, an allowlisted host, no credentials and no port to the system browser', () => {
    fc.assert(
      fc.property(hostile, (raw) => {
        const out = allowedExternalUrl(raw);
        if (out === undefined) return;
        const u = new URL(out);
        expect(u.protocol).toBe('https:');
        expect(EXTERNAL_HOSTS).toContain(u.hostname);
        expect(u.port).toBe('');
        expect(u.username + u.password).toBe('');
      }),
      { numRuns: 3000 },
    );
  });

  it('navigation never leaves our own pages, and new windows never open in the app', () => {
    fc.assert(
      fc.property(
        hostile,
        fc.constantFrom('navigate', 'new-window') as fc.Arbitrary<'navigate' | 'new-window'>,
        (raw, kind) => {
          const d = navigationDecision(raw, prod, kind);
          if (d.action === 'allow') {
            expect(kind).toBe('navigate');
            expect(originOf(raw)).toBe(APP_ORIGIN);
          }
          if (d.action === 'open-external') expect(allowedExternalUrl(d.url)).toBe(d.url);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('IPC from untrusted senders', () => {
  it('is dropped unless it comes from the main frame of our own origin', () => {
    fc.assert(
      fc.property(hostile, fc.boolean(), (url, sub) => {
        const trusted = isTrustedSender({ url, parent: sub ? {} : null }, prod);
        if (trusted) {
          expect(sub).toBe(false);
          expect(originOf(url)).toBe(APP_ORIGIN);
        }
      }),
      { numRuns: 2000 },
    );
    expect(isTrustedSender({ url: `${APP_ORIGIN}/index.html`, parent: null }, prod)).toBe(true);
  });

  it('no permission is granted to any page but our own, and only clipboard writes to it', () => {
    fc.assert(
      fc.property(fc.string(), hostile, (permission, url) => {
        if (permissionAllowed(permission, url, prod)) {
          expect(permission).toBe('clipboard-sanitized-write');
          expect(originOf(url)).toBe(APP_ORIGIN);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('window options and CSP', () => {
  it('whatever the saved bounds and icon, the page is isolated from Node and Electron (checklist)', () => {
    fc.assert(
      fc.property(
        fc.record({
          x: fc.integer(),
          y: fc.integer(),
          width: fc.integer({ min: -10, max: 10_000 }),
          height: fc.integer({ min: -10, max: 10_000 }),
        }),
        fc.option(fc.string(), { nil: undefined }),
        (bounds, iconPath) => {
          const w = windowOptions({ preloadPath: '/app/dist/preload/index.cjs', bounds, iconPath }).webPreferences!;
          expect(w).toMatchObject({
            contextIsolation: true,
            sandbox: true,
            nodeIntegration: false,
            nodeIntegrationInWorker: false,
            nodeIntegrationInSubFrames: false,
            webSecurity: true,
            allowRunningInsecureContent: false,
            webviewTag: false,
            experimentalFeatures: false,
            devTools: false,
          });
          expect(w.preload).toBe('/app/dist/preload/index.cjs');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('every BrowserWindow the shell creates is built from those options', () => {
    const dir = join(import.meta.dirname, '../../main/app');
    const creations = readdirSync(dir).flatMap((f) =>
      [...readFileSync(join(dir, f), 'utf8').matchAll(/new BrowserWindow\(([^;]*)/g)].map((m) => `${f}: ${m[1]}`),
    );
    expect(creations.length).toBeGreaterThan(0);
    for (const c of creations) expect(c).toMatch(/windowOptions\(/);
  });

  it('the CSP forbids inline script, eval and anything remote, and the shell sends it with every page', () => {
    const header = cspHeader();
    expect(header).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:|ws:|blob:/);
    expect(header).toMatch(/default-src 'none'/);
    expect(header).toMatch(/frame-ancestors 'none'/);
    expect(cspMeta()).not.toMatch(/unsafe|\*|https?:/);
    const harden = readFileSync(join(import.meta.dirname, '../../main/app/harden.ts'), 'utf8');
    // app:// answers carry it, and so does every other response the window loads (onHeadersReceived).
    expect(harden).toMatch(/'content-security-policy': csp/);
    expect(harden).toMatch(/onHeadersReceived[\s\S]*Content-Security-Policy/);
  });
});
