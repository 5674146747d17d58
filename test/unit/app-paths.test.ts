import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { appLayout, parseShellArgs, trayIconFile } from '../../main/app/paths.js';
import { TRAY_ICON_NAMES } from '../../scripts/make-icons.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));

describe('run-time file layout', () => {
  it('development: everything from the checkout, icons from build/', () => {
    const l = appLayout({ appRoot: repo, packaged: false, resourcesPath: '/unused' });
    expect(l.preload).toBe(join(repo, 'dist', 'preload', 'index.cjs'));
    expect(l.rendererDir).toBe(join(repo, 'dist', 'renderer'));
    expect(l.trayIconDir).toBe(join(repo, 'build', 'tray'));
    // Every icon the tray can ask for exists in the checkout.
    for (const name of TRAY_ICON_NAMES) expect(existsSync(trayIconFile(l, name)), name).toBe(true);
    expect(existsSync(l.appIcon)).toBe(true);
  });

  it('packaged: code inside app.asar, icons from the resources folder (electron-builder extraResources)', () => {
    const l = appLayout({
      appRoot: '/opt/GHL Bridge/resources/app.asar',
      packaged: true,
      resourcesPath: '/opt/GHL Bridge/resources',
    });
    expect(l.preload).toBe(join('/opt/GHL Bridge/resources/app.asar', 'dist', 'preload', 'index.cjs'));
    expect(trayIconFile(l, 'error')).toBe(join('/opt/GHL Bridge/resources', 'tray', 'tray-error.png'));
    expect(l.appIcon).toBe(join('/opt/GHL Bridge/resources', 'icon.png'));
  });
});

describe('shell command line', () => {
  it('reads --hidden and --profile in both spellings', () => {
    expect(parseShellArgs([])).toEqual({ hidden: false });
    expect(parseShellArgs(['.', '--hidden', '--profile', '/data/p'])).toEqual({ hidden: true, profile: '/data/p' });
    expect(parseShellArgs(['--profile=/x'])).toEqual({ hidden: false, profile: '/x' });
    expect(parseShellArgs(['--profile'])).toEqual({ hidden: false });
  });
});
