/**
 * The whole journey of an office admin, in real Chromium over serve mode, against the three sandboxes over HTTP:
 * sign in to HighLevel through its consent page (a second tab), enter the AroFlo and Aimfox keys, set the mapping
 * defaults, preview, switch sync on, sync; then the same contact is edited differently in HighLevel and AroFlo, the
 * next sync shows the conflict, it is resolved field by field with the keyboard, and both systems end up agreeing.
 * Everything the person does goes through the window; the sandboxes' admin APIs play the people editing records.
 *
 * Needs the renderer build: `npx vite build --config renderer/vite.config.ts` (npm test does it first).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createService } from '../../main/service/index.js';
import type { Service } from '../../main/service/index.js';
import { startSandboxes } from '../../main/sandbox/index.js';
import type { Sandboxes } from '../../main/sandbox/index.js';
import { startWebServer } from '../../main/web/server.js';
import type { WebServer } from '../../main/web/server.js';
import {
  T,
  admin,
  card,
  freePort,
  go,
  openBrowser,
  seriousA11yViolations,
  settled,
  shot,
  shows,
  staticDir,
} from './ui-support.js';
import type { Browser } from './ui-support.js';

const SCALE = 200;

let tmp: string;
let boxes: Sandboxes;
let svc: Service;
let server: WebServer;
let browser: Browser;
let page: Page;
let redirectUri: string;

beforeAll(async () => {
  if (!existsSync(join(staticDir, 'index.html')))
    throw new Error('dist/renderer is missing — run "npx vite build --config renderer/vite.config.ts" first.');
  tmp = mkdtempSync(join(tmpdir(), 'ghlb-ui-journey-'));
  redirectUri = `http://127.0.0.1:${await freePort()}/oauth/callback`;
  boxes = await startSandboxes({ seed: 5, contacts: 30, admin: true, rateLimits: SCALE, redirectUris: [redirectUri] });
  svc = await createService({
    profileDir: join(tmp, 'profile'),
    env: { GHL_BRIDGE_VAULT_KEY: 'f91de91975562f2a00ce18c760cebdd81a8b89e35311fe92dc11db24879765d7' },
  });
  // Where the systems are, but no credentials: those are entered in the window.
  svc.connections.setEndpoints({
    ghl: boxes.ghl.baseUrl,
    ghlAuthorize: boxes.ghl.credentials.oauth.authorizeUrl,
    aroflo: boxes.aroflo.baseUrl,
    aimfox: boxes.aimfox.baseUrl,
    rateScale: SCALE,
  });
  server = await startWebServer({ service: svc, staticDir });
  browser = await openBrowser(join(tmp, 'chromium'));
  browser.watchOrigin(server.origin);
  page = browser.page;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await svc?.close();
  await boxes?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Clicks "Sync now" on Status and waits until a new sync has finished; returns the service's view of it. */
async function syncNowInWindow(): Promise<void> {
  const before = (await svc.api.listRuns({ limit: 1 }))[0]?.id;
  await go(page, 'Status');
  await page.getByRole('button', { name: 'Sync now' }).click();
  let after = (await svc.api.listRuns({ limit: 1 }))[0];
  for (let i = 0; i < 600 && (!after || after.id === before || after.status === 'running'); i++) {
    await new Promise((r) => setTimeout(r, 100));
    after = (await svc.api.listRuns({ limit: 1 }))[0];
  }
  expect(after?.id).not.toBe(before);
  expect(after?.status, after?.message).toBe('ok');
  // The window shows it finished: the button is back, the run is in the list.
  await page.locator('button:enabled', { hasText: 'Sync now' }).waitFor({ timeout: T });
  await shows(card(page, 'Last sync'), 'Succeeded');
}

describe('an office admin, using only the window', () => {
  it('signs in, sets up, syncs, and settles a conflict field by field', async () => {
    await page.goto(server.launchUrl());
    await shows(page.locator('.overview'), 'Finish setting up');

    // ---- HighLevel: the app's client ID and secret, then the consent page in a new tab ----
    await go(page, 'Connections');
    const ghl = card(page, 'HighLevel');
    const oauth = boxes.ghl.credentials.oauth;
    await ghl.getByLabel('Client ID').fill(oauth.clientId);
    await ghl.getByLabel('Client secret', { exact: true }).fill(oauth.clientSecret);
    await ghl.getByLabel('Redirect URI').fill(redirectUri);
    await shot(page, 'ui-journey-sign-in-form');
    // First the person changes their mind on HighLevel's page: the window says so and offers to try again.
    const [cancelled] = await Promise.all([
      browser.context.waitForEvent('page', { timeout: T }),
      ghl.getByRole('button', { name: 'Sign in with HighLevel' }).click(),
    ]);
    await cancelled.waitForURL(/chooselocation/, { timeout: T });
    await cancelled.getByRole('button', { name: 'Cancel' }).click();
    await shows(page.locator('.overview'), 'HighLevel sign-in did not finish');
    await cancelled.close();
    expect(svc.config.read().connections.ghl.mode).toBe('none');
    await shot(page, 'ui-journey-sign-in-cancelled');
    // The app details are saved: this time the fields may stay empty.
    expect((await svc.api.getConnections())[0]!.oauthAppSaved).toBe(true);
    const [consent] = await Promise.all([
      browser.context.waitForEvent('page', { timeout: T }),
      ghl.getByRole('button', { name: 'Sign in with HighLevel' }).click(),
    ]);
    await consent.waitForURL(/chooselocation/, { timeout: T });
    await shows(page.locator('.overview'), 'Finish signing in in the HighLevel tab');
    await consent.getByLabel('Sub-account').selectOption(boxes.ghl.credentials.locationId);
    await consent.getByRole('button', { name: 'Allow' }).click();
    await consent.getByText('signed in', { exact: false }).first().waitFor({ timeout: T });
    await consent.close();
    // The window learns of it by itself (a 'login' event) and names the account in words, never by its location ID.
    await shows(page.locator('.overview'), 'Signed in to HighLevel — HighLevel sub-account');
    await shows(ghl.locator('.badge'), 'Connected');
    await shows(ghl.locator('.details-row', { hasText: 'Signed in to' }), 'HighLevel sub-account');
    expect(await page.locator('#main').innerText()).not.toContain(boxes.ghl.credentials.locationId);
    expect(svc.config.read().connections.ghl.mode).toBe('oauth');

    // ---- AroFlo and Aimfox keys; each is tested as it is saved ----
    const a = boxes.aroflo.credentials;
    const aroflo = card(page, 'AroFlo');
    await aroflo.getByLabel('uEncoded (API user)').fill(a.uEncoded);
    await aroflo.getByLabel('pEncoded (API password)', { exact: true }).fill(a.pEncoded);
    await aroflo.getByLabel('orgEncoded (organisation)').fill(a.orgEncoded);
    await aroflo.getByLabel('Secret key', { exact: true }).fill(a.secretKey);
    // Secrets are masked until asked for.
    expect(await aroflo.getByLabel('Secret key', { exact: true }).getAttribute('type')).toBe('password');
    await aroflo.getByRole('button', { name: 'Save and test' }).click();
    await shows(aroflo.locator('.badge'), 'Connected', 30_000);

    const aimfox = card(page, 'Aimfox');
    await aimfox.getByLabel('API key', { exact: true }).fill(boxes.aimfox.credentials.apiKey);
    await aimfox.getByRole('button', { name: 'Save and test' }).click();
    await shows(aimfox.locator('.badge'), 'Connected', 30_000);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await shot(page, 'ui-journey-connections-signed-in');

    // ---- Mappings: defaults from the systems' own lists, preview, then sync on ----
    await go(page, 'Mappings');
    await page.getByLabel('AroFlo business unit').selectOption({ label: a.businessUnits[0]!.orgname });
    await page.getByLabel('AroFlo task type').selectOption({ label: a.taskTypes[0]!.tasktype });
    const syncSwitch = page.getByRole('switch', { name: 'Sync HighLevel ⇄ AroFlo' });
    expect(await syncSwitch.isDisabled()).toBe(true); // not before a preview of exactly this
    await page.getByRole('button', { name: 'Save and preview' }).click();
    await shows(card(page, 'Preview: what the next sync would do'), 'planned change', 60_000);
    await syncSwitch.click();
    await page
      .locator('[role=switch][aria-label="Sync HighLevel ⇄ AroFlo"][aria-checked="true"]')
      .waitFor({ timeout: T });
    const m = (await svc.api.getMappings()).find((x) => x.pair === 'ghl-aroflo')!;
    expect(m.defaults).toEqual({
      arofloBusinessUnitId: a.businessUnits[0]!.orgid,
      arofloTaskTypeId: a.taskTypes[0]!.tasktypeid,
    });
    expect(m.syncEnabled).toBe(true);

    await page.getByRole('tab', { name: /HighLevel → Aimfox/ }).click();
    await page.getByLabel('Aimfox campaign').selectOption(boxes.aimfox.credentials.campaignId);
    await page
      .getByLabel('HighLevel field with the LinkedIn profile')
      .selectOption(boxes.ghl.credentials.linkedinFieldId);
    await page.getByRole('button', { name: 'Save and preview' }).click();
    await shows(card(page, 'Preview: what the next sync would do'), 'planned change', 60_000);
    await page.getByRole('switch', { name: 'Sync HighLevel → Aimfox' }).click();
    await page
      .locator('[role=switch][aria-label="Sync HighLevel → Aimfox"][aria-checked="true"]')
      .waitFor({ timeout: T });

    // ---- The first sync ----
    await syncNowInWindow();

    // ---- The same contact edited in both systems, differently ----
    const contacts = (
      await admin<{ contacts: Array<{ id: string; email: string | null; firstName: string | null }> }>(
        boxes.ghl,
        'GET',
        '/contacts',
      )
    ).contacts;
    const contact = contacts.find((c) => c.email && svc.sync.store.links.byGhl('ghl-aroflo', 'contact', c.id));
    expect(contact, 'a linked contact with an email').toBeTruthy();
    const link = svc.sync.store.links.byGhl('ghl-aroflo', 'contact', contact!.id)!;
    const [kind, clientId, userId] = link.other_id!.split(':');
    await admin(boxes.ghl, 'PUT', `/contacts/${contact!.id}`, { firstName: 'Marguerite' });
    if (kind === 'contact') await admin(boxes.aroflo, 'PATCH', `/contacts/${userId}`, { givennames: 'Margot' });
    else {
      const client = await admin<{ surname: string }>(boxes.aroflo, 'GET', `/clients/${clientId}`);
      await admin(boxes.aroflo, 'PATCH', `/clients/${clientId}`, {
        firstname: 'Margot',
        clientname: `Margot ${client.surname}`,
      });
    }
    const arofloFirst = async () =>
      kind === 'contact'
        ? (await admin<{ givennames: string }>(boxes.aroflo, 'GET', `/contacts/${userId}`)).givennames
        : (await admin<{ firstname: string }>(boxes.aroflo, 'GET', `/clients/${clientId}`)).firstname;

    await syncNowInWindow();
    await shows(page.locator('.nav-count'), '1');

    // ---- Conflicts: side by side, chosen field by field with the keyboard ----
    await go(page, 'Conflicts');
    await shows(page.getByRole('listbox'), 'Marguerite');
    const row = page.locator('.table-diff tbody tr', { hasText: 'First name' });
    await shows(row, 'Marguerite');
    await shows(row, 'Margot');
    const fields = await page.locator('.table-diff tbody tr').count();
    expect(await page.getByRole('button', { name: 'Apply' }).isDisabled()).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await shot(page, 'ui-journey-conflict');
    // "o" keeps AroFlo's value for the focused field and moves to the next; every field gets a choice.
    await page.locator('h1').click();
    for (let i = 0; i < fields; i++) await page.keyboard.press('o');
    await page.locator('.detail-actions button:enabled', { hasText: 'Apply' }).waitFor({ timeout: T });
    expect(await row.locator('.diff-chosen').textContent()).toContain('Margot');
    await page.keyboard.press('Enter');
    await shows(page.locator('.notice-good'), 'Applied your choice', 60_000);
    await page.getByText("No conflicts — you're all caught up").first().waitFor({ timeout: 60_000 });

    // ---- Both systems agree on the value chosen ----
    const g = await admin<{ contact: { firstName: string } }>(boxes.ghl, 'GET', `/contacts/${contact!.id}`);
    expect(g.contact.firstName).toBe('Margot');
    expect(await arofloFirst()).toBe('Margot');
    expect((await svc.api.getStatus()).openConflicts).toBe(0);
    await settled(page);
    expect(browser.problems).toEqual([]);
  }, 120_000);
});
