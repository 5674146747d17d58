/**
 * Shared by the ui-*.test.ts browser tests: Chromium over serve mode (playwright-core + the system Chromium), axe-core,
 * bounded waits (playwright-core has no expect()), screenshots, a free loopback port, and the sandboxes' admin HTTP.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { startWebServer, type WebServer, type WebServerOptions } from '../../main/web/server.js';
export { freePort } from '../support/ports.js';

export const repo = fileURLToPath(new URL('../..', import.meta.url));
export const staticDir = join(repo, 'dist', 'renderer');
export const shotsDir = join(repo, 'test-artifacts', 'screenshots');

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors, failed requests and HTTP errors seen on the window's pages (other sites' pages, such as
   *  the sandbox's consent page and its missing favicon, are not ours to judge). */
  problems: string[];
  /** Only pages on this origin are watched (set once the server is up). */
  watchOrigin(origin: string): void;
  close(): Promise<void>;
}

export async function openBrowser(
  userDataDir: string,
  opts: {
    colorScheme?: 'light' | 'dark';
    /** Paths whose 4xx/5xx answers are expected. */ allowHttpErrors?: RegExp;
  } = {},
): Promise<Browser> {
  mkdirSync(shotsDir, { recursive: true });
  const context = await chromium.launchPersistentContext(userDataDir, {
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
    viewport: { width: 1280, height: 860 },
    colorScheme: opts.colorScheme ?? 'light',
    reducedMotion: 'reduce',
    acceptDownloads: true,
  });
  const problems: string[] = [];
  let origin = '';
  const ours = (p: Page) => !origin || p.url().startsWith(origin);
  const watch = (p: Page) => {
    p.on('console', (m) => {
      // "Failed to load resource" repeats an HTTP error the response check below judges (some are expected).
      if (m.type() === 'error' && ours(p) && !m.text().startsWith('Failed to load resource'))
        problems.push(`console error on ${p.url()}: ${m.text()}`);
    });
    p.on('pageerror', (e) => {
      if (ours(p)) problems.push(`page error: ${e.message}`);
    });
    p.on('requestfailed', (r) => {
      if (r.failure()?.errorText === 'net::ERR_ABORTED') return; // event streams closed by navigation, downloads
      if (ours(p)) problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
    });
    p.on('response', (r) => {
      // allowHttpErrors is matched against the path: a bridge call's URL also names its location (?location=).
      if (r.status() >= 400 && ours(p) && !opts.allowHttpErrors?.test(new URL(r.url()).pathname))
        problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
  };
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);
  return {
    context,
    page,
    problems,
    watchOrigin: (o) => {
      origin = o;
    },
    close: () => context.close(),
  };
}

/**
 * Serve mode on `service` and a fresh Chromium (its profile in `userDataDir`) watching that origin, signed in through
 * the launch URL and settled: what every screen test starts from.
 */
export async function openServed(
  service: WebServerOptions['service'],
  userDataDir: string,
  opts: Parameters<typeof openBrowser>[1] = {},
): Promise<{ server: WebServer; browser: Browser; page: Page }> {
  const server = await startWebServer({ service, staticDir });
  const browser = await openBrowser(userDataDir, opts);
  browser.watchOrigin(server.origin);
  await browser.page.goto(server.launchUrl());
  await settled(browser.page);
  return { server, browser, page: browser.page };
}

/** Serious and critical axe-core violations on the page as it is now. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  // Page-side code as a string: this project compiles tests without the DOM library.
  const result = (await page.evaluate(`(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  })()`)) as Array<{ id: string; impact: string | null; nodes: string[] }>;
  return result
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.join(' | ')}`);
}

export const T = 15_000;

/** Waits (bounded) until the locator shows the text. */
export async function shows(loc: Locator, text: string | RegExp, timeout = T): Promise<void> {
  await loc.filter({ hasText: text }).first().waitFor({ state: 'visible', timeout });
}

/** Waits until no loading state is left on the screen. */
export async function settled(page: Page, timeout = T): Promise<void> {
  // (A locator, not waitForFunction: the page's CSP forbids the eval a polling predicate string needs.)
  await page.locator('.state-loading').first().waitFor({ state: 'detached', timeout });
}

export async function go(page: Page, label: string): Promise<void> {
  // The Conflicts link's name carries its count ("Conflicts 3 open").
  await page
    .locator('nav[aria-label="Main"]')
    .getByRole('link', { name: new RegExp(`^${label}( |$)`) })
    .click({ timeout: T });
  await page.locator('h1', { hasText: label }).first().waitFor({ state: 'visible', timeout: T });
  await settled(page);
}

/**
 * A screenshot of the whole screen. The window scrolls inside <main>, so "full page" means growing the viewport to
 * the content's height for the picture (bounded), then putting it back.
 */
export async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  const size = page.viewportSize() ?? { width: 1280, height: 860 };
  let grown = false;
  if (fullPage) {
    const h = (await page.evaluate(
      `(() => { const m = document.getElementById('main'); return m ? m.scrollHeight : 0; })()`,
    )) as number;
    if (h > size.height) {
      await page.setViewportSize({ width: size.width, height: Math.min(h + 8, 5000) });
      grown = true;
    }
  }
  await page.screenshot({ path: join(shotsDir, `${name}.png`) });
  if (grown) await page.setViewportSize(size);
}

/** The heights (px, rounded) of the controls in the screen's filter bar: its search box, choices, dates and button. */
export async function filterBarHeights(page: Page): Promise<number[]> {
  const controls = await page.locator('[role="search"]').first().locator('input, select, button').all();
  const heights: number[] = [];
  for (const c of controls) {
    const box = await c.boundingBox();
    if (box) heights.push(Math.round(box.height));
  }
  return heights;
}

/** A card (section) by its heading. */
export const card = (page: Page, title: string | RegExp): Locator =>
  page.locator('section.card', { has: page.locator('h2', { hasText: title }) });

/** A sandbox admin call over HTTP (header x-sandbox-admin), as a person editing records in that system. */
export async function admin<T = unknown>(
  box: { baseUrl: string; adminToken?: string },
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  if (!box.adminToken) throw new Error('Start the sandboxes with admin: true to edit records through their admin API.');
  const res = await fetch(`${box.baseUrl.replace(/\/+$/, '')}/__admin${path}`, {
    method,
    headers: {
      'x-sandbox-admin': box.adminToken,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → HTTP ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
