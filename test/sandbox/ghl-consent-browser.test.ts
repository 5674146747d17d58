/**
 * GHL sandbox — the OAuth consent page in real Chromium (system /usr/bin/chromium via playwright-core):
 * accessible (axe), the sub-account <select> and the Allow button work, the browser lands on
 * redirect_uri?code&state and the code redeems for a token of the chosen location.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Harness, startHarness } from './fixtures/ghl/harness.js';
import { ALL_CONTACT_SCOPES, exchange } from './fixtures/ghl/oauth.js';
import { expectResponsesMatchSpec } from './fixtures/ghl/spec-check.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const chooserQuery = (over: Record<string, string | undefined> = {}) => ({
  response_type: 'code',
  client_id: h.creds.oauth.clientId,
  redirect_uri: h.creds.oauth.redirectUri,
  scope: ALL_CONTACT_SCOPES,
  ...over,
});

it('in real Chromium: choose the second sub-account, press Allow, land on redirect_uri?code&state; no axe violations', async () => {
  if (!existsSync('/usr/bin/chromium')) throw new Error('Chromium missing: apt-get install -y chromium');
  const { chromium } = await import('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'ghl-consent-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const page = await context.newPage();
    let landed: URL | undefined;
    await page.route('http://127.0.0.1:47321/**', async (route) => {
      landed = new URL(route.request().url());
      await route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: '<!DOCTYPE html><title>done</title><p>You can close this window.</p>',
      });
    });
    const url = new URL(h.creds.oauth.authorizeUrl);
    for (const [k, v] of Object.entries(chooserQuery({ state: 'browser-state' }))) url.searchParams.set(k, v!);
    await page.goto(url.toString());
    const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
    await page.addScriptTag({ path: axePath });
    const violations = await page.evaluate(async () =>
      (
        await (globalThis as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string }> }> } }).axe.run()
      ).violations.map((v) => v.id),
    );
    expect(violations).toEqual([]);
    await page.getByLabel('Sub-account').selectOption(h.creds.otherLocationId);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(/127\.0\.0\.1:47321/);
    expect(landed?.searchParams.get('state')).toBe('browser-state');
    const code = landed!.searchParams.get('code')!;
    const tok = await exchange(h, { grant_type: 'authorization_code', code, redirect_uri: h.creds.oauth.redirectUri });
    expect(tok.body.locationId).toBe(h.creds.otherLocationId);
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

it('the token answer matches oauth.json', () => {
  expectResponsesMatchSpec(h);
});
