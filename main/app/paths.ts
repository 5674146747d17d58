/**
 * Where the shell finds its files at run time, and how it reads its command line — pure, so tests cover both the
 * development layout (repository checkout) and the packaged one (resources folder next to app.asar).
 */
import { join } from 'node:path';
import type { TrayIconName } from './tray-state.js';

export interface AppLayoutInput {
  /** app.getAppPath(): the folder (or app.asar) holding package.json. */
  appRoot: string;
  packaged: boolean;
  /** process.resourcesPath: where electron-builder's extraResources land. */
  resourcesPath: string;
}

export interface AppLayout {
  rendererDir: string;
  preload: string;
  trayIconDir: string;
  appIcon: string;
}

export function appLayout(input: AppLayoutInput): AppLayout {
  const resources = input.packaged ? input.resourcesPath : join(input.appRoot, 'build');
  return {
    rendererDir: join(input.appRoot, 'dist', 'renderer'),
    preload: join(input.appRoot, 'dist', 'preload', 'index.cjs'),
    trayIconDir: join(resources, 'tray'),
    appIcon: join(resources, 'icon.png'),
  };
}

/** The 1× file; Electron picks tray-<name>@2x.png beside it on high-density screens. */
export function trayIconFile(layout: AppLayout, name: TrayIconName): string {
  return join(layout.trayIconDir, `tray-${name}.png`);
}

export interface ShellArgs {
  /** --profile DIR (same meaning as the CLI's). */
  profile?: string;
  /** --hidden: start in the tray without opening the window (used by "start at login"). */
  hidden: boolean;
}

export function parseShellArgs(argv: readonly string[]): ShellArgs {
  const out: ShellArgs = { hidden: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--hidden') out.hidden = true;
    else if (a === '--profile' && argv[i + 1]) out.profile = argv[++i];
    else if (a.startsWith('--profile=')) out.profile = a.slice('--profile='.length);
  }
  return out;
}
