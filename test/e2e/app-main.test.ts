/**
 * The Electron main process, built (dist/main/app/index.js) and run in plain Node against a stand-in for the
 * 'electron' module (test/e2e/fake-electron): Electron's binary cannot run here, but the wiring in index.ts can —
 * start-up order, the window's security options, IPC sender checks, the app:// protocol, the tray menu actions,
 * hide-on-close and quitting all run against the real service on a fresh profile.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildMain } from '../../scripts/build-main.mjs';
import { BRIDGE_METHODS, ipcChannel } from '../../preload/contract.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const fakeDir = join(repo, 'test', 'e2e', 'fake-electron');

interface Result {
  failure?: string;
  beforeReady: string[];
  window: { options: { webPreferences: Record<string, unknown>; show: boolean }; urls: string[]; visible: boolean };
  trayMenu: string[];
  trayTooltip: string;
  trayImages: string[];
  ipcChannels: string[];
  trustedStatus: { ok: boolean; value: { version: string; profileDir: string; dbLevel: number } };
  untrustedPause: { ok: boolean; error: { kind: string } };
  pausedAfterUntrusted: boolean;
  page: { status: number; csp: string; type: string; body: string };
  escapeStatus: number;
  permissionGeo: boolean;
  trayAfterPause: { tooltip: string; image: string };
  urlAfterConflicts: string;
  eventsSent: number;
  closeHidden: boolean;
  exited: boolean;
  calls: Array<{ what: string; ready: boolean }>;
  errors: unknown[];
}

let result: Result;
let profile: string;

beforeAll(async () => {
  if (!existsSync(join(repo, 'dist', 'renderer', 'index.html')))
    throw new Error('dist/renderer is missing — run "npx vite build --config renderer/vite.config.ts" first.');
  // A private app root inside the repository (so node_modules resolve), with its own build of main + preload.
  const appRoot = join(repo, 'test-artifacts', 'app-build');
  rmSync(appRoot, { recursive: true, force: true });
  mkdirSync(join(appRoot, 'dist'), { recursive: true });
  await buildMain({ outDir: join(appRoot, 'dist'), quiet: true });
  symlinkSync(join(repo, 'dist', 'renderer'), join(appRoot, 'dist', 'renderer'));
  symlinkSync(join(repo, 'build'), join(appRoot, 'build'));
  profile = join(mkdtempSync(join(tmpdir(), 'ghlb-app-')), 'profile');

  const child = spawnSync(
    process.execPath,
    [
      '--import',
      pathToFileURL(join(fakeDir, 'register.mjs')).href,
      join(fakeDir, 'scenario.mjs'),
      '--profile',
      profile,
    ],
    {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        FAKE_APP_ROOT: appRoot,
        FAKE_APP_INDEX: pathToFileURL(join(appRoot, 'dist', 'main', 'app', 'index.js')).href,
      },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  const line = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`the main process printed no result:\n${child.stdout}\n${child.stderr}`);
  result = JSON.parse(line.slice(7)) as Result;
  if (result.failure)
    throw new Error(`the scenario failed: ${result.failure}\n${JSON.stringify(result.calls)}\n${child.stderr}`);
}, 90_000);

describe('Electron main process wiring (against a stand-in for electron)', () => {
  it('takes the single-instance lock and registers the app:// scheme before the app is ready', () => {
    expect(result.beforeReady).toContain('app.requestSingleInstanceLock');
    expect(result.beforeReady).toContain('protocol.registerSchemesAsPrivileged');
    expect(result.beforeReady).toContain('app.setPath');
    expect(result.calls.find((c) => c.what === 'protocol.registerSchemesAsPrivileged')?.ready).toBe(false);
    expect(result.calls.find((c) => c.what === 'protocol.handle')?.ready).toBe(true);
  });

  it('opens one window with the security options, on the app:// page, shown when ready', () => {
    const web = result.window.options.webPreferences;
    expect(web).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(String(web.preload)).toMatch(/dist[/\\]preload[/\\]index\.cjs$/);
    expect(result.window.options.show).toBe(false);
    expect(result.window.urls[0]).toBe('app://bridge/index.html');
    expect(result.window.visible).toBe(true);
    expect(result.calls.filter((c) => c.what === 'BrowserWindow')).toHaveLength(1);
  });

  it('answers every bridge method over IPC, for the app page only', () => {
    expect(result.ipcChannels).toEqual(BRIDGE_METHODS.map(ipcChannel).sort());
    expect(result.trustedStatus.ok).toBe(true);
    expect(result.trustedStatus.value).toMatchObject({ version: '3.2.1', profileDir: profile });
    expect(result.trustedStatus.value.dbLevel).toBeGreaterThan(0);
    expect(result.untrustedPause).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(result.pausedAfterUntrusted).toBe(false);
  });

  it('serves the renderer over app:// with the CSP header, and nothing outside it', () => {
    expect(result.page.status).toBe(200);
    expect(result.page.type).toMatch(/^text\/html/);
    expect(result.page.csp).toMatch(/default-src 'none'; script-src 'self'/);
    expect(result.page.body).toContain('<!doctype html>');
    expect(result.escapeStatus).toBe(404);
  });

  it('denies permission requests', () => {
    expect(result.permissionGeo).toBe(false);
  });

  it('builds the tray from the live status, and its actions work', () => {
    expect(result.trayMenu).toEqual([
      'Not synced yet',
      'No sync yet',
      '---',
      'Sync now',
      'Pause sync',
      '---',
      'Conflicts (0)',
      'Open GHL Bridge',
      '---',
      'Quit GHL Bridge',
    ]);
    expect(result.trayTooltip).toBe('GHL Bridge — No sync yet');
    expect(result.trayImages[0]).toMatch(/build[/\\]tray[/\\]tray-idle\.png$/);
    expect(result.trayAfterPause.tooltip).toMatch(/^GHL Bridge — Sync paused/);
    expect(result.trayAfterPause.image).toMatch(/tray-paused\.png$/);
    expect(result.urlAfterConflicts).toBe('app://bridge/index.html#/conflicts');
    expect(result.eventsSent).toBeGreaterThan(0);
  });

  it('closing the window hides it to the tray; Quit closes the service and exits', () => {
    expect(result.closeHidden).toBe(true);
    expect(result.exited).toBe(true);
    expect(result.calls.map((c) => c.what)).toContain('tray.destroy');
    expect(result.errors).toEqual([]);
  });
});
