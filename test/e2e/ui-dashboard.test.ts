/**
 * The Dashboard and the Changes stream in real Chromium over serve mode, on a service wired to the sandboxes and
 * synced. The dashboard's figures are checked against the sandboxes' OWN records (their admin API, never our store);
 * the chart counts a change a person makes in AroFlo and the bridge's write that carries it to HighLevel; a business
 * filter narrows the counts to that business's people in each system; the stream finds that person by email and shows
 * the field's before → after. Screenshots: test-artifacts/screenshots/ui-dashboard-*.png, ui-changes-*.png.
 *
 * Needs the renderer build: `npm run build:renderer`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startWebServer } from '../../main/web/server.js';
import type { WebServer } from '../../main/web/server.js';
import { startBed } from '../support/harness.js';
import type { Bed } from '../support/harness.js';
import {
  T,
  go,
  openBrowser,
  seriousA11yViolations,
  settled,
  shot,
  shows,
  staticDir,
  openServed,
} from './ui-support.js';
import type { Browser } from './ui-support.js';

let tmp: string;
let bed: Bed;
let server: WebServer;
let browser: Browser;
let page: Page;

const WEEK = 7 * 86_400_000;
const LONG = 'Maximiliana-Alexandrina Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh';

const ghl = () => bed.boxes.ghl.admin;
const aroflo = () => bed.boxes.aroflo.admin;
const aimfox = () => bed.boxes.aimfox.admin;

/** What each sandbox itself holds (its admin API), counted as the dashboard words it. */
function sandboxCounts(business?: string) {
  const since = Date.now() - WEEK;
  const biz = business?.toLowerCase();
  const contacts = ghl()
    .listContacts()
    .filter((c) => !c.tags.includes('archived'));
  const ghlPeople = contacts.filter((c) => !biz || String(c.companyName ?? '').toLowerCase() === biz);
  const ghlTasks = contacts.flatMap((c) => ghl().listTasks(c.id));
  const ghlNotes = contacts.flatMap((c) => ghl().listNotes(c.id));
  const clients = aroflo().listClients({ includeArchived: false });
  const businessClients = new Set(
    clients
      .filter((c) => c.contactIds.length > 0 || aroflo().listContacts({ clientid: c.clientid }).length > 0)
      .map((c) => c.clientid),
  );
  const arofloContacts = aroflo()
    .listContacts({ includeArchived: false })
    .filter((u) => !biz || clients.find((c) => c.clientid === u.clientid)?.clientname.toLowerCase() === biz);
  const residents = biz ? [] : clients.filter((c) => !businessClients.has(c.clientid));
  const tasks = aroflo().listTasks();
  const taskNotes = tasks.flatMap((t) => aroflo().listTaskNotes(t.taskid));
  const leads = aimfox().listLeads();
  return {
    ghl: {
      Contacts: ghlPeople.length,
      'Open tasks': ghlTasks.filter((t) => !t.completed).length,
      'Completed tasks': ghlTasks.filter((t) => t.completed).length,
      'Notes in the last 7 days': ghlNotes.filter((n) => Date.parse(n.dateAdded) >= since).length,
    },
    aroflo: {
      'Clients and contacts': residents.length + arofloContacts.length,
      'Open jobs': tasks.filter((t) => t.status.toLowerCase() !== 'completed').length,
      'Completed jobs': tasks.filter((t) => t.status.toLowerCase() === 'completed').length,
      'Notes in the last 7 days':
        aroflo()
          .listClientNotes()
          .filter((n) => n.postedMs >= since).length + taskNotes.filter((n) => n.postedMs >= since).length,
    },
    aimfox: { Leads: leads.length },
  };
}

async function stat(system: string, label: string): Promise<number> {
  const el = page.locator(`.dash-stats[data-system="${system}"] [data-stat="${label}"] .stat-value`);
  await el.waitFor({ state: 'visible', timeout: T });
  return Number((await el.innerText()).replace(/[^\d]/g, ''));
}

async function legend(series: string): Promise<number> {
  const el = page.locator(`.dash-legend [data-series="${series}"] .dash-legend-count`);
  await el.waitFor({ state: 'visible', timeout: T });
  return Number((await el.innerText()).replace(/[^\d]/g, ''));
}

async function checkA11y(name: string): Promise<void> {
  expect(await seriousA11yViolations(page), `accessibility of ${name}`).toEqual([]);
}

beforeAll(async () => {
  if (!existsSync(join(staticDir, 'index.html')))
    throw new Error('dist/renderer is missing — run "npm run build:renderer" first.');
  tmp = mkdtempSync(join(tmpdir(), 'ghlb-ui-dashboard-'));
  bed = await startBed({ contacts: 40, seed: 11 });
  // A very long name and email, to see how the screens wrap them.
  ghl().createContact({ firstName: LONG, lastName: 'Smith', email: `${LONG.toLowerCase()}@example-company.com.au` });
  expect((await bed.run({ full: true })).summary.status).toBe('ok');
  ({ server, browser, page } = await openServed(bed.svc, join(tmp, 'chromium')));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await bed?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('Dashboard', () => {
  it('is first in the navigation, and its figures match what each sandbox holds', async () => {
    const first = page.locator('nav[aria-label="Main"] a').first();
    expect((await first.innerText()).trim()).toMatch(/^Dashboard/);
    await go(page, 'Dashboard');
    await shows(page.locator('.page-description'), /as of /);
    const truth = sandboxCounts();
    for (const [system, figures] of Object.entries(truth))
      for (const [label, n] of Object.entries(figures))
        expect(await stat(system, label), `${system}: ${label}`).toBe(n);
    // Everyone is linked after the first sync; nothing waits for review.
    expect(await stat('ghl', 'Not linked')).toBe(0);
    expect(await stat('ghl', 'Linked')).toBe(truth.ghl.Contacts);
    expect(await stat('aroflo', 'Waiting for review')).toBe(0);
    await checkA11y('Dashboard');
    await shot(page, 'ui-dashboard');
  }, 60_000);

  it('the chart counts a change made by a person in AroFlo, and the bridge writing it to HighLevel', async () => {
    await go(page, 'Dashboard');
    const person0 = await legend('aroflo:person');
    const bridge0 = await legend('ghl:bridge');
    const c = ghl()
      .listContacts()
      .find((x) => x.email && x.firstName !== LONG && bed.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', x.id))!;
    const [kind, clientId, userId] = bed.svc.sync.store.links
      .byGhl('ghl-aroflo', 'contact', c.id)!
      .other_id!.split(':');
    if (kind === 'contact') aroflo().updateContact(userId!, { givennames: 'Ottoline' });
    else
      aroflo().updateClient(clientId!, {
        firstname: 'Ottoline',
        clientname: `Ottoline ${aroflo().getClient(clientId!)!.surname}`,
      });
    expect((await bed.run()).summary.status).toBe('ok');
    expect(ghl().getContact(c.id)!.firstName).toBe('Ottoline');
    await page.reload();
    await settled(page);
    expect(await legend('aroflo:person')).toBe(person0 + 1);
    expect(await legend('ghl:bridge')).toBe(bridge0 + 1);
    expect(await page.locator('rect.sys-aroflo.who-person title').count()).toBeGreaterThan(0);
    expect(await page.locator('rect.sys-ghl.who-bridge title').count()).toBeGreaterThan(0);

    // The stream finds that person by email and shows the field's before → after, linked to the record's page.
    await go(page, 'Changes');
    await page.getByRole('searchbox', { name: 'Search changes' }).fill(String(c.email).toUpperCase());
    const row = page.locator('tr[data-change]', { hasText: 'A person in AroFlo' });
    await row.first().waitFor({ state: 'visible', timeout: T });
    await shows(row.first().locator('.change-fields'), `${c.firstName} → Ottoline`);
    const bridgeRow = page.locator('tr[data-change]', { hasText: 'GHL Bridge' }).filter({ hasText: 'Ottoline' });
    await bridgeRow.first().waitFor({ state: 'visible', timeout: T });
    const link = bed.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', c.id)!;
    expect(await row.first().locator('.change-record a').getAttribute('href')).toBe(`#/record/${link.id}`);
    await checkA11y('Changes');
    await shot(page, 'ui-changes-search');
  }, 90_000);

  it('a business filter narrows the counts to that business in each system, and says where there is no such data', async () => {
    await go(page, 'Dashboard');
    const all = await stat('ghl', 'Contacts');
    const business = 'Grady Brothers';
    await page.getByLabel('Business', { exact: true }).selectOption(business);
    const truth = sandboxCounts(business);
    await page
      .locator(`.dash-stats[data-system="ghl"] [data-stat="Contacts"] .stat-value`, {
        hasText: new RegExp(`^${truth.ghl.Contacts}$`),
      })
      .waitFor({ timeout: T });
    expect(truth.ghl.Contacts).toBeGreaterThan(0);
    expect(truth.ghl.Contacts).toBeLessThan(all);
    expect(await stat('aroflo', 'Clients and contacts')).toBe(truth.aroflo['Clients and contacts']);
    await shows(page.locator('.dash-system', { hasText: 'Aimfox' }).locator('.dash-note'), 'keeps no business');
    await checkA11y('Dashboard, filtered');
    await shot(page, 'ui-dashboard-filtered');
    await page.getByLabel('Business', { exact: true }).selectOption('');
  }, 60_000);

  it('screens in a narrow window, and the stream with nothing matching', async () => {
    await page.setViewportSize({ width: 640, height: 900 });
    await go(page, 'Dashboard');
    await shot(page, 'ui-dashboard-narrow');
    await go(page, 'Changes');
    await shot(page, 'ui-changes-narrow');
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.getByRole('searchbox', { name: 'Search changes' }).fill('nobody-at-all@nowhere.example');
    await shows(page.locator('.empty-state, .state-empty'), 'No change matches these filters');
    await shot(page, 'ui-changes-no-match');
    expect(browser.problems).toEqual([]);
  }, 60_000);
});

describe('Dashboard and Changes before the first sync', () => {
  it('say that nothing is synced yet, with every figure 0', async () => {
    const fresh = await startBed({ contacts: 5, seed: 3, enable: false });
    const srv = await startWebServer({ service: fresh.svc, staticDir });
    const b = await openBrowser(join(tmp, 'chromium-fresh'));
    try {
      b.watchOrigin(srv.origin);
      const p = b.page;
      await p.goto(`${srv.launchUrl()}#/dashboard`);
      await settled(p);
      await shows(p.locator('.page-description'), 'Nothing has been synced or previewed yet');
      const figures = await p.locator('.dash-stats .stat-value').allInnerTexts();
      expect(figures.length).toBeGreaterThan(0);
      expect(figures.every((x) => x.trim() === '0')).toBe(true);
      await shows(p.locator('.chart-empty'), 'No changes in the last 14 days');
      expect(await seriousA11yViolations(p), 'accessibility of the empty Dashboard').toEqual([]);
      await shot(p, 'ui-dashboard-empty');
      await p.goto(`${srv.launchUrl()}#/changes`);
      await settled(p);
      await shows(p.locator('.state-empty'), 'No changes yet');
      await shot(p, 'ui-changes-empty');
      expect(b.problems).toEqual([]);
    } finally {
      await b.close();
      await srv.close();
      await fresh.close();
    }
  }, 60_000);
});
