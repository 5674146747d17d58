/**
 * Credential age in real Chromium over serve mode (main/service/README.md, "Credential age"): a 91-day-old HighLevel
 * Private Integration token is a reminder under Needs attention and on Connections; "Replace token…" refuses a token
 * of another location (nothing changes) and swaps in a new one for the same location, after which the reminder is
 * gone. The stored date is set through the service's seam (`setCredentialDate`), not by waiting.
 * Screenshots: test-artifacts/screenshots/ui-credentials-*.png.
 *
 * Needs the renderer build: `npx vite build --config renderer/vite.config.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { WebServer } from '../../main/web/server.js';
import { startBed } from '../support/harness.js';
import type { Bed } from '../support/harness.js';
import { T, card, go, seriousA11yViolations, shot, shows, staticDir, openServed } from './ui-support.js';
import type { Browser } from './ui-support.js';

let tmp: string;
let bed: Bed;
let server: WebServer;
let browser: Browser;
let page: Page;

const DAY = 86_400_000;

beforeAll(async () => {
  if (!existsSync(join(staticDir, 'index.html')))
    throw new Error('dist/renderer is missing — run "npx vite build --config renderer/vite.config.ts" first.');
  tmp = mkdtempSync(join(tmpdir(), 'ghlb-ui-credentials-'));
  bed = await startBed({ contacts: 10 });
  expect((await bed.run({ full: true })).summary.status).toBe('ok');
  await bed.svc.connections.setCredentialDate('ghl', Date.now() - 91 * DAY);
  // The one request expected to fail: the refused replacement (400, shown next to the form).
  ({ server, browser, page } = await openServed(bed.svc, join(tmp, 'chromium'), {
    allowHttpErrors: /\/api\/replaceCredential$/,
  }));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await bed?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('credential age', () => {
  it('a 91-day-old token is a reminder; a token of another location is refused; a new one clears the reminder', async () => {
    await go(page, 'Status');
    const reminder = page.locator('.attention', { hasText: 'Private Integration token is 91 days old' });
    await reminder.waitFor({ timeout: T });
    await shows(reminder, 'HighLevel advises replacing it every 90 days');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await shot(page, 'ui-credentials-status-reminder');

    await go(page, 'Connections');
    const h = card(page, 'HighLevel');
    await shows(h.locator('.details-row', { hasText: 'Credential age' }), '91 days');
    await shows(h, 'HighLevel advises replacing a Private Integration token every 90 days.');
    const links = bed.svc.sync.store.links.active('ghl-aroflo', 'contact').length;

    // A token made in another sub-account: refused with the reason, nothing changes.
    await h.getByRole('button', { name: 'Replace token…' }).click();
    await h
      .getByLabel('New Private Integration token', { exact: true })
      .fill(bed.boxes.ghl.admin.otherLocationPrivateToken());
    await h.getByRole('button', { name: 'Check and replace' }).click();
    await shows(h.locator('.form-error'), /another sub-account.*Nothing was changed/);
    await shows(h.locator('.details-row', { hasText: 'Credential age' }), '91 days');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await shot(page, 'ui-credentials-connections-refused');

    // Rotated in HighLevel; the new token goes in and the age starts again.
    const fresh = bed.boxes.ghl.admin.rotatePrivateToken();
    await h.getByLabel('New Private Integration token', { exact: true }).fill(fresh);
    await h.getByRole('button', { name: 'Check and replace' }).click();
    await shows(h.locator('.details-row', { hasText: 'Credential age' }), 'stored today');
    expect(await h.getByText('HighLevel advises replacing').count()).toBe(0);
    await shot(page, 'ui-credentials-connections-replaced');
    expect(bed.svc.sync.store.links.active('ghl-aroflo', 'contact')).toHaveLength(links);

    await go(page, 'Status');
    await page
      .locator('.attention-list')
      .first()
      .waitFor({ timeout: T })
      .catch(() => undefined);
    expect(await page.locator('.attention', { hasText: 'Private Integration token' }).count()).toBe(0);
    await shot(page, 'ui-credentials-status-after');
    const r = await bed.run();
    expect(r.summary.status).toBe('ok');
    expect(browser.problems).toEqual([]);
  }, 90_000);
});
