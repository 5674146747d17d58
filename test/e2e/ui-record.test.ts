/**
 * The record page in real Chromium over serve mode, on the demo's sandboxes and wiring (test/support/harness.ts): its
 * values are the sandboxes' own (read from their stores), "Sync this record now" carries a fresh AroFlo edit to
 * HighLevel with one audit row and no other write, the check after a run puts a record edited behind the bridge's
 * back on Status and on its page, and `ghl-bridge record` shows the same record and syncs it. Screenshots in
 * test-artifacts/screenshots/record-*.png.
 *
 * The edit the feed misses: AroFlo's sandbox runs with `contactEdits: 'none'` (main/sandbox/aroflo/README.md, a
 * contact's edit moves no lastupdate row), and the contact is one whose client no run wrote under (the AroFlo feed
 * re-reads recently written clients for a while, main/sync/sides/aroflo.ts `formatFeedCursor`).
 *
 * Needs the renderer build: `npm run build:renderer`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { WebServer } from '../../main/web/server.js';
import type { SandboxStats } from '../../main/sandbox/types.js';
import type { LinkRow } from '../../main/store/repositories.js';
import { startBed, type Bed } from '../support/harness.js';
import { T, card, repo, seriousA11yViolations, settled, shot, shows, staticDir, openServed } from './ui-support.js';
import type { Browser } from './ui-support.js';

let tmp: string;
let bed: Bed;
let server: WebServer;
let browser: Browser;
let page: Page;
/** A residential AroFlo client linked to a HighLevel contact. */
let person: LinkRow;
/** An AroFlo contact of a business whose client no run wrote under (the feed will not report its edits). */
let hidden: LinkRow;

const VAULT_KEY = 'f771c15a585fdac8305cfbb3d1fd1cab3b413ab7c6b004cc2683dd7e4c69c4b5';
const ghl = () => bed.boxes.ghl.admin;
const aroflo = () => bed.boxes.aroflo.admin;
const clientOf = (l: LinkRow) => l.other_id!.split(':')[1]!;

function writes(s: SandboxStats): number {
  return Object.entries(s.byEndpoint)
    .filter(([k]) => /^(PUT|DELETE|PATCH)\b/.test(k) || (/^POST\b/.test(k) && !/search|lastupdate/i.test(k)))
    .reduce((a, [, n]) => a + n, 0);
}
const allWrites = () => writes(ghl().stats()) + writes(aroflo().stats()) + writes(bed.boxes.aimfox.admin.stats());

/** The record page's cell for a field and side ("ghl-now" | "other-now") in the link's card. */
const cell = (label: string, field: string, side: 'ghl-now' | 'other-now') =>
  card(page, label).locator(`tr[data-field="${field}"] td[data-side="${side}"]`);

async function openRecord(key: string): Promise<void> {
  await page.goto(`${server.origin}/#/record/${key}`);
  await settled(page);
  await page.locator('h1', { hasText: 'Record:' }).waitFor({ timeout: T });
}

beforeAll(async () => {
  if (!existsSync(join(staticDir, 'index.html')))
    throw new Error('dist/renderer is missing — run "npm run build:renderer" first.');
  tmp = mkdtempSync(join(tmpdir(), 'ghlb-ui-record-'));
  bed = await startBed({ contacts: 80, seed: 11, arofloFeed: { contactEdits: 'none' } });
  await bed.svc.api.saveSettings({ settings: { checkAfterRun: { enabled: true, sample: 100, everyMinutes: 0 } } });
  expect((await bed.run({ full: true })).summary.status).toBe('ok');
  expect((await bed.run()).summary.status).toBe('ok');
  const store = bed.svc.sync.store;
  const links = store.links.active('ghl-aroflo', 'contact');
  person = links.find((l) => l.other_id?.startsWith('client:') && ghl().getContact(l.ghl_id!)?.email)!;
  const [business] = bed.svc.sync.wireForReading(['ghl-aroflo']).filter((e) => e.wiring.entity === 'business');
  const reported = new Set(
    (await business!.wiring.other.fetchChanged(store.feeds.cursor('aroflo', 'ghl-aroflo:business'))).records.map(
      (r) => r.id.split(':')[1],
    ),
  );
  hidden = links.find((l) => l.other_id?.startsWith('contact:') && !reported.has(clientOf(l)))!;
  expect(person && hidden).toBeTruthy();
  ({ server, browser, page } = await openServed(bed.svc, join(tmp, 'chromium')));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await bed?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the record page', () => {
  it('shows the values both sandboxes hold, read live, beside the values last synced; found by email too', async () => {
    const g = ghl().getContact(person.ghl_id!)!;
    const a = aroflo().getClient(clientOf(person))!;
    // Found from the search box by email.
    await page.goto(`${server.origin}/#/record`);
    await settled(page);
    await page.getByLabel('Email, name, phone or any system ID').fill(String(g.email).toUpperCase());
    await page.getByRole('button', { name: 'Find' }).click();
    await page.locator('h1', { hasText: 'Record:' }).waitFor({ timeout: T });
    await settled(page);
    await shows(page.locator('[data-testid="record-read"]'), 'read live from each system');
    const label = `Contact · HighLevel ⇄ AroFlo: ${person.label}`;
    expect(await cell(label, 'firstName', 'ghl-now').innerText()).toBe(g.firstName);
    expect(await cell(label, 'lastName', 'ghl-now').innerText()).toBe(g.lastName);
    expect(await cell(label, 'email', 'ghl-now').innerText()).toBe(String(g.email).toLowerCase());
    expect(await cell(label, 'firstName', 'other-now').innerText()).toBe(a.firstname);
    expect(await cell(label, 'lastName', 'other-now').innerText()).toBe(a.surname);
    expect(await cell(label, 'email', 'other-now').innerText()).toBe(a.email!.toLowerCase());
    expect(await seriousA11yViolations(page), 'accessibility of the record page').toEqual([]);
    await shot(page, 'record-page');
  });

  it('"Sync this record now" carries a fresh AroFlo edit across: one audit row, no other record written', async () => {
    const a = aroflo().getClient(clientOf(person))!;
    aroflo().updateClient(clientOf(person), { firstname: 'Philippa', clientname: `Philippa ${a.surname}` });
    // Someone else's edit waits for the next sync.
    const other = bed.svc.sync.store.links
      .active('ghl-aroflo', 'contact')
      .find((l) => l.id !== person.id && l.other_id?.startsWith('client:'))!;
    const o = aroflo().getClient(clientOf(other))!;
    aroflo().updateClient(clientOf(other), { firstname: 'Ottoline', clientname: `Ottoline ${o.surname}` });
    await openRecord(String(person.id));
    const label = `Contact · HighLevel ⇄ AroFlo: ${person.label}`;
    expect(await cell(label, 'firstName', 'other-now').innerText()).toMatch(/^Philippa/);
    expect(await cell(label, 'firstName', 'other-now').getAttribute('class')).toBe('record-changed');
    const runs0 = bed.svc.sync.store.runs.list(50).length;
    const writes0 = allWrites();
    await page.getByRole('button', { name: 'Sync this record now' }).click();
    await shows(page.locator('.record-synced'), 'Synced: 1 record written.');
    expect(ghl().getContact(person.ghl_id!)!.firstName).toBe('Philippa');
    expect(ghl().getContact(other.ghl_id!)!.firstName).not.toBe('Ottoline');
    expect(allWrites() - writes0).toBe(1);
    const runs = bed.svc.sync.store.runs.list(50);
    expect(runs.length).toBe(runs0 + 1);
    expect(runs[0]!.trigger).toBe('record');
    expect(bed.svc.sync.store.audit.forRun(runs[0]!.id).map((r) => [r.recordId, r.field, r.after])).toEqual([
      [person.ghl_id, 'firstName', 'Philippa'],
    ]);
    // The page reloads with both sides agreeing and the write listed.
    await shows(card(page, 'Writes by the bridge'), 'First name: ');
    expect(await cell(label, 'firstName', 'ghl-now').innerText()).toBe('Philippa');
    await shot(page, 'record-page-synced');
  });

  it('the check after a run names a record edited behind the bridge’s back on Status and on its page', async () => {
    aroflo().updateContact(hidden.other_id!.split(':')[2]!, { givennames: 'Quietly' });
    const r = await bed.run();
    expect(r.summary.status).toBe('ok');
    expect(ghl().getContact(hidden.ghl_id!)!.firstName).not.toBe('Quietly');
    await page.goto(`${server.origin}/#/status`);
    await settled(page);
    const item = page.locator('.attention', { hasText: 'differs from what was last synced' });
    await shows(item, `${hidden.label}: AroFlo first name differs from what was last synced`);
    await shot(page, 'record-status-finding');
    await item.getByRole('link').click();
    await page.locator('h1', { hasText: `Record: ${hidden.label}` }).waitFor({ timeout: T });
    await settled(page);
    await shows(page.locator('.record-finding'), 'edited behind the bridge');
    await shot(page, 'record-page-finding');
  });
});

describe('ghl-bridge record', () => {
  // Asynchronous: the sandboxes answer from this process.
  const cli = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const env: NodeJS.ProcessEnv = { ...process.env, GHL_BRIDGE_VAULT_KEY: VAULT_KEY };
      delete env.GHL_BRIDGE_HOME;
      execFile(
        process.execPath,
        [join(repo, 'bin/ghl-bridge.mjs'), 'record', ...args, '--profile', bed.profileDir],
        { env, encoding: 'utf8', timeout: 120_000 },
        (err, stdout, stderr) => resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('shows the same record as the page (by email), and --sync carries an edit across', async () => {
    const g = ghl().getContact(person.ghl_id!)!;
    const shown = await cli(String(g.email), '--json');
    expect(shown.status, shown.stderr).toBe(0);
    const view = (JSON.parse(shown.stdout) as { record: { key: string; links: Array<Record<string, unknown>> } })
      .record;
    expect(view.key).toBe(String(person.id));
    const page1 = (await bed.svc.api.getRecord({ q: String(person.id), live: false })).record!;
    const values = (v: { links: Array<Record<string, unknown>> }) =>
      JSON.stringify(
        v.links.map((l) =>
          (l.fields as Array<{ key: string; ghl: unknown; other: unknown }>).map((f) => [f.key, f.ghl, f.other]),
        ),
      );
    expect(values(view)).toBe(values(page1 as never));

    const text = await cli(String(g.email));
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain(`First name: HighLevel ${g.firstName}`);

    const a = aroflo().getClient(clientOf(person))!;
    aroflo().updateClient(clientOf(person), { firstname: 'Rosalind', clientname: `Rosalind ${a.surname}` });
    const synced = await cli(String(person.id), '--sync', '--json');
    expect(synced.status, synced.stderr).toBe(0);
    const out = JSON.parse(synced.stdout) as { run: { status: string; updated: Record<string, number> } };
    expect(out.run.status).toBe('ok');
    expect(out.run.updated.contact).toBe(1);
    expect(ghl().getContact(person.ghl_id!)!.firstName).toBe('Rosalind');
  });
});
