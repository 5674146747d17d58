/**
 * The app's settings store: electron-store over the very same schema (CONFIG_SCHEMA) and file (settings.json in the
 * profile) as the headless `conf` store, so the app and `ghl-bridge` on the command line read and write one file.
 * electron-store imports electron, so this file is only loaded by index.ts.
 */
import Store from 'electron-store';
import { configStoreOver, storeOptions } from '../store/settings.js';
import type { AppConfig, ConfigStore } from '../store/settings.js';

export function openElectronConfigStore(profileDir: string): ConfigStore {
  return configStoreOver(profileDir, () => new Store<AppConfig>({ ...storeOptions(profileDir), name: 'settings' }));
}
