/**
 * The headless GHL Bridge service: everything the app does, without Electron. It owns the profile (database,
 * settings, vault), the logger and event bus, the connectors, the sync engine and its scheduler, and implements the
 * bridge API (`api`) that both transports carry. The Electron app, `ghl-bridge serve`, the CLI and the tests all
 * create it the same way.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { BridgeApi, BridgeEvent } from '../../preload/contract.js';
import { openDatabase, type Db } from '../store/db.js';
import { openSqliteStore } from '../store/sqlite/index.js';
import type { Store } from '../store/repositories.js';
import {
  ensureProfileDir,
  isProfile,
  lockProfile,
  ProfileError,
  profilePaths,
  tightenProfileFiles,
} from '../store/profile.js';
import type { HeldLock } from '../store/lock.js';
import { openConfigStore, type ConfigStore } from '../store/settings.js';
import { openHeadlessVault, type SecretVault } from '../store/vault.js';
import { EventBus } from './events.js';
import { createLogger, type Logger } from './logger.js';
import { Redactor } from './redact.js';
import { createHandlers } from './handlers/index.js';
import { withValidatedArgs } from './args.js';
import { Connections } from './connections.js';
import { SyncService } from './sync.js';

export interface ServiceOptions {
  profileDir: string;
  version?: string;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
  /** The app passes its safeStorage vault; headless uses the encrypted file vault. */
  vault?: SecretVault;
  /** The app passes its electron-store adapter; headless uses conf. */
  configStore?: ConfigStore;
  /** Start the timer-driven sync loop (the app and `serve` do; one-shot CLI commands don't). */
  startScheduler?: boolean;
  /** Print log lines to stderr too. */
  echoLogs?: boolean;
  /**
   * Create the profile when the folder holds none (default true). false: refuse with a message instead — the CLI's
   * read-only commands and an explicit --profile without --create.
   */
  create?: boolean;
  /** The long-running process (app, serve, demo, sync on its timer): hold the profile's exclusive lock (store/profile.ts). */
  holdProfile?: { command: string; note?: string };
  /** Names this process when another one finds a sync running ("a sync is running in ghl-bridge serve …"). */
  processName?: string;
  /** Opens a URL in the system browser (the app: shell.openExternal; serve mode: the renderer opens it). */
  openExternal?: (url: string) => Promise<void> | void;
  /** The profile's store over its database (default: SQLite, main/store/sqlite). Tests wrap it (test/support/crash-store.ts). */
  openStore?: (db: Db, now: () => number) => Store;
}

export interface Service {
  api: BridgeApi;
  subscribe(listener: (e: BridgeEvent) => void): () => void;
  readonly profileDir: string;
  readonly db: Db;
  readonly config: ConfigStore;
  readonly vault: SecretVault;
  readonly logger: Logger;
  readonly redactor: Redactor;
  readonly connections: Connections;
  readonly sync: SyncService;
  close(): Promise<void>;
}

/** The version in package.json, found by walking up from this file (sources run from main/, builds from dist/main/). */
export function packageVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(fileURLToPath(new URL(up, import.meta.url)), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'ghl-bridge' && pkg.version) return pkg.version;
    } catch {
      /* try the next folder up */
    }
  }
  return '0.0.0';
}

export async function createService(opts: ServiceOptions): Promise<Service> {
  if (opts.create === false && !isProfile(opts.profileDir)) {
    throw new ProfileError(
      `There is no GHL Bridge profile in ${opts.profileDir}. Check the folder name, or add --create to start a new profile there (ghl-bridge login … --create).`,
    );
  }
  const profileDir = ensureProfileDir(opts.profileDir);
  tightenProfileFiles(profileDir);
  const paths = profilePaths(profileDir);
  const profileLock: HeldLock | undefined = opts.holdProfile
    ? await lockProfile(profileDir, opts.holdProfile.command, opts.holdProfile.note)
    : undefined;
  try {
    return await open(opts, profileDir, paths, profileLock);
  } catch (e) {
    profileLock?.release();
    throw e;
  }
}

async function open(
  opts: ServiceOptions,
  profileDir: string,
  paths: ReturnType<typeof profilePaths>,
  profileLock: HeldLock | undefined,
): Promise<Service> {
  const now = opts.now ?? Date.now;
  const env = opts.env ?? process.env;
  const db = openDatabase(paths.database);
  const store = (opts.openStore ?? openSqliteStore)(db, now);
  const config = opts.configStore ?? openConfigStore(profileDir);
  const vault = opts.vault ?? openHeadlessVault(paths.vault, profileDir, env);
  const events = new EventBus();
  const redactor = new Redactor();
  const logger = createLogger({ logs: store.logs, events, redactor, logDir: paths.logs, now, echo: opts.echoLogs });
  const connections = new Connections({
    config,
    vault,
    logger,
    redactor,
    events,
    now,
    openExternal: opts.openExternal,
    pacingDir: join(profileDir, 'pacing'),
    profileDir,
  });
  await connections.load();
  const sync = new SyncService({
    store,
    config,
    connections,
    logger,
    events,
    now,
    runLockPath: paths.runLock,
    processName: opts.holdProfile?.command ?? opts.processName,
  });
  const version = opts.version ?? packageVersion();
  // Every method's argument is checked (args.ts) before its handler runs, whichever transport called it.
  const api = withValidatedArgs(
    createHandlers({ version, profileDir, db, store, config, vault, logger, events, connections, sync, redactor, now }),
  );
  if (opts.startScheduler) sync.startScheduler();
  logger.info('GHL Bridge started', { version, profileDir });
  return {
    api,
    subscribe: (l) => events.subscribe(l),
    profileDir,
    db,
    config,
    vault,
    logger,
    redactor,
    connections,
    sync,
    async close() {
      await sync.stop();
      await connections.close();
      logger.close();
      db.close();
      profileLock?.release();
    },
  };
}
