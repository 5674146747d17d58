/**
 * The app's settings store: electron-store over the very same schema (CONFIG_SCHEMA) and file (settings.json in the
 * profile) as the headless `conf` store, so the app and `ghl-bridge` on the command line read and write one file.
 * electron-store imports electron, so this file is only loaded by index.ts.
 */
import Store from 'electron-store';
import { CONFIG_SCHEMA, ConfigError, defaultConfig } from '../store/settings.js';
import type { AppConfig, ConfigStore } from '../store/settings.js';

export function openElectronConfigStore(profileDir: string): ConfigStore {
  let store: Store<AppConfig>;
  try {
    store = new Store<AppConfig>({
      cwd: profileDir,
      name: 'settings',
      schema: CONFIG_SCHEMA as never,
      defaults: defaultConfig(),
      configFileMode: 0o600,
      clearInvalidConfig: false,
      watch: false,
    });
  } catch (e) {
    throw new ConfigError(
      `The settings file in ${profileDir} is invalid and was left untouched: ${(e as Error).message}`,
    );
  }
  return {
    path: store.path,
    read: () => structuredClone(store.store),
    write: (next) => {
      try {
        store.store = next;
      } catch (e) {
        throw new ConfigError(
          `Those settings are not valid: ${(e as Error).message.replace(/^Config schema violation: /, '')}`,
        );
      }
    },
  };
}
