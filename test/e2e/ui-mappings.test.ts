/**
 * The Mappings screen as an office admin edits it, in real Chromium over serve mode, on the demo's sandboxes (the
 * harness bed: seeded HighLevel, AroFlo and Aimfox, wired and synced): remove a pair (the default street address);
 * add "HighLevel custom field ⇄ AroFlo client field" and "HighLevel address ⇄ AroFlo street address" from the
 * catalogue (only fitting fields and changes offered, the first change chosen), switch creating records off one way,
 * save, preview; a pair that writes a field another pair already writes is refused with the field named, nothing is
 * saved and the edit stays on screen; a custom field deleted in HighLevel is flagged and keeps its pair. (That the
 * values reach the sandboxes is fields-wire's test/integration/field-transforms.test.ts.)
 * Screenshots of each state: test-artifacts/screenshots/mappings-*.png.
 *
 * Needs the renderer build: `npx vite build --config renderer/vite.config.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { CompatiblePair, EntityMapping, FieldView } from '../../preload/contract.js';
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
let abnId: string;

const contacts = async (): Promise<EntityMapping> =>
  (await bed.svc.api.getMappings()).find((m) => m.pair === 'ghl-aroflo')!.entities.find((e) => e.entity === 'contact')!;
const section = (): Locator => page.locator('section.entity', { has: page.locator('h3', { hasText: 'Contacts' }) });
const addForm = (): Locator => section().locator('fieldset.add-pair');

async function checkA11y(name: string): Promise<void> {
  expect(await seriousA11yViolations(page), `accessibility of ${name}`).toEqual([]);
}

/** Choose a field pair in the "Add field pair" form of Contacts, checking that only what the catalogue allows is offered. */
async function addPair(
  ghl: (f: FieldView) => boolean,
  other: (f: FieldView, p: CompatiblePair) => boolean,
): Promise<CompatiblePair & { ghlLabel: string; otherLabel: string }> {
  const cat = (await bed.svc.api.getFieldCatalogue({ pair: 'ghl-aroflo' })).entities.find(
    (e) => e.entity === 'contact',
  )!;
  const g = cat.ghl.find(ghl)!;
  expect(g, 'the catalogue has the HighLevel field').toBeDefined();
  const fits = cat.compatible.filter((p) => p.ghl === g.ref);
  const pick = fits.find((p) =>
    other(
      cat.other.find((f) => f.ref === p.other)!,
      p,
    ),
  )!;
  expect(pick, `the catalogue offers a field for HighLevel "${g.label}"`).toBeDefined();
  await section().getByRole('button', { name: 'Add field pair' }).click();
  const form = addForm();
  await form.getByLabel('HighLevel field').selectOption(g.ref);
  // Only the AroFlo fields that fit, and only the changes that make this pair fit (the first one chosen).
  const offered = await form
    .getByLabel('AroFlo field')
    .locator('option')
    .evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value).filter(Boolean));
  expect(offered.sort()).toEqual(fits.map((p) => p.other).sort());
  await form.getByLabel('AroFlo field').selectOption(pick.other);
  const transforms = await form
    .getByLabel('On the way')
    .locator('option')
    .evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
  expect(transforms).toEqual(pick.transforms);
  expect(await form.getByLabel('On the way').inputValue()).toBe(pick.transforms[0]);
  await form.getByRole('button', { name: 'Add this pair' }).click();
  await addForm().waitFor({ state: 'detached', timeout: T });
  return { ...pick, ghlLabel: g.label, otherLabel: cat.other.find((f) => f.ref === pick.other)!.label };
}

beforeAll(async () => {
  if (!existsSync(join(staticDir, 'index.html')))
    throw new Error('dist/renderer is missing — run "npx vite build --config renderer/vite.config.ts" first.');
  tmp = mkdtempSync(join(tmpdir(), 'ghlb-ui-mappings-'));
  bed = await startBed({ contacts: 30, seed: 13 });
  // A custom field the business keeps on its HighLevel contacts, as the admin adds it in HighLevel.
  abnId = bed.boxes.ghl.admin.addCustomField({ name: 'ABN' }).id;
  expect((await bed.run({ full: true })).summary.status).toBe('ok');
  // The one request expected to fail: the mapping the app refuses (400, shown next to the form).
  ({ server, browser, page } = await openServed(bed.svc, join(tmp, 'chromium'), {
    allowHttpErrors: /\/api\/saveMapping$/,
  }));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await bed?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the Mappings screen, edited', () => {
  it('removes a pair (the default street address), and the saved mapping no longer has it', async () => {
    await go(page, 'Mappings');
    await shows(card(page, 'Country and time zone'), 'from your HighLevel location');
    await shot(page, 'mappings-start');
    const before = (await contacts()).fields.length;
    const street = (await contacts()).fields.find((f) => f.ghlField === 'address1')!;
    await section()
      .getByRole('button', { name: `Remove ${street.label}`, exact: true })
      .click();
    await shows(page.locator('.action-bar-state'), 'Unsaved changes');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await shows(page.locator('.action-bar-state'), 'All changes saved');
    const after = await contacts();
    expect(after.fields.length).toBe(before - 1);
    expect(after.fields.some((f) => f.ghlField === 'address1')).toBe(false);
    await shot(page, 'mappings-pair-removed');
  }, 60_000);

  it('adds a custom field pair and an address pair from the catalogue, saves and previews them', async () => {
    const custom = await addPair(
      (f) => f.ref === `custom:${abnId}`,
      (f) => /abn/i.test(f.label),
    );
    const street = await addPair(
      (f) => f.ref === 'address1',
      (f) => /street/i.test(f.label) && !/postal/i.test(f.label),
    );
    await shows(section().locator('tbody th'), 'ABN');
    await shows(page.locator('.action-bar-state'), 'Unsaved changes');
    // Creating contacts in HighLevel from AroFlo off; updating linked ones stays on.
    await section().getByLabel('Create new contacts in HighLevel').uncheck();
    // An empty ABN may blank a filled one; an unknown AroFlo task status becomes "not done"; phones are read as NZ numbers.
    await section().getByLabel('An empty ABN never overwrites a filled one').uncheck();
    await page.getByLabel('An AroFlo value not in the list becomes, in HighLevel').selectOption('false');
    await card(page, 'Country and time zone').getByLabel('Country').fill('nz');
    await checkA11y('Mappings with two new pairs');
    await shot(page, 'mappings-pairs-added');

    await page.getByRole('button', { name: 'Save changes' }).click();
    await shows(page.locator('.action-bar-state'), 'All changes saved');
    const saved = await contacts();
    expect(saved.fields.find((f) => f.ghlField === custom.ghl)).toMatchObject({
      otherField: custom.other,
      transform: custom.transforms[0],
    });
    expect(saved.fields.find((f) => f.ghlField === 'address1')).toMatchObject({
      otherField: street.other,
      transform: street.transforms[0],
    });
    expect(saved.create).toEqual({ toGhl: false, toOther: true });
    expect(saved.update ?? { toGhl: true, toOther: true }).toEqual({ toGhl: true, toOther: true });
    expect(saved.fields.find((f) => f.ghlField === custom.ghl)!.emptyNeverBlanks).toBe(false);
    const m = (await bed.svc.api.getMappings()).find((x) => x.pair === 'ghl-aroflo')!;
    expect(
      m.entities.find((e) => e.entity === 'task')!.fields.find((f) => f.key === 'completed')!.valueMapDefault,
    ).toEqual({ toGhl: 'false' });
    expect(m.defaults.phoneCountry).toBe('NZ');
    await shows(card(page, 'Country and time zone'), 'Set here');

    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    const preview = card(page, 'Preview: what the next sync would do');
    await preview.waitFor({ state: 'visible', timeout: 60_000 });
    await shows(page.locator('.sync-bar'), /Previewed and ready|On: changes flow/);
    await checkA11y('Mappings preview with the new pairs');
    await shot(page, 'mappings-saved-previewed');
  }, 120_000);

  it('refuses a second pair writing the AroFlo email: the field is named, nothing is saved, the edit stays', async () => {
    const mapping = (await bed.svc.api.getMappings()).find((m) => m.pair === 'ghl-aroflo')!;
    const email = (await contacts()).fields.find((f) => f.key === 'email')!;
    await addPair(
      (f) => f.ref === 'email',
      (f) => f.ref === email.otherField || /e-?mail/i.test(f.label),
    );
    await page.getByRole('button', { name: 'Save changes' }).click();
    const error = page.locator('.action-bar .form-error');
    await error.waitFor({ state: 'visible', timeout: T });
    expect(await error.innerText()).toMatch(/email/i);
    expect((await bed.svc.api.getMappings()).find((m) => m.pair === 'ghl-aroflo')!.fingerprint).toBe(
      mapping.fingerprint,
    );
    // The person's edit is still there to fix.
    await shows(page.locator('.action-bar-state'), 'Unsaved changes');
    expect(await section().locator('tbody tr:not(.row-detail)').count()).toBe((await contacts()).fields.length + 1);
    await checkA11y('Mappings with a refused pair');
    await shot(page, 'mappings-refused');
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await shows(page.locator('.action-bar-state'), 'All changes saved');
  }, 60_000);

  it('flags a custom field deleted in HighLevel and keeps its pair', async () => {
    bed.boxes.ghl.admin.deleteCustomField(abnId);
    await page.reload();
    await go(page, 'Mappings');
    const row = section().locator('tbody tr', { hasText: 'ABN' });
    await shows(row, 'Deleted in HighLevel');
    expect((await contacts()).fields.some((f) => f.ghlField === `custom:${abnId}`)).toBe(true);
    await checkA11y('Mappings with a deleted custom field');
    await shot(page, 'mappings-deleted-custom-field');
    expect(browser.problems).toEqual([]);
  }, 60_000);
});
