/**
 * Every screen in its filled states, in real Chromium over serve mode, on a service already wired to the sandboxes
 * and synced: what each screen shows and does, no serious accessibility problems (axe-core), and a screenshot of each
 * state in test-artifacts/screenshots/ui-*.png — the preview table, conflict detail, duplicate review, guard stop,
 * error states, validation errors, dark mode and a narrow window. (Empty states: test/e2e/shell.test.ts.)
 *
 * Needs the renderer build: `npx vite build --config renderer/vite.config.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
/** GHL contact ids: one conflict on two fields, two on the first name only. */
let twoFields: { id: string; first: string; last: string };
let firstOnly: Array<{ id: string }>;

const ghl = () => bed.boxes.ghl.admin;
const aroflo = () => bed.boxes.aroflo.admin;

function linked(ghlId: string): { kind: string; clientId: string; userId?: string } {
  const l = bed.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', ghlId)!;
  const [kind, clientId, userId] = l.other_id!.split(':');
  return { kind: kind!, clientId: clientId!, userId };
}

function editAroflo(ghlId: string, first: string, last?: string): void {
  const k = linked(ghlId);
  if (k.kind === 'contact')
    aroflo().updateContact(k.userId!, { givennames: first, ...(last ? { surname: last } : {}) });
  else {
    const c = aroflo().getClient(k.clientId)!;
    aroflo().updateClient(k.clientId, {
      firstname: first,
      ...(last ? { surname: last } : {}),
      clientname: `${first} ${last ?? c.surname}`,
    });
  }
}

function arofloFirst(ghlId: string): string {
  const k = linked(ghlId);
  return k.kind === 'contact' ? aroflo().getContact(k.userId!)!.givennames : aroflo().getClient(k.clientId)!.firstname;
}

async function checkA11y(name: string): Promise<void> {
  expect(await seriousA11yViolations(page), `accessibility of ${name}`).toEqual([]);
}

beforeAll(async () => {
  if (!existsSync(join(staticDir, 'index.html')))
    throw new Error('dist/renderer is missing — run "npx vite build --config renderer/vite.config.ts" first.');
  tmp = mkdtempSync(join(tmpdir(), 'ghlb-ui-screens-'));
  bed = await startBed({ contacts: 40, seed: 11 });
  expect((await bed.run({ full: true })).summary.status).toBe('ok');
  // Conflicts: the same people edited differently in both systems.
  const people = ghl()
    .listContacts()
    .filter((c) => c.email && bed.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', c.id));
  twoFields = { id: people[0]!.id, first: 'Henrietta', last: 'Ashdown' };
  ghl().updateContact(twoFields.id, { firstName: 'Henrietta', lastName: 'Ashdown' });
  editAroflo(twoFields.id, 'Hetty', 'Ashdown-Smythe');
  firstOnly = [people[1]!, people[2]!].map((p) => ({ id: p.id }));
  for (const [i, p] of firstOnly.entries()) {
    ghl().updateContact(p.id, { firstName: `Gwendolyn${i}` });
    editAroflo(p.id, `Gwen${i}`);
  }
  // A possible duplicate: two HighLevel contacts and one AroFlo client with the same email.
  ghl().createContact({
    firstName: 'Pat',
    lastName: 'Quinlan',
    email: 'pat.quinlan@example.com',
    phone: '+61400111222',
  });
  ghl().createContact({ firstName: 'Patricia', lastName: 'Quinlan', email: 'pat.quinlan@example.com' });
  aroflo().createClient({
    clientname: 'Pat Quinlan',
    firstname: 'Pat',
    surname: 'Quinlan',
    email: 'pat.quinlan@example.com',
    mobile: '0400 111 222',
  });
  const r = await bed.run();
  expect(r.summary.status).toBe('ok');
  expect(bed.svc.sync.store.conflicts.countOpen('conflict')).toBe(3);
  expect(bed.svc.sync.store.conflicts.countOpen('duplicate')).toBe(1);

  // The one request expected to fail: a mapping the app refuses (400, shown next to the form).
  ({ server, browser, page } = await openServed(bed.svc, join(tmp, 'chromium'), {
    allowHttpErrors: /\/api\/saveMapping$/,
  }));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await bed?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('every screen, filled', () => {
  it('Status: overview, last sync, attention first, connections with quota, recent syncs', async () => {
    await go(page, 'Status');
    await shows(page.locator('.overview'), '4 records wait for your decision');
    await shows(page.locator('.sidebar-foot'), 'Items to review');
    await shows(page.locator('.attention-list'), '3 conflicts need your review.');
    await shows(card(page, 'Connections'), 'requests left today');
    const runs = card(page, 'Recent syncs').locator('tbody tr');
    expect(await runs.count()).toBeGreaterThanOrEqual(2);
    await shows(page.locator('.nav-count'), '4');
    await checkA11y('Status');
    await shot(page, 'ui-status-filled');
    // "Open" on the conflicts item goes to the Conflicts screen.
    await page.locator('.attention', { hasText: 'conflicts need your review' }).getByRole('link').click();
    await page.locator('h1', { hasText: 'Conflicts' }).waitFor({ timeout: T });
  }, 60_000);

  it('Connections: health, account, permissions, quota; Test connection; sign-in forms with masked secrets', async () => {
    await go(page, 'Connections');
    const a = card(page, 'AroFlo');
    await a.getByRole('button', { name: 'Test connection' }).click();
    await shows(a.locator('.test-result'), 'Test passed — connected');
    await shows(
      card(page, 'HighLevel').locator('.details-row', { hasText: 'Signs in with' }),
      'Private Integration token',
    );
    await checkA11y('Connections');
    await shot(page, 'ui-connections-filled');
    const h = card(page, 'HighLevel');
    await h.getByRole('button', { name: 'Change sign-in' }).click();
    await h.getByText('Private Integration token', { exact: false }).first().waitFor();
    const token = h.getByLabel('Private Integration token', { exact: true });
    expect(await token.getAttribute('type')).toBe('password');
    await h.getByRole('button', { name: /^Show/ }).click();
    expect(await token.getAttribute('type')).toBe('text');
    // A missing field is named next to the form, before anything is sent.
    await h.getByRole('button', { name: 'Save and test' }).click();
    await shows(h.locator('.form-error'), 'Paste the Private Integration token.');
    await checkA11y('Connections, changing sign-in');
    await shot(page, 'ui-connections-change-sign-in');
    await h.getByRole('button', { name: 'Close' }).click();
  }, 60_000);

  it('Mappings: fields and directions, errors next to the form, preview as a filterable table', async () => {
    await go(page, 'Mappings');
    await shows(page.locator('.sync-bar'), 'On: changes flow');
    await checkA11y('Mappings');
    await shot(page, 'ui-mappings-editor');

    // A change the app refuses: its message appears beside Save, and nothing is saved.
    const before = (await bed.svc.api.getMappings())[0]!.fingerprint;
    // (Every value of the task status map removed: a map that translates nothing.)
    await page.getByRole('button', { name: 'Remove value 1 of Completed' }).click();
    await page.getByRole('button', { name: 'Remove value 1 of Completed' }).click();
    await shows(page.locator('.action-bar-state'), 'Unsaved changes');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await shows(page.locator('.action-bar .form-error'), /Completed/);
    expect((await bed.svc.api.getMappings())[0]!.fingerprint).toBe(before);
    await checkA11y('Mappings with a save error');
    await shot(page, 'ui-mappings-save-error');
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await shows(page.locator('.action-bar-state'), 'All changes saved');

    // A saved change waits for a preview; the preview shows exactly what would change.
    await page.getByRole('radio', { name: 'HighLevel to AroFlo only' }).first().check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await shows(page.locator('.sync-bar'), 'Changed since your last preview');
    expect((await bed.svc.api.getMappings())[0]!.entities[0]!.fields[0]!.direction).toBe('to_other');
    ghl().updateContact(firstOnly[0]!.id, { lastName: 'Previewed' });
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    const preview = card(page, 'Preview: what the next sync would do');
    await shows(preview, 'Previewed');
    await shows(preview.locator('.table-plan'), 'Previewed');
    await preview.getByRole('button', { name: /^To update/ }).click();
    expect(await preview.locator('.table-plan tbody tr').count()).toBeGreaterThan(0);
    await shows(page.locator('.sync-bar'), 'On: changes flow');
    await checkA11y('Mappings preview');
    await shot(page, 'ui-mappings-preview');
    // Back to both ways, previewed again.
    await page.getByRole('radio', { name: 'Both ways' }).first().check();
    await page.getByRole('button', { name: 'Save and preview' }).click();
    await shows(page.locator('.sync-bar'), 'On: changes flow');
    expect((await bed.svc.api.getMappings())[0]!.entities[0]!.fields[0]!.direction).toBe('both');

    await page.getByRole('tab', { name: /HighLevel → Aimfox/ }).click();
    await shows(page.locator('.sync-bar'), 'Sync HighLevel → Aimfox');
    await checkA11y('Mappings, Aimfox');
    await shot(page, 'ui-mappings-aimfox');
  }, 60_000);

  it('Conflicts: filters, side by side detail, a typed value, a rule, and a duplicate linked', async () => {
    await go(page, 'Conflicts');
    const list = page.getByRole('listbox');
    await shows(page.locator('.filter-count'), '4 open items');
    // The conflict on two fields: search narrows the list.
    await page.getByLabel('Search by name').fill('Henrietta');
    await shows(page.locator('.filter-count'), '1 of 4 open items');
    await shows(list, 'Henrietta Ashdown');
    await shows(page.locator('.table-diff'), 'Ashdown-Smythe');
    expect(await page.locator('.table-diff tbody tr').count()).toBe(2);
    expect(await page.locator('.table-diff .diff-changed').count()).toBe(4);
    await checkA11y('Conflict detail');
    await shot(page, 'ui-conflicts-detail');
    // First name: another value, typed; last name: HighLevel's, clicked.
    const first = page.locator('.table-diff tbody tr', { hasText: 'First name' });
    await first.getByRole('radio', { name: 'Another value' }).check();
    await first.getByLabel('New value for First name').fill('Harriet');
    await page
      .locator('.table-diff tbody tr', { hasText: 'Last name' })
      .getByRole('radio', { name: 'HighLevel’s' })
      .check();
    await page.getByRole('button', { name: 'Apply' }).click();
    await shows(page.locator('.notice-good'), 'Applied your choice', 60_000);
    expect(ghl().getContact(twoFields.id)!.firstName).toBe('Harriet');
    expect(ghl().getContact(twoFields.id)!.lastName).toBe('Ashdown');
    expect(arofloFirst(twoFields.id)).toBe('Harriet');

    // "Always prefer HighLevel" for first names settles both open first-name conflicts and becomes the rule.
    await page.getByLabel('Search by name').fill('');
    await page.getByLabel('Kind').selectOption('conflict');
    await shows(page.locator('.filter-count'), '2 of');
    await page.getByRole('button', { name: 'Always prefer HighLevel for this field' }).click();
    const dialog = page.getByRole('dialog', { name: 'Always prefer HighLevel?' });
    await dialog.waitFor({ timeout: T });
    await checkA11y('Rule confirmation');
    await shot(page, 'ui-conflicts-rule-dialog', false);
    await dialog.getByRole('button', { name: 'Always prefer HighLevel' }).click();
    await shows(page.locator('.notice-good'), '2 open conflicts resolved', 60_000);
    const rule = (await bed.svc.api.getMappings())[0]!.entities[0]!.fields.find((f) => f.key === 'firstName');
    expect(rule?.conflictDefault).toBe('prefer_ghl');
    for (const p of firstOnly) expect(arofloFirst(p.id)).toMatch(/^Gwendolyn/);

    // The possible duplicate: two HighLevel records could be the AroFlo client; pick one and link.
    await page.getByLabel('Kind').selectOption('duplicate');
    await shows(list, 'Pat Quinlan');
    await shows(page.locator('.candidates'), 'Patricia');
    expect(await page.locator('.candidate .details-differs').count()).toBeGreaterThan(0);
    await checkA11y('Duplicate review');
    await shot(page, 'ui-conflicts-duplicate');
    await page.locator('.candidate', { hasText: 'Patricia' }).getByRole('radio').check();
    await page.getByRole('button', { name: 'Link them' }).click();
    await shows(page.locator('.notice-good'), 'Linked');
    const patricia = ghl()
      .listContacts()
      .find((c) => c.firstName === 'Patricia' && c.lastName === 'Quinlan')!;
    expect(bed.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', patricia.id)?.other_id).toMatch(/^client:/);
    await page.getByLabel('Kind').selectOption('');
    await page.getByText("No conflicts — you're all caught up").first().waitFor({ timeout: T });
  }, 60_000);

  it('Settings: validation errors shown, limits saved; a guard stop is reviewed and approved on Status', async () => {
    await go(page, 'Settings');
    const every = page.getByLabel('Sync every');
    await every.fill('0');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await shows(page.locator('.field-error'), 'The sync interval must be between 1 and 1,440.');
    await checkA11y('Settings with an error');
    await shot(page, 'ui-settings-validation');
    await every.fill('15');
    await page.getByLabel('Check at most every').fill('30');
    await page.getByLabel('Most changes per sync').fill('0');
    await page.getByLabel('Most changes, share of linked records').fill('0');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await shows(page.locator('.form-success'), 'Settings saved.');
    const s = await bed.svc.api.getSettings();
    expect(s.syncIntervalMinutes).toBe(15);
    expect(s.checkAfterRun?.everyMinutes).toBe(30);
    expect(s.guard.maxChanges).toBe(0);

    ghl().updateContact(firstOnly[1]!.id, { lastName: 'Guarded' });
    await go(page, 'Status');
    await page.getByRole('button', { name: 'Sync now' }).click();
    const guard = card(page, 'Sync stopped before changing anything');
    await shows(guard, 'over the limit', 30_000);
    expect(arofloFirst(firstOnly[1]!.id)).toMatch(/^Gwendolyn/);
    await guard.getByRole('button', { name: 'Review preview' }).click();
    await shows(guard.locator('.table-plan'), 'Guarded');
    await checkA11y('Guard stop');
    await shot(page, 'ui-status-guard-stop');
    await guard.getByRole('button', { name: 'Approve and sync' }).click();
    await guard.waitFor({ state: 'detached', timeout: 30_000 });
    await shows(card(page, 'Last sync'), 'Succeeded', 30_000);
    const last = (await bed.svc.api.listRuns({ limit: 1 }))[0]!;
    expect(last.status).toBe('ok');
    const k = linked(firstOnly[1]!.id);
    expect(
      k.kind === 'contact' ? aroflo().getContact(k.userId!)!.surname : aroflo().getClient(k.clientId)!.surname,
    ).toBe('Guarded');
    await bed.svc.api.saveSettings({
      settings: { guard: { maxDeletes: 25, maxDeletePercent: 10, maxChanges: 500, maxChangePercent: 50 } },
    });
  }, 60_000);

  it('Settings: the audit export downloads a CSV; a sync is undone after confirming', async () => {
    await go(page, 'Settings');
    await shows(card(page, 'Your data'), bed.profileDir);
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: T }),
      page.getByRole('button', { name: 'Export audit CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^ghl-bridge-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n').length).toBeGreaterThan(5);
    expect(csv).toContain('Guarded');
    await shows(card(page, 'Your data'), 'Saved ghl-bridge-audit-');

    const undo = card(page, 'Undo a sync');
    const approved = (await bed.svc.api.listRuns({ limit: 1 }))[0]!;
    await undo.getByLabel('Sync to undo').selectOption(approved.id);
    await undo.getByRole('button', { name: 'Undo this sync…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Undo this sync?' });
    await checkA11y('Undo confirmation');
    await dialog.getByRole('button', { name: 'Undo the sync' }).click();
    await shows(undo.locator('.form-success'), 'Undone:', 30_000);
    // The sync had copied the new last name to AroFlo; undoing it puts AroFlo's back (HighLevel's is a person's edit).
    const k = linked(firstOnly[1]!.id);
    expect(
      k.kind === 'contact' ? aroflo().getContact(k.userId!)!.surname : aroflo().getClient(k.clientId)!.surname,
    ).not.toBe('Guarded');
    await checkA11y('Settings');
    await shot(page, 'ui-settings-filled');
  }, 60_000);

  it('Activity: one timeline with search and filters, and charts by day', async () => {
    await go(page, 'Activity');
    await page.locator('.recharts-surface').first().waitFor({ timeout: T });
    expect(await page.locator('.timeline-item').count()).toBeGreaterThan(3);
    await checkA11y('Activity');
    await shot(page, 'ui-activity-filled');
    await page.getByLabel('System').selectOption('bridge');
    await page
      .locator('.timeline-item', { hasNotText: 'GHL Bridge · Sync' })
      .first()
      .waitFor({ state: 'detached', timeout: T });
    const all = await page.locator('.timeline-item').count();
    // The sync the safety limits stopped, found by its reason.
    await page.getByLabel('Search activity').fill('would change');
    await page
      .locator('.timeline-item', { hasNotText: 'would change' })
      .first()
      .waitFor({ state: 'detached', timeout: T });
    await shows(page.locator('.timeline .badge'), 'Waiting for approval');
    expect(await page.locator('.timeline-item').count()).toBeLessThan(all);
  }, 60_000);

  it('Logs: search, level filter, live entries, and Copy diagnostics with or without a clipboard', async () => {
    await go(page, 'Logs');
    await page.getByLabel('Level').selectOption('warn');
    await page.locator('.table-logs .badge', { hasText: 'Info' }).first().waitFor({ state: 'detached', timeout: T });
    await shows(page.locator('.table-logs'), 'Sync stopped before writing anything');
    await page.getByLabel('Level').selectOption('');
    bed.svc.logger.info('A line written while the screen is open');
    await shows(page.locator('.table-logs'), 'A line written while the screen is open');
    await page.getByLabel('Search logs').fill('written while');
    await page.locator('.table-logs tbody tr').first().waitFor();
    await page.waitForTimeout(400); // the search is debounced
    expect(await page.locator('.table-logs tbody tr').count()).toBe(1);
    await page.getByLabel('Search logs').fill('');

    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    await page.getByRole('button', { name: 'Copy diagnostics' }).click();
    await shows(page.locator('.form-success'), 'Diagnostics copied');
    expect(String(await page.evaluate('navigator.clipboard.readText()'))).toContain(bed.profileDir);
    await checkA11y('Logs');
    await shot(page, 'ui-logs-filled');
    // Without a clipboard: the text is offered to copy by hand.
    await page.evaluate(`Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true })`);
    await page.getByRole('button', { name: 'Copy diagnostics' }).click();
    const box = page.getByLabel(/Copy these diagnostics/);
    await box.waitFor({ timeout: T });
    expect(await box.inputValue()).toContain(bed.profileDir);
    expect(await box.inputValue()).not.toContain(bed.boxes.ghl.credentials.privateToken);
    await checkA11y('Logs, diagnostics by hand');
    await shot(page, 'ui-logs-diagnostics-fallback', false);
    await page.getByRole('button', { name: 'Close' }).click();
  }, 60_000);

  it('dark mode and a narrow window stay readable', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await go(page, 'Status');
    await checkA11y('Status, dark');
    await shot(page, 'ui-dark-status');
    await go(page, 'Mappings');
    await checkA11y('Mappings, dark');
    await shot(page, 'ui-dark-mappings', false);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 720, height: 800 });
    await go(page, 'Connections');
    await checkA11y('Connections, narrow');
    await shot(page, 'ui-narrow-connections', false);
    await page.setViewportSize({ width: 1280, height: 860 });
  }, 60_000);

  it('a sync in progress shows a progress bar, and Sync now waits for it', async () => {
    // Slow HighLevel down so the run is long enough to watch.
    bed.boxes.setFaults('system=ghl,rate=1,kinds=latency,latency=400');
    await go(page, 'Status');
    await page.getByRole('button', { name: 'Sync now' }).click();
    const bar = page.getByRole('progressbar', { name: 'Sync progress' });
    await bar.waitFor({ timeout: T });
    await shows(page.locator('.overview'), 'Syncing');
    expect(await page.locator('button', { hasText: 'Syncing…' }).first().isDisabled()).toBe(true);
    await shows(page.locator('.sidebar-foot'), 'Syncing…');
    await checkA11y('Status, syncing');
    await shot(page, 'ui-status-syncing', false);
    bed.boxes.setFaults(undefined);
    await bar.waitFor({ state: 'detached', timeout: 60_000 });
    await page.locator('button:enabled', { hasText: 'Sync now' }).waitFor({ timeout: T });
  }, 90_000);

  it('error states: a refused sign-in fails the sync and says what to do; a lost server says so on every screen', async () => {
    expect(browser.problems).toEqual([]);
    bed.boxes.setFaults('system=ghl,rate=1,kinds=revoke');
    await go(page, 'Status');
    await page.getByRole('button', { name: 'Sync now' }).click();
    await shows(page.locator('.overview'), 'The last sync failed', 30_000);
    await shows(page.locator('.attention-list'), 'paste a new token on the Connections screen');
    await shows(page.locator('.sidebar-foot'), 'Needs attention');
    await checkA11y('Status, failed');
    await shot(page, 'ui-status-error');
    await go(page, 'Connections');
    await shows(card(page, 'HighLevel').locator('.badge'), 'Signed out');
    await shot(page, 'ui-connections-signed-out');
    bed.boxes.setFaults(undefined);

    await server.close();
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Activity' }).click();
    await shows(page.locator('.state-error'), 'Lost contact with the GHL Bridge server');
    await checkA11y('Lost server');
    await shot(page, 'ui-error-lost-server');
  }, 60_000);
});
