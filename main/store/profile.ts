/**
 * Where GHL Bridge keeps its data: the profile directory holds the SQLite database, settings and the secret vault.
 * Precedence: an explicit `--profile DIR`, then GHL_BRIDGE_HOME, then the per-OS application-data folder.
 */
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { acquireLock, describeOwner, LockBusyError, lockHolder, type HeldLock, type LockOwner } from './lock.js';

export const APP_DIR_NAME = 'GHL Bridge';

export function defaultProfileDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'ghl-bridge');
}

export function resolveProfileDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return resolve(explicit);
  if (env.GHL_BRIDGE_HOME) return resolve(env.GHL_BRIDGE_HOME);
  return defaultProfileDir(process.platform, env);
}

export class ProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileError';
  }
}

/** A folder holds a profile when GHL Bridge has written its settings or database there. */
export function isProfile(dir: string): boolean {
  const p = profilePaths(dir);
  return existsSync(p.settings) || existsSync(p.database);
}

/**
 * One long-running GHL Bridge (the app, `serve`, `demo`, `sync` on its timer) per profile: two would each run the
 * scheduler and each refresh tokens. Short commands (status, sync --once, conflicts, login…) do not take this lock and
 * run beside the one that holds it.
 */
export async function lockProfile(dir: string, command: string, note?: string): Promise<HeldLock> {
  try {
    return await acquireLock(profilePaths(dir).lock, {
      command,
      note,
      busyMessage: (o) =>
        `This profile (${dir}) is already in use by ${describeOwner(o)}. Only one long-running GHL Bridge (the app, serve, demo or sync on its timer) may use a profile at a time — stop that one first, or give this one another --profile. ` +
        'Short commands such as status, sync --once, conflicts or mappings work beside it.' +
        (o?.note ? ` (${o.note})` : ''),
    });
  } catch (e) {
    if (e instanceof LockBusyError) throw new ProfileError(e.message);
    throw e;
  }
}

/** The long-running process that holds the profile now, if any. */
export function profileHolder(dir: string): LockOwner | undefined {
  return lockHolder(profilePaths(dir).lock);
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
  /** Held by the long-running process (see lockProfile). */
  lock: join(dir, 'profile.lock'),
  /** Held during a sync run, by whichever process runs it. */
  runLock: join(dir, 'sync.lock'),
});
