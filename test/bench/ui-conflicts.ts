/**
 * Scenario 5: the Conflicts screen with 10,000 open conflicts, in real Chromium over serve mode (the same window the
 * app shows). A fresh profile's conflicts table is filled with 10,000 rows; then
 *   - first render: a fresh browser opens the window straight on #/conflicts; the time from navigation start until
 *     the first rows show real content (a MutationObserver installed before the page loads records it);
 *   - opening the screen from inside the window (Status → Conflicts) until rows show;
 *   - scrolling: the list is scrolled from a requestAnimationFrame loop, steadily (one row a frame) and as a fling
 *     (ten rows a frame), and each frame's interval is recorded — a frame the page could not paint in time shows as
 *     a long interval.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { createService } from '../../main/service/index.js';
import { throwawayVaultKey } from '../../main/sandbox/index.js';
import { startWebServer } from '../../main/web/server.js';
import { ensureRenderer } from '../../main/cli/renderer-files.js';

export interface ScrollFigures {
  frames: number;
  rowsPerFrame: number;
  fps: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Frames longer than 50 ms (a stutter a person notices). */
  longFrames: number;
  /** Frames in which some row in view was still a "Loading…" placeholder (its page of 200 not back yet). */
  placeholderFrames: number;
  /** Most rows in the page at once (virtualized: only those in view, plus a few). */
  maxRowsInPage: number;
  listRequests: number;
}

export interface UiReport {
  conflicts: number;
  fillMs: number;
  /** Navigation start → first rows with content, fresh browser straight on #/conflicts. */
  firstRenderMs: number;
  /** Same, loading the page again (browser cache warm): median of three. */
  reloadRenderMs: number;
  /** Click on "Conflicts" in the navigation → first rows with content. */
  inAppMs: number;
  steady: ScrollFigures;
  fling: ScrollFigures;
  /** The same with 10 conflicts (what does not grow with the list is not the list's cost). */
  control: { conflicts: number; firstRenderMs: number; reloadRenderMs: number };
  /** What the first load fetched, and when (ms from navigation start). */
  firstLoad?: {
    redirects: number;
    documentAt: number;
    domContentLoaded: number;
    load: number;
    resources: Array<{ name: string; start: number; end: number; kb: number }>;
  };
  missing?: string;
}

const FIRST_ROWS = `(() => {
  window.__bench = {};
  const done = () => window.__bench.rows !== undefined;
  new MutationObserver(() => {
    if (done()) return;
    if (document.querySelector('[role=listbox] [role=option] .conflict-row-label')) window.__bench.rows = performance.now();
  }).observe(document, { childList: true, subtree: true, characterData: true });
})();`;

const SCROLL = (frames: number, step: number) => `(async () => {
  const list = document.querySelector('.conflict-list');
  if (!list) throw new Error('no conflict list');
  list.scrollTop = 0;
  await new Promise((r) => setTimeout(r, 300));
  const times = [];
  let placeholders = 0, maxRows = 0;
  await new Promise((resolve) => {
    let n = 0;
    const tick = (t) => {
      times.push(t);
      const rows = list.querySelectorAll('[role=option]');
      maxRows = Math.max(maxRows, rows.length);
      const top = list.scrollTop, bottom = top + list.clientHeight;
      for (const r of rows) {
        const y = r.offsetTop + (r.style.transform ? Number(/translateY\\((\\d+(?:\\.\\d+)?)px\\)/.exec(r.style.transform)?.[1] ?? 0) : 0);
        if (y + r.offsetHeight > top && y < bottom && !r.querySelector('.conflict-row-label')) { placeholders++; break; }
      }
      if (++n >= ${frames}) return resolve();
      list.scrollTop += ${step};
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const d = [];
  for (let i = 1; i < times.length; i++) d.push(times[i] - times[i - 1]);
  return { d, placeholders, maxRows };
})()`;

const pct = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? 0;

async function waitFor<T>(page: Page, expr: string, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = (await page.evaluate(expr)) as T | undefined | null;
    if (v !== undefined && v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${expr}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function scroll(
  page: Page,
  frames: number,
  rowsPerFrame: number,
  listRequests: () => number,
): Promise<ScrollFigures> {
  const before = listRequests();
  const r = (await page.evaluate(SCROLL(frames, rowsPerFrame * 62))) as {
    d: number[];
    placeholders: number;
    maxRows: number;
  };
  const total = r.d.reduce((a, b) => a + b, 0);
  return {
    frames: r.d.length,
    rowsPerFrame,
    fps: total ? (r.d.length * 1000) / total : 0,
    p50Ms: pct(r.d, 0.5),
    p95Ms: pct(r.d, 0.95),
    maxMs: Math.max(0, ...r.d),
    longFrames: r.d.filter((x) => x > 50).length,
    placeholderFrames: r.placeholders,
    maxRowsInPage: r.maxRows,
    listRequests: listRequests() - before,
  };
}

/** A fresh profile with `n` open conflicts, served over loopback. */
async function servedProfile(tmp: string, n: number, staticDir: string) {
  const svc = await createService({
    profileDir: join(tmp, `profile-${n}`),
    env: { GHL_BRIDGE_VAULT_KEY: throwawayVaultKey() },
  });
  const t0 = performance.now();
  const store = svc.sync.store;
  svc.db.transaction(() => {
    for (let i = 0; i < n; i++) {
      store.conflicts.upsert({
        kind: i % 250 === 0 ? 'duplicate' : 'conflict',
        pair: i % 3 === 0 ? 'ghl-aimfox' : 'ghl-aroflo',
        entity: i % 3 === 0 ? 'lead' : i % 3 === 1 ? 'contact' : 'task',
        system: i % 3 === 0 ? 'aimfox' : 'aroflo',
        linkId: null,
        subject: `bench:${i}`,
        label: `Person ${String(i).padStart(5, '0')}`,
        runId: 'run_bench',
        diffs: [{ field: 'lastName', label: 'Last name', base: `Base${i}`, ghl: `Ghl${i}`, other: `Other${i}` }],
      });
    }
  })();
  const fillMs = performance.now() - t0;
  const server = await startWebServer({ service: svc, staticDir });
  return { svc, server, fillMs, close: async () => (await server.close(), await svc.close()) };
}

async function browse<T>(dir: string, fn: (page: Page) => Promise<T>): Promise<T> {
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 1280, height: 860 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.addInitScript(FIRST_ROWS);
    return await fn(page);
  } finally {
    await context.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Fresh browser straight on #/conflicts, then three reloads (median). */
async function loads(
  page: Page,
  url: string,
): Promise<{ cold: number; reload: number; timeline: UiReport['firstLoad'] }> {
  await page.goto(`${url}#/conflicts`);
  const cold = await waitFor<number>(page, 'window.__bench.rows', 30_000);
  const timeline = (await page.evaluate(`(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource').map((e) => ({ name: e.name.replace(location.origin, '').split('?')[0], start: Math.round(e.startTime), end: Math.round(e.responseEnd), kb: Math.round((e.transferSize || 0) / 1024) }));
    return { redirects: nav.redirectCount, documentAt: Math.round(nav.responseEnd), domContentLoaded: Math.round(nav.domContentLoadedEventEnd), load: Math.round(nav.loadEventEnd), resources: res };
  })()`)) as UiReport['firstLoad'];
  const again: number[] = [];
  for (let k = 0; k < 3; k++) {
    await page.reload();
    again.push(await waitFor<number>(page, 'window.__bench.rows', 30_000));
  }
  return { cold, reload: median(again), timeline };
}

export async function runUiBench(opts: { conflicts: number; log: (s: string) => void }): Promise<UiReport> {
  const staticDir = await ensureRenderer(opts.log);
  const tmp = mkdtempSync(join(tmpdir(), 'ghlb-bench-ui-'));
  try {
    // The same screen with a handful of conflicts, for comparison: what does not grow with the list is not the list.
    const small = await servedProfile(tmp, 10, staticDir);
    let control: { cold: number; reload: number };
    try {
      control = await browse(join(tmp, 'chromium-small'), (page) => loads(page, small.server.launchUrl()));
    } finally {
      await small.close();
    }
    const big = await servedProfile(tmp, opts.conflicts, staticDir);
    try {
      return await browse(join(tmp, 'chromium'), async (page) => {
        let listCalls = 0;
        page.on('request', (r) => {
          if (new URL(r.url()).pathname.endsWith('/api/listConflicts')) listCalls++;
        });
        const l = await loads(page, big.server.launchUrl());
        const hasList = (await page.evaluate(`!!document.querySelector('.conflict-list')`)) as boolean;
        const base = {
          conflicts: opts.conflicts,
          fillMs: big.fillMs,
          firstRenderMs: l.cold,
          reloadRenderMs: l.reload,
          firstLoad: l.timeline,
          control: { conflicts: 10, firstRenderMs: control.cold, reloadRenderMs: control.reload },
        };
        if (!hasList)
          return {
            ...base,
            inAppMs: 0,
            steady: emptyScroll(),
            fling: emptyScroll(),
            missing: 'the Conflicts screen has no virtualized list (.conflict-list)',
          };
        // From inside the window: Status, then a click on Conflicts.
        await page.goto(`${big.server.launchUrl()}#/status`);
        await page.locator('h1', { hasText: 'Status' }).first().waitFor({ state: 'visible', timeout: 30_000 });
        await page.evaluate(`window.__bench = {}`);
        const clickAt = (await page.evaluate('performance.now()')) as number;
        await page
          .locator('nav[aria-label="Main"]')
          .getByRole('link', { name: /^Conflicts( |$)/ })
          .click({ timeout: 30_000 });
        const inAppMs = (await waitFor<number>(page, 'window.__bench.rows', 30_000)) - clickAt;
        const steady = await scroll(page, 300, 1, () => listCalls);
        const fling = await scroll(page, 120, 10, () => listCalls);
        return { ...base, inAppMs, steady, fling };
      });
    } finally {
      await big.close();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const emptyScroll = (): ScrollFigures => ({
  frames: 0,
  rowsPerFrame: 0,
  fps: 0,
  p50Ms: 0,
  p95Ms: 0,
  maxMs: 0,
  longFrames: 0,
  placeholderFrames: 0,
  maxRowsInPage: 0,
  listRequests: 0,
});
