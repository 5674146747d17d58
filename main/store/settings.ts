/**
 * Settings: user preferences and non-secret connection details, schema-validated.
 * Headless, `conf` stores them in the profile directory; in the app, electron-store (built on conf) uses the very
 * same schema (`CONFIG_SCHEMA`) and file name, so both read and write one file. Secrets live in the vault, never here.
 */
import Conf from 'conf';
import type { PairMapping, Settings } from '../../preload/contract.js';
import { BUDGET_DEFAULTS, CHECK_AFTER_RUN_DEFAULT } from '../domain/defaults.js';

export interface GhlConnectionConfig {
  mode: 'none' | 'oauth' | 'private_token';
  baseUrl: string;
  authorizeUrl: string;
  clientId?: string;
  redirectUri: string;
  locationId?: string;
  scopes: string[];
}

export interface AppConfig {
  settings: Settings;
  paused: boolean;
  connections: {
    ghl: GhlConnectionConfig;
    aroflo: { baseUrl: string; uEncoded?: string; orgEncoded?: string };
    aimfox: { baseUrl: string };
    /** Sandboxes only: every rate-limit window is divided by this (matches `ghl-bridge sandbox --rate-limits xN`). */
    rateScale?: number;
  };
  mappings: PairMapping[];
}

export const DEFAULT_SETTINGS: Settings = {
  syncIntervalMinutes: 5,
  startAtLogin: true,
  notifications: { conflicts: true, signIn: true, failures: true },
  guard: { maxDeletes: 25, maxDeletePercent: 10, maxChanges: 500, maxChangePercent: 50 },
  budget: { ...BUDGET_DEFAULTS },
  checkAfterRun: { ...CHECK_AFTER_RUN_DEFAULT },
};

/** The scopes GHL Bridge asks for (and a Private Integration token needs). */
export const GHL_SCOPES = ['contacts.readonly', 'contacts.write', 'locations/customFields.readonly'];

export const PRODUCTION_URLS = {
  ghl: 'https://services.leadconnectorhq.com',
  ghlAuthorize: 'https://marketplace.gohighlevel.com/v2/oauth/chooselocation',
  aroflo: 'https://api.aroflo.com/',
  aimfox: 'https://api.aimfox.com/api/v2',
};

export function defaultConfig(): AppConfig {
  return {
    settings: structuredClone(DEFAULT_SETTINGS),
    paused: false,
    connections: {
      ghl: {
        mode: 'none',
        baseUrl: PRODUCTION_URLS.ghl,
        authorizeUrl: PRODUCTION_URLS.ghlAuthorize,
        redirectUri: 'http://127.0.0.1:47321/oauth/callback',
        scopes: [...GHL_SCOPES],
      },
      aroflo: { baseUrl: PRODUCTION_URLS.aroflo },
      aimfox: { baseUrl: PRODUCTION_URLS.aimfox },
    },
    mappings: [],
  };
}

const int = (minimum: number, maximum: number) => ({ type: 'integer', minimum, maximum }) as const;
const url = { type: 'string', pattern: '^https?://' } as const;
/** The longest HighLevel location ID the settings accept. */
export const MAX_LOCATION_ID = 100;

/** JSON schema (draft 2020-12 subset) shared by conf and electron-store. Mappings are validated in depth by the engine. */
export const CONFIG_SCHEMA = {
  settings: {
    type: 'object',
    additionalProperties: false,
    required: ['syncIntervalMinutes', 'startAtLogin', 'notifications', 'guard'],
    properties: {
      syncIntervalMinutes: int(1, 1440),
      startAtLogin: { type: 'boolean' },
      notifications: {
        type: 'object',
        additionalProperties: false,
        required: ['conflicts', 'signIn', 'failures'],
        properties: { conflicts: { type: 'boolean' }, signIn: { type: 'boolean' }, failures: { type: 'boolean' } },
      },
      guard: {
        type: 'object',
        additionalProperties: false,
        required: ['maxDeletes', 'maxDeletePercent', 'maxChanges', 'maxChangePercent'],
        properties: {
          maxDeletes: int(0, 1_000_000),
          maxDeletePercent: int(0, 100),
          maxChanges: int(0, 10_000_000),
          maxChangePercent: int(0, 100),
        },
      },
      // No longer read: the rolling re-read replaced the full re-read every N syncs. Kept so older settings files load.
      fullReconcileEvery: int(1, 1000),
      keyRotationDays: int(7, 3650),
      // A full re-read every N real syncs on top of the rolling re-read (unset: none). For small locations and the
      // fleet's test bed and benchmark, where every run must see every edit (main/sync/README.md).
      fullRereadEvery: int(1, 1000),
      budget: {
        type: 'object',
        additionalProperties: false,
        properties: {
          ghlSharePercent: int(1, 100),
          arofloSharePercent: int(1, 100),
          rereadWindowHours: int(1, 168),
        },
      },
      checkAfterRun: {
        type: 'object',
        additionalProperties: false,
        required: ['enabled', 'sample'],
        properties: { enabled: { type: 'boolean' }, sample: int(0, 100), everyMinutes: int(0, 1440) },
      },
    },
  },
  paused: { type: 'boolean' },
  connections: {
    type: 'object',
    required: ['ghl', 'aroflo', 'aimfox'],
    properties: {
      ghl: {
        type: 'object',
        required: ['mode', 'baseUrl', 'authorizeUrl', 'redirectUri', 'scopes'],
        properties: {
          mode: { enum: ['none', 'oauth', 'private_token'] },
          baseUrl: url,
          authorizeUrl: url,
          clientId: { type: 'string', maxLength: 200 },
          redirectUri: { type: 'string', pattern: '^http://(127\\.0\\.0\\.1|localhost):[0-9]{1,5}/' },
          locationId: { type: 'string', maxLength: MAX_LOCATION_ID },
          scopes: { type: 'array', items: { type: 'string' } },
        },
      },
      aroflo: {
        type: 'object',
        required: ['baseUrl'],
        properties: {
          baseUrl: url,
          uEncoded: { type: 'string', maxLength: 500 },
          orgEncoded: { type: 'string', maxLength: 500 },
        },
      },
      aimfox: { type: 'object', required: ['baseUrl'], properties: { baseUrl: url } },
      rateScale: { type: 'number', minimum: 1, maximum: 10000 },
    },
  },
  mappings: { type: 'array', items: { type: 'object', required: ['pair'] } },
} as const;

/** What the rest of the app needs from a settings store (conf headless, electron-store in the app). */
export interface ConfigStore {
  read(): AppConfig;
  write(next: AppConfig): void;
  readonly path: string;
}

export class ConfigError extends Error {}

/**
 * What both stores are opened with — one file (settings.json in the profile), one schema, one set of defaults — so
 * the app (electron-store, main/app/settings-store.ts) and the command line (conf) read and write the same file.
 */
export function storeOptions(profileDir: string) {
  return {
    cwd: profileDir,
    schema: CONFIG_SCHEMA as never,
    defaults: defaultConfig(),
    configFileMode: 0o600,
    clearInvalidConfig: false,
    watch: false,
  };
}

/**
 * A conf-like store (conf, or electron-store built on it) as a ConfigStore: an unreadable file or a refused write is
 * a ConfigError saying so in words.
 */
export function configStoreOver(profileDir: string, open: () => { path: string; store: AppConfig }): ConfigStore {
  let conf: { path: string; store: AppConfig };
  try {
    conf = open();
  } catch (e) {
    throw new ConfigError(
      `The settings file in ${profileDir} is invalid and was left untouched: ${(e as Error).message}`,
    );
  }
  return {
    path: conf.path,
    read: () => structuredClone(conf.store),
    write: (next) => {
      try {
        conf.store = next;
      } catch (e) {
        throw new ConfigError(
          `Those settings are not valid: ${(e as Error).message.replace(/^Config schema violation: /, '')}`,
        );
      }
    },
  };
}

/** The headless store. */
export function openConfigStore(profileDir: string): ConfigStore {
  return configStoreOver(
    profileDir,
    () => new Conf<AppConfig>({ ...storeOptions(profileDir), configName: 'settings', projectName: 'ghl-bridge' }),
  );
}
