/**
 * The Conflicts screen with 10,000 open items, in real Chromium over serve mode: the list stays small in the page
 * (virtualized: only the rows in view exist), loads only the pages it shows, jumps to the end and back with the
 * keyboard, and search narrows it on the server. No timings are asserted; the row and request counts are the proof.
 *
 * Needs the renderer build: `npx vite build --config renderer/vite.config.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createService } from '../../main/service/index.js';
import type { Service } from '../../main/service/index.js';
import { startWebServer } from '../../main/web/server.js';
import type { WebServer } from '../../main/web/server.js';
import { T, go, openBrowser, seriousA11yViolations, shot, shows, staticDir } from './ui-support.js';
import type { Browser } from './ui-support.js';

const N = 10_000;
const DUPLICATES = 40;

let tmp: string;
let svc: Service;
let server: WebServer;
let browser: Browser;
let page: Page;
const listCalls: string[] = [];

const name = (i: number) => `Person ${String(i).padStart(5, '0')}`;

beforeAll(async () => {
  if (!existsSync(join(staticDir, 'index.html')))
    throw new Error('dist/renderer is missing — run "npx vite build --config renderer/vite.config.ts" first.');
  tmp = mkdtempSync(join(tmpdir(), 'ghlb-ui-scale-'));
  svc = await createService({
    profileDir: join(tmp, 'profile'),
    env: { GHL_BRIDGE_VAULT_KEY: '59273f809add8300efbc65150d456582bf61532258daed879f6747f3339bb5aa' },
  });
  const store = svc.sync.store;
  svc.db.transaction(() => {
    for (let i = 0; i < N; i++) {
      const dup = i < DUPLICATES;
      store.conflicts.upsert({
        kind: dup ? 'duplicate' : 'conflict',
        pair: 'ghl-aroflo',
        entity: 'contact',
        system: 'aroflo',
        linkId: null,
        subject: `scale:${i}`,
        label: name(i),
        runId: 'run_scale',
        diffs: dup
          ? []
          : [{ field: 'firstName', label: 'First name', base: `Base${i}`, ghl: `Ghl${i}`, other: `Other${i}` }],
        candidates: dup
          ? [
              {
                system: 'ghl',
                id: `g${i}`,
                label: name(i),
                details: { firstName: 'Person', email: `p${i}@example.com` },
              },
              {
                system: 'aroflo',
                id: `client:a${i}`,
                label: name(i),
                details: { firstName: 'Person', email: `p${i}@example.com` },
              },
            ]
          : undefined,
      });
    }
  })();
  server = await startWebServer({ service: svc, staticDir });
  browser = await openBrowser(join(tmp, 'chromium'));
  browser.watchOrigin(server.origin);
  page = browser.page;
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/listConflicts') listCalls.push(r.postData() ?? '');
  });
  await page.goto(server.launchUrl());
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await svc?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const options = () => page.locator('[role=listbox] [role=option]');

describe('Conflicts with 10,000 open items', () => {
  it('shows the count, renders only the rows in view, and loads one page', async () => {
    await go(page, 'Conflicts');
    await shows(page.locator('.filter-count'), '10,000 open items');
    const first = (await svc.api.listConflicts({ limit: 1 })).items[0]!;
    await shows(page.locator('.detail-head'), first.label);
    const rows = await options().count();
    expect(rows).toBeGreaterThan(5);
    expect(rows).toBeLessThan(60);
    expect(listCalls).toHaveLength(1);
    expect(await options().first().getAttribute('aria-setsize')).toBe(String(N));
    expect(await seriousA11yViolations(page)).toEqual([]);
    await shot(page, 'ui-conflicts-10000');
  });

  it('End jumps to the last item, k moves back one, loading only the pages shown', async () => {
    const tail = (await svc.api.listConflicts({ offset: N - 2, limit: 2 })).items;
    await page.locator('h1').click();
    await page.keyboard.press('End');
    await shows(page.locator('.detail-head'), tail[1]!.label);
    await page.locator(`[role=option][aria-posinset="${N}"][aria-selected="true"]`).waitFor({ timeout: T });
    await page.keyboard.press('k');
    await page.locator(`[role=option][aria-posinset="${N - 1}"][aria-selected="true"]`).waitFor({ timeout: T });
    await shows(page.locator('.detail-head'), tail[0]!.label);
    expect(await options().count()).toBeLessThan(60);
    // The first page, then the last (and at most one neighbour the overscan reaches).
    expect(listCalls.length).toBeLessThanOrEqual(3);
    expect(listCalls.some((c) => c.includes(`"offset":${Math.floor((N - 1) / 200) * 200}`))).toBe(true);
    await page.keyboard.press('Home');
    await page.locator('[role=option][aria-posinset="1"][aria-selected="true"]').waitFor({ timeout: T });
  });

  it('search and the kind filter narrow the list on the server', async () => {
    await page.getByLabel('Search by name').fill(name(4321));
    await shows(page.locator('.filter-count'), `1 of ${N.toLocaleString('en-US')} open items`);
    await shows(page.locator('.detail-head'), name(4321));
    expect(await options().count()).toBe(1);
    await page.getByLabel('Search by name').fill('');
    await page.getByLabel('Kind').selectOption('duplicate');
    await shows(page.locator('.filter-count'), `${DUPLICATES} of ${N.toLocaleString('en-US')} open items`);
    expect(browser.problems).toEqual([]);
  });
});
