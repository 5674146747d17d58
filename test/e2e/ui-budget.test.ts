/**
 * Issue 15 item 2, on screen: the Status screen shows each API's daily budget (used today, projected for the day) and,
 * when one runs low, that re-reads are paused and when full sync resumes; Settings holds the shares and the re-check
 * window. Real Chromium over serve mode, on a service wired to the sandboxes and synced; a screenshot in
 * test-artifacts/screenshots/ui-status-budget-low.png.
 *
 * Needs the renderer build: `npm run build:renderer`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { WebServer } from '../../main/web/server.js';
import { startBed, type Bed } from '../support/harness.js';
import { budgetDay } from '../../main/sync/budget/index.js';
import { card, go, seriousA11yViolations, shot, shows, staticDir, type Browser, openServed } from './ui-support.js';

let tmp: string;
let bed: Bed;
let server: WebServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(join(staticDir, 'index.html')))
    throw new Error('dist/renderer is missing — run "npm run build:renderer" first.');
  tmp = mkdtempSync(join(tmpdir(), 'ghlb-ui-budget-'));
  bed = await startBed({ contacts: 20, seed: 12 });
  expect((await bed.run({ full: true })).summary.status).toBe('ok');
  expect((await bed.run()).summary.status).toBe('ok');
  ({ server, browser, page } = await openServed(bed.svc, join(tmp, 'chromium')));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await bed?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the daily budget on screen', () => {
  it('Status: used today and projected per API; a budget running low says re-reads are paused and when sync resumes', async () => {
    await go(page, 'Status');
    const budget = card(page, 'Daily budget');
    await shows(budget, /HighLevel/);
    await shows(budget, /used today · [\d,]+ projected · of a 50,000 share \(25 % of 200,000 a day\)/);
    await shows(budget, 'Every record is re-checked within 24 h.');
    // The HighLevel share down to 1 % on Settings, and another process on the profile spent 2,000 requests today.
    bed.svc.sync.store.budget.add('ghl', budgetDay('ghl', Date.now()).day, { calls: 2_000 });
    await go(page, 'Settings');
    const share = page.getByLabel('Share of HighLevel’s daily requests');
    expect(await share.inputValue()).toBe('25');
    await share.fill('1');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await shows(page.locator('body'), 'Settings saved.');
    expect(bed.svc.config.read().settings.budget?.ghlSharePercent).toBe(1);
    await go(page, 'Status');
    await shows(budget, /of a 2,000 share \(1 % of 200,000 a day\)/);
    await shows(budget, /Low: re-reads are paused, changes are still synced\. Full sync resumes/);
    await shows(page.locator('.attention-list'), /HighLevel budget low .* re-reads are paused/);
    expect(await seriousA11yViolations(page), 'accessibility of Status').toEqual([]);
    await shot(page, 'ui-status-budget-low');
    expect(browser.problems).toEqual([]);
  }, 90_000);
});
