/**
 * The Electron main process: thin wiring of the headless service to a tray icon, one window and IPC.
 * Every decision lives in a pure module beside this one (tray-state, tray-menu, window-options, security,
 * notifications, paths); this file only connects them to Electron.
 */
import { join } from 'node:path';
import { app, dialog, ipcMain, Notification, safeStorage } from 'electron';
import type { AppStatus } from '../../preload/contract.js';
import { IPC_EVENT_CHANNEL } from '../../preload/contract.js';
import { createService } from '../service/index.js';
import type { Service } from '../service/index.js';
import { resolveProfileDir } from '../store/profile.js';
import { openHeadlessVault, type SecretVault } from '../store/vault.js';
import { appLayout, parseShellArgs } from './paths.js';
import { hardenApp, openInBrowser, registerAppScheme } from './harden.js';
import { registerBridgeIpc } from './ipc-bridge.js';
import { MainWindow } from './main-window.js';
import { planNotifications, rememberShown } from './notifications.js';
import type { NotifyMemory } from './notifications.js';
import { isTrustedSender, trustedOrigins } from './security.js';
import { openElectronConfigStore } from './settings-store.js';
import { SafeStorageVault, safeStorageProblem } from './vault-safe-storage.js';
import { TrayController } from './tray-controller.js';
import type { TrayAction } from './tray-menu.js';

const args = parseShellArgs(process.argv.slice(1));
const profileDir = resolveProfileDir(args.profile);
// Chromium's own caches stay in a sub-folder of the profile, away from the database and settings.
app.setPath('userData', join(profileDir, 'electron'));
app.setAppUserModelId('com.ghlbridge.app');
registerAppScheme();

let quitting = false;

if (!app.requestSingleInstanceLock()) {
  // Another GHL Bridge is running for this profile: it gets a 'second-instance' event and shows its window.
  app.quit();
} else {
  void start().catch((err: unknown) => {
    dialog.showErrorBox('GHL Bridge could not start', err instanceof Error ? err.message : String(err));
    quitting = true;
    app.quit();
  });
}

/** safeStorage when it really protects secrets; the headless vault only when GHL_BRIDGE_VAULT_KEY is set explicitly. */
function openVault(): SecretVault {
  const problem = safeStorageProblem(safeStorage, process.platform);
  if (!problem)
    return new SafeStorageVault(join(profileDir, 'secrets.safestorage.json'), safeStorage, process.platform);
  if (process.env.GHL_BRIDGE_VAULT_KEY)
    return openHeadlessVault(join(profileDir, 'secrets.vault'), profileDir, process.env);
  throw new Error(problem);
}

async function start(): Promise<void> {
  await app.whenReady();
  const layout = appLayout({
    appRoot: app.getAppPath(),
    packaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
  });
  const devServer = app.isPackaged ? undefined : process.env.GHL_BRIDGE_DEV_SERVER;
  const trusted = trustedOrigins(devServer);
  const started: { service?: Service } = {};

  // The service may open only the allowlist, plus the sign-in page it is configured for (a local sandbox in demos).
  const openExternal = (url: string) => {
    const authorize = started.service?.config.read().connections.ghl.authorizeUrl;
    if (!openInBrowser(url, authorize ? [authorize] : []))
      started.service?.logger.warn('Refused to open a link outside the allowlist', { url });
  };
  hardenApp({ rendererDir: layout.rendererDir, trusted, devServer, openExternal: (url) => openInBrowser(url) });

  const svc = await createService({
    profileDir,
    version: app.getVersion(),
    vault: openVault(),
    configStore: openElectronConfigStore(profileDir),
    startScheduler: true,
    holdProfile: { command: 'the GHL Bridge app' },
    openExternal,
  });
  started.service = svc;

  const window = new MainWindow({
    preloadPath: layout.preload,
    iconPath: process.platform === 'darwin' ? undefined : layout.appIcon,
    devServer,
    devTools: !app.isPackaged,
    isQuitting: () => quitting,
  });

  registerBridgeIpc(ipcMain, {
    api: svc.api,
    isTrusted: (event) => isTrustedSender(event.senderFrame, trusted),
    log: svc.logger,
  });

  const onAction = (action: TrayAction) => {
    const fail = (e: unknown) =>
      svc.logger.error(`Tray: ${action} failed`, { error: e instanceof Error ? e.message : String(e) });
    switch (action) {
      case 'sync-now':
        void svc.api.syncNow({}).catch(fail);
        break;
      case 'pause':
        void svc.api.pause().then(onStatus, fail);
        break;
      case 'resume':
        void svc.api.resume().then(onStatus, fail);
        break;
      case 'open-conflicts':
        window.show('conflicts');
        break;
      case 'open-window':
        window.show();
        break;
      case 'quit':
        quitting = true;
        app.quit();
        break;
    }
  };
  const tray = new TrayController(layout, onAction);

  // Status → tray and notifications.
  let last: AppStatus | undefined;
  let memory: NotifyMemory = { lastShownAt: {} };
  function onStatus(next: AppStatus): void {
    tray.update(next);
    if (Notification.isSupported()) {
      const prefs = svc.config.read().settings.notifications;
      const planned = planNotifications({ prev: last, next, prefs, memory, now: Date.now() });
      for (const n of planned) {
        const note = new Notification({ title: n.title, body: n.body, icon: layout.appIcon });
        note.on('click', () => window.show(n.screen));
        note.show();
      }
      memory = rememberShown(memory, planned, Date.now());
    }
    last = next;
  }
  let refreshTimer: NodeJS.Timeout | undefined;
  const refreshSoon = () => {
    if (refreshTimer) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = undefined;
      svc.api.getStatus().then(onStatus, () => undefined);
    }, 250);
  };

  svc.subscribe((event) => {
    window.webContents?.send(IPC_EVENT_CHANNEL, event);
    if (event.type === 'status') onStatus(event.status);
    else if (event.type !== 'log') refreshSoon();
  });
  refreshSoon();
  // Keeps "last sync 14:05" and scheduled states fresh even when nothing happens.
  setInterval(refreshSoon, 60_000).unref();

  app.on('second-instance', () => window.show());
  app.on('activate', () => window.show());
  // A tray app keeps running with no window open.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', () => {
    quitting = true;
  });
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    tray.destroy();
    void svc.close().finally(() => {
      closed = true;
      app.quit();
    });
  });

  const settings = svc.config.read().settings;
  if (app.isPackaged) app.setLoginItemSettings({ openAtLogin: settings.startAtLogin, args: ['--hidden'] });
  if (!args.hidden) window.show();
}
