/**
 * Several locations in the window (README "Several locations"), real Chromium over serve mode with the location hub
 * (main/service/location-hub.ts): one GHL sandbox serving two locations, each paired with its own AroFlo sandbox. The
 * picker shows only with two or more; switching shows each location's own conflicts and mappings; "Sync now" on one
 * location does not call the other's AroFlo; the "All locations" overview lists both; a third is added from the window
 * with its Private Integration token. Two tabs of one browser each show their own location: tab 2 choosing Bay leaves
 * tab 1 on Harbour, and tab 1's mapping edit lands in Harbour's mapping (main/service/README.md "Locations").
 * Screenshots of the picker, the overview and both tabs go to test-artifacts/screenshots.
 *
 * Needs the renderer build: `npm run build:renderer`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { PairMapping } from '../../preload/contract.js';
import { startArofloSandbox } from '../../main/sandbox/aroflo/index.js';
import { startGhlSandbox } from '../../main/sandbox/ghl/index.js';
import { generateWorld } from '../../main/sandbox/world.js';
import { createService, type Service } from '../../main/service/index.js';
import { openLocationHub, type LocationHub } from '../../main/service/location-hub.js';
import { ProfileLocations } from '../../main/service/locations.js';
import type { WebServer } from '../../main/web/server.js';
import { T, go, seriousA11yViolations, settled, shot, shows, staticDir, openServed } from './ui-support.js';
import type { Browser } from './ui-support.js';

const env = { GHL_BRIDGE_VAULT_KEY: '3c1f0e55a1f6b0f4f0f1d1c9b0e2a4d6c8e0f2a4b6c8d0e2f4a6b8c0d2e4f6a8' };
let tmp: string;
let ghl: Awaited<ReturnType<typeof startGhlSandbox>>;
let arofloA: Awaited<ReturnType<typeof startArofloSandbox>>;
let arofloB: Awaited<ReturnType<typeof startArofloSandbox>>;
let hub: LocationHub;
let server: WebServer;
let browser: Browser;
let page: Page;
let conflictLabel = '';

async function pair(svc: Service, box: typeof arofloA, match: string): Promise<void> {
  svc.connections.setEndpoints({ aroflo: box.baseUrl });
  const c = box.credentials;
  await svc.api.saveArofloCredentials({
    uEncoded: c.uEncoded,
    pEncoded: c.pEncoded,
    orgEncoded: c.orgEncoded,
    secretKey: c.secretKey,
  });
  const m = structuredClone((await svc.api.getMappings()).find((x) => x.pair === 'ghl-aroflo')!) as PairMapping;
  m.defaults = {
    ...m.defaults,
    arofloBusinessUnitId: c.businessUnits[0]?.orgid,
    arofloTaskTypeId: c.taskTypes[0]?.tasktypeid,
  };
  m.noteToTask = { enabled: false, match, titleTemplate: 'Follow up: {{note}}', dueOffsetDays: 2 };
  await svc.api.saveMapping({ mapping: m });
  await svc.api.previewMapping({ pair: 'ghl-aroflo' });
  await svc.api.setSyncEnabled({ pair: 'ghl-aroflo', enabled: true });
}

beforeAll(async () => {
  if (!existsSync(join(staticDir, 'index.html')))
    throw new Error('dist/renderer is missing — run "npm run build:renderer" first.');
  const worldA = generateWorld({ seed: 61, contacts: 10 });
  const worldB = generateWorld({ seed: 62, contacts: 8 });
  ghl = await startGhlSandbox({
    world: worldA,
    rateLimits: 'real',
    admin: true,
    extraLocations: [
      { name: 'Bay Electrical', world: worldB },
      { name: 'Coast Plumbing', world: generateWorld({ seed: 63, contacts: 5 }) },
    ],
  });
  arofloA = await startArofloSandbox({ world: worldA, rateLimits: 'real', admin: true });
  arofloB = await startArofloSandbox({ world: worldB, rateLimits: 'real', admin: true });
  tmp = mkdtempSync(join(tmpdir(), 'ghlb-ui-locations-'));
  const root = join(tmp, 'profile');
  const a = await createService({ profileDir: root, env });
  a.connections.setEndpoints({ ghl: ghl.baseUrl, ghlAuthorize: ghl.credentials.oauth.authorizeUrl });
  await a.api.saveGhlPrivateToken({ token: ghl.credentials.privateToken, locationId: ghl.credentials.locationId });
  await pair(a, arofloA, 'harbour-only');
  await a.sync.execute({ trigger: 'cli', dryRun: false });
  await a.close();
  const registry = new ProfileLocations(root, { env });
  const bay = ghl.credentials.locations[1]!;
  await registry.addWithPrivateToken({ token: bay.privateToken, locationId: bay.locationId });
  const b = (await registry.open(bay.locationId)) as Service;
  await pair(b, arofloB, 'bay-only');
  await b.sync.execute({ trigger: 'cli', dryRun: false });
  // A conflict in the second location only: the same field edited on both sides.
  const link = b.sync.store.links.active('ghl-aroflo', 'contact').find((l) => l.other_kind === 'client')!;
  const clientId = link.other_id!.split(':')[1]!;
  ghl.admin.updateContact(link.ghl_id!, { firstName: 'FromGHL' });
  arofloB.admin.updateClient(clientId, {
    firstname: 'FromAroFlo',
    clientname: `FromAroFlo ${arofloB.admin.getClient(clientId)!.surname}`,
  });
  await b.sync.execute({ trigger: 'cli', dryRun: false });
  conflictLabel = (await b.api.listConflicts({})).items[0]!.label;
  await b.close();

  hub = await openLocationHub(registry, {});
  ({ server, browser, page } = await openServed(hub, join(tmp, 'chromium')));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await hub?.close();
  await Promise.all([ghl?.close(), arofloA?.close(), arofloB?.close()]);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const picker = () => page.getByLabel('Location', { exact: true });

async function choose(name: string): Promise<void> {
  await picker().selectOption({ label: name });
  await page
    .locator('#location-select')
    .locator('option:checked', { hasText: name })
    .waitFor({ state: 'attached', timeout: T });
  await settled(page);
}

describe('two locations in the window', () => {
  it('shows the picker with both locations, the first one chosen', async () => {
    await go(page, 'Status');
    const names = await page.locator('#location-select option').allTextContents();
    expect(names).toEqual(['Harbour Plumbing & Electrical', 'Bay Electrical']);
    expect(await picker().inputValue()).toBe(ghl.credentials.locationId);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await shot(page, 'ui-locations-picker', false);
    // In a narrow window the navigation is a rail of icons; the picker must stay whole and readable, not squeezed in it.
    await page.setViewportSize({ width: 700, height: 700 });
    const select = (await picker().boundingBox())!;
    expect(select.width).toBeGreaterThanOrEqual(200);
    const all = (await page.locator('.location-all').boundingBox())!;
    expect(all.x + all.width).toBeLessThanOrEqual(700);
    expect(all.height).toBeLessThan(30); // one line, not wrapped
    // The screen's heading is not hidden under the picker.
    expect((await page.locator('h1').boundingBox())!.y).toBeGreaterThanOrEqual(select.y + select.height);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await shot(page, 'ui-locations-picker-narrow', false);
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('switching shows each location its own conflicts and mappings', async () => {
    await go(page, 'Conflicts');
    await shows(page.locator('main'), /Nothing to review|No conflicts|nothing/i);
    expect(await page.locator('main').textContent()).not.toContain(conflictLabel);
    await go(page, 'Mappings');
    expect(await page.getByLabel('Only notes containing').inputValue()).toBe('harbour-only');

    await choose('Bay Electrical');
    await page.locator('h1', { hasText: 'Mappings' }).waitFor({ timeout: T });
    await settled(page);
    expect(await page.getByLabel('Only notes containing').inputValue()).toBe('bay-only');
    await go(page, 'Conflicts');
    await shows(page.locator('main'), conflictLabel);
    await shot(page, 'ui-locations-conflicts-bay');
  });

  it('"Sync now" on one location calls its own AroFlo only', async () => {
    arofloA.resetStats();
    arofloB.resetStats();
    await go(page, 'Status');
    await page.getByRole('button', { name: 'Sync now' }).click({ timeout: T });
    await shows(page.locator('main'), /Sync now/);
    await page.getByRole('button', { name: 'Sync now' }).waitFor({ state: 'visible', timeout: 60_000 });
    await expect.poll(() => arofloB.stats().requests, { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await hub.api.getStatus()).syncing, { timeout: 60_000 }).toBe(false);
    expect(arofloA.stats().requests).toBe(0);
  });

  it('the "All locations" overview lists both with what each has to review', async () => {
    await page.getByRole('link', { name: 'All locations' }).click({ timeout: T });
    await page.locator('h1', { hasText: 'All locations' }).waitFor({ timeout: T });
    await settled(page);
    const rows = page.locator('table.table-locations tbody tr');
    expect(await rows.count()).toBe(2);
    await shows(rows.nth(1), 'Bay Electrical');
    expect((await rows.nth(1).locator('td.num').textContent())?.trim()).toBe('1');
    expect((await rows.nth(0).locator('td.num').textContent())?.trim()).toBe('0');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await shot(page, 'ui-locations-overview');
    // Opening the first location from the overview switches back to it.
    await rows.nth(0).getByRole('button').click({ timeout: T });
    await page.locator('h1', { hasText: 'Status' }).waitFor({ timeout: T });
    // The heading can show before the switch settles; the picker then follows: wait for it, same expectation.
    await expect.poll(() => picker().inputValue(), { timeout: T }).toBe(ghl.credentials.locationId);
  });

  it('adds a location from the window with its Private Integration token, then shows it', async () => {
    const coast = ghl.credentials.locations[2]!;
    await go(page, 'Connections');
    await page.getByRole('link', { name: 'Add location' }).click({ timeout: T });
    await page.locator('h1', { hasText: 'All locations' }).waitFor({ timeout: T });
    await page.getByLabel('Private Integration token').fill(coast.privateToken);
    await page.getByLabel('Location ID').fill(coast.locationId);
    await page.getByRole('button', { name: 'Add location' }).click({ timeout: T });
    await page.locator('h1', { hasText: 'Connections' }).waitFor({ timeout: 60_000 });
    await page
      .locator('#location-select option:checked', { hasText: 'Coast Plumbing' })
      .waitFor({ state: 'attached', timeout: T });
    expect(await page.locator('#location-select option').allTextContents()).toEqual([
      'Harbour Plumbing & Electrical',
      'Bay Electrical',
      'Coast Plumbing',
    ]);
    expect(browser.problems).toEqual([]);
  });
});

describe('two tabs on one serve, each showing its own location', () => {
  let page2: Page | undefined;
  afterAll(async () => {
    await page2?.close();
  });
  const rule = async (id: string) =>
    (await hub.services().get(id)!.api.getMappings()).find((m) => m.pair === 'ghl-aroflo')!.noteToTask;

  it("tab 2 switching to Bay leaves tab 1 on Harbour, and tab 1's mapping edit lands in Harbour's mapping", async () => {
    const harbour = ghl.credentials.locationId;
    const bay = ghl.credentials.locations[1]!.locationId;
    await choose('Harbour Plumbing & Electrical');
    await go(page, 'Mappings');
    expect(await page.getByLabel('Only notes containing').inputValue()).toBe('harbour-only');

    // Tab 2: the same browser (its session), a new tab. It opens the location last chosen, then switches to Bay.
    page2 = await browser.context.newPage();
    await page2.goto(`${server.origin}/#/mappings`);
    await page2.locator('h1', { hasText: 'Mappings' }).waitFor({ timeout: T });
    await settled(page2);
    const picker2 = page2.locator('#location-select');
    expect(await picker2.inputValue()).toBe(harbour);
    await picker2.selectOption({ label: 'Bay Electrical' });
    await picker2.locator('option:checked', { hasText: 'Bay Electrical' }).waitFor({ state: 'attached', timeout: T });
    await settled(page2);
    await expect.poll(() => page2!.getByLabel('Only notes containing').inputValue(), { timeout: T }).toBe('bay-only');

    // Tab 1 still shows Harbour; its edit is saved there.
    expect(await picker().inputValue()).toBe(harbour);
    await page.getByLabel('Create a HighLevel task from new AroFlo notes').check();
    await page.getByLabel('Only notes containing').fill('tab-one-edit');
    await page.getByRole('button', { name: 'Save changes' }).click({ timeout: T });
    await shows(page.locator('.action-bar-state'), 'All changes saved');
    expect(await rule(harbour)).toMatchObject({ enabled: true, match: 'tab-one-edit' });
    expect(await rule(bay)).toMatchObject({ enabled: false, match: 'bay-only' });

    // Each tab still shows its own: tab 2 Bay's rule (after a fresh look), tab 1 Harbour's, also after a reload.
    await go(page2, 'Status');
    await go(page2, 'Mappings');
    expect(await page2.getByLabel('Only notes containing').inputValue()).toBe('bay-only');
    expect(await picker2.inputValue()).toBe(bay);
    await page.reload();
    await page.locator('h1', { hasText: 'Mappings' }).waitFor({ timeout: T });
    await settled(page);
    expect(await picker().inputValue()).toBe(harbour);
    expect(await page.getByLabel('Only notes containing').inputValue()).toBe('tab-one-edit');
    for (const p of [page, page2]) await p.getByLabel('Only notes containing').scrollIntoViewIfNeeded();
    await shot(page, 'ui-locations-tab1-harbour', false);
    await shot(page2, 'ui-locations-tab2-bay', false);
    expect(browser.problems).toEqual([]);
  });
});
