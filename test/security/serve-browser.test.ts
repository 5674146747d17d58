/**
 * From real Chromium (playwright-core, /usr/bin/chromium): a person is signed in to serve mode in their browser, then
 * opens a page on another origin — another port of 127.0.0.1 (same-site, so the SameSite=Strict cookie goes along)
 * and localhost (cross-site). That page fires `fetch(…, { mode: 'no-cors' })` at the API under every spelling of its
 * path, with and without a body. None of it may pause sync or replace a credential; the window's own page, on the
 * same browser, still can call the API.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type Service } from '../../main/service/index.js';
import { startWebServer, type WebServer } from '../../main/web/server.js';

let svc: Service;
let web: WebServer;
let evil: Server;
let evilPort: number;
let browser: Browser;
const dirs: string[] = [];

/** The attacking page: no-cors POSTs (the only kind a foreign page can send without a preflight), then a marker. */
function attackPage(target: string): string {
  const paths = [
    '/%61pi/pause',
    '/a%70i/pause',
    '/%2fapi/pause',
    '/%2561pi/pause',
    '/API/pause',
    '/api/pause',
    '/%61pi/saveAimfoxKey',
    '/api/saveAimfoxKey',
  ];
  return `<!doctype html><title>evil</title><script>
    (async () => {
      const target = ${JSON.stringify(target)};
      const paths = ${JSON.stringify(paths)};
      const shots = [];
      for (const p of paths) {
        shots.push(fetch(target + p, { method: 'POST', mode: 'no-cors', credentials: 'include' }).catch(() => null));
        shots.push(fetch(target + p, { method: 'POST', mode: 'no-cors', credentials: 'include', body: JSON.stringify({ apiKey: 'attacker-key' }) }).catch(() => null));
        shots.push(fetch(target + p, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'apiKey=attacker-key' }).catch(() => null));
      }
      await Promise.all(shots);
      document.title = 'done';
    })();
  </script>`;
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ghlb-browser-'));
  const staticDir = mkdtempSync(join(tmpdir(), 'ghlb-browser-web-'));
  dirs.push(dir, staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>GHL Bridge</title><p>window</p>');
  svc = await createService({
    profileDir: dir,
    env: { GHL_BRIDGE_VAULT_KEY: 'browser-key-not-secret-0123456789abcdef' },
  });
  web = await startWebServer({ service: svc, staticDir });
  evil = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(attackPage(web.origin));
  });
  await new Promise<void>((ok) => evil.listen(0, '127.0.0.1', ok));
  evilPort = (evil.address() as AddressInfo).port;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((ok) => (evil ? evil.close(() => ok()) : ok()));
  await web?.close();
  await svc?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('a page on another origin, in the same browser as the signed-in window', () => {
  it('cannot drive the API with no-cors fetches, under any spelling of its path', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // Sign in as a person would: open the printed link.
      await page.goto(web.launchUrl());
      expect(new URL(page.url()).search).toBe('');
      expect((await context.cookies(web.origin)).length).toBe(1);
      // The window itself can call the API (so the refusals below are not a broken session).
      const own = (await page.evaluate(
        `fetch('/api/getStatus', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.status)`,
      )) as number;
      expect(own).toBe(200);

      for (const origin of [`http://127.0.0.1:${evilPort}`, `http://localhost:${evilPort}`]) {
        const attacker = await context.newPage();
        await attacker.goto(`${origin}/`);
        await attacker.waitForFunction(`document.title === 'done'`, undefined, { timeout: 15_000 });
        await attacker.close();
      }

      const status = await svc.api.getStatus();
      expect(status.paused).toBe(false);
      expect(status.connections.find((c) => c.system === 'aimfox')?.configured).toBe(false);
    } finally {
      await context.close();
    }
  });
});
