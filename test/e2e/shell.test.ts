/**
 * The window in real Chromium, over serve mode, in front of the real service on a fresh profile: the Status screen
 * shows the real values, every screen opens from the navigation without console errors or serious accessibility
 * problems, and a screenshot of each lands in test-artifacts/screenshots/<screen>.png.
 *
 * Needs the renderer build: `npx vite build --config renderer/vite.config.ts` (npm test does it first).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { createService } from '../../main/service/index.js';
import type { Service } from '../../main/service/index.js';
import { startWebServer } from '../../main/web/server.js';
import type { WebServer } from '../../main/web/server.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const staticDir = join(repo, 'dist', 'renderer');
const shots = join(repo, 'test-artifacts', 'screenshots');
const VERSION = '0.1.0-e2e';
const SCREENS = [
  { id: 'status', label: 'Status' },
  { id: 'connections', label: 'Connections' },
  { id: 'mappings', label: 'Mappings' },
  { id: 'conflicts', label: 'Conflicts' },
  { id: 'activity', label: 'Activity' },
  { id: 'logs', label: 'Logs' },
  { id: 'settings', label: 'Settings' },
] as const;

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let tmp: string;
let service: Service;
let server: WebServer;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(staticDir, 'index.html')))
    throw new Error('dist/renderer is missing — run "npx vite build --config renderer/vite.config.ts" first.');
  tmp = mkdtempSync(join(tmpdir(), 'ghlb-e2e-'));
  mkdirSync(shots, { recursive: true });
  service = await createService({
    profileDir: join(tmp, 'profile'),
    version: VERSION,
    env: { GHL_BRIDGE_VAULT_KEY: '30a8e2057041006b7f5096ed3faedb57bb5620697643bf7b72c4d01d28714633' },
  });
  server = await startWebServer({ service, staticDir });
  context = await chromium.launchPersistentContext(join(tmp, 'chromium'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
    reducedMotion: 'reduce',
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // Leaving or reloading the page aborts its open event stream; that is not a failure.
    if (new URL(r.url()).pathname === '/api/events' && r.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  await service?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function seriousA11yViolations(): Promise<string[]> {
  await page.evaluate(axeSource);
  // Page-side code as a string: this project compiles tests without the DOM library.
  const result = (await page.evaluate(`(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, count: v.nodes.length }));
  })()`)) as Array<{ id: string; impact: string | null; count: number }>;
  return result
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}, ${v.count})`);
}

const escapeRe = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Waits (bounded) until the locator shows the text; playwright-core has no expect(), so these stand in. */
async function shows(loc: Locator, text: string | RegExp): Promise<void> {
  await loc.filter({ hasText: text }).first().waitFor({ state: 'visible', timeout: 10_000 });
}
async function showsExactly(loc: Locator, text: string): Promise<void> {
  await shows(loc, new RegExp(`^\\s*${escapeRe(text)}\\s*$`));
}

/** Waits until no loading state is left on the screen. */
async function settled(): Promise<void> {
  // A locator, not waitForFunction: polling a predicate string needs eval, which the page's CSP forbids.
  await page.locator('.state-loading').first().waitFor({ state: 'detached', timeout: 10_000 });
}

describe('the window over serve mode, in Chromium', () => {
  it('opens from the printed link and shows the real status', async () => {
    await page.goto(server.launchUrl());
    // The token was traded for a cookie and removed from the address bar.
    expect(new URL(page.url()).search).toBe('');
    await showsExactly(page.locator('h1'), 'Status');
    await settled();
    const about = page.locator('section', { has: page.locator('h2', { hasText: 'This installation' }) });
    await shows(about, VERSION);
    await shows(about, join(tmp, 'profile'));
    const status = await service.api.getStatus();
    expect(status.dbLevel).toBeGreaterThan(0);
    // The database level is for support: in the diagnostics, not on Status (issue 17 item 5).
    expect(await about.locator('.details-row', { hasText: 'Database level' }).count()).toBe(0);
    expect(JSON.parse((await service.api.getDiagnostics()).text).profile.databaseLevel).toBe(status.dbLevel);
    // Live data from the handlers: the three connections and the service's attention items.
    expect(await page.locator('.connection-row').count()).toBe(3);
    await shows(page.locator('.attention-list'), 'Connect HighLevel to get started.');
    // A fresh profile is not "in trouble", it is not set up yet: the overview and the sidebar say so.
    await shows(page.locator('.overview'), 'Finish setting up');
    await shows(page.locator('.sidebar-foot'), 'Not set up yet');
    await showsExactly(page.locator('nav[aria-label="Main"] a[aria-current="page"]'), 'Status');
  });

  it('pause and resume go through the bridge and update the screen live', async () => {
    await page.getByRole('button', { name: 'Pause sync' }).click();
    await shows(page.locator('.overview'), 'Sync is paused');
    await shows(page.locator('.sidebar-foot'), 'Sync paused');
    expect((await service.api.getStatus()).paused).toBe(true);
    await page.getByRole('button', { name: 'Resume sync' }).click();
    await page.getByRole('button', { name: 'Pause sync' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    expect((await service.api.getStatus()).paused).toBe(false);
  });

  it('after loading, the first Tab reaches "Skip to content", which moves focus to the screen', async () => {
    await page.goto(`${server.origin}/#/status`);
    await page.reload(); // a hash-only goto does not load the page again
    await settled();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement?.id')).toBe('main');
    expect(page.url()).toMatch(/#\/status$/);
  });

  for (const screen of SCREENS) {
    it(`navigates to ${screen.label}: heading, aria-current, no serious a11y violations, screenshot`, async () => {
      await page.locator('nav[aria-label="Main"]').getByRole('link', { name: screen.label, exact: true }).click();
      await showsExactly(page.locator('h1'), screen.label);
      expect(page.url()).toMatch(new RegExp(`#/${screen.id}$`));
      await showsExactly(page.locator('nav[aria-label="Main"] a[aria-current="page"]'), screen.label);
      expect(await page.locator('nav[aria-label="Main"] a[aria-current="page"]').count()).toBe(1);
      await settled();
      expect(await page.title()).toBe(`${screen.label} — GHL Bridge`);
      expect(await page.locator('.state-error').count()).toBe(0);
      if (screen.id === 'conflicts')
        await page
          .getByText("No conflicts — you're all caught up")
          .first()
          .waitFor({ state: 'visible', timeout: 10_000 });
      if (screen.id === 'activity')
        await page.getByText('No activity yet').first().waitFor({ state: 'visible', timeout: 10_000 });
      if (screen.id === 'logs') await shows(page.locator('.table-logs'), 'GHL Bridge started');
      if (screen.id === 'mappings') await shows(page.locator('.card h2').first(), 'HighLevel');
      if (screen.id === 'settings') expect(await page.getByLabel('Sync every').inputValue()).toBe('5');
      expect(await seriousA11yViolations()).toEqual([]);
      await page.screenshot({ path: join(shots, `${screen.id}.png`), fullPage: true });
    });
  }

  it('a deep link opens its screen, and keyboard navigation works', async () => {
    await page.goto(`${server.origin}/#/conflicts`);
    await showsExactly(page.locator('h1'), 'Conflicts');
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Logs', exact: true }).focus();
    await page.keyboard.press('Enter');
    await showsExactly(page.locator('h1'), 'Logs');
  });

  it('in a narrow window the navigation collapses to icons that keep their names', async () => {
    await page.setViewportSize({ width: 700, height: 700 });
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Activity', exact: true }).click();
    await showsExactly(page.locator('h1'), 'Activity');
    expect(await seriousA11yViolations()).toEqual([]);
    await page.screenshot({ path: join(shots, 'narrow-activity.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('had no console errors, failed requests or CSP violations along the way', () => {
    expect(problems).toEqual([]);
  });
});

describe('without the access link', () => {
  it('says plainly what to open instead', async () => {
    await context.clearCookies();
    const p = await context.newPage();
    await p.goto(server.origin + '/');
    await p.getByText('This page needs its access link').first().waitFor({ state: 'visible', timeout: 10_000 });
    await p
      .getByText(/open a fresh link from "ghl-bridge serve"/)
      .first()
      .waitFor({ state: 'visible', timeout: 10_000 });
    // A link already used (here by another client) does not sign this browser in: it lands on the same message.
    const link = server.launchUrl();
    await fetch(link, { redirect: 'manual' });
    await p.goto(link);
    expect(new URL(p.url()).search).toBe('');
    await p.getByText('This page needs its access link').first().waitFor({ state: 'visible', timeout: 10_000 });
    expect(await context.cookies(server.origin)).toEqual([]);
    await p.screenshot({ path: join(shots, 'no-access-link.png') });
    await p.close();
  });
});
