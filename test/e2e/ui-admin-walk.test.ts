/**
 * What an office admin sees, walked in real Chromium from a fresh `ghl-bridge demo` (issue 17, "done means"): the
 * demo process itself (its profile, its sandboxes, its window), then the window and the CLI on that profile.
 * Conflicts has items and one is resolved; a dry run's "would create" counts are non-zero in the CLI and in Recent
 * syncs; the logged-out LinkedIn account is under Needs attention; the audit CSV has names and plain values; no raw
 * location or workspace id on Status or Connections. A screenshot of every screen, filled, in
 * test-artifacts/screenshots/walk-*.png.
 *
 * Needs the renderer build: `npx vite build --config renderer/vite.config.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Page } from 'playwright-core';
import {
  T,
  card,
  filterBarHeights,
  freePort,
  go,
  openBrowser,
  settled,
  shot,
  shows,
  staticDir,
  repo,
} from './ui-support.js';
import type { Browser } from './ui-support.js';

const BIN = join(repo, 'bin/ghl-bridge.mjs');
const env: NodeJS.ProcessEnv = { ...process.env, GHL_BRIDGE_VAULT_KEY: 'walk-test-vault-key-0123456789abcdef' };
delete env.GHL_BRIDGE_HOME;

let tmp: string;
let demo: ChildProcess;
const out: string[] = [];
let url = '';
let profile = '';
const boxes: Record<'HighLevel' | 'AroFlo' | 'Aimfox', { origin: string; token: string }> = {} as never;
let browser: Browser;
let page: Page;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args, '--profile', profile], {
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function adminCall<X>(system: keyof typeof boxes, method: string, path: string, body?: unknown): Promise<X> {
  const b = boxes[system];
  const res = await fetch(`${b.origin}/__admin${path}`, {
    method,
    headers: { 'x-sandbox-admin': b.token, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as X;
}

/** The visible text of the screen's main area. */
const mainText = () => page.locator('#main').innerText();

beforeAll(async () => {
  if (!existsSync(join(staticDir, 'index.html')))
    throw new Error('dist/renderer is missing — run "npx vite build --config renderer/vite.config.ts" first.');
  tmp = mkdtempSync(join(tmpdir(), 'ghlb-walk-'));
  const port = await freePort();
  demo = spawn(
    process.execPath,
    [BIN, 'demo', '--contacts', '80', '--seed', '7', '--rate-limits', 'x50', '--port', String(port)],
    { env, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    const rl = createInterface({ input: demo.stdout! });
    rl.on('line', (line) => {
      out.push(line);
      const open = /^Open (http:\/\/\S+)/.exec(line);
      if (open) url = open[1]!;
      const p = /^Profile: (\S+)/.exec(line);
      if (p) profile = p[1]!;
      const a = /^\s+(HighLevel|AroFlo|Aimfox)\s+(http:\/\/\S+)\/__admin\s+token (\S+)/.exec(line);
      if (a) boxes[a[1] as keyof typeof boxes] = { origin: a[2]!, token: a[3]! };
      if (line.startsWith('Press Ctrl-C')) resolve();
    });
    demo.once('exit', (code) => reject(new Error(`the demo exited early (${code}):\n${out.join('\n')}`)));
  });
  browser = await openBrowser(join(tmp, 'chromium'));
  browser.watchOrigin(new URL(url).origin);
  page = browser.page;
  await page.goto(url);
  await settled(page);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (demo && demo.exitCode === null) {
    demo.kill('SIGINT');
    await new Promise((r) => demo.once('exit', r));
  }
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('an office admin walks the demo', () => {
  it('the demo printed what it holds: a second sync with items to review, every admin token, three things to try', () => {
    const text = out.join('\n');
    expect(text).toMatch(/Second sync ok: 3 conflicts and 2 possible duplicates wait on the Conflicts screen/);
    expect(Object.keys(boxes).sort()).toEqual(['Aimfox', 'AroFlo', 'HighLevel']);
    expect(text).toMatch(/Try this:\n\s+1\. [^]*\n\s+2\. [^]*\n\s+3\. /);
  });

  let uuid: RegExp;
  it('Status: the logged-out LinkedIn account is under Needs attention; counts agree; no raw ids', async () => {
    await go(page, 'Status');
    await shows(page.locator('.attention-list'), /Sam Lee is logged out in Aimfox/);
    await shows(page.locator('.overview'), '5 records wait for your decision');
    await shows(card(page, 'Last sync').locator('.stat', { hasText: 'to review' }), '5');
    const { contacts } = await adminCall<{ contacts: Array<{ locationId: string }> }>('HighLevel', 'GET', '/contacts');
    const ids = [contacts[0]!.locationId];
    expect(ids[0]).toBeTruthy();
    // Aimfox workspace ids are UUIDs (main/connectors/aimfox/README.md): none may show.
    uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
    const text = await mainText();
    for (const id of ids) expect(text).not.toContain(id);
    expect(text).not.toMatch(uuid);
    expect(text).not.toMatch(/Database level/);
    await shot(page, 'walk-status');

    await go(page, 'Connections');
    await shows(card(page, 'Aimfox'), /Sam Lee is logged out in Aimfox/);
    await shows(card(page, 'HighLevel'), 'HighLevel sub-account');
    const conn = await mainText();
    for (const id of ids) expect(conn).not.toContain(id);
    expect(conn).not.toMatch(uuid);
    expect(conn).not.toMatch(/contacts\.readonly/); // API scope names only behind "Technical details"
    await shot(page, 'walk-connections');
  }, 60_000);

  it('Conflicts: items are there; one conflict is resolved; two HighLevel duplicates say what to do instead of a dead end', async () => {
    await go(page, 'Conflicts');
    const list = page.getByRole('listbox');
    await shows(list, 'Morgan Ellery');
    expect(await list.getByRole('option').count()).toBe(5);
    await list.getByRole('option', { name: /Sam / }).first().click();
    await shows(page.locator('.table-diff tbody tr', { hasText: 'First name' }), 'Samantha');
    await shot(page, 'walk-conflict');
    await page.locator('h1').click();
    const fields = await page.locator('.table-diff tbody tr').count();
    for (let i = 0; i < fields; i++) await page.keyboard.press('o');
    await page.locator('.detail-actions button:enabled', { hasText: 'Apply' }).click();
    await shows(page.locator('.notice-good'), 'Applied your choice', 60_000);
    await shows(page.locator('.nav-count'), '4', 60_000);

    await list
      .getByRole('option', { name: /Morgan Ellery/ })
      .first()
      .click();
    const advice = page.locator('.merge-advice');
    await shows(advice, 'merge them in HighLevel');
    expect(await page.getByRole('button', { name: 'Link them' }).count()).toBe(0);
    const links = page.getByRole('link', { name: /Open in HighLevel/ });
    expect(await links.count()).toBe(2);
    expect(await links.first().getAttribute('href')).toMatch(
      /^https:\/\/app\.gohighlevel\.com\/v2\/location\/[^/]+\/contacts\/detail\//,
    );
    await shot(page, 'walk-duplicate-in-highlevel');

    await list
      .getByRole('option', { name: /Robin Fairweather/ })
      .first()
      .click();
    await shows(page.locator('.detail-actions'), 'Link them');
    await shot(page, 'walk-duplicate-across');
  }, 120_000);

  it('a dry run says what it would create, in the CLI and in Recent syncs', async () => {
    // Two new people in HighLevel, as a person would add them.
    for (const [first, last] of [
      ['Quinn', 'Aldous'],
      ['Reese', 'Baptiste'],
    ] as const) {
      await adminCall('HighLevel', 'POST', '/contacts', {
        firstName: first,
        lastName: last,
        email: `${first.toLowerCase()}.${last.toLowerCase()}@example.org`,
      });
    }
    const dry = cli('sync', '--once', '--dry-run');
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toMatch(/would create: [1-9]\d* /);
    await page.reload();
    await go(page, 'Status');
    const row = card(page, 'Recent syncs').locator('tbody tr').first();
    await shows(row, 'Preview — would do');
    const created = Number((await row.locator('td').nth(3).innerText()).replace(/\D/g, ''));
    expect(created).toBeGreaterThan(0);
    await shot(page, 'walk-status-after-preview');
  }, 120_000);

  it('the audit CSV has names, field labels and plain values', async () => {
    await go(page, 'Settings');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: T }),
      page.getByRole('button', { name: 'Export audit CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const lines = csv.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(
      '"Time","Run","Started by","System","Record type","Record","Action","Field","Before","After","Note","Undone by run","Record ID"',
    );
    // The conflict resolved above: Sam's first name became AroFlo's "Samantha" in HighLevel.
    expect(lines.some((l) => /"HighLevel","contact","[^"]+","changed","First name","Sam","Samantha"/.test(l))).toBe(
      true,
    );
    expect(lines.some((l) => /"created","Email","","[^"]+@[^"]+"/.test(l))).toBe(true);
    expect(csv).not.toMatch(/"\{"|"\[\{/);
    await shot(page, 'walk-settings');
  }, 60_000);

  it('every other screen, filled', async () => {
    for (const [label, name] of [
      ['Mappings', 'walk-mappings'],
      ['Activity', 'walk-activity'],
      ['Logs', 'walk-logs'],
    ] as const) {
      await go(page, label);
      await shot(page, name);
    }
    expect(browser.problems, browser.problems.join('\n')).toEqual([]);
  }, 60_000);

  it('the list screens share one filter bar: every control in it one height, the same on each screen', async () => {
    const heights: Record<string, number[]> = {};
    for (const label of ['Changes', 'Activity', 'Logs', 'Find a record']) {
      await go(page, label);
      heights[label] = await filterBarHeights(page);
      expect(heights[label]!.length, `${label}: controls in the filter bar`).toBeGreaterThan(1);
    }
    const all = new Set(Object.values(heights).flat());
    expect(all.size, JSON.stringify(heights)).toBe(1);
    await go(page, 'Changes');
    await shot(page, 'walk-changes');
  }, 60_000);
});
