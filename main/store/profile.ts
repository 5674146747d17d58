/**
 * Where GHL Bridge keeps its data: the profile directory holds the SQLite database, settings and the secret vault.
 * Precedence: an explicit `--profile DIR`, then GHL_BRIDGE_HOME, then the per-OS application-data folder.
 */
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const APP_DIR_NAME = 'GHL Bridge';

export function defaultProfileDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'ghl-bridge');
}

export function resolveProfileDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return resolve(explicit);
  if (env.GHL_BRIDGE_HOME) return resolve(env.GHL_BRIDGE_HOME);
  return defaultProfileDir(process.platform, env);
}

/** Create the profile directory owner-only (0700) if missing; tighten it if it exists. */
export function ensureProfileDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(dir, 0o700);
  return dir;
}

/**
 * Tighten the settings and vault files to owner-only (0600) if something outside loosened them — at open, not only at
 * the app's next write. (The database and logs are tightened where they are opened.)
 */
export function tightenProfileFiles(dir: string): void {
  if (process.platform === 'win32') return;
  const p = profilePaths(dir);
  for (const f of [p.settings, p.vault]) if (existsSync(f)) chmodSync(f, 0o600);
}

export const profilePaths = (dir: string) => ({
  database: join(dir, 'ghl-bridge.db'),
  settings: join(dir, 'settings.json'),
  vault: join(dir, 'secrets.vault'),
  logs: join(dir, 'logs'),
});
