/**
 * The Connections screen when the HighLevel sign-in lacks `locations/tasks.readonly` (main/sync/sides/ghl-tasks.ts):
 * the card says in plain words that tasks are read one contact at a time and how to grant it, as a notice (the
 * connection still works), in real Chromium over serve mode. Screenshot: test-artifacts/screenshots/connections-tasks-per-contact.png.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebServer } from '../../main/web/server.js';
import { startBed, type Bed } from '../support/harness.js';
import { card, go, seriousA11yViolations, shot, shows, staticDir, type Browser, openServed } from './ui-support.js';

let bed: Bed;
let server: WebServer;
let browser: Browser;
let tmp: string;

beforeAll(async () => {
  if (!existsSync(join(staticDir, 'index.html')))
    throw new Error('dist/renderer is missing — run "npm run build:renderer" first.');
  tmp = mkdtempSync(join(tmpdir(), 'ghlb-ui-tasks-'));
  bed = await startBed({ contacts: 10, seed: 12, enable: false });
  bed.boxes.ghl.admin.setPrivateTokenScopes([
    'contacts.readonly',
    'contacts.write',
    'locations/customFields.readonly',
    'locations/tags.readonly',
    'users.readonly',
    'locations.readonly',
  ]);
  await bed.svc.api.testConnection({ system: 'ghl' });
  ({ server, browser } = await openServed(bed.svc, join(tmp, 'chromium')));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await bed?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('Connections without locations/tasks.readonly', () => {
  it('the HighLevel card says tasks are read one contact at a time and how to grant the permission', async () => {
    const page = browser.page;
    await go(page, 'Connections');
    const ghl = card(page, 'HighLevel');
    await shows(
      ghl,
      "Tasks are read one contact at a time because the sign-in lacks 'locations/tasks.readonly'; sign in again to grant it.",
    );
    // A notice, not an alert: the connection works.
    await expect(ghl.getByRole('list', { name: 'How HighLevel is read' }).textContent()).resolves.toContain(
      'one contact at a time',
    );
    await expect(ghl.locator('.connection-warnings').count()).resolves.toBe(0);
    await shot(page, 'connections-tasks-per-contact');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(browser.problems).toEqual([]);
  });
});
